"""Who gets into the officer workspace, jäv on reading a case, and internal notes."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from audit.services import entries_for
from grants import selectors, services
from grants.models import InternalNote
from grants.signals import CASEWORKER_SESSION_KEY
from organisations.errors import WorkflowError
from organisations.services import membership_add
from tests import factories

QUEUE = "/en/handlaggning/"


@pytest.mark.django_db
def test_caseworkers_are_remembered_at_login_and_linked_to_the_workspace(
    client, officer, decider, secretary
):
    for user in (officer, decider, secretary):
        client.force_login(user)
        assert client.session[CASEWORKER_SESSION_KEY] is True
        page = client.get("/en/konto/").content.decode()
        assert f'href="{QUEUE}"' in page


@pytest.mark.django_db
def test_applicants_and_finance_get_no_workspace_link(client, applicant, finance, organisation):
    for user in (applicant, finance):
        client.force_login(user)
        assert client.session[CASEWORKER_SESSION_KEY] is False
        assert f'href="{QUEUE}"' not in client.get("/en/konto/").content.decode()


@pytest.mark.django_db
def test_staff_without_organisations_land_in_the_queue_from_my_pages(client, officer):
    client.force_login(officer)

    response = client.get("/en/mina-sidor/")

    assert response.status_code == 302
    assert response["Location"] == QUEUE


@pytest.mark.django_db
def test_staff_who_act_for_an_organisation_still_see_my_pages(client, officer, organisation):
    membership_add(organisation=organisation, user=officer, role="member", actor=None)
    client.force_login(officer)

    assert client.get("/en/mina-sidor/").status_code == 200


@pytest.mark.django_db
def test_conflicts_are_declared_ones_and_memberships(officer, organisation, call, applicant):
    other = factories.organisation(factories.user(), name="Annan förening")
    services.conflict_declare(
        user=officer, organisation=other, reason="Styrelseledamot", actor=officer
    )
    membership_add(organisation=organisation, user=officer, role="member", actor=None)

    assert selectors.conflict_organisation_ids(user=officer) == {organisation.pk, other.pk}


@pytest.mark.django_db
def test_caseworkers_see_submitted_cases_but_no_drafts_and_nothing_with_jav(
    officer, officer_2, draft, applicant, call
):
    submitted = services.application_submit(application=draft, actor=applicant)
    other_draft = factories.draft(draft.organisation, call, applicant)
    services.conflict_declare(
        user=officer_2, organisation=draft.organisation, reason="Jäv", actor=officer_2
    )

    assert list(selectors.applications_for_caseworker(user=officer)) == [submitted]
    assert other_draft not in selectors.applications_for_caseworker(user=officer)
    assert not selectors.applications_for_caseworker(user=officer_2).exists()


@pytest.mark.django_db
def test_no_one_else_reads_cases_through_the_caseworker_selector(
    applicant, finance, submitted, draft
):
    for user in (applicant, finance):
        assert not selectors.applications_for_caseworker(user=user).exists()
        with pytest.raises(PermissionDenied):
            selectors.application_for_caseworker(user=user, pk=submitted.pk)


@pytest.mark.django_db
def test_one_case_is_404_when_missing_or_a_draft_and_403_with_jav(
    officer, officer_2, submitted, call, applicant
):
    other_draft = factories.draft(submitted.organisation, call, applicant)
    services.conflict_declare(
        user=officer_2, organisation=submitted.organisation, reason="Jäv", actor=officer_2
    )

    assert selectors.application_for_caseworker(user=officer, pk=submitted.pk) == submitted
    with pytest.raises(Http404):
        selectors.application_for_caseworker(user=officer, pk=other_draft.pk)
    with pytest.raises(Http404):
        selectors.application_for_caseworker(user=officer, pk=999999)
    with pytest.raises(selectors.ConflictDenied):
        selectors.application_for_caseworker(user=officer_2, pk=submitted.pk)


@pytest.mark.django_db
def test_jav_page_says_why_and_shows_nothing_of_the_case(client, officer_2, submitted):
    services.conflict_declare(
        user=officer_2, organisation=submitted.organisation, reason="Jäv", actor=officer_2
    )
    client.force_login(officer_2)

    response = client.get(f"{QUEUE}{submitted.pk}/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "conflict of interest" in page
    assert submitted.title not in page
    assert submitted.organisation.name not in page


@pytest.mark.django_db
def test_caseworkers_write_internal_notes_that_are_audited(officer, decider, secretary, submitted):
    for author in (officer, decider, secretary):
        note = services.internal_note_add(
            application=submitted, actor=author, body="  Ringt sökanden. "
        )
        assert note.body == "Ringt sökanden."
        assert note.author == author

    assert InternalNote.objects.filter(application=submitted).count() == 3
    assert entries_for(submitted).filter(action="grants.note.added").count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["applicant", "finance", "jav_declared", "jav_member"])
def test_no_one_else_writes_internal_notes(who, request, submitted, officer_2):
    if who.startswith("jav"):
        actor = officer_2
        if who == "jav_declared":
            services.conflict_declare(
                user=actor, organisation=submitted.organisation, reason="Jäv", actor=actor
            )
        else:
            membership_add(
                organisation=submitted.organisation, user=actor, role="member", actor=None
            )
    else:
        actor = request.getfixturevalue(who)

    with pytest.raises(WorkflowError):
        services.internal_note_add(application=submitted, actor=actor, body="Något")

    assert not InternalNote.objects.exists()


@pytest.mark.django_db
def test_an_empty_or_overlong_note_is_refused(officer, submitted):
    with pytest.raises(WorkflowError, match="Write the note"):
        services.internal_note_add(application=submitted, actor=officer, body="   ")
    with pytest.raises(WorkflowError, match="at most"):
        services.internal_note_add(
            application=submitted, actor=officer, body="x" * (services.INTERNAL_NOTE_MAX_LENGTH + 1)
        )
