"""My pages (portal:dashboard): organisations, applications in plain words, what to do next."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants import services
from grants.models import CaseMessage
from organisations import services as organisation_services
from organisations.models import Invitation, JoinRequest
from tests import factories

DASHBOARD = "/en/mina-sidor/"


def dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_user_without_organisation_is_told_to_register_one(client, call):
    nobody = factories.user("new@example.org")

    html = dashboard(client, nobody)

    assert reverse("organisations:register") in html
    assert "Register your organisation" in html
    assert call.title_en in html
    assert reverse("apply:start", args=[call.pk]) not in html


def test_draft_is_listed_with_a_link_to_continue(client, applicant, draft, organisation):
    html = dashboard(client, applicant)

    assert organisation.name in html
    assert "Signatory" in html
    assert draft.title in html
    assert "Draft – not submitted yet" in html
    assert reverse("apply:step", args=[draft.pk, "project"]) in html
    assert reverse("portal:application", args=[draft.pk]) in html
    assert reverse("organisations:detail", args=[organisation.pk]) in html
    assert "(verified)" in html


def test_member_sees_the_organisation_with_its_role(client, member, draft):
    html = dashboard(client, member)

    assert "Contact person" in html
    assert draft.title in html


def test_submitted_reads_in_plain_words_with_case_number(client, applicant, submitted):
    html = dashboard(client, applicant)

    assert submitted.case_number in html
    assert "Received – waiting for an officer" in html


def test_completion_request_is_highlighted_with_its_due_date(
    client, applicant, under_review, officer
):
    due = timezone.localdate() + timedelta(days=14)
    services.application_request_completion(
        application=under_review, actor=officer, message="Bifoga en tidsplan.", due_date=due
    )

    html = dashboard(client, applicant)

    assert "status attention" in html
    assert f"complete the application by {due.day} {due:%B} {due.year}" in html
    assert reverse("portal:application", args=[under_review.pk]) + "#completion" in html


def test_proposal_reads_like_review(client, applicant, proposed):
    html = dashboard(client, applicant)

    assert "Being handled" in html
    assert "Proposed" not in html


def test_approved_shows_the_granted_amount(client, applicant, approved):
    html = dashboard(client, applicant)

    assert "Granted 50,000 kr" in html
    assert "Write the final report" in html


def test_unread_messages_are_counted(client, applicant, under_review, officer):
    services.case_message_send(application=under_review, actor=officer, body="Hej!")
    services.case_message_send(application=under_review, actor=officer, body="En fråga till.")

    html = dashboard(client, applicant)

    assert "2 unread messages" in html


def test_other_organisations_applications_are_not_listed(client, applicant_b, draft):
    factories.organisation(applicant_b, name="Bos förening")

    html = dashboard(client, applicant_b)

    assert "Bos förening" in html
    assert draft.title not in html


def test_pending_payout_account_is_a_warning(client, applicant_b):
    organisation = factories.organisation(applicant_b, name="Bos förening")

    html = dashboard(client, applicant_b)

    assert "awaits verification" in html
    assert "notice warning" in html
    assert reverse("organisations:payout_account", args=[organisation.pk]) in html


def test_a_rejected_change_reads_as_the_organisation_page_has_it(
    client, applicant, organisation, finance
):
    """A rejection is news only while it is the latest thing that happened to the account."""
    change = organisation_services.payout_account_add(
        organisation=organisation,
        actor=applicant,
        kind="bankgiro",
        number=factories.bankgiro(),
        holder_name=organisation.name,
    )
    organisation_services.payout_account_reject(
        account=change, actor=finance, reason="Kontot tillhör någon annan."
    )
    in_use = organisation.payout_accounts.verified().get()

    html = dashboard(client, applicant)

    assert f"Grants are paid to {in_use}" in html
    assert "was not approved" not in html

    organisation.payout_accounts.filter(pk=in_use.pk).update(superseded_at=change.created_at)
    html = dashboard(client, applicant)

    assert "was not approved: Kontot tillhör någon annan." in html


def test_invitations_and_join_requests_are_shown(client, applicant, organisation, applicant_b):
    other = factories.organisation(applicant_b, name="Bos förening")
    Invitation.objects.create(
        organisation=other,
        email="APPLICANT-A@example.org",
        token_sha256="0" * 64,
        invited_by=applicant_b,
        expires_at=timezone.now() + timedelta(days=7),
    )
    third = factories.organisation(factories.user(), name="Tredje föreningen")
    JoinRequest.objects.create(user=applicant, organisation=third)

    html = dashboard(client, applicant)

    assert "Bos förening has invited you" in html
    assert "to act for Tredje föreningen" in html


def _applications(organisation, call, author, count):
    for number in range(count):
        application = factories.draft(organisation, call, author, with_attachment=False)
        if number % 2:
            application = services.application_submit(application=application, actor=author)
            CaseMessage.objects.create(
                application=application, sender=author, from_staff=True, body="Hej"
            )


@pytest.mark.parametrize("count", [2, 10])
def test_query_count_does_not_grow_with_applications(
    client, applicant, organisation, call, programme, count, django_assert_num_queries
):
    programme.required_attachments = []
    programme.save()
    _applications(organisation, call, applicant, count)
    client.force_login(applicant)
    # Session, user, memberships with organisations, their payout accounts, the applications
    # (with decision, open request and unread count), invitations, join requests, open calls.
    with django_assert_num_queries(8):
        response = client.get(DASHBOARD)
    assert response.content.decode().count("case-title") == count + 1  # + the open call
