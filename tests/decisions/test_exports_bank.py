"""The bank file (pain.001.001.03) and the ledger file (SIE 4I) of a batch paying every kind of
payout account, read back as the bank and the ledger would read them.

The bank file is checked against the official XSD shipped in the PyPI package sepaxml (a test
dependency, never copied here); the ledger file is parsed back by a small SIE reader.
"""

import io
import re
from decimal import Decimal
from importlib import resources

import pytest
from django.db.models import Count, Sum
from lxml import etree

from decisions import payments as payment_services
from decisions.exports.pain001 import NAMESPACE, Pain001Exporter
from decisions.exports.sie import SieExporter
from decisions.models import BatchExport, Payment
from organisations.models import Organisation, PayoutAccount
from organisations.services import payout_account_add, payout_account_verify
from tests import factories
from tests.factories import banking_day

NS = {"p": NAMESPACE}

#: One payee per kind and form of account (name, kind, number as typed, BIC), å, ä, ö in names.
PAYEES = [
    ("Bräcke spelmanslag", "plusgiro", "410 54 68-5", ""),
    ("Åre hembygdsförening", "bank_account", "5839-825 746 6", ""),
    ("Östersunds körsällskap", "bank_account", "8327-9, 123 456 789-7", ""),
    ("Härjedalens fjällmusik", "bank_account", "6789, 100 000 002", ""),
    ("Föreningen Jämtkraft-jazz", "iban", "SE45 5000 0000 0583 9825 7466", "ESSESESS"),
    ("Kunstforeningen Trøndelag", "iban", "DE89 3704 0044 0532 0130 00", ""),
]
REQUESTED = ["12345.50", "20000", "31000.25", "45000", "15500", "60000"]


@pytest.fixture
def xsd():
    schema = resources.files("sepaxml") / "schemas" / "pain.001.001.03.xsd"
    with resources.as_file(schema) as path:
        return etree.XMLSchema(etree.parse(str(path)))


@pytest.fixture
def sport(db):
    """A second programme, booked on its own account, cost centre and project."""
    return factories.programme(
        name_sv="Idrottsbidrag",
        name_en="Sports grants",
        account="4982",
        cost_centre="7310",
        project_code="P-IDR 26",
        activity_code="",
        case_prefix="IDR",
    )


def paying(organisation, kind, number, bic, finance_2):
    """Give ``organisation`` a payout account of ``kind``, verified by a second officer."""
    signatory = organisation.memberships.get(role="signatory").user
    account = payout_account_add(
        organisation=organisation,
        actor=signatory,
        kind=kind,
        number=number,
        holder_name=organisation.name,
        bic=bic,
    )
    return payout_account_verify(account=account, actor=finance_2)


@pytest.fixture
def every_kind(payable, finance, finance_2, call, sport, officer, decider, delegation):
    """An attested batch paying the Bankgiro grant and one payee of each other kind; the last
    payee's grant comes from the sports programme."""
    payments = [payable]
    sport_call = factories.call(sport, title_sv="Idrottsbidrag 2026")
    for index, ((name, kind, number, bic), requested) in enumerate(
        zip(PAYEES, REQUESTED, strict=True)
    ):
        signatory = factories.user(f"payee-{index}@example.org", full_name=f"Kassör {index}")
        organisation = factories.organisation(signatory, name=name)
        paying(organisation, kind, number, bic, finance_2)
        application = factories.proposal(
            sport_call if index == len(PAYEES) - 1 else call,
            officer,
            requested=requested,
            organisation_obj=organisation,
        )
        payments.append(factories.decide(application, decider).payments.get(instalment=1))
    batch = payment_services.batch_create(
        actor=finance, payments=payments, payment_date=banking_day()
    )
    return payment_services.batch_attest(batch=batch, actor=finance_2)


def written(exporter_class, batch) -> bytes:
    out = io.BytesIO()
    exporter_class(batch).write(out)
    return out.getvalue()


def active(batch):
    return Payment.objects.filter(batch_items__batch=batch, batch_items__active=True)


def transactions(document):
    return document.findall(".//p:CdtTrfTxInf", NS)


def to(document, name):
    """Return the transaction paying ``name``."""
    found = [t for t in transactions(document) if t.findtext("p:Cdtr/p:Nm", namespaces=NS) == name]
    assert len(found) == 1, name
    return found[0]


def text(element, path):
    return element.findtext(path, namespaces=NS)


# pain.001


def test_a_batch_paying_every_kind_of_account_is_valid_against_the_official_schema(every_kind, xsd):
    xsd.assertValid(etree.parse(io.BytesIO(written(Pain001Exporter, every_kind))))


def test_count_and_control_sum_equal_the_batch_at_both_levels(every_kind):
    document = etree.fromstring(written(Pain001Exporter, every_kind))
    expected = active(every_kind).aggregate(count=Count("pk"), total=Sum("amount"))
    assert expected["count"] == 7
    for level in ("p:CstmrCdtTrfInitn/p:GrpHdr", "p:CstmrCdtTrfInitn/p:PmtInf"):
        assert text(document, f"{level}/p:NbOfTxs") == "7"
        assert text(document, f"{level}/p:CtrlSum") == f"{expected['total']:.2f}"
    amounts = [text(t, "p:Amt/p:InstdAmt") for t in transactions(document)]
    assert all(re.fullmatch(r"\d+\.\d\d", amount) for amount in amounts)
    assert sum(map(Decimal, amounts)) == expected["total"]
    assert {t.find("p:Amt/p:InstdAmt", NS).get("Ccy") for t in transactions(document)} == {"SEK"}


def test_bankgiro_and_plusgiro_payees_are_named_by_their_giro_number(every_kind, organisation):
    document = etree.fromstring(written(Pain001Exporter, every_kind))
    bankgiro = to(document, "Storsjöteatern ideell förening")
    number = organisation.payout_accounts.verified().get().number
    assert text(bankgiro, "p:CdtrAcct/p:Id/p:Othr/p:Id") == number.replace("-", "")
    assert text(bankgiro, "p:CdtrAcct/p:Id/p:Othr/p:SchmeNm/p:Prtry") == "BGNR"
    assert text(bankgiro, "p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:ClrSysId/p:Cd") == "SESBA"
    assert text(bankgiro, "p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:MmbId") == "9900"
    plusgiro = to(document, "Bräcke spelmanslag")
    assert text(plusgiro, "p:CdtrAcct/p:Id/p:Othr/p:Id") == "41054685"
    assert text(plusgiro, "p:CdtrAcct/p:Id/p:Othr/p:SchmeNm/p:Prtry") == "PGNR"
    assert text(plusgiro, "p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:MmbId") == "9960"


@pytest.mark.parametrize(
    ("name", "bban", "clearing"),
    [
        ("Åre hembygdsförening", "58398257466", "5839"),  # SEB: 4 + 7 digits
        # Swedbank 8327-9: the fifth clearing digit is a check digit payments leave out.
        ("Östersunds körsällskap", "83271234567897", "8327"),
        ("Härjedalens fjällmusik", "6789100000002", "6789"),  # Handelsbanken: 4 + 9 digits
    ],
)
def test_a_bank_account_is_its_bban_with_the_clearing_number_as_the_agent(
    every_kind, name, bban, clearing
):
    transaction = to(etree.fromstring(written(Pain001Exporter, every_kind)), name)
    assert text(transaction, "p:CdtrAcct/p:Id/p:Othr/p:Id") == bban
    assert text(transaction, "p:CdtrAcct/p:Id/p:Othr/p:SchmeNm/p:Cd") == "BBAN"
    assert text(transaction, "p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:ClrSysId/p:Cd") == "SESBA"
    assert text(transaction, "p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:MmbId") == clearing


def test_an_iban_payee_has_its_bic_as_agent_when_it_is_known(every_kind):
    document = etree.fromstring(written(Pain001Exporter, every_kind))
    swedish = to(document, "Föreningen Jämtkraft-jazz")
    assert text(swedish, "p:CdtrAcct/p:Id/p:IBAN") == "SE4550000000058398257466"
    assert text(swedish, "p:CdtrAgt/p:FinInstnId/p:BIC") == "ESSESESS"
    foreign = to(document, "Kunstforeningen Trøndelag")
    assert text(foreign, "p:CdtrAcct/p:Id/p:IBAN") == "DE89370400440532013000"
    assert foreign.find("p:CdtrAgt", NS) is None


def test_the_end_to_end_id_is_the_case_number_and_instalment(every_kind):
    document = etree.fromstring(written(Pain001Exporter, every_kind))
    for payment in active(every_kind).select_related("decision__application"):
        case = payment.decision.application.case_number
        transaction = to(document, payment.payee_name)
        assert text(transaction, "p:PmtId/p:EndToEndId") == f"{case}-1"
        assert text(transaction, "p:RmtInf/p:Ustrd") == payment.reference
    cases = {text(t, "p:PmtId/p:EndToEndId")[:3] for t in transactions(document)}
    assert cases == {"KUL", "IDR"}


def test_swedish_letters_survive_in_utf8(every_kind):
    data = written(Pain001Exporter, every_kind)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert "Östersunds körsällskap".encode() in data
    names = {text(t, "p:Cdtr/p:Nm") for t in transactions(etree.fromstring(data))}
    assert {"Åre hembygdsförening", "Härjedalens fjällmusik", "Kunstforeningen Trøndelag"} <= names


def test_the_payee_is_read_from_the_payment_not_the_organisation(
    every_kind, organisation, finance_2
):
    before = written(Pain001Exporter, every_kind)
    Organisation.objects.filter(pk=organisation.pk).update(name="Nytt namn AB")
    paying(organisation, "plusgiro", "410 54 68-5", "", finance_2)
    assert written(Pain001Exporter, every_kind) == before


def test_long_names_and_control_characters_are_cut_to_the_schema(every_kind, payable, xsd):
    Payment.objects.filter(pk=payable.pk).update(
        payee_name="Föreningen\tför\x0bkultur " + "å" * 80, reference="KUL\x07 2026"
    )
    data = written(Pain001Exporter, every_kind)
    xsd.assertValid(etree.parse(io.BytesIO(data)))
    name = next(
        text(t, "p:Cdtr/p:Nm")
        for t in transactions(etree.fromstring(data))
        if text(t, "p:Cdtr/p:Nm").startswith("Föreningen")
    )
    assert name.startswith("Föreningen för kultur ååå")
    assert len(name) == 70
    assert b"KUL 2026</Ustrd>" in data


def test_the_bank_file_is_the_same_bytes_each_time(every_kind):
    assert written(Pain001Exporter, every_kind) == written(Pain001Exporter, every_kind)


def test_the_stored_files_are_the_bytes_the_exporters_write(exported):
    for format_, exporter_class in (("pain001", Pain001Exporter), ("sie", SieExporter)):
        stored = BatchExport.objects.get(batch=exported, format=format_)
        with stored.file.open("rb") as handle:
            assert handle.read() == written(exporter_class, exported)


def test_the_message_id_and_time_come_from_the_batch(every_kind):
    header = etree.fromstring(written(Pain001Exporter, every_kind)).find(".//p:GrpHdr", NS)
    made = SieExporter(every_kind).made_at()
    assert text(header, "p:MsgId") == f"BIDRAG-{every_kind.pk}-{made:%Y%m%d%H%M%S}"
    assert text(header, "p:CreDtTm") == made.replace(tzinfo=None).isoformat()
    info = header.getparent().find("p:PmtInf", NS)
    assert text(info, "p:ReqdExctnDt") == every_kind.payment_date.isoformat()


def test_the_debtor_is_the_region_and_its_account(every_kind, settings, xsd):
    settings.REGION = {
        **settings.REGION,
        "iban": "SE45 5000 0000 0583 9825 7466",
        "initiator_id": "NDEA-4711",
    }
    data = written(Pain001Exporter, every_kind)
    xsd.assertValid(etree.parse(io.BytesIO(data)))
    document = etree.fromstring(data)
    assert text(document, ".//p:InitgPty/p:Id/p:OrgId/p:Othr/p:Id") == "NDEA-4711"
    assert text(document, ".//p:Dbtr/p:Nm") == "Region Jämtland Härjedalen"
    assert text(document, ".//p:Dbtr/p:Id/p:OrgId/p:Othr/p:Id") == "2321000214"
    assert text(document, ".//p:DbtrAcct/p:Id/p:IBAN") == "SE4550000000058398257466"
    assert text(document, ".//p:DbtrAgt/p:FinInstnId/p:BIC") == settings.REGION["bic"]


def test_a_cancelled_batch_leaves_its_payments_to_the_next_one(
    payable, approved, finance, finance_2, organisation_b, call, officer, decider, delegation
):
    other = factories.decide(
        factories.proposal(call, officer, requested="30000", organisation_obj=organisation_b),
        decider,
    ).payments.get(instalment=1)
    first = payment_services.batch_create(
        actor=finance, payments=[payable, other], payment_date=banking_day()
    )
    payment_services.batch_cancel(batch=first, actor=finance, reason="Fel datum")
    second = payment_services.batch_create(
        actor=finance, payments=[payable], payment_date=banking_day(3)
    )
    payment_services.batch_attest(batch=second, actor=finance_2)
    assert transactions(etree.fromstring(written(Pain001Exporter, first))) == []
    document = etree.fromstring(written(Pain001Exporter, second))
    payable.refresh_from_db()
    assert [text(t, "p:Cdtr/p:Nm") for t in transactions(document)] == [payable.payee_name]
    assert text(document, ".//p:GrpHdr/p:CtrlSum") == "40000.00"
    _, vouchers = read_sie(written(SieExporter, first))
    assert [row.amount for row in vouchers[0] if row.amount] == []


def test_a_failed_payment_leaves_its_batch_and_is_paid_by_the_next(
    exported, payable, finance, finance_2, xsd
):
    payment_services.payment_fail(payment=payable, actor=finance, reason="Konto avslutat")
    assert transactions(etree.fromstring(written(Pain001Exporter, exported))) == []
    again = payment_services.batch_create(
        actor=finance, payments=[payable], payment_date=banking_day(3)
    )
    payment_services.batch_attest(batch=again, actor=finance_2)
    data = written(Pain001Exporter, again)
    xsd.assertValid(etree.parse(io.BytesIO(data)))
    assert len(transactions(etree.fromstring(data))) == 1


def test_the_files_read_the_batch_in_a_fixed_number_of_queries(
    every_kind, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the count and sum, then the payments
        written(Pain001Exporter, every_kind)
    with django_assert_num_queries(2):  # the accounts with their sums, then the payments
        written(SieExporter, every_kind)


# SIE 4I

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\{[^}]*\}|\S+')


def sie_fields(line: str) -> list[str]:
    """Split a SIE line into its fields, quoted strings unquoted and unescaped."""
    fields = []
    for token in _TOKEN.findall(line):
        if token.startswith('"'):
            token = re.sub(r"\\(.)", r"\1", token[1:-1])
        fields.append(token)
    return fields


class Row:
    def __init__(self, fields):
        self.account, self.objects, self.amount = fields[1], fields[2], Decimal(fields[3])
        self.text = fields[5]

    def dimensions(self) -> dict[str, str]:
        return dict(zip(*[iter(sie_fields(self.objects[1:-1]))] * 2, strict=True))


def read_sie(data: bytes) -> tuple[dict[str, list[list[str]]], list[list[Row]]]:
    """Read a SIE file: its labels with their fields, and each voucher's #TRANS rows."""
    labels: dict[str, list[list[str]]] = {}
    vouchers: list[list[Row]] = []
    voucher = None
    lines = data.decode("cp437").split("\r\n")
    assert lines.pop() == ""
    for line in lines:
        if line == "{":
            voucher = []
        elif line == "}":
            vouchers.append(voucher)
            voucher = None
        elif line.startswith("#TRANS"):
            voucher.append(Row(sie_fields(line)))
        else:
            fields = sie_fields(line)
            labels.setdefault(fields[0], []).append(fields[1:])
    assert voucher is None
    return labels, vouchers


def test_every_voucher_sums_to_zero(every_kind):
    labels, vouchers = read_sie(written(SieExporter, every_kind))
    assert len(vouchers) == len(labels["#VER"]) == 1
    for voucher in vouchers:
        assert sum(row.amount for row in voucher) == 0
    debits = [row for row in vouchers[0] if row.amount > 0]
    total = active(every_kind).aggregate(total=Sum("amount"))["total"]
    assert len(debits) == 7
    assert sum(row.amount for row in debits) == total
    credit = vouchers[0][-1]
    assert (credit.account, credit.amount, credit.objects) == ("1930", -total, "{}")


def test_the_header_declares_the_format_the_region_and_the_batch(every_kind):
    labels, _ = read_sie(written(SieExporter, every_kind))
    assert labels["#FLAGGA"] == [["0"]]
    assert labels["#FORMAT"] == [["PC8"]]
    assert labels["#SIETYP"] == [["4"]]
    assert labels["#ORGNR"] == [["232100-0214"]]
    assert labels["#FNAMN"] == [["Region Jämtland Härjedalen"]]
    assert labels["#PROGRAM"][0][0] == "Bidrag"
    made = SieExporter(every_kind).made_at()
    assert labels["#GEN"] == [[f"{made:%Y%m%d}"]]
    series, number, date, title, _registered = labels["#VER"][0]
    assert (series, number) == ("", "")
    assert date == every_kind.payment_date.strftime("%Y%m%d")
    assert title == f"Utbetalningsunderlag {every_kind.pk}"


def test_accounts_and_dimensions_come_from_the_programmes(every_kind, programme, sport):
    labels, vouchers = read_sie(written(SieExporter, every_kind))
    # Accounts are not declared: the ledger has them, and an import must not rename them.
    assert "#KONTO" not in labels
    assert labels["#DIM"] == [["1", "Kostnadsställe"], ["6", "Projekt"], ["20", "Verksamhet"]]
    rows = {row.text.split()[0]: row for row in vouchers[0][:-1]}
    for case, row in rows.items():
        if case.startswith("IDR"):
            assert row.account == "4982"
            assert row.dimensions() == {"1": "7310", "6": "P-IDR 26"}
        else:
            assert row.account == "4981"
            assert row.dimensions() == {"1": "7210", "20": "520"}
    assert {row.account for row in vouchers[0]} == {"1930", "4981", "4982"}


def test_each_debit_row_names_the_case_and_the_payee(every_kind):
    _, vouchers = read_sie(written(SieExporter, every_kind))
    texts = {row.text for row in vouchers[0][:-1]}
    for payment in active(every_kind).select_related("decision__application"):
        case = payment.decision.application.case_number
        payee = payment.payee_name.encode("cp437", "replace").decode("cp437")  # ø is "?"
        assert f"{case}-{payment.instalment} {payee}" in texts


def test_swedish_letters_round_trip_in_code_page_437(every_kind, payable):
    Payment.objects.filter(pk=payable.pk).update(payee_name='Scen "Ljus\\Ljud" – Łódź\x0b€ ÅÄÖåäö')
    data = written(SieExporter, every_kind)
    assert "Östersunds körsällskap".encode("cp437") in data
    assert "ö".encode() not in data  # not UTF-8
    _, vouchers = read_sie(data)
    texts = [row.text for row in vouchers[0]]
    case = payable.decision.application.case_number
    # Quotes and backslashes escaped and read back; what CP437 lacks is "?".
    assert f'{case}-1 Scen "Ljus\\Ljud" ? ?ód? ? ÅÄÖåäö' in texts
    assert "Åre hembygdsförening" in " ".join(texts)


def test_the_bank_account_of_the_ledger_is_a_setting(every_kind, settings):
    settings.REGION = {**settings.REGION, "ledger_bank_account": "1920"}
    labels, vouchers = read_sie(written(SieExporter, every_kind))
    assert vouchers[0][-1].account == "1920"


def test_the_ledger_file_is_the_same_bytes_each_time(every_kind):
    assert written(SieExporter, every_kind) == written(SieExporter, every_kind)


def test_payout_kinds_cover_every_kind(every_kind):
    kinds = set(active(every_kind).values_list("payee_account_kind", flat=True))
    assert kinds == set(PayoutAccount.Kind.values)
