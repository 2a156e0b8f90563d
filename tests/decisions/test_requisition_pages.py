"""The grantee requisitions an instalment paid on request (/mina-sidor/beslut/…/rekvisition/…):
a signatory confirms and the instalment becomes payable; everyone else is refused."""

import pytest
from django.urls import reverse

from audit.services import entries_for
from decisions.models import Payment
from decisions.workflow import PaymentState


def requisition_url(payment):
    return reverse("decisions:requisition", args=[payment.decision_id, payment.pk])


def fresh(payment):
    return Payment.objects.get(pk=payment.pk)


def test_the_application_page_offers_the_requisition(client, on_request, applicant):
    client.force_login(applicant)
    page = client.get(
        reverse("portal:application", args=[on_request.decision.application_id])
    ).content.decode()
    assert requisition_url(on_request) in page


def test_a_signatory_requisitions_the_instalment(client, on_request, applicant):
    client.force_login(applicant)
    page = client.get(requisition_url(on_request)).content.decode()
    assert "25,000 kr" in page
    assert "verified account: Bankgiro" in page
    response = client.post(requisition_url(on_request), {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "portal:application", args=[on_request.decision.application_id]
    )
    payment = fresh(on_request)
    assert payment.state == PaymentState.PAYABLE
    assert payment.requested_at is not None
    actions = [entry.action for entry in entries_for(on_request.decision.application)]
    assert "decisions.payment.requisitioned" in actions
    page = client.get(response["Location"]).content.decode()
    assert "To be paid soon" in page


def test_the_confirmation_is_required(client, on_request, applicant):
    client.force_login(applicant)
    response = client.post(requisition_url(on_request), {})
    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    assert fresh(on_request).state == PaymentState.PLANNED


def test_a_member_who_is_not_signatory_cannot(client, on_request, member):
    client.force_login(member)
    page = client.get(requisition_url(on_request)).content.decode()
    assert "Only a signatory" in page
    assert 'name="confirm"' not in page
    response = client.post(requisition_url(on_request), {"confirm": "on"})
    assert response.status_code == 400
    assert fresh(on_request).state == PaymentState.PLANNED


@pytest.mark.parametrize("who", ["applicant_b", "officer", "finance"])
def test_anyone_outside_the_organisation_gets_404(request, client, on_request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(requisition_url(on_request)).status_code == 404
    assert client.post(requisition_url(on_request), {"confirm": "on"}).status_code == 404
    assert fresh(on_request).state == PaymentState.PLANNED


def test_anonymous_visitors_are_sent_to_log_in(client, on_request):
    response = client.get(requisition_url(on_request))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_payment_of_another_decision_gives_404(client, on_request, applicant):
    client.force_login(applicant)
    url = reverse("decisions:requisition", args=[on_request.decision_id + 999, on_request.pk])
    assert client.get(url).status_code == 404


def test_an_instalment_not_paid_on_request_cannot_be_requisitioned(client, on_request, applicant):
    first = on_request.decision.payments.get(instalment=1)
    client.force_login(applicant)
    page = client.get(requisition_url(first)).content.decode()
    assert "cannot be requisitioned" in page
    response = client.post(requisition_url(first), {"confirm": "on"})
    assert "cannot be requisitioned" in response.content.decode()


def test_an_instalment_is_requisitioned_once(client, on_request, applicant):
    client.force_login(applicant)
    client.post(requisition_url(on_request), {"confirm": "on"})
    page = client.get(requisition_url(on_request)).content.decode()
    assert "was requisitioned on" in page
    response = client.post(requisition_url(on_request), {"confirm": "on"})
    assert response.status_code == 400


def test_the_page_takes_a_fixed_number_of_queries(
    client, on_request, applicant, django_assert_num_queries
):
    client.force_login(applicant)
    client.get(requisition_url(on_request))
    with django_assert_num_queries(8):
        client.get(requisition_url(on_request))
