"""Handle a submitted case up to its proposal: review, completion, assessment, withdrawal, jäv."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import entries_for, log_action
from grants import permissions, workflow
from grants.models import (
    Application,
    Assessment,
    CompletionRequest,
    ConflictOfInterest,
    CriterionScore,
    Perspective,
)
from grants.services.checks import (
    _application_facts,
    _money,
    _permission_message,
    _signatory_emails,
    lock_application,
    require_transition,
    submission_problems,
)
from grants.services.drafts import APPLICANT_CHANGES
from grants.workflow import ApplicationState
from organisations.errors import WorkflowError
from organisations.models import Organisation, User
from organisations.notifications import email_on_commit

S = ApplicationState


def _require_officer(officer: User, application: Application) -> None:
    if not permissions.can_handle(application, officer):
        if officer.is_active and permissions.has_conflict(officer, application.organisation):
            raise WorkflowError(
                _("%(name)s has a conflict of interest (jäv) for %(organisation)s.")
                % {"name": officer, "organisation": application.organisation.name},
                code="conflict",
            )
        raise WorkflowError(
            _("%(name)s is not a culture officer.") % {"name": officer}, code="wrong_role"
        )


@transaction.atomic
def application_start_review(
    *, application: Application, actor: User, officer: User | None = None
) -> Application:
    """Take the case (or assign it to ``officer``) and start handling it."""
    application = lock_application(application)
    require_transition(application, "start_review", actor)
    officer = officer or actor
    _require_officer(officer, application)
    application.assigned_officer = officer
    application.start_review()
    application.save(update_fields=["state", "review_started_at", "assigned_officer", "updated_at"])
    log_action(
        application,
        "grants.application.review_started",
        actor=actor,
        data={"officer": officer.email},
    )
    return application


@transaction.atomic
def application_assign(*, application: Application, actor: User, officer: User) -> Application:
    """Give a case that is being handled to another officer."""
    application = lock_application(application)
    if not permissions.can_handle(application, actor):
        raise WorkflowError(_permission_message(application, "assign", actor), code="denied")
    if (
        application.state
        not in {
            S.SUBMITTED,
            S.COMPLETION_REQUESTED,
            S.UNDER_REVIEW,
            S.PROPOSED,
            *workflow.GRANTED_STATES,
        }
        or application.state == S.CLOSED
    ):
        raise WorkflowError(
            _("A case that is “%(state)s” cannot be assigned.")
            % {"state": application.get_state_display()},
            code="wrong_state",
        )
    _require_officer(officer, application)
    old = application.assigned_officer
    application.assigned_officer = officer
    application.save(update_fields=["assigned_officer", "updated_at"])
    log_action(
        application,
        "grants.application.assigned",
        actor=actor,
        data={"old": old.email if old else None, "new": officer.email},
    )
    return application


@transaction.atomic
def application_request_completion(
    *,
    application: Application,
    actor: User,
    message: str,
    due_date: date,
    parts: list[str] | None = None,
) -> CompletionRequest:
    """Ask the applicant to complete named parts of the application by a due date."""
    application = lock_application(application)
    require_transition(application, "request_completion", actor)
    if not message.strip():
        raise WorkflowError(_("Write what the applicant must complete."), code="invalid")
    if due_date <= timezone.localdate():
        raise WorkflowError(_("The due date must be after today."), code="invalid")
    if application.assigned_officer_id is None:
        application.assigned_officer = actor
    application.request_completion()
    application.save(update_fields=["state", "assigned_officer", "updated_at"])
    # Created after the save, so that a later change to the application shows as an answer.
    request = CompletionRequest.objects.create(
        application=application,
        message=message.strip(),
        parts=list(parts or []),
        due_date=due_date,
        requested_by=actor,
    )
    log_action(
        application,
        "grants.application.completion_requested",
        actor=actor,
        data={"message": request.message, "parts": request.parts, "due_date": due_date},
    )
    email_on_commit(
        to=_signatory_emails(application.organisation) + [application.author.email],
        template="completion_requested",
        context=_application_facts(application)
        | {"message": request.message, "due_date": due_date.isoformat()},
        language=application.letter_language,
    )
    return request


@transaction.atomic
def application_complete(*, application: Application, actor: User, reply: str) -> Application:
    """Send the completed application back to the officer."""
    application = lock_application(application)
    require_transition(application, "complete", actor)
    request = application.completion_requests.filter(answered_at__isnull=True).first()
    changed = (
        request is None
        or entries_for(application)
        .filter(action__in=APPLICANT_CHANGES, created_at__gt=request.requested_at)
        .exists()
    )
    if not changed and not reply.strip():
        raise WorkflowError(
            _("Change the parts the officer asked about, or write a reply, before sending."),
            code="nothing_changed",
        )
    problems = submission_problems(application, check_call=False)
    if problems:
        raise WorkflowError(
            _("The application cannot be sent back yet: %(problem)s") % {"problem": problems[0]},
            problems=problems,
            code="not_eligible",
        )
    if request is not None:
        request.reply = reply.strip()
        request.answered_at = timezone.now()
        request.answered_by = actor
        request.save(update_fields=["reply", "answered_at", "answered_by"])
    application.complete()
    application.save(update_fields=["state", "review_started_at", "updated_at"])
    log_action(application, "grants.application.completed", actor=actor, data={"reply": reply})
    if application.assigned_officer:
        email_on_commit(
            to=[application.assigned_officer.email],
            template="application_completed",
            context=_application_facts(application),
            language=application.assigned_officer.language,
        )
    return application


def require_assessor(application: Application, actor: User) -> None:
    """Raise unless the actor may change the application's assessment now: the assigned officer,
    without jäv, while the case is under review."""
    if not permissions.can_propose(application, actor):
        raise WorkflowError(_permission_message(application, "propose", actor), code="denied")
    if application.state != S.UNDER_REVIEW:
        raise WorkflowError(
            _("The assessment can be changed only while the case is under review."),
            code="wrong_state",
        )


@transaction.atomic
def assessment_save(
    *,
    application: Application,
    actor: User,
    scores: dict[int, tuple[int, str]] | None = None,
    perspectives: dict | None = None,
    agenda_goals: list[int] | None = None,
    recommendation: str = "",
    proposed_amount: Decimal | None = None,
    reasons: str = "",
    conditions: str = "",
) -> Assessment:
    """Save the assigned officer's assessment; it may be saved many times before proposing."""
    application = lock_application(application)
    require_assessor(application, actor)
    if recommendation and recommendation not in Assessment.Recommendation.values:
        raise WorkflowError(_("Choose a recommendation from the list."), code="invalid")
    if perspectives is not None and not set(perspectives) <= set(Perspective.values):
        raise WorkflowError(_("Unknown perspective."), code="invalid")
    if agenda_goals is not None and not all(1 <= int(goal) <= 17 for goal in agenda_goals):
        raise WorkflowError(_("The goals of Agenda 2030 are numbered 1 to 17."), code="invalid")
    if proposed_amount is not None and proposed_amount < 0:
        raise WorkflowError(_("The proposed amount cannot be negative."), code="invalid")
    requested = application.requested_amount
    if proposed_amount is not None and requested is not None and proposed_amount > requested:
        raise WorkflowError(
            _("The proposed amount cannot be more than the %(amount)s kr applied for.")
            % {"amount": _money(requested)},
            code="invalid",
        )
    assessment, _created = Assessment.objects.get_or_create(
        application=application, defaults={"officer": actor}
    )
    assessment.officer = actor
    if perspectives is not None:
        assessment.perspectives = perspectives
    if agenda_goals is not None:
        assessment.agenda_goals = sorted(set(agenda_goals))
    assessment.recommendation = recommendation
    assessment.proposed_amount = proposed_amount
    assessment.reasons = reasons
    assessment.conditions = conditions
    assessment.save()
    criteria = {c.pk: c for c in application.call.programme.criteria.all()}
    for criterion_id, (score, comment) in (scores or {}).items():
        if criterion_id not in criteria:
            raise WorkflowError(_("Unknown assessment criterion."), code="invalid")
        if not 1 <= int(score) <= 5:
            raise WorkflowError(_("Scores go from 1 to 5."), code="invalid")
        CriterionScore.objects.update_or_create(
            assessment=assessment,
            criterion=criteria[criterion_id],
            defaults={"score": int(score), "comment": comment},
        )
    log_action(
        application,
        "grants.assessment.saved",
        actor=actor,
        data={
            "recommendation": recommendation,
            "proposed_amount": proposed_amount,
            "weighted_score": assessment.weighted_score(),
        },
    )
    return assessment


@transaction.atomic
def application_propose(*, application: Application, actor: User) -> Application:
    """Put the assessed case forward for decision (förslag till beslut)."""
    application = lock_application(application)
    require_transition(application, "propose", actor)
    assessment = getattr(application, "assessment", None)
    if assessment is None:
        raise WorkflowError(
            _("Assess the application before proposing a decision."), code="incomplete"
        )
    missing = assessment.missing_parts()
    if missing:
        raise WorkflowError(
            _("The assessment lacks %(parts)s.") % {"parts": ", ".join(missing)},
            problems=missing,
            code="incomplete",
        )
    # Whoever proposes presents the case (föredragande): four-eyes is checked against them.
    assessment.officer = actor
    assessment.save(update_fields=["officer", "updated_at"])
    application.propose()
    application.save(update_fields=["state", "proposed_at", "updated_at"])
    log_action(
        application,
        "grants.application.proposed",
        actor=actor,
        data={
            "recommendation": assessment.recommendation,
            "proposed_amount": assessment.proposed_amount,
            "weighted_score": assessment.weighted_score(),
        },
    )
    return application


@transaction.atomic
def application_return_for_review(
    *, application: Application, actor: User, reason: str
) -> Application:
    """Send a proposal back to the officer, with the reason."""
    application = lock_application(application)
    require_transition(application, "return_for_review", actor)
    if not reason.strip():
        raise WorkflowError(_("Give the reason for returning the case."), code="invalid")
    application.return_for_review()
    application.save(update_fields=["state", "proposed_at", "updated_at"])
    log_action(
        application, "grants.application.returned", actor=actor, data={"reason": reason.strip()}
    )
    if application.assigned_officer:
        email_on_commit(
            to=[application.assigned_officer.email],
            template="application_returned",
            context=_application_facts(application) | {"reason": reason.strip()},
            language=application.assigned_officer.language,
        )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, actor: User, reason: str = "") -> Application:
    """Withdraw the application before it is decided."""
    application = lock_application(application)
    require_transition(application, "withdraw", actor)
    was_submitted = application.state != S.DRAFT
    application.withdraw()
    application.save(update_fields=["state", "withdrawn_at", "updated_at"])
    CompletionRequest.objects.filter(application=application, answered_at__isnull=True).update(
        answered_at=timezone.now(), answered_by=actor, reply=reason
    )
    log_action(application, "grants.application.withdrawn", actor=actor, data={"reason": reason})
    if was_submitted and application.assigned_officer:
        email_on_commit(
            to=[application.assigned_officer.email],
            template="application_withdrawn",
            context=_application_facts(application),
            language=application.assigned_officer.language,
        )
    return application


@transaction.atomic
def conflict_declare(
    *, user: User, organisation: Organisation, reason: str, actor: User
) -> ConflictOfInterest:
    """Record a member of staff's jäv for an organisation and take them off its open cases."""
    if actor != user and not actor.is_superuser:
        raise WorkflowError(_("You can declare a conflict of interest only for yourself."))
    if not reason.strip():
        raise WorkflowError(_("Give the reason for the conflict of interest."), code="invalid")
    conflict, created = ConflictOfInterest.objects.get_or_create(
        user=user, organisation=organisation, defaults={"reason": reason.strip()}
    )
    unassigned = list(
        Application.objects.select_for_update()
        .filter(organisation=organisation, assigned_officer=user)
        .exclude(state__in=[S.CLOSED, S.WITHDRAWN, S.REJECTED])
        .values_list("pk", flat=True)
    )
    Application.objects.filter(pk__in=unassigned).update(assigned_officer=None)
    if created:
        log_action(
            conflict,
            "grants.conflict.declared",
            actor=actor,
            data={
                "user": user.email,
                "organisation": organisation.org_number,
                "reason": conflict.reason,
                "unassigned_applications": unassigned,
            },
        )
    return conflict
