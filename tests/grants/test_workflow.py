"""The application's transitions before the decision (DESIGN §4.1, §4.3): each allowed path and
each refused one — wrong state, wrong role, jäv — and the audit entry of each."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from audit.services import entries_for
from grants import services
from grants.models import Application, CompletionRequest
from grants.workflow import ApplicationState as S
from organisations.errors import WorkflowError
from organisations.services import membership_add
from tests import factories
from tests.assertions import refused, state_of

JAV = "conflict of interest \\(jäv\\) for Storsjöteatern ideell förening"


def due() -> object:
    return timezone.localdate() + timedelta(days=14)


@pytest.fixture
def completion_requested(under_review, officer):
    services.application_request_completion(
        application=under_review,
        actor=officer,
        message="Bifoga en tidsplan för turnén.",
        due_date=due(),
        parts=["project", "budget", "attachments"],
    )
    return Application.objects.get(pk=under_review.pk)


@pytest.fixture
def rejected(proposed, decider, delegation):
    return factories.decide(proposed, decider, outcome="rejected").application


def actions(application) -> list[str]:
    return list(entries_for(application).values_list("action", flat=True))


def declare_jav(user, organisation):
    return services.conflict_declare(
        user=user, organisation=organisation, reason="Styrelseledamot.", actor=user
    )


# Protected state


def test_state_cannot_be_assigned_directly(submitted):
    application = Application.objects.get(pk=submitted.pk)

    with pytest.raises(AttributeError):
        application.state = "approved"

    assert state_of(submitted) == S.SUBMITTED


def test_state_of_a_decided_application_cannot_be_assigned_directly(approved):
    with pytest.raises(AttributeError):
        approved.state = S.DRAFT


def test_a_new_application_cannot_be_created_in_another_state(organisation, call, applicant):
    with pytest.raises((ValueError, TypeError, WorkflowError)):
        services.application_create(
            organisation=organisation,
            call=call,
            actor=applicant,
            title="Genväg",
            state="approved",
            case_number="KUL 1999/0001",
        )

    assert not Application.objects.exists()


# start_review: submitted → under_review


def test_officer_takes_the_case(submitted, officer):
    application = services.application_start_review(application=submitted, actor=officer)

    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW
    assert application.assigned_officer == officer
    assert application.review_started_at is not None
    entry = entries_for(application).get(action="grants.application.review_started")
    assert entry.actor == officer
    assert entry.data == {"officer": "officer@example.org"}


def test_officer_assigns_the_case_to_another_officer(submitted, officer, officer_2):
    application = services.application_start_review(
        application=submitted, actor=officer, officer=officer_2
    )

    assert application.assigned_officer == officer_2
    assert entries_for(application).get(action="grants.application.review_started").data == {
        "officer": "officer-2@example.org"
    }


@pytest.mark.parametrize("who", ["decider", "finance", "secretary"])
def test_staff_who_are_not_officers_cannot_take_a_case(request, submitted, who):
    error = refused(
        services.application_start_review,
        application=submitted,
        actor=request.getfixturevalue(who),
    )

    assert error.code == "denied"
    assert str(error) == "Your role does not allow this."
    assert state_of(submitted) == S.SUBMITTED


@pytest.mark.parametrize("who", ["applicant", "member", "applicant_b"])
def test_applicants_cannot_take_a_case(request, submitted, who):
    error = refused(
        services.application_start_review,
        application=submitted,
        actor=request.getfixturevalue(who),
    )

    assert error.code == "denied"
    assert state_of(submitted) == S.SUBMITTED


def test_an_applicant_is_told_their_role_does_not_allow_it_not_that_they_have_jav(
    submitted, applicant
):
    with pytest.raises(WorkflowError, match="Your role does not allow this."):
        services.application_start_review(application=submitted, actor=applicant)


def test_officer_with_declared_jav_cannot_take_the_case(submitted, officer, organisation):
    declare_jav(officer, organisation)

    error = refused(services.application_start_review, application=submitted, actor=officer)

    assert error.code == "denied"
    assert str(error) == (
        "You have a conflict of interest (jäv) for Storsjöteatern ideell förening and may not "
        "handle its applications."
    )
    assert state_of(submitted) == S.SUBMITTED


def test_officer_who_is_a_member_of_the_organisation_has_jav(
    submitted, officer, organisation, applicant
):
    membership_add(organisation=organisation, user=officer, role="member", actor=applicant)

    with pytest.raises(WorkflowError, match=JAV):
        services.application_start_review(application=submitted, actor=officer)

    assert state_of(submitted) == S.SUBMITTED


def test_a_case_cannot_be_given_to_an_officer_with_jav(submitted, officer, officer_2, organisation):
    declare_jav(officer_2, organisation)

    error = refused(
        services.application_start_review,
        application=submitted,
        actor=officer,
        officer=officer_2,
    )

    assert error.code == "conflict"
    assert str(error) == (
        "Erik Handläggare has a conflict of interest (jäv) for Storsjöteatern ideell förening."
    )
    application = Application.objects.get(pk=submitted.pk)
    assert application.state == S.SUBMITTED
    assert application.assigned_officer is None


def test_a_case_cannot_be_given_to_someone_who_is_not_an_officer(submitted, officer, decider):
    error = refused(
        services.application_start_review, application=submitted, actor=officer, officer=decider
    )

    assert error.code == "wrong_role"
    assert str(error) == "Anna Chef is not a culture officer."


@pytest.mark.parametrize("fixture", ["draft", "under_review", "completion_requested", "approved"])
def test_review_starts_only_from_submitted(request, fixture, officer):
    application = request.getfixturevalue(fixture)
    state = state_of(application)

    error = refused(services.application_start_review, application=application, actor=officer)

    assert error.code == "wrong_state"
    assert state_of(application) == state


# application_assign


def test_a_case_under_review_is_reassigned(under_review, officer, officer_2):
    application = services.application_assign(
        application=under_review, actor=officer, officer=officer_2
    )

    assert application.assigned_officer == officer_2
    assert application.state == S.UNDER_REVIEW
    assert entries_for(application).get(action="grants.application.assigned").data == {
        "old": "officer@example.org",
        "new": "officer-2@example.org",
    }


def test_a_case_is_not_reassigned_to_an_officer_who_is_a_member(
    under_review, officer, officer_2, organisation, applicant
):
    membership_add(organisation=organisation, user=officer_2, role="member", actor=applicant)

    error = refused(
        services.application_assign, application=under_review, actor=officer, officer=officer_2
    )

    assert error.code == "conflict"
    assert Application.objects.get(pk=under_review.pk).assigned_officer == officer


@pytest.mark.parametrize("who", ["decider", "applicant"])
def test_only_an_officer_reassigns(request, under_review, officer_2, who):
    error = refused(
        services.application_assign,
        application=under_review,
        actor=request.getfixturevalue(who),
        officer=officer_2,
    )

    assert error.code == "denied"


@pytest.mark.parametrize("fixture", ["draft", "rejected"])
def test_drafts_and_finished_cases_are_not_assigned(request, fixture, officer):
    error = refused(
        services.application_assign,
        application=request.getfixturevalue(fixture),
        actor=officer,
        officer=officer,
    )

    assert error.code == "wrong_state"


def test_declaring_jav_takes_the_officer_off_open_cases(under_review, officer, organisation):
    conflict = declare_jav(officer, organisation)

    assert Application.objects.get(pk=under_review.pk).assigned_officer is None
    entry = entries_for(conflict).get(action="grants.conflict.declared")
    assert entry.data["unassigned_applications"] == [under_review.pk]


def test_jav_is_declared_only_for_oneself(officer, officer_2, organisation):
    with pytest.raises(WorkflowError, match="only for yourself"):
        services.conflict_declare(
            user=officer_2, organisation=organisation, reason="Släkt.", actor=officer
        )


# request_completion: submitted, under_review → completion_requested


@pytest.mark.parametrize("fixture", ["submitted", "under_review"])
def test_officer_requests_completion(request, fixture, officer):
    application = request.getfixturevalue(fixture)

    completion = services.application_request_completion(
        application=application,
        actor=officer,
        message="  Bifoga en tidsplan.  ",
        due_date=due(),
        parts=["project", "budget"],
    )

    application = Application.objects.get(pk=application.pk)
    assert application.state == S.COMPLETION_REQUESTED
    assert application.assigned_officer == officer
    assert completion.message == "Bifoga en tidsplan."
    assert completion.parts == ["project", "budget"]
    assert completion.requested_by == officer
    assert completion.answered_at is None
    entry = entries_for(application).get(action="grants.application.completion_requested")
    assert entry.data == {
        "message": "Bifoga en tidsplan.",
        "parts": ["project", "budget"],
        "due_date": due().isoformat(),
    }


@pytest.mark.parametrize("days", [0, -1])
def test_completion_due_date_must_be_after_today(under_review, officer, days):
    error = refused(
        services.application_request_completion,
        application=under_review,
        actor=officer,
        message="Bifoga en tidsplan.",
        due_date=timezone.localdate() + timedelta(days=days),
    )

    assert str(error) == "The due date must be after today."
    assert state_of(under_review) == S.UNDER_REVIEW
    assert not CompletionRequest.objects.exists()


def test_completion_request_needs_a_message(under_review, officer):
    error = refused(
        services.application_request_completion,
        application=under_review,
        actor=officer,
        message="   ",
        due_date=due(),
    )

    assert str(error) == "Write what the applicant must complete."
    assert state_of(under_review) == S.UNDER_REVIEW


@pytest.mark.parametrize("who", ["applicant", "decider", "finance"])
def test_only_officers_request_completion(request, under_review, who):
    error = refused(
        services.application_request_completion,
        application=under_review,
        actor=request.getfixturevalue(who),
        message="Bifoga en tidsplan.",
        due_date=due(),
    )

    assert error.code == "denied"
    assert state_of(under_review) == S.UNDER_REVIEW


def test_officer_with_jav_cannot_request_completion(under_review, officer_2, organisation):
    declare_jav(officer_2, organisation)

    with pytest.raises(WorkflowError, match=JAV):
        services.application_request_completion(
            application=under_review, actor=officer_2, message="Bifoga.", due_date=due()
        )


@pytest.mark.parametrize("fixture", ["draft", "completion_requested", "proposed"])
def test_completion_is_requested_only_from_submitted_or_under_review(request, fixture, officer):
    application = request.getfixturevalue(fixture)
    state = state_of(application)

    error = refused(
        services.application_request_completion,
        application=application,
        actor=officer,
        message="Bifoga.",
        due_date=due(),
    )

    assert error.code == "wrong_state"
    assert state_of(application) == state


# complete: completion_requested → under_review


def test_signatory_completes_after_changing_the_application(completion_requested, applicant):
    services.application_update(
        application=completion_requested,
        actor=applicant,
        description="Turnén går i juni och juli; tidsplanen är bifogad.",
    )

    application = services.application_complete(
        application=completion_requested, actor=applicant, reply=""
    )

    assert application.state == S.UNDER_REVIEW
    request = application.completion_requests.get()
    assert request.answered_at is not None
    assert request.answered_by == applicant
    assert actions(application)[-2:] == [
        "grants.application.changed",
        "grants.application.completed",
    ]


def test_a_new_attachment_counts_as_a_change(completion_requested, applicant):
    services.attachment_add(
        application=completion_requested,
        actor=applicant,
        kind="activity_plan",
        file=ContentFile(factories.PDF_BYTES, name="tidsplan.pdf"),
        original_name="Tidsplan.pdf",
        content_type="application/pdf",
    )

    application = services.application_complete(
        application=completion_requested, actor=applicant, reply=""
    )

    assert application.state == S.UNDER_REVIEW


def test_a_reply_alone_completes(completion_requested, applicant):
    application = services.application_complete(
        application=completion_requested, actor=applicant, reply="Tidsplanen finns i beskrivningen."
    )

    assert application.state == S.UNDER_REVIEW
    assert application.completion_requests.get().reply == "Tidsplanen finns i beskrivningen."


def test_completing_with_nothing_changed_and_no_reply_is_refused(completion_requested, applicant):
    error = refused(
        services.application_complete,
        application=completion_requested,
        actor=applicant,
        reply="  ",
    )

    assert error.code == "nothing_changed"
    assert str(error) == (
        "Change the parts the officer asked about, or write a reply, before sending."
    )
    assert state_of(completion_requested) == S.COMPLETION_REQUESTED
    assert completion_requested.completion_requests.get().answered_at is None


def test_a_member_changes_the_application_but_only_a_signatory_sends_it(
    completion_requested, member
):
    services.application_update(
        application=completion_requested, actor=member, summary="Ny sammanfattning."
    )

    error = refused(
        services.application_complete,
        application=completion_requested,
        actor=member,
        reply="Klart.",
    )

    assert str(error) == "Only a signatory of Storsjöteatern ideell förening can do this."
    assert state_of(completion_requested) == S.COMPLETION_REQUESTED


@pytest.mark.parametrize("who", ["officer", "applicant_b"])
def test_others_cannot_complete(request, completion_requested, who):
    error = refused(
        services.application_complete,
        application=completion_requested,
        actor=request.getfixturevalue(who),
        reply="Klart.",
    )

    assert error.code == "denied"


def test_a_reassignment_by_the_officer_is_not_the_applicants_change(
    completion_requested, officer, officer_2, applicant
):
    services.application_assign(application=completion_requested, actor=officer, officer=officer_2)

    with pytest.raises(WorkflowError, match="Change the parts the officer asked about"):
        services.application_complete(application=completion_requested, actor=applicant, reply="")


def test_a_completed_application_must_still_meet_the_submission_rules(
    completion_requested, applicant
):
    services.application_update(
        application=completion_requested, actor=applicant, requested_amount=Decimal("900000")
    )

    with pytest.raises(WorkflowError) as excinfo:
        services.application_complete(application=completion_requested, actor=applicant, reply="")

    assert any("must be between" in problem for problem in excinfo.value.problems)
    assert state_of(completion_requested) == S.COMPLETION_REQUESTED


@pytest.mark.parametrize("fixture", ["submitted", "under_review"])
def test_complete_only_when_completion_was_requested(request, fixture, applicant):
    application = request.getfixturevalue(fixture)

    error = refused(
        services.application_complete, application=application, actor=applicant, reply="Klart."
    )

    assert error.code == "wrong_state"


def test_a_submitted_application_cannot_be_changed(submitted, applicant):
    with pytest.raises(WorkflowError, match="can no longer be changed"):
        services.application_update(application=submitted, actor=applicant, summary="Ändrad.")


# return_for_review: proposed → under_review


@pytest.mark.parametrize("who", ["decider", "secretary"])
def test_a_decision_maker_returns_the_proposal_with_a_reason(request, proposed, who):
    actor = request.getfixturevalue(who)

    application = services.application_return_for_review(
        application=proposed, actor=actor, reason=" Budgeten behöver ses över. "
    )

    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW
    assert application.proposed_at is None
    entry = entries_for(application).get(action="grants.application.returned")
    assert entry.actor == actor
    assert entry.data == {"reason": "Budgeten behöver ses över."}


def test_a_returned_case_can_be_proposed_again(proposed, decider, officer):
    services.application_return_for_review(application=proposed, actor=decider, reason="Se över.")

    application = services.application_propose(application=proposed, actor=officer)

    assert application.state == S.PROPOSED


def test_returning_needs_a_reason(proposed, decider):
    error = refused(
        services.application_return_for_review, application=proposed, actor=decider, reason=" "
    )

    assert str(error) == "Give the reason for returning the case."
    assert state_of(proposed) == S.PROPOSED


@pytest.mark.parametrize("who", ["officer", "finance", "applicant"])
def test_only_decision_makers_return_proposals(request, proposed, who):
    error = refused(
        services.application_return_for_review,
        application=proposed,
        actor=request.getfixturevalue(who),
        reason="Se över.",
    )

    assert error.code == "denied"
    assert state_of(proposed) == S.PROPOSED


def test_decision_maker_with_jav_cannot_return_the_proposal(proposed, decider, organisation):
    declare_jav(decider, organisation)

    with pytest.raises(WorkflowError, match=JAV):
        services.application_return_for_review(
            application=proposed, actor=decider, reason="Se över."
        )


@pytest.mark.parametrize("fixture", ["under_review", "approved"])
def test_only_a_proposal_is_returned(request, fixture, decider):
    error = refused(
        services.application_return_for_review,
        application=request.getfixturevalue(fixture),
        actor=decider,
        reason="Se över.",
    )

    assert error.code == "wrong_state"


# withdraw: every undecided state → withdrawn


@pytest.mark.parametrize(
    "fixture", ["draft", "submitted", "completion_requested", "under_review", "proposed"]
)
def test_signatory_withdraws_an_undecided_application(request, fixture, applicant):
    application = request.getfixturevalue(fixture)

    withdrawn = services.application_withdraw(
        application=application, actor=applicant, reason="Projektet blir inte av."
    )

    withdrawn.refresh_from_db()
    assert withdrawn.state == S.WITHDRAWN
    assert withdrawn.withdrawn_at is not None
    entry = entries_for(withdrawn).get(action="grants.application.withdrawn")
    assert entry.actor == applicant
    assert entry.data == {"reason": "Projektet blir inte av."}


def test_a_withdrawn_draft_keeps_no_case_number(draft, applicant):
    withdrawn = services.application_withdraw(application=draft, actor=applicant)

    assert withdrawn.case_number is None


def test_withdrawing_answers_the_open_completion_request(completion_requested, applicant):
    services.application_withdraw(
        application=completion_requested, actor=applicant, reason="Vi drar tillbaka."
    )

    request = completion_requested.completion_requests.get()
    assert request.answered_at is not None
    assert request.reply == "Vi drar tillbaka."


@pytest.mark.parametrize("fixture", ["approved", "rejected"])
def test_a_decided_application_cannot_be_withdrawn(request, fixture, applicant):
    application = request.getfixturevalue(fixture)
    state = state_of(application)

    error = refused(services.application_withdraw, application=application, actor=applicant)

    assert error.code == "wrong_state"
    assert state_of(application) == state


def test_a_withdrawn_application_cannot_be_withdrawn_again(submitted, applicant):
    services.application_withdraw(application=submitted, actor=applicant)

    with pytest.raises(WorkflowError, match="“Withdrawn”"):
        services.application_withdraw(application=submitted, actor=applicant)


@pytest.mark.parametrize("who", ["member", "applicant_b", "officer"])
def test_only_a_signatory_withdraws(request, submitted, who):
    error = refused(
        services.application_withdraw, application=submitted, actor=request.getfixturevalue(who)
    )

    assert error.code == "denied"
    assert state_of(submitted) == S.SUBMITTED


# The whole way, as the audit trail tells it


def test_the_audit_trail_tells_the_story_of_a_case(approved):
    assert [action for action in actions(approved) if not action.endswith("attachment_added")] == [
        "grants.application.created",
        "grants.application.submitted",
        "grants.application.review_started",
        "grants.assessment.saved",
        "grants.application.proposed",
        "grants.application.approved",
    ]
