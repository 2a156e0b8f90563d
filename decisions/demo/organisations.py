"""The demo's organisations: every type, in all eight municipalities, with their accounts.

Names are invented (any likeness to a real association is unintended), except the two
municipal applicants, which carry their municipality's real name and organisation number
(212000-2528 Östersund, 212000-2486 Strömsund). Numbers pass the checks of
``organisations.validators``: Luhn check digits, a third digit of 2 or more for legal persons,
and for the sole trader a personnummer from Skatteverket's test numbers (810107-9294).
Phone numbers are from the series 070-174 06 05 – 99 that PTS reserves for fiction.
"""

from dataclasses import dataclass

FINANCE = "finance@example.org"
FINANCE_2 = "finance-2@example.org"


@dataclass(frozen=True)
class Account:
    """A payout account a signatory adds, and what finance does with it."""

    kind: str
    number: str
    outcome: str  # "verified", "pending" or "rejected"
    verifier: str = FINANCE
    bic: str = ""
    reason: str = ""  # why it was rejected


@dataclass(frozen=True)
class OrganisationSpec:
    key: str
    name: str
    org_number: str
    org_type: str
    municipality: str
    street_address: str
    postal_code: str
    city: str
    signatory: str
    phone: str
    accounts: tuple[Account, ...] = ()
    members: tuple[tuple[str, str], ...] = ()  # (e-mail, role) besides the signatory
    documents: tuple[str, ...] = ()  # yearly documents on file
    website: bool = True

    @property
    def email(self) -> str:
        return f"info.{self.key}@example.org"


def _bg(number: str, outcome: str = "verified", verifier: str = FINANCE) -> Account:
    return Account("bankgiro", number, outcome, verifier)


def _pg(number: str, outcome: str = "verified", verifier: str = FINANCE) -> Account:
    return Account("plusgiro", number, outcome, verifier)


def _bank(number: str, outcome: str = "verified", verifier: str = FINANCE, reason: str = ""):
    return Account("bank_account", number, outcome, verifier, reason=reason)


CIV_DOCUMENTS = ("statutes", "annual_meeting_minutes")
VKU_DOCUMENTS = ("statutes", "annual_report")

ORGANISATIONS = [
    OrganisationSpec(
        "storsjoljus",
        "Kulturföreningen Storsjöljus",
        "802471-3615",
        "association",
        "2380",
        "Prästgatan 41",
        "831 31",
        "Östersund",
        "applicant-a@example.org",
        "070-174 06 40",
        # The association changed bank: the new Bankgiro awaits verification, the old one is paid.
        accounts=(_bg("536-8147"), _bg("5524-0972", "pending")),
        members=(("member-a@example.org", "member"),),
        documents=CIV_DOCUMENTS,
    ),
    OrganisationSpec(
        "fjallstamman",
        "Spelmanslaget Fjällstämman",
        "802503-9275",
        "association",
        "2305",
        "Storgatan 12",
        "843 31",
        "Bräcke",
        "applicant-b@example.org",
        "070-174 06 41",
        accounts=(_pg("47168-0", verifier=FINANCE_2),),
        documents=CIV_DOCUMENTS,
    ),
    OrganisationSpec(
        "bildningsvagen",
        "Studieförbundet Bildningsvägen Jämtland",
        "802462-2089",
        "study_association",
        "2309",
        "Kyrkvägen 8",
        "835 31",
        "Krokom",
        "ingrid.mattsson@example.org",
        "070-174 06 42",
        accounts=(_bank("8327-9, 914 573 820-0"),),
    ),
    OrganisationSpec(
        "alv-och-fjall",
        "Folkbildningsförbundet Älv och Fjäll",
        "802519-0433",
        "study_association",
        "2313",
        "Ringvägen 3",
        "833 35",
        "Strömsund",
        "ali.hassan@example.org",
        "070-174 06 43",
        accounts=(_pg("1235509-5", "pending"),),
        documents=CIV_DOCUMENTS,
    ),
    OrganisationSpec(
        "tjaetsie",
        "Sydsamiska kulturföreningen Tjaetsie",
        "802488-1909",
        "association",
        "2326",
        "Bygatan 4",
        "845 31",
        "Svenstavik",
        "marit.jonsson@example.org",
        "070-174 06 44",
        accounts=(_bg("731-0626"),),
        documents=CIV_DOCUMENTS,
    ),
    OrganisationSpec(
        "ungdomens-hus",
        "Föreningen Ungdomens hus Hammarstrand",
        "802475-5228",
        "association",
        "2303",
        "Centrumvägen 15",
        "840 70",
        "Hammarstrand",
        "emil.norberg@example.org",
        "070-174 06 45",
        accounts=(_bg("5401-8759", verifier=FINANCE_2),),
    ),
    OrganisationSpec(
        "funktionsratt",
        "Föreningen Kultur för alla sinnen Jämtland",
        "802510-8773",
        "association",
        "2380",
        "Kyrkgatan 55",
        "831 34",
        "Östersund",
        "helena.strand@example.org",
        "070-174 06 46",
        # A new Bankgiro is added after a payment to this Plusgiro fails (see the builder).
        accounts=(_pg("6380214-4"),),
        documents=CIV_DOCUMENTS,
    ),
    OrganisationSpec(
        "alvbacken",
        "Hembygdsföreningen Älvbacken",
        "802494-4038",
        "association",
        "2361",
        "Ljusnegatan 9",
        "842 32",
        "Sveg",
        "gunnar.olofsson@example.org",
        "070-174 06 47",
        accounts=(
            _bank(
                "6152 314 706 283",
                "rejected",
                FINANCE_2,
                reason=(
                    "Kontobeviset från banken visar en privatperson som kontohavare, inte "
                    "föreningen. Lägg in ett konto som står på föreningens organisationsnummer."
                ),
            ),
            _bg("5263-3914", "pending"),
        ),
        documents=VKU_DOCUMENTS,
    ),
    OrganisationSpec(
        "blatimmen",
        "Jazzklubben Blå timmen",
        "802520-1164",
        "association",
        "2380",
        "Storgatan 22",
        "831 30",
        "Östersund",
        "mikael.ek@example.org",
        "070-174 06 48",
        accounts=(_bg("5720-0461"),),
        members=(("applicant-a@example.org", "member"),),
    ),
    OrganisationSpec(
        "varljus",
        "Körföreningen Vårljus",
        "802433-6508",
        "association",
        "2313",
        "Kyrkallén 6",
        "833 32",
        "Strömsund",
        "karin.sjodin@example.org",
        "070-174 06 49",
        accounts=(_pg("904317-5", verifier=FINANCE_2),),
    ),
    OrganisationSpec(
        "filmklubben-sveg",
        "Filmklubben Norrskenet i Sveg",
        "802525-1482",
        "association",
        "2361",
        "Vallarvägen 2",
        "842 31",
        "Sveg",
        "oskar.lund@example.org",
        "070-174 06 50",
        accounts=(_bg("568-3198"),),
    ),
    OrganisationSpec(
        "fjallkonst",
        "Stiftelsen Fjällkonst Åre",
        "802497-6154",
        "foundation",
        "2321",
        "Årevägen 81",
        "837 52",
        "Åre",
        "rebecca.holt@example.org",
        "070-174 06 51",
        accounts=(Account("iban", "SE11 5000 0000 0551 2034 8718", "verified", bic="ESSESESS"),),
        documents=VKU_DOCUMENTS,
    ),
    OrganisationSpec(
        "nordljus",
        "Nordljus Dansscen ekonomisk förening",
        "769634-5128",
        "economic_association",
        "2380",
        "Rådhusgatan 30",
        "831 35",
        "Östersund",
        "amira.said@example.org",
        "070-174 06 52",
        accounts=(_bg("5910-2343", verifier=FINANCE_2),),
        documents=VKU_DOCUMENTS,
    ),
    OrganisationSpec(
        "kallan",
        "Byalaget Källan i Stugun ekonomisk förening",
        "769628-9375",
        "economic_association",
        "2303",
        "Byvägen 21",
        "840 50",
        "Stugun",
        "lars.hedlund@example.org",
        "070-174 06 53",
        accounts=(_bg("537-8146", "pending"),),
    ),
    OrganisationSpec(
        "jamtfilm",
        "Jämtfilm Produktion AB",
        "559287-3045",
        "company",
        "2380",
        "Hamngatan 4",
        "831 33",
        "Östersund",
        "johan.ersson@example.org",
        "070-174 06 54",
        accounts=(_bg("5368-1474"),),
    ),
    OrganisationSpec(
        "fjallscenen",
        "Fjällscenen Evenemang i Åre AB",
        "559412-7606",
        "company",
        "2321",
        "Stationsvägen 7",
        "837 52",
        "Åre",
        "tove.ahlin@example.org",
        "070-174 06 55",
        accounts=(_bg("5109-3268", verifier=FINANCE_2),),
    ),
    OrganisationSpec(
        "fjallgren",
        "Anders Fjällgren Illustration",
        "810107-9294",
        "sole_trader",
        "2326",
        "Fäbodvägen 3",
        "840 32",
        "Klövsjö",
        "anders.fjallgren@example.org",
        "070-174 06 56",
        accounts=(_bank("8480-6, 203 614 957-9"),),
    ),
    OrganisationSpec(
        "ostersund",
        "Östersunds kommun, kulturenheten",
        "212000-2528",
        "municipality",
        "2380",
        "Rådhusgatan 42",
        "831 82",
        "Östersund",
        "lena.westin@example.org",
        "070-174 06 57",
        accounts=(_bg("5487-2015"),),
        website=False,
    ),
    OrganisationSpec(
        "stromsund-bibliotek",
        "Strömsunds kommun, biblioteken",
        "212000-2486",
        "library",
        "2313",
        "Storgatan 1",
        "833 24",
        "Strömsund",
        "per.hakansson@example.org",
        "070-174 06 58",
        accounts=(_bank("6580 407 193 359", verifier=FINANCE_2),),
        website=False,
    ),
    OrganisationSpec(
        "hallen",
        "Byasamfälligheten i Hallen",
        "717913-4528",
        "other",
        "2321",
        "Hallen 112",
        "830 10",
        "Hallen",
        "nils.persson@example.org",
        "070-174 06 59",
        accounts=(_bg("5623-0493"),),
    ),
]

#: The Bankgiro the association of the failed payment gives instead of its closed Plusgiro.
REPLACEMENT_BANKGIRO = "5031-7767"
