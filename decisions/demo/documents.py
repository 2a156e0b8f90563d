"""The text of the demo's attachments and yearly documents, rendered as small PDFs."""

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from decisions.demo import pdf
from decisions.demo.applications import ARR, ApplicationSpec
from organisations.models import Municipality, Organisation, User

MUNICIPALITIES = dict(Municipality.choices)

TARGET_GROUPS_SV = {
    "children_youth": "Barn och unga",
    "older_people": "Äldre",
    "disabilities": "Personer med funktionsnedsättning",
    "national_minorities": "Nationella minoriteter",
    "sami": "Samer",
    "newly_arrived": "Nyanlända",
    "everyone": "Alla",
}
PERSPECTIVES_SV = {
    "accessibility": "Tillgänglighet",
    "children_youth": "Barn- och ungdomsperspektiv",
    "gender_equality": "Jämställdhet",
    "equality": "Jämlikhet",
    "indigenous_minority": "Urfolks- och minoritetsperspektiv",
}


def kronor(amount: Decimal | int) -> str:
    """Return an amount the Swedish way: 25 000 kr."""
    return f"{amount:,.0f}".replace(",", "\u00a0") + "\u00a0kr"


def _file(content: bytes, name: str) -> ContentFile:
    return ContentFile(content, name=name)


def _applicant(organisation: Organisation) -> str:
    return (
        f"{organisation.name}, org.nr {organisation.display_org_number}, "
        f"{organisation.street_address}, {organisation.postal_code} {organisation.city}"
    )


def plan(
    kind: str,
    spec: ApplicationSpec,
    organisation: Organisation,
    author: User,
    period: tuple[date, date],
) -> tuple[ContentFile, str]:
    """Return the project plan (or activity plan, or event programme) and its file name."""
    heading = {
        "project_plan": "Projektplan",
        "activity_plan": "Program för arrangemanget" if spec.call == ARR else "Verksamhetsplan",
    }[kind]
    sections = [
        ("Sökande", _applicant(organisation)),
        ("Sammanfattning", spec.summary),
        ("Bakgrund och genomförande", spec.description),
        ("Tidsplan", f"{period[0].isoformat()} – {period[1].isoformat()}"),
        ("Målgrupper", ", ".join(TARGET_GROUPS_SV[group] for group in spec.target_groups)),
        (
            "Kommuner där verksamheten genomförs",
            ", ".join(MUNICIPALITIES[code] for code in spec.municipalities),
        ),
        (
            "Perspektiv för hållbar utveckling",
            [f"{PERSPECTIVES_SV[key]}: {text}" for key, text in spec.perspectives.items()],
        ),
        ("Kontaktperson", f"{author.full_name}, {author.email}, {author.phone}"),
    ]
    content = pdf.document(f"{heading} – {spec.title}", sections, subtitle=organisation.name)
    return _file(content, f"{kind}.pdf"), f"{heading} {spec.title}.pdf"


def budget_specification(
    spec: ApplicationSpec, organisation: Organisation, lines: list[dict]
) -> tuple[ContentFile, str]:
    """Return the budget specification of the application and its file name."""
    costs = [line for line in lines if line["kind"] == "cost"]
    incomes = [line for line in lines if line["kind"] == "income"]
    total_costs = sum(line["amount"] for line in costs)
    total_incomes = sum(line["amount"] for line in incomes)

    def rows(selected):
        return [f"{line['description']}: {kronor(line['amount'])}" for line in selected]

    sections = [
        ("Sökande", _applicant(organisation)),
        ("Kostnader", [*rows(costs), f"Summa kostnader: {kronor(total_costs)}"]),
        (
            "Finansiering",
            [
                *rows(incomes),
                f"Sökt bidrag från Region Jämtland Härjedalen: {kronor(spec.requested)}",
                f"Summa finansiering: {kronor(total_incomes + spec.requested)}",
            ],
        ),
        (
            "Kommentar",
            "Arvoden följer gällande avtal. Egen insats avser ideellt arbete värderat enligt "
            "Skatteverkets schablon samt medlemsavgifter.",
        ),
    ]
    content = pdf.document(
        f"Budgetspecifikation – {spec.title}", sections, subtitle=organisation.name
    )
    return _file(content, "budget.pdf"), f"Budget {spec.title}.pdf"


def yearly_document(kind: str, organisation: Organisation, year: int) -> tuple[ContentFile, str]:
    """Return statutes, minutes of the annual meeting or the annual report, and a file name."""
    name = organisation.name
    if kind == "statutes":
        title = f"Stadgar för {name}"
        sections = [
            (
                "§ 1 Ändamål",
                f"{name} har till ändamål att främja kultur och bildning i "
                f"{organisation.city} med omnejd och i hela Jämtlands län.",
            ),
            (
                "§ 2 Medlemskap",
                "Medlem är den som stöder ändamålet och betalar den avgift som årsmötet beslutar.",
            ),
            (
                "§ 3 Årsmöte",
                "Årsmötet är högsta beslutande organ och hålls senast den 31 mars. "
                "Varje medlem har en röst.",
            ),
            (
                "§ 4 Styrelse",
                "Styrelsen består av ordförande och fyra till sex ledamöter som "
                "väljs av årsmötet för två år i taget.",
            ),
            (
                "§ 5 Firmateckning",
                "Föreningens firma tecknas av ordföranden och kassören var för "
                "sig eller av dem som styrelsen utser.",
            ),
            (
                "§ 6 Upplösning",
                "Beslut om upplösning fattas av två på varandra följande "
                "årsmöten. Tillgångarna går till ett ändamål som liknar föreningens.",
            ),
        ]
        subtitle = f"Antagna vid årsmötet {year}"
    elif kind == "annual_meeting_minutes":
        title = f"Protokoll fört vid årsmöte för {name}"
        sections = [
            (
                "§ 1 Mötets öppnande",
                "Ordföranden hälsade de närvarande välkomna och förklarade mötet öppnat.",
            ),
            (
                "§ 2 Verksamhetsberättelse och ekonomisk redovisning",
                "Styrelsens "
                f"verksamhetsberättelse och resultat- och balansräkning för {year - 1} "
                "föredrogs och lades till handlingarna.",
            ),
            (
                "§ 3 Revisorernas berättelse",
                "Revisorerna tillstyrkte ansvarsfrihet. Årsmötet "
                "beviljade styrelsen ansvarsfrihet.",
            ),
            (
                "§ 4 Val av styrelse",
                "Årsmötet valde styrelse och revisorer enligt valberedningens förslag.",
            ),
            (
                "§ 5 Verksamhetsplan och budget",
                f"Årsmötet fastställde verksamhetsplan och budget för {year}.",
            ),
        ]
        subtitle = f"{organisation.city}, mars {year}"
    else:
        title = f"Verksamhetsberättelse och årsredovisning {year}"
        sections = [
            (
                "Verksamheten",
                f"{name} genomförde under {year} sin verksamhet enligt plan, med "
                "föreställningar, utställningar och pedagogiska program i flera av länets "
                "kommuner.",
            ),
            (
                "Ekonomi",
                "Resultaträkningen visar ett litet överskott som förs över till nästa år. "
                "Det egna kapitalet motsvarar cirka två månaders kostnader.",
            ),
            (
                "Revision",
                "Revisorn har granskat räkenskaperna och tillstyrker att resultat- och "
                "balansräkningen fastställs.",
            ),
        ]
        subtitle = name
    content = pdf.document(title, sections, subtitle=subtitle)
    return _file(content, f"{kind}.pdf"), f"{title}.pdf"
