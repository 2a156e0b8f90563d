"""Repayment claims on /ekonomi/aterkrav/: listed, exported for invoicing, recorded as repaid or
written off; and the forbidden paths."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from decisions.models import RepaymentClaim
from decisions.workflow import PaymentState, RepaymentState
from grants import services as grant_services
from tests import factories


def claim_url(claim, name="repayment"):
    return reverse(f"finance:{name}", args=[claim.pk])


@pytest.fixture
def claim(approved, finance, finance_2, decider):
    """20 000 kr claimed back from the approved grant, whose first instalment is paid."""
    factories.pay_out(
        approved.decision.payments.filter(state=PaymentState.PAYABLE), finance, finance_2
    )
    return factories.repayment_claim(approved.decision, decider)


def fresh(claim):
    return RepaymentClaim.objects.get(pk=claim.pk)


def test_the_open_claims_are_listed(client, claim, finance):
    client.force_login(finance)
    page = client.get(reverse("finance:repayments")).content.decode()
    assert claim.decision.application.case_number in page
    assert "20,000.00 kr" in page
    assert "Overdue" not in page


def test_an_overdue_claim_says_so_in_words(client, claim, finance):
    RepaymentClaim.objects.filter(pk=claim.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(finance)
    assert "Overdue" in client.get(reverse("finance:repayments")).content.decode()


def test_the_claims_download_for_invoicing_as_csv(client, claim, finance):
    client.force_login(finance)
    response = client.get(reverse("finance:repayments"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Diarienummer", "Organisation", "Org.nr"]
    assert rows[1][0] == claim.decision.application.case_number
    assert rows[1][1] == "Storsjöteatern ideell förening"
    assert "20000,00" in rows[1]
    assert "Hälften av föreställningarna ställdes in." in rows[1]


def test_a_claim_reason_that_looks_like_a_formula_is_neutralised(client, claim, finance):
    RepaymentClaim.objects.filter(pk=claim.pk).update(reasons="=2+5")
    client.force_login(finance)
    response = client.get(reverse("finance:repayments"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=2+5" in text


def test_the_claims_download_as_excel(client, claim, finance):
    client.force_login(finance)
    response = client.get(reverse("finance:repayments"), {"format": "xlsx", "state": "all"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == claim.decision.application.case_number
    assert Decimal(str(rows[1][6])) == Decimal("20000")


def test_the_download_takes_one_query(client, claim, finance, django_assert_num_queries):
    client.force_login(finance)
    with django_assert_num_queries(5):  # session, user, permissions (2), the claims
        response = client.get(reverse("finance:repayments"), {"format": "csv"})
        b"".join(response.streaming_content)


def test_finance_records_a_claim_as_repaid(client, claim, finance):
    client.force_login(finance)
    response = client.post(claim_url(claim, "settle_repayment"), {"note": "Faktura 2026-118"})
    assert response.status_code == 302
    claim = fresh(claim)
    assert (claim.state, claim.settled_by, claim.settlement_note) == (
        RepaymentState.SETTLED,
        finance,
        "Faktura 2026-118",
    )
    client.get(reverse("finance:repayments"))  # shows the message
    page = client.get(reverse("finance:repayments")).content.decode()
    assert claim.decision.application.case_number not in page  # no longer open


def test_writing_off_needs_a_reason_and_keeps_the_note(client, claim, finance):
    client.force_login(finance)
    response = client.post(claim_url(claim, "write_off_repayment"), {"reason": ""})
    assert response.status_code == 400
    assert fresh(claim).state == RepaymentState.CLAIMED
    client.post(claim_url(claim, "write_off_repayment"), {"reason": "Föreningen är upplöst."})
    assert fresh(claim).state == RepaymentState.WRITTEN_OFF


def test_a_settled_claim_is_not_settled_again(client, claim, finance):
    client.force_login(finance)
    client.post(claim_url(claim, "settle_repayment"), {"note": ""})
    response = client.post(claim_url(claim, "write_off_repayment"), {"reason": "Ånyo"})
    assert response.status_code == 400
    assert "already been settled" in response.content.decode()
    assert fresh(claim).state == RepaymentState.SETTLED


def test_the_claim_page_links_its_letter(
    client, approved, finance, finance_2, decider, django_capture_on_commit_callbacks
):
    factories.pay_out(
        approved.decision.payments.filter(state=PaymentState.PAYABLE), finance, finance_2
    )
    with django_capture_on_commit_callbacks(execute=True):
        claim = factories.repayment_claim(approved.decision, decider)
    claim.refresh_from_db()
    client.force_login(finance)
    assert claim_url(claim, "repayment_letter") in client.get(claim_url(claim)).content.decode()
    response = client.get(claim_url(claim, "repayment_letter"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_finance_officer_with_jav_sees_nothing_of_the_claim(client, claim, organisation):
    person = factories.user("finance-3@example.org", "finance", full_name="Folke Jävig")
    grant_services.conflict_declare(
        user=person, organisation=organisation, reason="Kassör", actor=person
    )
    client.force_login(person)
    page = client.get(reverse("finance:repayments")).content.decode()
    assert claim.decision.application.case_number not in page
    assert client.get(claim_url(claim)).status_code == 404
    assert client.get(claim_url(claim, "repayment_letter")).status_code == 404
    assert client.post(claim_url(claim, "settle_repayment"), {"note": ""}).status_code == 404
    text = b"".join(client.get(reverse("finance:repayments"), {"format": "csv"}).streaming_content)
    assert claim.decision.application.case_number.encode() not in text
    assert fresh(claim).state == RepaymentState.CLAIMED


@pytest.mark.parametrize("who", ["applicant", "officer", "decider"])
def test_no_one_else_reaches_the_claims(request, client, claim, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("finance:repayments")).status_code == 403
    assert client.get(claim_url(claim)).status_code == 403
    assert client.post(claim_url(claim, "settle_repayment"), {"note": ""}).status_code == 403
    assert fresh(claim).state == RepaymentState.CLAIMED


def test_settling_by_get_is_refused(client, claim, finance):
    client.force_login(finance)
    assert client.get(claim_url(claim, "settle_repayment")).status_code == 405


def test_the_list_takes_a_fixed_number_of_queries(
    client, claim, finance, django_assert_num_queries
):
    client.force_login(finance)
    client.get(reverse("finance:repayments"))
    # session, user, permissions (2), count and total, the page of claims
    with django_assert_num_queries(6):
        client.get(reverse("finance:repayments"))
