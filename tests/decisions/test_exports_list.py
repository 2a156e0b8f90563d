"""The payment list of a batch (CSV and XLSX through django-import-export), the files stored at
export, and ``manage.py export_batch``."""

import csv
import hashlib
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from decisions import payments as payment_services
from decisions.exports.payment_list import PaymentListCsv, PaymentListXlsx
from decisions.models import BatchExport
from tests import factories
from tests.factories import banking_day


def csv_rows(batch) -> list[list[str]]:
    out = io.BytesIO()
    PaymentListCsv(batch).write(out)
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")  # a byte-order mark, so Excel reads UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def hostile(applicant_b, finance, finance_2, call, officer, decider, delegation):
    """An approved grant to an organisation whose account holder is a spreadsheet formula."""
    organisation = factories.organisation(applicant_b, name="Åre ungdomsförening")
    account = organisation.payout_accounts.get()
    account.holder_name = '=HYPERLINK("http://evil.example","Klicka")'
    account.save(update_fields=["holder_name"])
    from organisations.services import payout_account_verify

    payout_account_verify(account=account, actor=finance_2)
    approved = factories.decide(
        factories.proposal(call, officer, organisation_obj=organisation), decider
    )
    return approved.payments.get(instalment=1)


@pytest.fixture
def two_payee_batch(payable, hostile, finance, finance_2):
    batch = payment_services.batch_create(
        actor=finance, payments=[payable, hostile], payment_date=banking_day()
    )
    return payment_services.batch_attest(batch=batch, actor=finance_2)


def test_the_csv_payment_list_has_the_design_columns(attested, payable):
    headings, row = csv_rows(attested)
    assert headings == [
        "Diarienummer",
        "Beslutsdatum",
        "Delegation eller nämndbeslut",
        "Betalningsmottagare",
        "Org.nr",
        "Kontoslag",
        "Kontonummer",
        "Belopp (kr)",
        "Delutbetalning",
        "Konto",
        "Kostnadsställe",
        "Projekt",
        "Betalningsdag",
        "Betalningsreferens",
        "Attesterad av",
    ]
    decision = payable.decision
    assert row[0] == decision.application.case_number
    assert row[1] == decision.decision_date.isoformat()
    assert row[2] == decision.delegation_reference
    assert row[3] == "Storsjöteatern ideell förening"  # å, ä, ö survive
    assert row[5] == "Bankgiro"
    assert row[7] == "40000,00"
    assert row[8] == "1"
    assert row[9] == decision.application.call.programme.account
    assert row[12] == attested.payment_date.isoformat()
    assert row[14] == "Frida Ekonom"


def test_a_committee_decision_names_the_committee_and_paragraph(
    proposals, secretary, finance, finance_2
):
    from decisions import services as decision_services

    meeting = decision_services.CommitteeMeeting(
        body="Regionala utvecklingsnämnden",
        meeting_date=proposals[0].submitted_at.date(),
        paragraph="§ 87",
    )
    decision_services.committee_decide(
        applications=proposals[:1], actor=secretary, committee=meeting
    )
    payment = proposals[0].decision.payments.get(instalment=1)
    batch = payment_services.batch_create(
        actor=finance, payments=[payment], payment_date=banking_day()
    )
    payment_services.batch_attest(batch=batch, actor=finance_2)
    row = csv_rows(batch)[1]
    assert row[2] == f"Regionala utvecklingsnämnden {meeting.meeting_date.isoformat()} § 87"


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_cell_that_would_be_a_formula_is_neutralised(
    payable, applicant_b, call, officer, decider, delegation, finance, finance_2, start
):
    organisation = factories.organisation(applicant_b, name=f"{start}SUM(A1:A9)")
    factories.decide(factories.proposal(call, officer, organisation_obj=organisation), decider)
    account = organisation.payout_accounts.get()
    from organisations.services import payout_account_verify

    payout_account_verify(account=account, actor=finance_2)
    payment = organisation.applications.get().decision.payments.get(instalment=1)
    batch = payment_services.batch_create(
        actor=finance, payments=[payment], payment_date=banking_day()
    )
    payment_services.batch_attest(batch=batch, actor=finance_2)
    row = csv_rows(batch)[1]
    assert row[3] == f"'{start}SUM(A1:A9)"


def test_the_xlsx_payment_list_has_numbers_dates_and_no_formulas(two_payee_batch, hostile):
    out = io.BytesIO()
    PaymentListXlsx(two_payee_batch).write(out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Diarienummer"
    assert len(rows) == 3
    by_case = {row[0]: row for row in rows[1:]}
    hostile_row = by_case[hostile.decision.application.case_number]
    assert hostile_row[3].startswith("'=HYPERLINK")
    assert hostile_row[7] == Decimal("40000") or hostile_row[7] == 40000
    formulas = [
        cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"
    ]
    assert formulas == []


def test_writing_the_csv_twice_gives_the_same_bytes(two_payee_batch):
    first, second = io.BytesIO(), io.BytesIO()
    PaymentListCsv(two_payee_batch).write(first)
    PaymentListCsv(two_payee_batch).write(second)
    assert first.getvalue() == second.getvalue()


def test_the_payment_list_reads_the_batch_in_a_fixed_number_of_queries(
    two_payee_batch, django_assert_num_queries
):
    with django_assert_num_queries(1):
        PaymentListCsv(two_payee_batch).write(io.BytesIO())


def test_exporting_stores_each_file_once_with_its_sha256(attested, finance):
    payment_services.batch_export(batch=attested, actor=finance)
    files = BatchExport.objects.filter(batch=attested)
    assert sorted(files.values_list("format", flat=True)) == sorted(BatchExport.Format.values)
    for export in files:
        with export.file.open("rb") as handle:
            body = handle.read()
        assert hashlib.sha256(body).hexdigest() == export.sha256
        assert len(body) == export.size


# manage.py export_batch


def test_export_batch_writes_the_stored_file(exported, tmp_path):
    target = tmp_path / "bank.xml"
    out = io.StringIO()
    call_command(
        "export_batch", str(exported.pk), "--format", "pain001", "-o", str(target), stdout=out
    )
    stored = exported.exports.get(format="pain001")
    assert hashlib.sha256(target.read_bytes()).hexdigest() == stored.sha256
    assert out.getvalue().strip().splitlines()[-1].startswith(f"wrote {target}: payment batch")


def test_export_batch_gives_the_same_bytes_as_the_page(client, exported, finance, tmp_path):
    target = tmp_path / "list.csv"
    call_command(
        "export_batch", str(exported.pk), "--format", "csv", "-o", str(target), stdout=io.StringIO()
    )
    client.force_login(finance)
    response = client.get(reverse("finance:download", args=[exported.pk, "csv"]))
    assert b"".join(response.streaming_content) == target.read_bytes()


def test_export_batch_exports_an_attested_batch_as_the_named_officer(attested, finance, tmp_path):
    target = tmp_path / "ledger.si"
    with pytest.raises(CommandError, match="--user"):
        call_command("export_batch", str(attested.pk), "--format", "sie", "-o", str(target))
    call_command(
        "export_batch",
        str(attested.pk),
        "--format",
        "sie",
        "-o",
        str(target),
        "--user",
        finance.email,
        stdout=io.StringIO(),
    )
    attested.refresh_from_db()
    assert attested.state == "exported"
    assert attested.exported_by == finance
    assert (
        hashlib.sha256(target.read_bytes()).hexdigest() == attested.exports.get(format="sie").sha256
    )


def test_export_batch_refuses_a_draft_and_an_unknown_batch(batch, tmp_path):
    with pytest.raises(CommandError, match="only an attested batch"):
        call_command("export_batch", str(batch.pk), "--format", "csv", "-o", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_batch", "999999", "--format", "csv", "-o", str(tmp_path / "x"))


def test_export_batch_refuses_the_creator_with_jav(attested, finance_2, organisation, tmp_path):
    from organisations.services import membership_add

    membership_add(organisation=organisation, user=finance_2, role="member", actor=None)
    with pytest.raises(CommandError, match="jäv"):
        call_command(
            "export_batch", str(attested.pk), "--format", "csv", "-o", str(tmp_path / "x"),
            "--user", finance_2.email,
        )  # fmt: skip


# The admin


def test_the_payment_admin_exports_the_payment_list(admin_client, attested, payable):
    from decisions.exports.payment_list import PaymentListResource

    fields = {
        f"paymentlistresource_{name}": "on" for name in PaymentListResource().get_export_order()
    }
    response = admin_client.post(
        reverse("admin:decisions_payment_export"),
        {"format": "0", "resource": "0", **fields},
    )
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert payable.decision.application.case_number in body


@pytest.mark.postgres
def test_on_postgresql_copy_gives_the_csv_the_orm_gives(two_payee_batch, hostile):
    """write_csv reads the rows by COPY on PostgreSQL: the same bytes as the ORM's rows."""
    from decisions.exports import tabular
    from decisions.exports.payment_list import PaymentListResource
    from decisions.models import Payment

    Payment.objects.filter(pk=hostile.pk).update(
        payee_name='Tab\there\\; "citat"\nny rad\r och \\N',  # what COPY escapes, and "\\N"
        reference="=1+2",
    )
    out = io.BytesIO()
    PaymentListCsv(two_payee_batch).write(out)
    resource = PaymentListResource(two_payee_batch)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(resource.headers())
    payments = PaymentListCsv(two_payee_batch).payments_for_list()
    writer.writerows(resource.rows(payments, money=tabular._csv_money))
    assert out.getvalue() == b"\xef\xbb\xbf" + buffer.getvalue().encode()
    assert "'=1+2" in buffer.getvalue()
    assert '"Tab\there\\; ""citat""\nny rad\r och \\N"' in buffer.getvalue()
