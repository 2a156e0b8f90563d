"""Who acts for an organisation: roles, removing and leaving, and changing its details.

A signatory changes roles and removes people; anyone may leave; the last signatory stays.
"""

import pytest
from django.urls import reverse

from audit.services import entries_for
from organisations import services
from organisations.models import Membership, Organisation
from tests import factories
from tests.assertions import refused


def membership_of(user, organisation):
    return Membership.objects.get(user=user, organisation=organisation)


# organisation_update


def test_a_signatory_changes_the_details_and_the_trail_has_old_and_new(organisation, applicant):
    updated = services.organisation_update(
        organisation=organisation,
        actor=applicant,
        email=" kansli@example.org ",
        phone="063-10 00 00",
        city=organisation.city,
    )

    assert (updated.email, updated.phone) == ("kansli@example.org", "063-10 00 00")
    entry = entries_for(organisation).get(action="organisations.organisation.updated")
    assert entry.actor == applicant
    assert entry.data == {
        "old": {"email": "info@example.org", "phone": ""},
        "new": {"email": "kansli@example.org", "phone": "063-10 00 00"},
    }


def test_nothing_changed_writes_nothing(organisation, applicant):
    services.organisation_update(organisation=organisation, actor=applicant, name=organisation.name)
    assert not entries_for(organisation).filter(action="organisations.organisation.updated")


def test_the_number_cannot_be_changed(organisation, applicant):
    error = refused(
        services.organisation_update,
        organisation=organisation,
        actor=applicant,
        org_number="232100-0214",
    )
    assert error.code == "invalid"
    assert Organisation.objects.get().org_number == organisation.org_number


def test_a_contact_person_cannot_change_the_details(organisation, member):
    error = refused(
        services.organisation_update, organisation=organisation, actor=member, name="Kapad"
    )
    assert error.code == "not_signatory"
    assert Organisation.objects.get().name == organisation.name


def test_an_invalid_detail_is_refused(organisation, applicant):
    error = refused(
        services.organisation_update, organisation=organisation, actor=applicant, email="nej"
    )
    assert error.code == "invalid"


# membership_change_role


def test_a_signatory_makes_a_contact_person_signatory(organisation, applicant, member):
    services.membership_change_role(
        membership=membership_of(member, organisation), actor=applicant, role="signatory"
    )

    membership = membership_of(member, organisation)
    assert membership.role == "signatory"
    entry = entries_for(membership).get(action="organisations.membership.role_changed")
    assert entry.data == {"user": member.email, "old": "member", "new": "signatory"}


def test_the_last_signatory_cannot_become_contact_person(organisation, applicant, member):
    error = refused(
        services.membership_change_role,
        membership=membership_of(applicant, organisation),
        actor=applicant,
        role="member",
    )

    assert error.code == "last_signatory"
    assert "must always have a signatory" in str(error)
    assert membership_of(applicant, organisation).role == "signatory"


def test_a_contact_person_cannot_change_roles(organisation, member):
    error = refused(
        services.membership_change_role,
        membership=membership_of(member, organisation),
        actor=member,
        role="signatory",
    )
    assert error.code == "not_signatory"
    assert membership_of(member, organisation).role == "member"


# membership_remove


def test_a_signatory_removes_a_contact_person(organisation, applicant, member):
    services.membership_remove(membership=membership_of(member, organisation), actor=applicant)

    assert not Membership.objects.filter(user=member).exists()
    entry = entries_for(organisation).get(action="organisations.membership.removed")
    assert (entry.actor, entry.data) == (applicant, {"user": member.email, "role": "member"})


def test_a_contact_person_leaves(organisation, member):
    services.membership_remove(membership=membership_of(member, organisation), actor=member)
    assert not Membership.objects.filter(user=member).exists()


def test_a_contact_person_cannot_remove_others(organisation, applicant, member):
    error = refused(
        services.membership_remove, membership=membership_of(applicant, organisation), actor=member
    )
    assert error.code == "not_signatory"
    assert Membership.objects.filter(organisation=organisation).count() == 2


def test_the_last_signatory_can_never_be_removed_or_leave(organisation, applicant, member):
    error = refused(
        services.membership_remove,
        membership=membership_of(applicant, organisation),
        actor=applicant,
    )
    assert error.code == "last_signatory"
    assert membership_of(applicant, organisation)


def test_a_signatory_leaves_when_another_remains(organisation, applicant, applicant_b):
    services.membership_add(
        organisation=organisation, user=applicant_b, role="signatory", actor=applicant
    )

    services.membership_remove(membership=membership_of(applicant, organisation), actor=applicant)

    assert list(organisation.memberships.values_list("user__email", flat=True)) == [
        applicant_b.email
    ]


def test_an_inactive_signatory_does_not_count(organisation, applicant, applicant_b):
    services.membership_add(
        organisation=organisation, user=applicant_b, role="signatory", actor=applicant
    )
    applicant_b.is_active = False
    applicant_b.save()

    error = refused(
        services.membership_remove,
        membership=membership_of(applicant, organisation),
        actor=applicant,
    )
    assert error.code == "last_signatory"


# The pages


def test_a_signatory_changes_a_role_on_the_page(client, organisation, applicant, member):
    client.force_login(applicant)
    membership = membership_of(member, organisation)

    response = client.post(
        reverse("organisations:member_role", args=[organisation.pk, membership.pk]),
        {"role": "signatory"},
    )

    assert response.status_code == 302
    assert membership_of(member, organisation).role == "signatory"


def test_a_contact_person_changes_no_role_on_the_page(client, organisation, member):
    client.force_login(member)
    membership = membership_of(member, organisation)

    response = client.post(
        reverse("organisations:member_role", args=[organisation.pk, membership.pk]),
        {"role": "signatory"},
        follow=True,
    )

    assert "Only a signatory" in response.content.decode()
    assert membership_of(member, organisation).role == "member"


def test_removing_the_last_signatory_on_the_page_says_why(client, organisation, applicant):
    client.force_login(applicant)
    membership = membership_of(applicant, organisation)

    response = client.post(
        reverse("organisations:member_remove", args=[organisation.pk, membership.pk]), follow=True
    )

    assert "must always have a signatory" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_signatory_removes_on_the_page(client, organisation, applicant, member):
    client.force_login(applicant)

    client.post(
        reverse(
            "organisations:member_remove",
            args=[organisation.pk, membership_of(member, organisation).pk],
        )
    )

    assert not Membership.objects.filter(user=member).exists()


def test_a_contact_person_removes_nobody_on_the_page(client, organisation, applicant, member):
    client.force_login(member)

    client.post(
        reverse(
            "organisations:member_remove",
            args=[organisation.pk, membership_of(applicant, organisation).pk],
        )
    )

    assert Membership.objects.filter(organisation=organisation).count() == 2


def test_leaving_on_the_page_goes_to_my_pages(client, organisation, member):
    client.force_login(member)

    response = client.post(
        reverse(
            "organisations:member_remove",
            args=[organisation.pk, membership_of(member, organisation).pk],
        )
    )

    assert response.url == reverse("portal:dashboard")
    assert not Membership.objects.filter(user=member).exists()


def test_the_member_actions_are_post_only(client, organisation, applicant, member):
    client.force_login(applicant)
    membership = membership_of(member, organisation)
    for name in ("organisations:member_role", "organisations:member_remove"):
        assert client.get(reverse(name, args=[organisation.pk, membership.pk])).status_code == 405


def test_another_organisations_membership_is_not_found(
    client, organisation, applicant, applicant_b
):
    other = factories.organisation(applicant_b)
    client.force_login(applicant)

    response = client.post(
        reverse(
            "organisations:member_remove",
            args=[organisation.pk, membership_of(applicant_b, other).pk],
        )
    )

    assert response.status_code == 404
    assert Membership.objects.filter(user=applicant_b).exists()


@pytest.mark.parametrize("name", ["organisations:member_role", "organisations:member_remove"])
def test_a_stranger_reaches_no_member_action(client, organisation, applicant, applicant_b, name):
    client.force_login(applicant_b)
    membership = membership_of(applicant, organisation)

    response = client.post(reverse(name, args=[organisation.pk, membership.pk]), {"role": "member"})

    assert response.status_code == 404
    assert membership_of(applicant, organisation).role == "signatory"


# The edit page

DETAILS = {
    "name": "Storsjöteatern",
    "municipality": "2309",
    "street_address": "Box 12",
    "postal_code": "83521",
    "city": "Krokom",
    "email": "kansli@example.org",
    "phone": "",
    "website": "storsjoteatern.example.org",
}


def test_a_signatory_edits_the_details(client, organisation, applicant):
    client.force_login(applicant)
    url = reverse("organisations:edit", args=[organisation.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, DETAILS)

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.name, organisation.postal_code, organisation.website) == (
        "Storsjöteatern",
        "835 21",
        "https://storsjoteatern.example.org",
    )


def test_a_mistake_on_the_edit_page_keeps_what_was_typed(client, organisation, applicant):
    client.force_login(applicant)

    response = client.post(
        reverse("organisations:edit", args=[organisation.pk]), DETAILS | {"postal_code": "8352"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "five digits" in page
    assert 'value="Box 12"' in page and 'value="8352"' in page
    organisation.refresh_from_db()
    assert organisation.name == "Storsjöteatern ideell förening"


def test_a_contact_person_cannot_edit(client, organisation, member):
    client.force_login(member)
    url = reverse("organisations:edit", args=[organisation.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, DETAILS).status_code == 403
    assert Organisation.objects.get().name == organisation.name


def test_the_page_offers_no_way_to_remove_the_only_signatory(client, organisation, applicant):
    client.force_login(applicant)
    own = membership_of(applicant, organisation)

    page = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()

    assert reverse("organisations:member_remove", args=[organisation.pk, own.pk]) not in page
    assert reverse("organisations:member_role", args=[organisation.pk, own.pk]) not in page
    assert "The only signatory" in page
