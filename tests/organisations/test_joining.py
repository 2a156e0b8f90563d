"""Joining an organisation already registered, and invitations by e-mail (DESIGN §3).

A person who registers a number already registered may only ask to join; a signatory decides.
An invitation is accepted only by someone logged in with the address it was sent to.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.services import entries_for
from organisations import services
from organisations.models import Invitation, JoinRequest, Membership, Organisation
from tests import factories
from tests.assertions import refused

REGISTRATION = {
    "name": "Ny förening",
    "org_type": "association",
    "municipality": "2380",
    "street_address": "Storgatan 1",
    "postal_code": "83130",
    "city": "Östersund",
    "email": "info@ny.example.org",
    "phone": "",
    "website": "",
}


def join(organisation, user, message="Jag är kassör."):
    return services.join_request_create(organisation=organisation, actor=user, message=message)


# join_request_create


def test_asking_to_join_tells_the_signatories(
    organisation, applicant, applicant_b, member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        join_request = join(organisation, applicant_b)

    assert join_request.state == JoinRequest.State.PENDING
    assert entries_for(join_request).get().action == "organisations.join_request.created"
    assert [mail.to for mail in mailoutbox] == [[applicant.email]]  # signatories, not members
    body = mailoutbox[0].body
    assert "Bo Sökande" in body and "Jag är kassör." in body
    assert f"/mina-sidor/organisationer/{organisation.pk}/" in body
    assert body.count("http://") + body.count("https://") >= 1


def test_a_member_cannot_ask_to_join(organisation, member):
    error = refused(join, organisation=organisation, user=member)
    assert error.code == "already_member"


def test_one_pending_request_at_a_time(organisation, applicant_b):
    join(organisation, applicant_b)

    error = refused(join, organisation=organisation, user=applicant_b)

    assert error.code == "already_requested"
    assert JoinRequest.objects.count() == 1


# join_request_decide


def decide(join_request, actor, approve=True, role="member"):
    return services.join_request_decide(
        join_request=join_request, actor=actor, approve=approve, role=role
    )


@pytest.mark.parametrize("role", ["member", "signatory"])
def test_a_signatory_approves_with_the_role_chosen(
    organisation, applicant, applicant_b, role, mailoutbox, django_capture_on_commit_callbacks
):
    join_request = join(organisation, applicant_b)

    with django_capture_on_commit_callbacks(execute=True):
        decided = decide(join_request, applicant, role=role)

    assert decided.state == JoinRequest.State.APPROVED
    assert decided.decided_by == applicant
    assert Membership.objects.get(user=applicant_b, organisation=organisation).role == role
    assert entries_for(decided).filter(action="organisations.join_request.approved").exists()
    assert mailoutbox[-1].to == [applicant_b.email]
    assert f"/mina-sidor/organisationer/{organisation.pk}/" in mailoutbox[-1].body


def test_a_signatory_declines(
    organisation, applicant, applicant_b, mailoutbox, django_capture_on_commit_callbacks
):
    join_request = join(organisation, applicant_b)

    with django_capture_on_commit_callbacks(execute=True):
        decided = decide(join_request, applicant, approve=False)

    assert decided.state == JoinRequest.State.DECLINED
    assert not Membership.objects.filter(user=applicant_b).exists()
    assert entries_for(decided).filter(action="organisations.join_request.declined").exists()
    # In the requester's language, Swedish.
    assert "avböjdes" in mailoutbox[-1].subject


def test_a_contact_person_cannot_decide(organisation, member, applicant_b):
    join_request = join(organisation, applicant_b)

    error = refused(decide, join_request=join_request, actor=member)

    assert error.code == "not_signatory"
    assert JoinRequest.objects.get().state == JoinRequest.State.PENDING
    assert not Membership.objects.filter(user=applicant_b).exists()


def test_a_request_is_answered_once(organisation, applicant, applicant_b):
    join_request = join(organisation, applicant_b)
    decide(join_request, applicant, approve=False)

    error = refused(decide, join_request=join_request, actor=applicant)

    assert error.code == "wrong_state"


# Registering a number already registered offers a request to join


@pytest.fixture
def sole_trader(applicant):
    return services.organisation_register(
        actor=applicant,
        name="Alva Sökande Konst",
        org_number="19121212-1212",
        org_type="sole_trader",
        municipality="2380",
    )


def test_a_registered_number_offers_to_ask_to_join_without_showing_the_organisation(
    client, organisation, applicant_b
):
    client.force_login(applicant_b)
    number = organisation.org_number.replace("-", "")

    response = client.post(reverse("organisations:register"), REGISTRATION | {"org_number": number})

    page = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "organisations/join_request.html"
    assert organisation.name not in page
    assert organisation.email not in page
    assert Organisation.objects.count() == 1


def test_a_registered_number_is_offered_to_join_before_the_address_is_asked_for(
    client, organisation, applicant_b
):
    client.force_login(applicant_b)

    response = client.post(
        reverse("organisations:register"),
        {"org_number": organisation.org_number, "org_type": "association", "name": ""},
    )

    assert response.templates[0].name == "organisations/join_request.html"
    assert Organisation.objects.count() == 1


def test_a_registered_personnummer_stays_masked_on_the_join_page(client, sole_trader, applicant_b):
    client.force_login(applicant_b)

    response = client.post(
        reverse("organisations:register"),
        REGISTRATION | {"org_number": "191212121212", "org_type": "sole_trader"},
    )

    page = response.content.decode()
    assert "121212-****" in page
    assert "1212121212" not in page and "121212-1212" not in page
    assert sole_trader.name not in page


def ask_to_join(client, organisation, message):
    """Register the organisation's number again, then send the request the page offers."""
    client.post(
        reverse("organisations:register"), REGISTRATION | {"org_number": organisation.org_number}
    )
    return client.post(reverse("organisations:join_request"), {"message": message})


def test_sending_the_request_from_the_join_page(
    client, organisation, applicant_b, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(applicant_b)

    with django_capture_on_commit_callbacks(execute=True):
        response = ask_to_join(client, organisation, "Hej!")

    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    assert (join_request.user, join_request.organisation, join_request.message) == (
        applicant_b,
        organisation,
        "Hej!",
    )
    assert len(mailoutbox) == 1


def test_a_second_request_is_refused_on_the_join_page_keeping_the_message(
    client, organisation, applicant_b
):
    join(organisation, applicant_b)
    client.force_login(applicant_b)

    response = ask_to_join(client, organisation, "Igen")

    page = response.content.decode()
    assert response.status_code == 200
    assert "already asked" in page
    assert "Igen" in page
    assert JoinRequest.objects.count() == 1


def test_registering_ones_own_organisation_again_leads_to_it(client, organisation, applicant):
    client.force_login(applicant)

    response = client.post(
        reverse("organisations:register"), REGISTRATION | {"org_number": organisation.org_number}
    )

    assert response.status_code == 302
    assert response.url == reverse("organisations:detail", args=[organisation.pk])
    assert not JoinRequest.objects.exists()


def test_without_a_registered_number_first_nothing_is_sent(client, organisation, applicant_b):
    client.force_login(applicant_b)

    response = client.post(reverse("organisations:join_request"), {"message": "Hej"})

    assert response.status_code == 302
    assert response.url == reverse("organisations:register")
    assert not JoinRequest.objects.exists()


def test_the_join_page_is_post_only_and_needs_login(client):
    response = client.post(reverse("organisations:join_request"), {})
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_signatory_approves_on_the_organisation_page(client, organisation, applicant, applicant_b):
    join_request = join(organisation, applicant_b)
    client.force_login(applicant)
    page = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert "Bo Sökande" in page and "Jag är kassör." in page

    response = client.post(
        reverse("organisations:join_request_decide", args=[organisation.pk, join_request.pk]),
        {"decision": "approve", "role": "signatory"},
    )

    assert response.status_code == 302
    assert Membership.objects.get(user=applicant_b, organisation=organisation).role == "signatory"


def test_a_contact_person_cannot_approve_on_the_page(client, organisation, member, applicant_b):
    join_request = join(organisation, applicant_b)
    client.force_login(member)
    page = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert 'value="approve"' not in page

    client.post(
        reverse("organisations:join_request_decide", args=[organisation.pk, join_request.pk]),
        {"decision": "approve", "role": "signatory"},
    )

    assert JoinRequest.objects.get().state == JoinRequest.State.PENDING
    assert not Membership.objects.filter(user=applicant_b).exists()


def test_another_organisations_request_is_not_found(client, organisation, applicant_b):
    other = factories.organisation(applicant_b)
    stranger = factories.user()
    join_request = join(other, stranger)
    client.force_login(organisation.memberships.get().user)

    response = client.post(
        reverse("organisations:join_request_decide", args=[organisation.pk, join_request.pk]),
        {"decision": "approve"},
    )

    assert response.status_code == 404


# Invitations


def invite(organisation, actor, email="ny@example.org", role="member"):
    return services.invitation_create(
        organisation=organisation, actor=actor, email=email, role=role
    )


def test_an_invitation_stores_only_the_hash_and_sends_the_link(
    organisation, applicant, mailoutbox, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invite(organisation, applicant, email=" Ny@Example.org ")

    assert invitation.email == "ny@example.org"
    assert token not in invitation.token_sha256
    assert len(token) >= 40
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT), abs=timedelta(seconds=5)
    )
    assert entries_for(invitation).get().action == "organisations.invitation.created"
    assert mailoutbox[0].to == ["ny@example.org"]
    assert f"{settings.SITE_URL}/mina-sidor/organisationer/inbjudan/{token}/" in mailoutbox[0].body
    assert organisation.name in mailoutbox[0].subject


def test_a_contact_person_cannot_invite(organisation, member):
    error = refused(invite, organisation=organisation, actor=member)
    assert error.code == "not_signatory"
    assert not Invitation.objects.exists()


def test_a_member_is_not_invited_again(organisation, applicant, member):
    error = refused(
        invite, organisation=organisation, actor=applicant, email="MEMBER-A@example.org"
    )
    assert error.code == "already_member"


def test_a_new_invitation_replaces_the_open_one(organisation, applicant):
    first, first_token = invite(organisation, applicant)
    second, _ = invite(organisation, applicant)

    first.refresh_from_db()
    assert not first.is_open and second.is_open
    with pytest.raises(services.WorkflowError):
        services.invitation_accept(token=first_token, user=factories.user("ny@example.org"))


def test_accepting_makes_the_user_a_member_with_the_invited_role(organisation, applicant):
    invitation, token = invite(organisation, applicant, role="signatory")
    invited = factories.user("NY@example.org")

    membership = services.invitation_accept(token=token, user=invited)

    assert (membership.user, membership.organisation, membership.role) == (
        invited,
        organisation,
        "signatory",
    )
    invitation.refresh_from_db()
    assert invitation.accepted_by == invited
    assert entries_for(invitation).filter(action="organisations.invitation.accepted").exists()


def test_an_invitation_is_accepted_once(organisation, applicant):
    _, token = invite(organisation, applicant)
    invited = factories.user("ny@example.org")
    services.invitation_accept(token=token, user=invited)

    error = refused(services.invitation_accept, token=token, user=invited)

    assert error.code == "used"


def test_the_wrong_address_cannot_accept(organisation, applicant, applicant_b):
    _, token = invite(organisation, applicant)

    error = refused(services.invitation_accept, token=token, user=applicant_b)

    assert error.code == "wrong_email"
    assert "ny@example.org" in str(error)
    assert not Membership.objects.filter(user=applicant_b).exists()


def test_an_expired_invitation_cannot_be_accepted(organisation, applicant):
    invitation, token = invite(organisation, applicant)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())

    error = refused(services.invitation_accept, token=token, user=factories.user("ny@example.org"))

    assert error.code == "expired"


def test_a_revoked_invitation_cannot_be_accepted(organisation, applicant):
    invitation, token = invite(organisation, applicant)
    services.invitation_revoke(invitation=invitation, actor=applicant)

    error = refused(services.invitation_accept, token=token, user=factories.user("ny@example.org"))

    assert error.code == "revoked"
    assert entries_for(invitation).filter(action="organisations.invitation.revoked").exists()


def test_an_unknown_token_cannot_be_accepted(applicant):
    error = refused(services.invitation_accept, token="nonsense", user=applicant)
    assert error.code == "not_found"


def test_a_contact_person_cannot_revoke(organisation, applicant, member):
    invitation, _ = invite(organisation, applicant)

    error = refused(services.invitation_revoke, invitation=invitation, actor=member)

    assert error.code == "not_signatory"
    invitation.refresh_from_db()
    assert invitation.is_open


def test_a_signatory_invited_as_contact_person_stays_signatory(organisation, applicant):
    other_signatory = factories.user("ny@example.org")
    services.membership_add(
        organisation=organisation, user=other_signatory, role="signatory", actor=applicant
    )
    invitation = Invitation.objects.create(
        organisation=organisation,
        email="ny@example.org",
        role="member",
        token_sha256=services._token_sha256("t"),
        invited_by=applicant,
        expires_at=timezone.now() + timedelta(days=1),
    )

    membership = services.invitation_accept(token="t", user=other_signatory)

    assert membership.role == "signatory"
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


# The invitation pages


def test_a_signatory_invites_on_the_invite_page(
    client, organisation, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    assert client.get(reverse("organisations:invite", args=[organisation.pk])).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organisations:invite", args=[organisation.pk]),
            {"email": "ny@example.org", "role": "member"},
        )

    assert response.status_code == 302
    assert Invitation.objects.get().email == "ny@example.org"
    assert len(mailoutbox) == 1
    page = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert "ny@example.org" in page


def test_an_invalid_invitation_keeps_what_was_typed(client, organisation, applicant, member):
    client.force_login(applicant)

    response = client.post(
        reverse("organisations:invite", args=[organisation.pk]),
        {"email": "member-a@example.org", "role": "signatory"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "already acts for" in page
    assert 'value="member-a@example.org"' in page
    assert 'value="signatory" required id="id_role_0" checked' in page
    assert not Invitation.objects.exists()


def test_a_contact_person_cannot_open_the_invite_page(client, organisation, member):
    client.force_login(member)
    url = reverse("organisations:invite", args=[organisation.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"email": "x@example.org", "role": "member"}).status_code == 403
    assert not Invitation.objects.exists()


def test_the_invite_page_of_another_organisation_is_not_found(client, organisation, applicant_b):
    client.force_login(applicant_b)
    assert client.get(reverse("organisations:invite", args=[organisation.pk])).status_code == 404


def test_a_signatory_revokes_on_the_page(client, organisation, applicant):
    invitation, _ = invite(organisation, applicant)
    client.force_login(applicant)

    client.post(reverse("organisations:invitation_revoke", args=[organisation.pk, invitation.pk]))

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_a_contact_person_cannot_revoke_on_the_page(client, organisation, applicant, member):
    invitation, _ = invite(organisation, applicant)
    client.force_login(member)

    client.post(reverse("organisations:invitation_revoke", args=[organisation.pk, invitation.pk]))

    invitation.refresh_from_db()
    assert invitation.is_open


def test_an_anonymous_visitor_sees_who_invites_and_how_to_log_in(client, organisation, applicant):
    _, token = invite(organisation, applicant)
    url = reverse("organisations:invitation", args=[token])

    response = client.get(url)

    page = response.content.decode()
    assert response.status_code == 200
    assert organisation.name in page
    assert f"{reverse('accounts:login')}?next={url}" in page
    assert f"{reverse('accounts:signup')}?next={url}" in page


def test_an_anonymous_visitor_cannot_accept(client, organisation, applicant):
    _, token = invite(organisation, applicant)

    client.post(reverse("organisations:invitation", args=[token]))

    assert not Invitation.objects.get().accepted_at


def test_the_invited_user_accepts_on_the_page(client, organisation, applicant):
    _, token = invite(organisation, applicant)
    invited = factories.user("ny@example.org")
    client.force_login(invited)

    response = client.post(reverse("organisations:invitation", args=[token]))

    assert response.status_code == 302
    assert response.url == reverse("organisations:detail", args=[organisation.pk])
    assert Membership.objects.get(user=invited).role == "member"


def test_the_wrong_user_is_refused_on_the_page(client, organisation, applicant, applicant_b):
    _, token = invite(organisation, applicant)
    client.force_login(applicant_b)
    url = reverse("organisations:invitation", args=[token])

    page = client.get(url).content.decode()
    assert "ny@example.org" in page and "applicant-b@example.org" in page
    assert "Accept and act for" not in page

    page = client.post(url, follow=True).content.decode()
    assert "but you are logged in as" in page
    assert not Membership.objects.filter(user=applicant_b).exists()


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"revoked_at": timezone.now()}, "withdrawn"),
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "expired"),
    ],
)
def test_a_closed_invitation_says_why_without_showing_the_organisation(
    client, organisation, applicant, change, says
):
    invitation, token = invite(organisation, applicant)
    Invitation.objects.filter(pk=invitation.pk).update(**change)

    response = client.get(reverse("organisations:invitation", args=[token]))

    page = response.content.decode()
    assert says in page
    assert organisation.name not in page


def test_an_unknown_invitation_link_is_explained(client, db):
    response = client.get(reverse("organisations:invitation", args=["nonsense"]))

    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_accepting_an_invitation_answers_the_users_own_request(organisation, applicant):
    invited = factories.user("ny@example.org")
    join_request = join(organisation, invited)
    _, token = invite(organisation, applicant)

    services.invitation_accept(token=token, user=invited)

    join_request.refresh_from_db()
    assert join_request.state == JoinRequest.State.APPROVED
    assert join_request.decided_by == applicant


def test_a_request_from_someone_added_meanwhile_is_not_listed(
    client, organisation, applicant, applicant_b
):
    join(organisation, applicant_b)
    services.membership_add(
        organisation=organisation, user=applicant_b, role="member", actor=applicant
    )
    client.force_login(applicant)

    page = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()

    assert 'value="approve"' not in page


def test_the_wrong_user_can_log_out_and_come_back_to_the_invitation(
    client, organisation, applicant, applicant_b
):
    _, token = invite(organisation, applicant)
    client.force_login(applicant_b)
    url = reverse("organisations:invitation", args=[token])
    page = client.get(url).content.decode()
    back = f"{reverse('accounts:login')}?next={url}"
    assert f'name="next" value="{back}"' in page

    response = client.post(reverse("accounts:logout"), {"next": back})

    assert response.status_code == 302
    assert response.url == back
