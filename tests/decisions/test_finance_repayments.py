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

from audit.services import entries_for
from decisions.models import RepaymentClaim
from decisions.workflow import PaymentState, RepaymentState
from grants import services as grant_services
from organisations.models import Organisation
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


@pytest.fixture
def three_claims(call, officer, decider, delegation, finance, finance_2):
    """Three open claims, of 1 000, 2 000 and 3 000 kr, on three organisations' paid grants."""
    decisions = []
    for index in range(1, 4):
        organisation = factories.organisation(
            factories.user(), verified_by=finance, name=f"Åre förening {index}"
        )
        decisions.append(
            factories.decide(
                factories.proposal(call, officer, organisation_obj=organisation), decider
            )
        )
    payable = PaymentState.PAYABLE
    payments = [p for decision in decisions for p in decision.payments.filter(state=payable)]
    factories.pay_out(payments, finance, finance_2)
    return [
        factories.repayment_claim(decision, decider, amount=Decimal(1000 * index))
        for index, decision in enumerate(decisions, start=1)
    ]


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_anonymous_visitors_are_sent_to_log_in(client, claim):
    login = reverse("accounts:login")
    for response in (
        client.get(reverse("finance:repayments")),
        client.get(reverse("finance:repayments"), {"format": "csv"}),
        client.get(claim_url(claim)),
        client.post(claim_url(claim, "settle_repayment"), {"note": ""}),
        client.post(claim_url(claim, "write_off_repayment"), {"reason": "Upplöst"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(login)
    assert fresh(claim).state == RepaymentState.CLAIMED


def test_recording_a_claim_repaid_is_audited(client, claim, finance):
    client.force_login(finance)
    response = client.post(
        claim_url(claim, "settle_repayment"), {"note": "Inbetalt 2026-03-02"}, follow=True
    )
    assert "is recorded as repaid" in response.content.decode()
    application = claim.decision.application
    entry = list(entries_for(application))[-1]
    assert (entry.action, entry.actor) == ("decisions.repayment.settled", finance)
    assert entry.data["note"] == "Inbetalt 2026-03-02"
    application.refresh_from_db()
    assert application.state == "closed"


def test_writing_off_is_audited_with_the_reason(client, claim, finance):
    client.force_login(finance)
    response = client.post(
        claim_url(claim, "write_off_repayment"), {"reason": "Föreningen är upplöst."}, follow=True
    )
    page = response.content.decode()
    assert "is written off" in page
    assert "Föreningen är upplöst." in page  # the settled claim shows its note
    assert claim_url(claim, "write_off_repayment") not in page  # and offers nothing more
    entry = list(entries_for(claim.decision.application))[-1]
    assert (entry.action, entry.actor) == ("decisions.repayment.written_off", finance)
    assert entry.data["note"] == "Föreningen är upplöst."
    claim = fresh(claim)
    assert (claim.state, claim.settled_by) == (RepaymentState.WRITTEN_OFF, finance)


def test_a_missing_reason_is_shown_in_the_error_summary(client, claim, finance):
    client.force_login(finance)
    response = client.post(claim_url(claim, "write_off_repayment"), {"reason": "   "})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert 'href="#id_reason"' in page


def test_a_note_that_fails_validation_is_kept(client, claim, finance):
    client.force_login(finance)
    note = "Delbetalning, " + "å" * 2000
    response = client.post(claim_url(claim, "settle_repayment"), {"note": note})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert note in page
    assert fresh(claim).state == RepaymentState.CLAIMED


def test_writing_off_by_get_is_refused(client, claim, finance):
    client.force_login(finance)
    assert client.get(claim_url(claim, "write_off_repayment")).status_code == 405
    assert fresh(claim).state == RepaymentState.CLAIMED


def test_no_one_else_writes_claims_off(client, claim, decider):
    client.force_login(decider)
    response = client.post(claim_url(claim, "write_off_repayment"), {"reason": "Upplöst"})
    assert response.status_code == 403
    assert fresh(claim).state == RepaymentState.CLAIMED


def test_a_missing_claim_is_not_found(client, finance):
    client.force_login(finance)
    assert client.get(reverse("finance:repayment", args=[99999])).status_code == 404


def test_the_claims_are_filtered_by_state(client, three_claims, finance):
    open_claim, repaid, written_off = three_claims
    client.force_login(finance)
    client.post(claim_url(repaid, "settle_repayment"), {"note": ""})
    client.post(claim_url(written_off, "write_off_repayment"), {"reason": "Upplöst"})
    shown = {}
    for state in ("", "claimed", "settled", "written_off", "all", "nonsense"):
        page = client.get(reverse("finance:repayments"), {"state": state} if state else {})
        text = page.content.decode()
        shown[state] = [
            name for name in ("Åre förening 1", "Åre förening 2", "Åre förening 3") if name in text
        ]
    assert shown[""] == shown["claimed"] == shown["nonsense"] == ["Åre förening 1"]
    assert shown["settled"] == ["Åre förening 2"]
    assert shown["written_off"] == ["Åre förening 3"]
    assert shown["all"] == ["Åre förening 1", "Åre förening 2", "Åre förening 3"]
    rows = csv_rows(
        client.get(reverse("finance:repayments"), {"state": "settled", "format": "csv"})
    )
    assert [row[1] for row in rows[1:]] == ["Åre förening 2"]


def test_the_list_sums_the_claims(client, three_claims, finance):
    client.force_login(finance)
    page = client.get(reverse("finance:repayments")).content.decode()
    assert "3 claims, 6,000.00 kr" in page


def test_the_list_of_many_claims_takes_a_fixed_number_of_queries(
    client, three_claims, finance, django_assert_num_queries
):
    client.force_login(finance)
    client.get(reverse("finance:repayments"))
    # session, user, permissions (2), count and total, the page of claims
    with django_assert_num_queries(6):
        response = client.get(reverse("finance:repayments"), {"state": "all"})
    assert response.content.decode().count("Åre förening") == 3


def test_the_csv_has_what_invoicing_needs(client, three_claims, finance):
    Organisation.objects.filter(name="Åre förening 1").update(
        street_address="Rådhusgatan 1", postal_code="831 82", city="Östersund"
    )
    client.force_login(finance)
    response = client.get(reverse("finance:repayments"), {"format": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="aterkrav-')
    rows = csv_rows(response)
    assert rows[0] == [
        "Diarienummer",
        "Organisation",
        "Org.nr",
        "Utdelningsadress",
        "Postnummer och ort",
        "E-post",
        "Belopp (kr)",
        "Förfallodag",
        "Motivering",
        "Beslutsdatum",
        "Återkrävt den",
        "Återkrävt av",
        "Status",
    ]
    first = dict(zip(rows[0], rows[1], strict=True))
    claim = three_claims[0]
    organisation = claim.decision.application.organisation
    assert first["Organisation"] == "Åre förening 1"
    assert first["Org.nr"] == organisation.org_number
    assert first["E-post"] == organisation.email
    assert first["Belopp (kr)"] == "1000,00"
    assert first["Förfallodag"] == claim.due_date.isoformat()
    assert first["Återkrävt av"] == "Anna Chef"
    assert first["Utdelningsadress"] == "Rådhusgatan 1"
    assert first["Postnummer och ort"] == "831 82 Östersund"
    assert first["Status"] == "Obetalt"  # the state's label, in Swedish whoever downloads
    assert len(rows) == 4


def test_the_excel_download_takes_a_fixed_number_of_queries(
    client, three_claims, finance, django_assert_num_queries
):
    client.force_login(finance)
    with django_assert_num_queries(5):  # session, user, permissions (2), the claims
        response = client.get(reverse("finance:repayments"), {"format": "xlsx", "state": "all"})
        content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Diarienummer"
    assert [row[1] for row in rows[1:]] == ["Åre förening 1", "Åre förening 2", "Åre förening 3"]
    assert [Decimal(str(row[6])) for row in rows[1:]] == [1000, 2000, 3000]


def test_the_admin_exports_the_claims_for_invoicing(client, claim):
    from import_export.forms import SelectableFieldsExportForm

    from decisions.exports.repayments import RepaymentClaimResource

    admin = factories.user("admin@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:decisions_repaymentclaim_export")
    assert client.get(url).status_code == 200
    fields = RepaymentClaimResource().get_export_order()
    data = {"format": "0", "resource": "0"}
    for field in fields:
        name = SelectableFieldsExportForm.create_boolean_field_name(RepaymentClaimResource, field)
        data[name] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert claim.decision.application.case_number in text
    assert "Storsjöteatern ideell förening" in text


def test_the_claim_page_shows_whom_to_invoice(client, claim, finance):
    Organisation.objects.filter(pk=claim.decision.application.organisation_id).update(
        street_address="Rådhusgatan 1", postal_code="831 82", city="Östersund"
    )
    client.force_login(finance)
    page = client.get(claim_url(claim)).content.decode()
    assert "Rådhusgatan 1<br>831 82 Östersund<br>info@example.org" in page
    assert "Claimed by</dt><dd>Anna Chef, " in page
    assert "20,000.00 kr" in page


def test_the_outstanding_claims_are_the_current_tab(client, claim, finance):
    client.force_login(finance)
    page = client.get(reverse("finance:repayments")).content.decode()
    assert '<a href="?state=claimed" aria-current="true">Outstanding</a>' in page
