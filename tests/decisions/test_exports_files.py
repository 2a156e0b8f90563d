"""The bank file (ISO 20022 pain.001.001.03) and the ledger file (SIE 4I) of a payment batch.

The bank file is validated against the official XSD, which ships in the PyPI package sepaxml
(a test dependency); the ledger file is read back and every voucher must sum to zero.
"""

import io
import re
from decimal import Decimal
from importlib import resources

import pytest
from lxml import etree

from decisions import payments as payment_services
from decisions.exports.pain001 import NAMESPACE, Pain001Exporter
from decisions.exports.sie import SieExporter
from organisations.services import payout_account_add, payout_account_verify
from tests import factories
from tests.factories import banking_day

NS = {"p": NAMESPACE}

#: One payee per kind of account, with å, ä and ö in the names.
PAYEES = [
    ("Östersunds körsällskap", "bankgiro", None),
    ("Bräcke spelmanslag", "plusgiro", "410 54 68-5"),
    ("Åre hembygdsförening", "bank_account", "5839-825 746 6"),
    ("Härjedalens konstförening", "iban", "SE45 5000 0000 0583 9825 7466"),
]


@pytest.fixture
def xsd():
    path = resources.files("sepaxml") / "schemas" / "pain.001.001.03.xsd"
    with resources.as_file(path) as schema:
        return etree.XMLSchema(etree.parse(str(schema)))


@pytest.fixture
def mixed_batch(payable, finance, finance_2, call, officer, decider, delegation):
    """An attested batch paying four organisations, one per account kind, and the first grant."""
    payments = [payable]
    for index, (name, kind, number) in enumerate(PAYEES):
        signatory = factories.user(
            f"signatory-{index}@example.org", full_name=f"Firmatecknare {index}"
        )
        organisation = factories.organisation(signatory, name=name)
        if number is not None:
            account = payout_account_add(
                organisation=organisation,
                actor=signatory,
                kind=kind,
                number=number,
                holder_name=name,
                bic="ESSESESS" if kind == "iban" else "",
            )
        else:
            account = organisation.payout_accounts.get()
        payout_account_verify(account=account, actor=finance_2)
        requested = Decimal("10000") + index * Decimal("1234.50")
        decision = factories.decide(
            factories.proposal(call, officer, requested=requested, organisation_obj=organisation),
            decider,
        )
        payments.append(decision.payments.get(instalment=1))
    batch = payment_services.batch_create(
        actor=finance, payments=payments, payment_date=banking_day()
    )
    return payment_services.batch_attest(batch=batch, actor=finance_2)


def written(exporter_class, batch) -> bytes:
    out = io.BytesIO()
    exporter_class(batch).write(out)
    return out.getvalue()


def batch_total(batch) -> Decimal:
    return sum(item.payment.amount for item in batch.items.filter(active=True))


def transactions(document):
    return document.findall(".//p:CdtTrfTxInf", NS)


def by_name(document, name):
    for transaction in transactions(document):
        if transaction.findtext("p:Cdtr/p:Nm", namespaces=NS) == name:
            return transaction
    raise AssertionError(f"no transaction to {name}")


# pain.001


def test_the_bank_file_is_valid_against_the_official_schema(mixed_batch, xsd):
    document = etree.parse(io.BytesIO(written(Pain001Exporter, mixed_batch)))
    xsd.assertValid(document)


def test_the_counts_and_sums_match_at_both_levels(mixed_batch):
    document = etree.fromstring(written(Pain001Exporter, mixed_batch))
    total = batch_total(mixed_batch)
    for level in ("p:CstmrCdtTrfInitn/p:GrpHdr", "p:CstmrCdtTrfInitn/p:PmtInf"):
        assert document.findtext(f"{level}/p:NbOfTxs", namespaces=NS) == "5"
        assert Decimal(document.findtext(f"{level}/p:CtrlSum", namespaces=NS)) == total
    amounts = [
        Decimal(transaction.findtext("p:Amt/p:InstdAmt", namespaces=NS))
        for transaction in transactions(document)
    ]
    assert len(amounts) == 5
    assert sum(amounts) == total


def test_names_with_swedish_letters_survive(mixed_batch):
    data = written(Pain001Exporter, mixed_batch)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    document = etree.fromstring(data)
    names = {t.findtext("p:Cdtr/p:Nm", namespaces=NS) for t in transactions(document)}
    assert {name for name, _, _ in PAYEES} <= names
    assert "Storsjöteatern ideell förening" in names
    assert document.findtext(".//p:Dbtr/p:Nm", namespaces=NS) == "Region Jämtland Härjedalen"


def test_each_kind_of_account_is_identified_as_the_swedish_banks_read_it(mixed_batch):
    document = etree.fromstring(written(Pain001Exporter, mixed_batch))

    def account(name):
        return by_name(document, name).find("p:CdtrAcct/p:Id", NS)

    def member(name):
        return by_name(document, name).findtext(
            "p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:MmbId", namespaces=NS
        )

    bankgiro = account("Östersunds körsällskap")
    assert bankgiro.findtext("p:Othr/p:SchmeNm/p:Prtry", namespaces=NS) == "BGNR"
    assert re.fullmatch(r"\d{7,8}", bankgiro.findtext("p:Othr/p:Id", namespaces=NS))
    assert member("Östersunds körsällskap") == "9900"
    plusgiro = account("Bräcke spelmanslag")
    assert plusgiro.findtext("p:Othr/p:SchmeNm/p:Prtry", namespaces=NS) == "PGNR"
    assert plusgiro.findtext("p:Othr/p:Id", namespaces=NS) == "41054685"
    assert member("Bräcke spelmanslag") == "9960"
    bank = account("Åre hembygdsförening")
    assert bank.findtext("p:Othr/p:SchmeNm/p:Cd", namespaces=NS) == "BBAN"
    assert bank.findtext("p:Othr/p:Id", namespaces=NS) == "58398257466"
    assert member("Åre hembygdsförening") == "5839"
    iban = by_name(document, "Härjedalens konstförening")
    assert iban.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == "SE4550000000058398257466"
    assert iban.findtext("p:CdtrAgt/p:FinInstnId/p:BIC", namespaces=NS) == "ESSESESS"


def test_the_end_to_end_id_is_the_case_number_and_instalment(mixed_batch, payable):
    document = etree.fromstring(written(Pain001Exporter, mixed_batch))
    case = payable.decision.application.case_number
    transaction = by_name(document, "Storsjöteatern ideell förening")
    assert transaction.findtext("p:PmtId/p:EndToEndId", namespaces=NS) == f"{case}-1"
    assert transaction.findtext("p:RmtInf/p:Ustrd", namespaces=NS) == f"{case} 1"


def test_the_payment_date_and_the_debtor_are_the_batch_and_the_region(mixed_batch, settings):
    document = etree.fromstring(written(Pain001Exporter, mixed_batch))
    info = document.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert info.findtext("p:ReqdExctnDt", namespaces=NS) == mixed_batch.payment_date.isoformat()
    assert info.findtext("p:Dbtr/p:Id/p:OrgId/p:Othr/p:Id", namespaces=NS) == "2321000214"
    assert info.findtext("p:DbtrAcct/p:Id/p:Othr/p:Id", namespaces=NS) == "50501006"
    settings.REGION = {**settings.REGION, "iban": "SE4550000000058398257466"}
    document = etree.fromstring(written(Pain001Exporter, mixed_batch))
    assert document.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == (
        "SE4550000000058398257466"
    )


def test_the_bank_file_is_the_same_bytes_each_time(mixed_batch):
    assert written(Pain001Exporter, mixed_batch) == written(Pain001Exporter, mixed_batch)


def test_a_failed_payment_leaves_the_file_of_its_batch(exported, payable, finance, xsd):
    payment_services.payment_fail(payment=payable, actor=finance, reason="Konto avslutat")
    document = etree.fromstring(written(Pain001Exporter, exported))
    assert transactions(document) == []
    assert document.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS) == "0"


def test_the_bank_file_reads_the_batch_in_a_fixed_number_of_queries(
    mixed_batch, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the count and sum, then the payments
        written(Pain001Exporter, mixed_batch)


# SIE 4I


def read_sie(data: bytes) -> tuple[dict[str, list[str]], list[list[tuple[str, str, Decimal]]]]:
    """Read a SIE file back: its labels, and each voucher's rows (account, objects, amount)."""
    text = data.decode("cp437")
    labels: dict[str, list[str]] = {}
    vouchers: list[list[tuple[str, str, Decimal]]] = []
    current = None
    for line in text.split("\r\n"):
        if not line:
            continue
        if line == "{":
            current = []
        elif line == "}":
            vouchers.append(current)
            current = None
        elif line.startswith("#TRANS"):
            match = re.fullmatch(r'#TRANS (\S+) (\{[^}]*\}) (-?\d+\.\d{2}) "" ".*"', line)
            assert match, line
            current.append((match[1], match[2], Decimal(match[3])))
        else:
            label, _, rest = line.partition(" ")
            labels.setdefault(label, []).append(rest)
    return labels, vouchers


def test_every_voucher_of_the_ledger_file_sums_to_zero(mixed_batch):
    labels, vouchers = read_sie(written(SieExporter, mixed_batch))
    assert len(vouchers) == 1 == len(labels["#VER"])
    for voucher in vouchers:
        assert sum(amount for _, _, amount in voucher) == 0
    debits = [row for row in vouchers[0] if row[2] > 0]
    assert len(debits) == 5
    assert sum(amount for _, _, amount in debits) == batch_total(mixed_batch)
    assert vouchers[0][-1][0] == "1930"


def test_the_ledger_file_declares_its_format_and_the_region(mixed_batch):
    labels, _ = read_sie(written(SieExporter, mixed_batch))
    assert labels["#FORMAT"] == ["PC8"]
    assert labels["#SIETYP"] == ["4"]
    assert labels["#ORGNR"] == ["232100-0214"]
    assert labels["#FNAMN"] == ['"Region Jämtland Härjedalen"']
    assert labels["#DIM"][:2] == ['1 "Kostnadsställe"', '6 "Projekt"']
    assert labels["#VER"][0].split()[2] == mixed_batch.payment_date.strftime("%Y%m%d")


def test_the_rows_use_the_programmes_account_and_dimensions(mixed_batch, programme):
    programme.project_code = "P-2026"
    programme.save(update_fields=["project_code"])
    _, vouchers = read_sie(written(SieExporter, mixed_batch))
    for account, objects, _amount in vouchers[0][:-1]:
        assert account == programme.account
        assert objects == (
            f'{{1 "{programme.cost_centre}" 6 "P-2026" 20 "{programme.activity_code}"}}'
        )


def test_swedish_letters_are_written_in_code_page_437(mixed_batch):
    data = written(SieExporter, mixed_batch)
    assert "Östersunds körsällskap".encode("cp437") in data
    assert "Jämtland".encode() not in data


def test_the_ledger_file_is_the_same_bytes_each_time(mixed_batch):
    assert written(SieExporter, mixed_batch) == written(SieExporter, mixed_batch)


def test_a_sole_traders_personnummer_stays_out_of_the_bank_file(mixed_batch, payable, xsd):
    from decisions.models import Payment

    Payment.objects.filter(pk=payable.pk).update(payee_org_number="810107-9294")
    data = written(Pain001Exporter, mixed_batch)
    assert b"8101079294" not in data
    xsd.assertValid(etree.parse(io.BytesIO(data)))
    legal = by_name(etree.fromstring(data), "Östersunds körsällskap")
    assert legal.findtext("p:Cdtr/p:Id/p:OrgId/p:Othr/p:Id", namespaces=NS)
