"""The decision letter (DESIGN §5.1) and the repayment letter, read as the recipient reads them.

Each kind of letter is rendered to PDF through the real services and its text extracted: every
element §5.1 requires must be there, and what does not belong to a rejection must not. The letter
comes from the snapshot only, so it renders the same after the organisation, the programme, the
people and the administrators' texts have changed. It is an archival PDF (PDF/A-3b, PDF/UA-1)
carrying its snapshot as an attachment.
"""

import copy
import io
import json
import re
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from xml.etree.ElementTree import fromstring

import pytest
from django.template.defaultfilters import floatformat
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext
from pypdf import PdfReader

from decisions.letter_texts import default_text, letter_texts_for, standard_conditions
from decisions.letters import (
    DecisionLetter,
    RepaymentLetter,
    decision_letter_html,
    file_stem,
    render_decision_letter,
    render_repayment_letter,
    text_blocks,
)
from decisions.models import Decision, LetterText
from decisions.services import CommitteeMeeting
from decisions.workflow import PaymentState
from grants import services
from grants.models import Application, Call, Programme
from organisations.models import Organisation, User
from tests import factories

CONDITIONS = (
    "Bidraget får bara användas till det som ansökan beskriver.\n"
    "- Större ändringar ska godkännas skriftligt av regionen i förväg.\n"
    "- Regionen ska nämnas som bidragsgivare i all marknadsföring."
)
REASONS = (
    "Ansökan uppfyller programmets syfte enligt riktlinjerna för projektbidrag.\n"
    "\n"
    "Projektet når barn och unga i fem kommuner och har en realistisk budget."
)
MEETING = CommitteeMeeting(
    body="Regionala utvecklingsnämnden",
    meeting_date=timezone.localdate() - timedelta(days=3),
    paragraph="§ 87",
)


# Reading a PDF


def normalised(text: str) -> str:
    """Return text with every kind of space as one plain space: amounts use narrow ones."""
    text = text.replace("\xad", "")
    for space in ("\xa0", "\u202f", "\u2009", "\u2007"):
        text = text.replace(space, " ")
    return " ".join(text.split())


def page_texts(content: bytes) -> list[str]:
    return [normalised(page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]


def pdf_text(content: bytes) -> str:
    return " ".join(page_texts(content))


def catalog(content: bytes):
    return PdfReader(io.BytesIO(content)).trailer["/Root"]


def xmp(content: bytes) -> dict[str, str]:
    """Return the XMP packet's simple properties, written as attributes or as elements."""
    packet = catalog(content)["/Metadata"].get_object().get_data()
    properties = {}
    for element in fromstring(packet).iter():  # noqa: S314 - a PDF the test made
        properties.update(element.attrib)
        if len(element) == 0 and (element.text or "").strip():
            properties[element.tag] = element.text.strip()
    return properties


def structure(content: bytes) -> Counter:
    """Return how often each structure type (H1, P, Table, L, ...) occurs in the tag tree."""
    roles = Counter()
    pending = [catalog(content)["/StructTreeRoot"]]
    while pending:
        node = pending.pop().get_object()
        if not isinstance(node, dict):
            continue
        if "/S" in node:
            roles[str(node["/S"])] += 1
        kids = node.get("/K", [])
        pending.extend(kids if isinstance(kids, list) else [kids])
    return roles


PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"


# What the letter must say


def amounts(value, language: str) -> list[str]:
    """Return the ways the letter may print an amount in ``language``: 50 000 or 50 000,00."""
    with translation.override(language):
        return [normalised(floatformat(Decimal(value), arg)) for arg in ("0g", "2g")]


def dates(value, language: str) -> list[str]:
    """Return the ways the letter may print a date: 2026-11-23 or 23 november 2026."""
    day = value if isinstance(value, date) else parse_date(value)
    with translation.override(language):
        return [day.isoformat(), date_format(day, "j F Y"), date_format(day, "j N Y")]


def translated(message: str, language: str) -> str:
    with translation.override(language):
        return normalised(gettext(message))


def blocks(text: str) -> list[str]:
    """Return every paragraph and list item of a text as the letter prints it."""
    found = []
    for block in text_blocks(text):
        found.extend(block["items"] if block["kind"] == "ul" else [block["text"]])
    return found


def worded(name: str, text: str) -> list[tuple[str, list[str]]]:
    return [(f"{name}, part {n}", [part]) for n, part in enumerate(blocks(text), start=1)]


#: The decision in words, as the letter's heading states it.
DECISION_IN_WORDS = {
    "approved": "Decision to grant support",
    "approved_partly": "Decision to grant support in part",
    "rejected": "Decision to reject an application for support",
    "dismissed": "Decision to dismiss an application for support",
}
#: When each instalment is paid, as the letter words it.
PAID_WHEN = {
    "on_decision": "After the decision",
    "on_request": "When you requisition it in Bidrag",
    "on_report_accepted": "When the final report is accepted",
}


def decision_elements(snapshot: dict) -> list[tuple[str, list[str]]]:
    """Return (element, the ways it may be written) for everything DESIGN §5.1 lists."""
    language = snapshot["language"]
    region = snapshot["region"]
    elements = [
        ("region name", [region["name"]]),
        *((f"region address line {n}", [line]) for n, line in enumerate(region["address"], 1)),
        ("region org. no.", [region["org_number"]]),
        ("case number", [snapshot["case_number"]]),
        ("decision date", dates(snapshot["decision_date"], language)),
        ("organisation name", [snapshot["organisation"]["name"]]),
        ("organisation org. no.", [snapshot["organisation"]["org_number"]]),
        ("application title", [snapshot["application"]["title"]]),
        ("programme", [snapshot["programme"]["name"]]),
        ("call", [snapshot["call"]]),
        ("strategy area", [snapshot["programme"]["strategy_area"]]),
        (
            "decision in words",
            [
                snapshot["outcome_label"],
                translated(DECISION_IN_WORDS[snapshot["outcome"]], language),
            ],
        ),
        *worded("reasons", snapshot["reasons"]),
        ("presenter", [snapshot["presenter"]["name"]]),
        ("appeal heading", [translated("How to appeal", language)]),
        *worded("appeal text", snapshot["texts"]["appeal"]),
        ("contact name", [snapshot["contact"]["name"]]),
        ("contact e-mail", [snapshot["contact"]["email"]]),
    ]
    if snapshot["contact"]["phone"]:
        elements.append(("contact phone", [snapshot["contact"]["phone"]]))
    if snapshot["presenter"]["title"]:
        # The contact is the presenter too: the title is what names them as presenter.
        elements.append(("presenter, title", [snapshot["presenter"]["title"]]))
    committee = snapshot["committee"]
    if committee:
        elements += [
            ("committee", [committee["body"]]),
            ("committee meeting date", dates(committee["meeting_date"], language)),
            ("committee §", [committee["paragraph"]]),
        ]
    else:
        elements += [
            ("decided by", [snapshot["decided_by"]["name"]]),
            ("decided by, title", [snapshot["decided_by"]["title"]]),
            ("delegation reference", [snapshot["delegation_reference"]]),
        ]
    if snapshot["outcome"] in Decision.GRANTING:
        elements.append(("granted amount", amounts(snapshot["amount"], language)))
        if snapshot["outcome"] == Decision.Outcome.APPROVED_PARTLY:
            elements.append(("requested amount", amounts(snapshot["requested_amount"], language)))
        elements += worded("conditions", snapshot["conditions"])
        for step in snapshot["payment_plan"]:
            number = step["instalment"]
            elements += [
                (f"instalment {number} amount", amounts(step["amount"], language)),
                (
                    f"instalment {number} paid when",
                    [step["trigger_label"], translated(PAID_WHEN[step["trigger"]], language)],
                ),
            ]
        elements += [
            ("payout account", [snapshot["payout_account"]["number"]]),
            ("payout account kind", [snapshot["payout_account"]["kind"]]),
            ("report due date", dates(snapshot["report_due_date"], language)),
            *worded("report requirements", snapshot["texts"]["report"]),
            *worded("repayment grounds", snapshot["texts"]["repayment"]),
        ]
    return elements


def missing(text: str, elements: list[tuple[str, list[str]]]) -> list[str]:
    return [name for name, ways in elements if not any(normalised(way) in text for way in ways)]


# The people and cases


@pytest.fixture
def people(officer, decider, organisation):
    """Give the presenter a title and phone and the organisation a postal address."""
    User.objects.filter(pk=officer.pk).update(title="Kulturutvecklare", phone="063-14 70 00")
    Organisation.objects.filter(pk=organisation.pk).update(
        street_address="Storgatan 12", postal_code="831 30", city="Östersund"
    )


def decide(application, actor, outcome="approved", **kwargs) -> Decision:
    """Decide with reasons of two paragraphs; the application came in three weeks before."""
    Application.objects.filter(pk=application.pk).update(
        submitted_at=timezone.now() - timedelta(days=21)
    )
    decision = factories.decide(application, actor, outcome, reasons=REASONS, **kwargs)
    return Decision.objects.get(pk=decision.pk)


@pytest.fixture
def in_full(people, proposed, decider, delegation):
    return decide(proposed, decider, conditions=CONDITIONS)


@pytest.fixture
def in_part(people, proposed, decider, delegation):
    return decide(proposed, decider, "approved_partly", amount=Decimal("30000"))


@pytest.fixture
def rejected(people, proposed, decider, delegation):
    return decide(proposed, decider, "rejected")


@pytest.fixture
def dismissed(people, proposed, decider, delegation):
    return decide(proposed, decider, "dismissed")


@pytest.fixture
def by_committee(people, organisation, call, applicant, officer, secretary):
    """A grant of 150 000 kr, above every delegation, decided at a meeting."""
    draft = factories.draft(organisation, call, applicant, requested=Decimal("150000"))
    submitted = services.application_submit(application=draft, actor=applicant)
    under_review = services.application_start_review(application=submitted, actor=officer)
    proposal = factories.assess(under_review, officer)
    return decide(proposal, secretary, committee=MEETING)


@pytest.fixture
def in_english(people, proposed, decider, delegation):
    Application.objects.filter(pk=proposed.pk).update(letter_language="en")
    return decide(proposed, decider, conditions=CONDITIONS)


@pytest.fixture
def in_instalments(people, programme, proposed, decider, delegation):
    Programme.objects.filter(pk=programme.pk).update(
        payment_plan=[
            {"share": "0.5", "trigger": "on_decision"},
            {"share": "0.3", "trigger": "on_request"},
            {"share": "0.2", "trigger": "on_report_accepted"},
        ]
    )
    return decide(proposed, decider)


@pytest.fixture
def claim(in_full, decider, finance, finance_2):
    """20 000 kr claimed back of the 40 000 kr paid out; the last 10 000 kr are cancelled."""
    factories.pay_out(in_full.payments.filter(state=PaymentState.PAYABLE), finance, finance_2)
    return factories.repayment_claim(in_full, decider)


GRANTS = ["in_full", "in_part", "by_committee", "in_english", "in_instalments"]
REFUSALS = ["rejected", "dismissed"]


# What each kind of letter says


@pytest.mark.parametrize("kind", GRANTS + REFUSALS)
def test_the_letter_states_everything_the_design_requires(request, kind):
    decision = request.getfixturevalue(kind)

    text = pdf_text(render_decision_letter(decision))

    assert missing(text, decision_elements(decision.snapshot)) == []


def test_a_grant_in_full_by_delegation(in_full, decider, officer):
    text = pdf_text(render_decision_letter(in_full))

    assert in_full.snapshot["outcome_label"] == translated("Approved", "sv")
    assert in_full.snapshot["application"]["submitted_at"][:10] < in_full.snapshot["decision_date"]
    assert "Anna Chef" in text
    assert "Kulturchef" in text
    assert "Delegationsordning RUN 2026, punkt 4.2" in text
    assert "Karin Handläggare" in text
    # Granted in full: one amount, 40 000 and 10 000 in two instalments.
    plan = in_full.snapshot["payment_plan"]
    assert [Decimal(step["amount"]) for step in plan] == [Decimal("40000"), Decimal("10000")]
    assert missing(text, [("50 000", amounts("50000", "sv"))]) == []
    assert (
        missing(text, [("40 000", amounts("40000", "sv")), ("10 000", amounts("10000", "sv"))])
        == []
    )
    assert "Större ändringar ska godkännas skriftligt av regionen i förväg." in text


def test_the_standard_conditions_the_form_suggests_are_printed_in_full(
    people, programme, proposed, decider, delegation
):
    conditions = standard_conditions(programme=programme, language="sv")

    decision = decide(proposed, decider, conditions=conditions)
    text = pdf_text(render_decision_letter(decision))

    # Use as applied for, approval of major changes, crediting the region, accessibility.
    assert decision.conditions == conditions.strip()
    assert missing(text, worded("standard conditions", conditions)) == []


def test_a_grant_in_part_states_what_was_applied_for_and_what_was_granted(in_part):
    text = pdf_text(render_decision_letter(in_part))

    assert in_part.snapshot["outcome_label"] == translated("Approved in part", "sv")
    assert (
        missing(
            text,
            [("granted", amounts("30000", "sv")), ("applied for", amounts("50000", "sv"))],
        )
        == []
    )


def test_a_committee_decision_names_the_committee_the_meeting_and_the_paragraph(by_committee):
    text = pdf_text(render_decision_letter(by_committee))

    assert "Regionala utvecklingsnämnden" in text
    assert "§ 87" in text
    assert missing(text, [("meeting", dates(MEETING.meeting_date, "sv"))]) == []
    assert missing(text, [("granted", amounts("150000", "sv"))]) == []
    assert by_committee.snapshot["delegation_reference"] == ""


def test_an_english_letter_is_english_throughout(in_english):
    content = render_decision_letter(in_english)
    text = pdf_text(content)

    assert in_english.snapshot["programme"]["name"] == "Project grants for culture"
    assert "Project grants for culture" in text
    assert "Project grants for culture 2026" in text
    assert "Decision to grant support" in text
    assert translated("How to appeal", "en") in text
    assert "laglighetsprövning" in text  # the Swedish term is kept, explained in English
    assert "Projektbidrag kultur" not in text
    if translated("How to appeal", "sv") != translated("How to appeal", "en"):
        assert translated("How to appeal", "sv") not in text
    assert catalog(content)["/Lang"] == "en"
    assert '<html lang="en"' in decision_letter_html(in_english)


def test_each_instalment_is_stated_with_its_amount_and_when_it_is_paid(in_instalments):
    text = pdf_text(render_decision_letter(in_instalments))

    plan = [
        (step["instalment"], Decimal(step["amount"]), step["trigger"])
        for step in in_instalments.snapshot["payment_plan"]
    ]
    assert plan == [
        (1, Decimal("25000"), "on_decision"),
        (2, Decimal("15000"), "on_request"),
        (3, Decimal("10000"), "on_report_accepted"),
    ]
    for number, amount, trigger in plan:
        assert missing(text, [(f"instalment {number}", amounts(amount, "sv"))]) == []
        assert translated(PAID_WHEN[trigger], "sv") in text
    account = in_instalments.application.organisation.payout_accounts.verified().get()
    assert account.number in text


@pytest.mark.parametrize("kind", REFUSALS)
def test_a_refusal_has_no_payment_plan_no_report_and_no_repayment(request, kind):
    decision = request.getfixturevalue(kind)
    account = decision.application.organisation.payout_accounts.verified().get()

    text = pdf_text(render_decision_letter(decision))

    assert decision.snapshot["payment_plan"] == []
    assert decision.snapshot["report_due_date"] is None
    assert set(decision.snapshot["texts"]) == {"appeal"}
    assert account.number not in text
    for message in [*PAID_WHEN.values(), "Payment plan", "Payment"]:
        assert translated(message, "sv") not in text
    for part in ("report", "repayment"):
        for paragraph in blocks(default_text(part=part, language="sv")):
            assert normalised(paragraph) not in text
    assert translated("How to appeal", "sv") in text


def test_the_case_number_is_on_every_page(people, proposed, decider, delegation):
    # Reasons long enough to fill more than one page.
    reasons = "\n\n".join(
        f"Skäl {n}: ansökan har bedömts mot programmets kriterier och riktlinjer."
        for n in range(60)
    )
    decision = factories.decide(proposed, decider, reasons=reasons)

    pages = page_texts(render_decision_letter(decision))

    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert decision.snapshot["case_number"] in text, f"page {number} lacks the case number"


def test_the_letter_is_addressed_to_the_organisation(in_full):
    text = pdf_text(render_decision_letter(in_full))

    assert (
        missing(
            text,
            [
                ("street address", ["Storgatan 12"]),
                ("postal code and city", ["831 30 Östersund"]),
            ],
        )
        == []
    )


# The repayment letter


def repayment_elements(snapshot: dict) -> list[tuple[str, list[str]]]:
    language = snapshot["language"]
    decision = snapshot["decision"]
    elements = [
        ("region name", [snapshot["region"]["name"]]),
        ("region org. no.", [snapshot["region"]["org_number"]]),
        ("case number", [snapshot["case_number"]]),
        ("claim date", dates(snapshot["claim_date"], language)),
        ("organisation name", [snapshot["organisation"]["name"]]),
        ("organisation org. no.", [snapshot["organisation"]["org_number"]]),
        ("application title", [snapshot["application"]["title"]]),
        ("programme", [snapshot["programme"]["name"]]),
        ("call", [snapshot["call"]]),
        ("decision date", dates(decision["decision_date"], language)),
        ("granted amount", amounts(decision["amount"], language)),
        ("amount paid", amounts(snapshot["paid_amount"], language)),
        ("amount claimed", amounts(snapshot["amount"], language)),
        ("due date", dates(snapshot["due_date"], language)),
        *worded("reasons", snapshot["reasons"]),
        ("claimed by", [snapshot["claimed_by"]["name"]]),
        ("claimed by, title", [snapshot["claimed_by"]["title"]]),
        *worded("repayment grounds", snapshot["texts"]["repayment"]),
        ("appeal heading", [translated("How to appeal", language)]),
        *worded("appeal text", snapshot["texts"]["appeal"]),
        ("contact name", [snapshot["contact"]["name"]]),
        ("contact e-mail", [snapshot["contact"]["email"]]),
    ]
    if Decimal(snapshot["cancelled_amount"]):
        elements.append(("instalments cancelled", amounts(snapshot["cancelled_amount"], language)))
    return elements


def test_the_repayment_letter_states_the_claim_and_how_to_appeal(claim):
    snapshot = claim.snapshot
    assert [Decimal(snapshot[key]) for key in ("amount", "paid_amount", "cancelled_amount")] == [
        Decimal("20000"),
        Decimal("40000"),
        Decimal("10000"),
    ]

    content = render_repayment_letter(claim)
    text = pdf_text(content)

    assert missing(text, repayment_elements(snapshot)) == []
    assert "Hälften av föreställningarna ställdes in." in text
    for number, page in enumerate(page_texts(content), start=1):
        assert snapshot["case_number"] in page, f"page {number} lacks the case number"


def test_the_repayment_letter_renders_the_same_after_changes(claim, decider, organisation):
    before = render_repayment_letter(claim)
    Organisation.objects.filter(pk=organisation.pk).update(name="Nytt namn")
    User.objects.filter(pk=decider.pk).update(title="Regiondirektör")

    claim.refresh_from_db()
    assert render_repayment_letter(claim) == before
    assert RepaymentLetter(copy.deepcopy(claim.snapshot)).render() == before


# Rendered from the snapshot only


def test_rendering_again_gives_the_same_text_and_bytes(in_full):
    first = render_decision_letter(in_full)

    again = render_decision_letter(Decision.objects.get(pk=in_full.pk))
    from_a_copy = DecisionLetter(copy.deepcopy(in_full.snapshot)).render()

    assert again == first
    assert from_a_copy == first
    assert pdf_text(again) == pdf_text(first)


def test_later_changes_do_not_change_the_letter(
    in_full, programme, call, organisation, decider, officer
):
    before = render_decision_letter(in_full)
    text_before = pdf_text(before)

    Organisation.objects.filter(pk=organisation.pk).update(
        name="Helt annan förening",
        street_address="Ny väg 1",
        postal_code="999 99",
        city="Annanstans",
        org_number=factories.org_number(),
    )
    Programme.objects.filter(pk=programme.pk).update(
        name_sv="Omdöpt program",
        name_en="Renamed programme",
        appeal_kind=Programme.AppealKind.ADMINISTRATIVE,
    )
    Call.objects.filter(pk=call.pk).update(title_sv="Omdöpt utlysning", title_en="Renamed call")
    User.objects.filter(pk=decider.pk).update(title="Regiondirektör", full_name="Anna Annan")
    User.objects.filter(pk=officer.pk).update(full_name="Karin Ny", email="ny@example.org")
    for part in LetterText.Part.values:
        LetterText.objects.create(
            programme=programme, part=part, language="sv", text=f"Ny text för {part}."
        )
    organisation.payout_accounts.update(number=factories.bankgiro())

    after = render_decision_letter(Decision.objects.get(pk=in_full.pk))

    assert pdf_text(after) == text_before
    assert after == before
    assert "Helt annan förening" not in text_before


# An archival, accessible PDF with its snapshot attached


def test_the_letter_is_pdf_a_3b_and_pdf_ua_1(in_full):
    content = render_decision_letter(in_full)

    metadata = xmp(content)
    assert metadata[f"{PDFAID}part"] == "3"
    assert metadata[f"{PDFAID}conformance"] == "B"
    assert metadata[f"{PDFUAID}part"] == "1"
    root = catalog(content)
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "sv"
    intents = root["/OutputIntents"]
    assert [intent.get_object()["/S"] for intent in intents] == ["/GTS_PDFA1"]
    assert "/DestOutputProfile" in intents[0].get_object()
    # PDF/UA: the title shown is the document's, and the text is tagged by its meaning.
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert in_full.application.case_number in PdfReader(io.BytesIO(content)).metadata.title
    roles = structure(content)
    assert roles["/H1"] == 1
    assert roles["/H2"] >= 6
    assert roles["/Table"] >= 1 and roles["/TH"] >= 1
    assert roles["/L"] >= 1 and roles["/LI"] >= 1


def attached(content: bytes) -> tuple[list[str], object, list]:
    """Return the embedded files' names, the first one's file specification and the /AF list."""
    root = catalog(content)
    names = root["/Names"]["/EmbeddedFiles"].get_object()["/Names"]
    files = [str(name) for name in names[0::2]]
    spec = names[1]
    return files, spec, list(root["/AF"])


def test_the_snapshot_is_attached_as_its_source(in_full):
    content = render_decision_letter(in_full)
    stem = file_stem(in_full.application.case_number)

    files, spec, associated = attached(content)
    reader = PdfReader(io.BytesIO(content))

    assert files == [f"beslut-{stem}.json"]
    assert list(reader.attachments) == [f"beslut-{stem}.json"]
    (data,) = reader.attachments[f"beslut-{stem}.json"]
    assert json.loads(data) == Decision.objects.get(pk=in_full.pk).snapshot
    assert spec.get_object()["/AFRelationship"] == "/Source"
    assert spec.get_object()["/UF"] == f"beslut-{stem}.json"
    # Listed once, though WeasyPrint 70.0 adds it twice (Kozea/WeasyPrint#2917).
    assert [ref.idnum for ref in associated] == [spec.idnum]


def test_the_repayment_letter_is_archival_with_its_snapshot_attached(claim):
    content = render_repayment_letter(claim)
    stem = file_stem(claim.decision.application.case_number)

    metadata = xmp(content)
    files, spec, associated = attached(content)
    reader = PdfReader(io.BytesIO(content))

    assert (metadata[f"{PDFAID}part"], metadata[f"{PDFAID}conformance"]) == ("3", "B")
    assert metadata[f"{PDFUAID}part"] == "1"
    assert catalog(content)["/MarkInfo"]["/Marked"].value is True
    assert files == [f"aterkrav-{stem}.json"]
    (data,) = reader.attachments[f"aterkrav-{stem}.json"]
    assert json.loads(data) == claim.snapshot
    assert spec.get_object()["/AFRelationship"] == "/Source"
    assert [ref.idnum for ref in associated] == [spec.idnum]


def test_a_snapshot_of_version_1_is_refused(in_full):
    old = {key: value for key, value in in_full.snapshot.items() if key != "texts"}
    Decision.objects.filter(pk=in_full.pk).update(snapshot=old | {"version": 1})
    without_version = {key: value for key, value in old.items() if key != "version"}

    with pytest.raises(ValueError, match="version 2"):
        render_decision_letter(Decision.objects.get(pk=in_full.pk))
    with pytest.raises(ValueError, match="version 2"):
        DecisionLetter(without_version)


# The administrators' texts (decisions.letter_texts)


def texts(programme, language="sv") -> dict[str, str]:
    return letter_texts_for(programme=programme, language=language)


def test_a_programme_text_wins_over_the_one_for_every_programme_which_wins_over_the_default(
    programme,
):
    other = factories.programme(name_sv="Arrangörsstöd", name_en="Support for organisers")
    LetterText.objects.create(programme=None, part="appeal", language="sv", text="Alla: överklaga.")
    LetterText.objects.create(programme=None, part="report", language="sv", text="Alla: rapport.")
    LetterText.objects.create(
        programme=programme, part="appeal", language="sv", text="Egen: överklaga."
    )

    assert texts(programme) == {
        "appeal": "Egen: överklaga.",
        "report": "Alla: rapport.",
        "repayment": default_text(part="repayment", language="sv"),
        "conditions": default_text(part="conditions", language="sv"),
    }
    assert texts(other)["appeal"] == "Alla: överklaga."
    assert texts(other)["report"] == "Alla: rapport."


def test_a_text_is_chosen_in_the_letter_language(programme):
    LetterText.objects.create(
        programme=programme, part="appeal", language="en", text="Own: how to appeal."
    )
    LetterText.objects.create(programme=None, part="report", language="en", text="All: report.")

    assert texts(programme, "en")["appeal"] == "Own: how to appeal."
    assert texts(programme, "en")["report"] == "All: report."
    assert texts(programme, "sv")["appeal"] == default_text(
        part="appeal", language="sv", appeal_kind=programme.appeal_kind
    )
    assert texts(programme, "sv")["report"] == default_text(part="report", language="sv")


def test_the_default_appeal_text_follows_the_programme(programme):
    state_funded = factories.programme(appeal_kind=Programme.AppealKind.ADMINISTRATIVE)

    municipal = texts(programme)["appeal"]
    administrative = texts(state_funded)["appeal"]

    assert municipal != administrative
    assert "13" in municipal  # Kommunallagen 13 kap
    assert "(2017:725)" in municipal
    assert "(2017:900)" in administrative
    assert municipal == default_text(part="appeal", language="sv", appeal_kind="municipal_law")


def test_the_chosen_texts_are_copied_into_the_snapshot_and_printed(
    people, programme, proposed, decider, delegation
):
    LetterText.objects.create(
        programme=programme,
        part="appeal",
        language="sv",
        text="Programmets överklagandehänvisning.\n\n- Skriv till förvaltningsrätten.",
    )
    LetterText.objects.create(
        programme=None, part="repayment", language="sv", text="Regionens återkravsgrunder."
    )
    decision = decide(proposed, decider)
    assert decision.snapshot["texts"] == {
        "appeal": "Programmets överklagandehänvisning.\n\n- Skriv till förvaltningsrätten.",
        "repayment": "Regionens återkravsgrunder.",
        "report": default_text(part="report", language="sv"),
    }
    before = render_decision_letter(decision)
    text = pdf_text(before)
    assert "Programmets överklagandehänvisning." in text
    assert "Skriv till förvaltningsrätten." in text
    assert "Regionens återkravsgrunder." in text
    default_appeal = blocks(default_text(part="appeal", language="sv"))
    assert normalised(default_appeal[0]) not in text

    LetterText.objects.filter(programme=programme).update(text="Ändrad efter beslutet.")
    LetterText.objects.filter(programme=None).delete()

    decision = Decision.objects.get(pk=decision.pk)
    assert decision.snapshot["texts"]["appeal"].startswith("Programmets")
    assert render_decision_letter(decision) == before


def test_a_refusal_copies_only_the_appeal_text(rejected):
    assert rejected.snapshot["texts"] == {
        "appeal": default_text(part="appeal", language="sv", appeal_kind="municipal_law")
    }


# decisions.letters.text_blocks


def test_text_blocks_splits_paragraphs_at_blank_lines_and_joins_their_lines():
    assert text_blocks("Första raden\nfortsätter här.\n\nAndra stycket.") == [
        {"kind": "p", "text": "Första raden fortsätter här."},
        {"kind": "p", "text": "Andra stycket."},
    ]


def test_text_blocks_makes_lines_starting_with_a_dash_a_list():
    assert text_blocks(
        "Regionen får kräva tillbaka om:\n- inget genomförs;\n- pengarna missbrukas."
    ) == [
        {"kind": "p", "text": "Regionen får kräva tillbaka om:"},
        {"kind": "ul", "items": ["inget genomförs;", "pengarna missbrukas."]},
    ]


def test_text_blocks_ends_a_list_at_a_line_without_a_dash():
    assert text_blocks("- ett\n- två\nSedan text.\n\n– tre\n• fyra") == [
        {"kind": "ul", "items": ["ett", "två"]},
        {"kind": "p", "text": "Sedan text."},
        {"kind": "ul", "items": ["tre", "fyra"]},
    ]


def test_text_blocks_reads_windows_line_ends_and_stray_spaces():
    assert text_blocks("  Ett stycke.\r\n\r\n- punkt  \r\n  - punkt två\r\n") == [
        {"kind": "p", "text": "Ett stycke."},
        {"kind": "ul", "items": ["punkt", "punkt två"]},
    ]


def test_text_blocks_of_a_dash_without_a_space_is_a_paragraph():
    assert text_blocks("-5 % av budgeten") == [{"kind": "p", "text": "-5 % av budgeten"}]


@pytest.mark.parametrize("blank", ["", None, "\n\n", "  \r\n \n\t"])
def test_text_blocks_of_blank_input_is_nothing(blank):
    assert text_blocks(blank) == []


def test_letter_file_stem():
    assert file_stem("KUL 2026/0042") == "KUL-2026-0042"
    assert re.fullmatch(r"[A-Z]+-\d{4}-\d{4}", file_stem("KUL 2026/0042"))
