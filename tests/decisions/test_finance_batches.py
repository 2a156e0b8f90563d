"""The finance workspace's payment pages (/ekonomi/utbetalningar/, /ekonomi/utbetalningsunderlag/):
build a batch from payable payments, attest it (another officer), export it, download its files,
confirm it paid, record a failed payment, cancel it; and every path that is not allowed."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions import payments as payment_services
from decisions.models import BatchExport, Payment, PaymentBatch
from decisions.workflow import BatchState, PaymentState
from grants import services as grant_services
from organisations.services import membership_add
from tests import factories
from tests.factories import banking_day


def batch_url(batch, name="batch"):
    return reverse(f"finance:{name}", args=[batch.pk])


def next_saturday():
    today = timezone.localdate()
    return today + timedelta(days=(5 - today.weekday()) % 7 or 7)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


@pytest.fixture
def finance_jav(organisation):
    """A finance officer who has declared jäv for the organisation."""
    person = factories.user("finance-3@example.org", "finance", full_name="Folke Jävig")
    grant_services.conflict_declare(
        user=person, organisation=organisation, reason="Kassör i föreningen", actor=person
    )
    return person


# Who gets in


@pytest.mark.parametrize("url_name", ["overview", "payable", "batches"])
def test_finance_pages_are_for_finance_officers(client, finance, url_name):
    client.force_login(finance)
    assert client.get(reverse(f"finance:{url_name}")).status_code == 200


@pytest.mark.parametrize("who", ["applicant", "officer", "decider", "secretary"])
@pytest.mark.parametrize("url_name", ["overview", "payable", "batches"])
def test_everyone_else_is_refused(request, client, who, url_name):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse(f"finance:{url_name}")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, batch):
    for url in (reverse("finance:payable"), reverse("finance:batches"), batch_url(batch)):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", ["applicant", "officer", "decider"])
def test_no_one_else_acts_on_a_batch(request, client, batch, who):
    client.force_login(request.getfixturevalue(who))
    for name in ("batch", "attest", "export", "cancel", "confirm"):
        assert client.post(batch_url(batch, name), {"reason": "x"}).status_code == 403
    assert fresh(batch).state == BatchState.DRAFT


@pytest.mark.parametrize("name", ["attest", "export", "confirm", "cancel"])
def test_actions_are_posts_only(client, batch, finance_2, name):
    client.force_login(finance_2)
    assert client.get(batch_url(batch, name)).status_code == 405
    assert fresh(batch).state == BatchState.DRAFT


# Payable payments and building a batch


def test_the_payable_payments_are_listed_with_their_account(client, payable, finance):
    client.force_login(finance)
    page = client.get(reverse("finance:payable")).content.decode()
    assert payable.decision.application.case_number in page
    assert "Storsjöteatern ideell förening" in page
    assert "40,000.00 kr" in page
    assert "Bankgiro" in page


def test_a_payment_without_a_verified_account_is_flagged(client, approved, finance):
    organisation = approved.organisation
    organisation.payout_accounts.update(verified_at=None, verified_by=None)
    client.force_login(finance)
    assert "No verified account" in client.get(reverse("finance:payable")).content.decode()


def test_planned_payments_are_not_payable(client, planned, finance):
    client.force_login(finance)
    page = client.get(reverse("finance:payable")).content.decode()
    assert "1 payable payment," in page  # the first instalment only


def test_a_finance_officer_with_jav_does_not_see_the_payments(client, payable, finance_jav):
    client.force_login(finance_jav)
    page = client.get(reverse("finance:payable")).content.decode()
    assert payable.decision.application.case_number not in page
    assert "No payments are payable" in page


def test_the_filter_narrows_by_programme(client, payable, finance):
    other = factories.programme(name_sv="Arrangörsstöd", name_en="Organiser grant")
    client.force_login(finance)
    page = client.get(reverse("finance:payable"), {"programme": other.pk}).content.decode()
    assert payable.decision.application.case_number not in page
    page = client.get(reverse("finance:payable"), {"q": "Storsjö"}).content.decode()
    assert payable.decision.application.case_number in page


def test_the_payable_list_takes_a_fixed_number_of_queries(
    client, finance, call, officer, decider, delegation, organisation, django_assert_num_queries
):
    for _ in range(3):
        factories.decide(factories.proposal(call, officer, organisation_obj=organisation), decider)
    client.force_login(finance)
    client.get(reverse("finance:payable"))
    # session, user, its two permission queries, count and total, the programmes and calls
    # to filter by, the page of payments, their organisations' verified accounts
    with django_assert_num_queries(9):
        response = client.get(reverse("finance:payable"))
    assert response.content.decode().count('name="payment"') == 3


def test_finance_builds_a_batch_from_ticked_payments(client, payable, finance):
    client.force_login(finance)
    day = banking_day()
    response = client.post(
        reverse("finance:payable"),
        {"selection": "chosen", "payment": [payable.pk], "payment_date": day, "note": "Vecka 48"},
    )
    batch = PaymentBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == batch_url(batch)
    assert (batch.state, batch.payment_date, batch.note, batch.created_by) == (
        BatchState.DRAFT,
        day,
        "Vecka 48",
        finance,
    )
    payment = fresh(payable)
    assert payment.state == PaymentState.BATCHED
    assert payment.payee_name == "Storsjöteatern ideell förening"


def test_every_payment_the_filter_shows_goes_into_the_batch(
    client, payable, finance, call, officer, decider, delegation, organisation
):
    other = factories.decide(
        factories.proposal(call, officer, organisation_obj=organisation), decider
    )
    client.force_login(finance)
    client.post(reverse("finance:payable"), {"selection": "all", "payment_date": banking_day()})
    batch = PaymentBatch.objects.get()
    assert set(batch.items.values_list("payment", flat=True)) == {
        payable.pk,
        other.payments.get(instalment=1).pk,
    }


def test_a_weekend_is_refused_and_the_choices_are_kept(client, payable, finance):
    client.force_login(finance)
    response = client.post(
        reverse("finance:payable"),
        {
            "selection": "chosen",
            "payment": [payable.pk],
            "payment_date": next_saturday(),
            "note": "Min anteckning",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "is not a banking day (a weekend)" in page
    assert f'value="{payable.pk}" id="payment-{payable.pk}" checked' in page
    assert "Min anteckning" in page
    assert not PaymentBatch.objects.exists()


def test_a_batch_needs_a_ticked_payment(client, payable, finance):
    client.force_login(finance)
    response = client.post(
        reverse("finance:payable"), {"selection": "chosen", "payment_date": banking_day()}
    )
    assert response.status_code == 400
    assert "Tick at least one payment" in response.content.decode()
    assert not PaymentBatch.objects.exists()


def test_a_payment_already_batched_is_refused(client, batch, payable, finance_2):
    client.force_login(finance_2)
    response = client.post(
        reverse("finance:payable"),
        {"selection": "chosen", "payment": [payable.pk], "payment_date": banking_day()},
    )
    assert response.status_code == 400
    assert "not payable" in response.content.decode()
    assert PaymentBatch.objects.count() == 1


# The batch page and its steps


def test_the_creator_is_told_another_officer_attests(client, batch, finance):
    client.force_login(finance)
    page = client.get(batch_url(batch)).content.decode()
    assert "another finance officer must attest it" in page
    assert batch_url(batch, "attest") not in page


def test_the_creator_cannot_attest_through_the_page(client, batch, finance):
    client.force_login(finance)
    response = client.post(batch_url(batch, "attest"), follow=True)
    assert "another finance officer must attest it" in response.content.decode()
    assert fresh(batch).state == BatchState.DRAFT


def test_a_second_officer_attests_exports_and_confirms(client, batch, payable, finance, finance_2):
    client.force_login(finance_2)
    assert batch_url(batch, "attest") in client.get(batch_url(batch)).content.decode()
    client.post(batch_url(batch, "attest"))
    assert fresh(batch).state == BatchState.ATTESTED
    assert fresh(batch).attested_by == finance_2

    client.force_login(finance)
    client.post(batch_url(batch, "export"))
    batch = fresh(batch)
    assert batch.state == BatchState.EXPORTED
    assert set(batch.exports.values_list("format", flat=True)) == set(BatchExport.Format.values)

    response = client.post(batch_url(batch, "confirm"), {"paid_on": timezone.localdate()})
    assert response.status_code == 302
    assert fresh(batch).state == BatchState.CONFIRMED
    assert fresh(payable).state == PaymentState.PAID


def test_the_files_are_the_same_bytes_on_every_download(client, exported, finance):
    client.force_login(finance)
    export = exported.exports.get(format="pain001")
    first = client.get(reverse("finance:download", args=[exported.pk, "pain001"]))
    body = b"".join(first.streaming_content)
    second = b"".join(
        client.get(reverse("finance:download", args=[exported.pk, "pain001"])).streaming_content
    )
    assert first.status_code == 200
    assert body == second
    assert hashlib.sha256(body).hexdigest() == export.sha256
    assert first["ETag"] == f'"{export.sha256}"'
    assert f"utbetalningsunderlag-{exported.pk}.xml" in first["Content-Disposition"]


def test_every_format_downloads(client, exported, finance):
    client.force_login(finance)
    for export in exported.exports.all():
        response = client.get(reverse("finance:download", args=[exported.pk, export.format]))
        assert response.status_code == 200
        assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == export.sha256


def test_a_download_is_in_the_audit_trail(client, exported, finance):
    client.force_login(finance)
    client.get(reverse("finance:download", args=[exported.pk, "csv"]))
    from audit.services import entries_for

    assert "decisions.batch.downloaded" in [entry.action for entry in entries_for(exported)]


def test_a_changed_file_is_not_sent(client, exported, finance):
    export = exported.exports.get(format="pain001")
    with export.file.open("wb") as handle:
        handle.write(b"<Document>changed</Document>")
    client.force_login(finance)
    response = client.get(reverse("finance:download", args=[exported.pk, "pain001"]), follow=True)
    assert "does not match its SHA-256" in response.content.decode()


def test_files_of_a_batch_not_exported_do_not_exist(client, attested, finance):
    client.force_login(finance)
    assert client.get(reverse("finance:download", args=[attested.pk, "csv"])).status_code == 404
    assert client.get(reverse("finance:download", args=[attested.pk, "doc"])).status_code == 404


def test_confirming_in_the_future_is_refused_and_the_date_kept(client, exported, finance):
    client.force_login(finance)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(batch_url(exported, "confirm"), {"paid_on": tomorrow})
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot be in the future" in page
    assert f'value="{tomorrow.isoformat()}"' in page
    assert fresh(exported).state == BatchState.EXPORTED


def test_cancelling_needs_a_reason_and_returns_the_payments(client, batch, payable, finance):
    client.force_login(finance)
    response = client.post(batch_url(batch, "cancel"), {"reason": ""})
    assert response.status_code == 400
    assert fresh(batch).state == BatchState.DRAFT
    client.post(batch_url(batch, "cancel"), {"reason": "Fel betalningsdag"})
    assert fresh(batch).state == BatchState.CANCELLED
    assert fresh(payable).state == PaymentState.PAYABLE


def test_an_exported_batch_offers_no_cancelling(client, exported, finance):
    client.force_login(finance)
    assert batch_url(exported, "cancel") not in client.get(batch_url(exported)).content.decode()
    client.post(batch_url(exported, "cancel"), {"reason": "För sent"})
    assert fresh(exported).state == BatchState.EXPORTED


def test_a_failed_payment_is_recorded_and_payable_again(client, exported, payable, finance):
    client.force_login(finance)
    url = reverse("finance:payment_fail", args=[payable.pk])
    assert url in client.get(batch_url(exported)).content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    client.post(url, {"reason": "Kontot avslutat (AC04)"})
    assert fresh(payable).state == PaymentState.FAILED
    assert (
        payable.decision.application.case_number
        in client.get(reverse("finance:payable")).content.decode()
    )


def test_a_payment_of_a_draft_batch_cannot_fail(client, batch, payable, finance):
    client.force_login(finance)
    response = client.post(reverse("finance:payment_fail", args=[payable.pk]), {"reason": "x"})
    assert "cancel the batch instead" in response.content.decode()
    assert fresh(payable).state == PaymentState.BATCHED


# Jäv


def test_a_finance_officer_with_jav_sees_the_batch_without_the_case(
    client, attested, payable, finance_jav
):
    client.force_login(finance_jav)
    page = client.get(batch_url(attested)).content.decode()
    assert "Hidden (jäv)" in page
    assert payable.decision.application.case_number not in page
    assert batch_url(attested, "export") not in page
    client.post(batch_url(attested, "export"))
    assert fresh(attested).state == BatchState.ATTESTED
    assert client.get(reverse("finance:payment_fail", args=[payable.pk])).status_code == 404


def test_a_member_of_the_organisation_cannot_download_its_batch(
    client, exported, organisation, finance_2
):
    membership_add(organisation=organisation, user=finance_2, role="member", actor=None)
    client.force_login(finance_2)
    response = client.get(reverse("finance:download", args=[exported.pk, "pain001"]), follow=True)
    assert "another finance officer must handle its files" in response.content.decode()


# Lists


def test_the_batch_list_shows_totals_by_state(client, batch, attested, finance):
    client.force_login(finance)
    page = client.get(reverse("finance:batches"), {"state": "attested"}).content.decode()
    assert f"Batch {batch.pk}" in page
    assert "40,000.00 kr" in page
    assert (
        f"Batch {batch.pk}"
        not in client.get(reverse("finance:batches"), {"state": "draft"}).content.decode()
    )


def test_the_batch_list_takes_a_fixed_number_of_queries(
    client, finance, finance_2, payable, django_assert_num_queries
):
    for _ in range(3):
        payment_services.batch_cancel(
            batch=payment_services.batch_create(
                actor=finance, payments=[payable], payment_date=banking_day()
            ),
            actor=finance,
            reason="Prov",
        )
    client.force_login(finance_2)
    client.get(reverse("finance:batches"))
    # session, user, its two permission queries, count, page
    with django_assert_num_queries(6):
        client.get(reverse("finance:batches"))


def test_the_batch_page_takes_a_fixed_number_of_queries(
    client, exported, finance, django_assert_num_queries
):
    client.force_login(finance)
    client.get(batch_url(exported))
    with django_assert_num_queries(8):
        client.get(batch_url(exported))


def test_the_overview_counts_what_waits(client, batch, finance, finance_2):
    client.force_login(finance_2)
    page = client.get(reverse("finance:overview")).content.decode()
    assert "Batches to attest" in page
    assert Payment.objects.filter(state=PaymentState.BATCHED).count() == 1
