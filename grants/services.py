"""Every write a user can cause to an application before its decision (DESIGN §4, §10).

Each transition service runs the same steps in the same order (STYLE rule 4): open the
transaction, lock the row, check permission and state, call the transition, save, audit, and
queue e-mail on commit. Every refusal is a ``WorkflowError`` with a message for the person.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from audit.services import entries_for, log_action
from grants import permissions, receipts, steps, workflow
from grants.models import (
    Application,
    ApplicationPart,
    Assessment,
    Attachment,
    AttachmentKind,
    BudgetLine,
    Call,
    CaseMessage,
    CaseNumberSequence,
    CompletionRequest,
    ConflictOfInterest,
    CriterionScore,
)
from grants.workflow import ApplicationState
from organisations.errors import WorkflowError
from organisations.files import sha256_of
from organisations.models import Organisation, User
from organisations.notifications import email_on_commit

__all__ = ["WorkflowError"]

S = ApplicationState

# Locking


def lock_application(application: Application) -> Application:
    """Return the application re-read with its row locked until the transaction ends."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__programme", "organisation")
        .get(pk=application.pk)
    )


# Checks shared by the services


def require_transition(application: Application, transition_name: str, user: User) -> None:
    """Raise unless the transition is allowed from the current state and for this user."""
    method = getattr(application, transition_name)
    if not can_proceed(method, check_conditions=False):
        raise WorkflowError(
            _("This cannot be done while the application is “%(state)s”.")
            % {"state": application.get_state_display()},
            code="wrong_state",
        )
    meta = method._django_fsm
    if not meta.has_transition_perm(application, application.state, user):
        raise WorkflowError(_permission_message(application, transition_name, user), code="denied")


def _permission_message(application: Application, transition_name: str, user: User) -> str:
    organisation = application.organisation
    if transition_name in {"submit", "complete", "withdraw", "submit_report"}:
        return _("Only a signatory of %(organisation)s can do this.") % {
            "organisation": organisation.name
        }
    is_staff_member = user.is_authenticated and any(
        user.has_perm(perm)
        for perm in (permissions.HANDLE, permissions.DECIDE, permissions.RECORD_COMMITTEE)
    )
    if is_staff_member and permissions.has_conflict(user, organisation):
        return _(
            "You have a conflict of interest (jäv) for %(organisation)s and may not handle "
            "its applications."
        ) % {"organisation": organisation.name}
    if transition_name == "propose" and application.assigned_officer_id != user.pk:
        return _("Only the officer assigned to the case can propose a decision.")
    return _("Your role does not allow this.")


def submission_problems(application: Application, *, check_call: bool = True) -> list[str]:
    """Return every reason the application cannot be submitted now, each saying how to fix it.

    A completed application is checked again without ``check_call``: it may come back after the
    call has closed, but not with an amount or a budget the programme does not allow.
    """
    call = application.call
    programme = call.programme
    problems = []
    if check_call and not workflow.call_is_open(application):
        if timezone.now() < call.opens_at:
            problems.append(
                _("The call opens on %(date)s; submit then.")
                % {"date": timezone.localtime(call.opens_at).strftime("%Y-%m-%d %H:%M")}
            )
        else:
            problems.append(
                _("The call closed on %(date)s; apply in a later call.")
                % {"date": timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M")}
            )
    if not workflow.organisation_type_eligible(application):
        problems.append(
            _(
                "%(programme)s does not accept applications from organisations of the type "
                "“%(type)s”."
            )
            % {
                "programme": programme.name,
                "type": application.organisation.get_org_type_display(),
            }
        )
    if application.requested_amount is None:
        problems.append(_("Enter the amount you apply for."))
    elif not workflow.amount_within_limits(application):
        problems.append(
            _("The amount applied for must be between %(min)s and %(max)s kr.")
            % {"min": _money(programme.min_amount), "max": _money(programme.max_amount)}
        )
    totals = application.budget_totals()
    if not application.budget_balances():
        problems.append(
            _(
                "The budget does not balance: costs are %(costs)s kr, but other income and the "
                "amount applied for add up to %(income)s kr. Adjust the lines so they are equal."
            )
            % {
                "costs": _money(totals["costs"]),
                "income": _money(totals["income"] + totals["requested"]),
            }
        )
    elif not application.cofinancing_sufficient():
        problems.append(
            _(
                "The programme requires at least %(share)s %% of the costs to be financed from "
                "other sources than this grant."
            )
            % {"share": _money(programme.cofinancing_share * 100)}
        )
    missing = application.missing_attachment_kinds()
    if missing:
        labels = dict(AttachmentKind.choices)
        problems.append(
            _("Attach: %(attachments)s.")
            % {"attachments": ", ".join(str(labels.get(kind, kind)) for kind in missing)}
        )
    if not workflow.has_payout_account(application):
        problems.append(
            _("Add a payout account (Bankgiro, Plusgiro, bank account or IBAN) for %(org)s.")
            % {"org": application.organisation.name}
        )
    return problems


def _money(amount: Decimal) -> str:
    """Return an amount the Swedish way: 25 000 (thin spaces between thousands)."""
    return f"{amount:,.0f}".replace(",", "\u00a0")


def _application_facts(application: Application) -> dict:
    return {
        "case_number": application.case_number,
        "title": application.title,
        "organisation": application.organisation.name,
        "call": application.call.title_sv,
    }


def _signatory_emails(organisation: Organisation) -> list[str]:
    return list(
        organisation.memberships.filter(role="signatory").values_list("user__email", flat=True)
    )


# Drafts


@transaction.atomic
def application_create(
    *,
    organisation: Organisation,
    call: Call,
    actor: User,
    title: str,
    **fields,
) -> Application:
    """Start a draft application for the organisation; any member may."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    if not permissions.is_member(actor, organisation):
        raise WorkflowError(
            _("Only members of %(organisation)s can apply for it.")
            % {"organisation": organisation.name},
            code="not_member",
        )
    application = Application(
        organisation=organisation,
        call=call,
        author=actor,
        title=title.strip(),
        letter_language=fields.pop("letter_language", actor.language or "sv"),
        **fields,
    )
    application.save()
    log_action(
        application,
        "grants.application.created",
        actor=actor,
        data={"title": application.title, "call": call.pk},
    )
    return application


def _require_editable(
    application: Application, actor: User, parts: list[str] | set[str] | tuple = ()
) -> None:
    """Raise unless the actor may change the application, and each of ``parts`` of it, now.

    During a completion only the parts the officer named may change (``grants.steps``).
    """
    if not permissions.is_member(actor, application.organisation):
        raise WorkflowError(
            _("Only members of %(organisation)s can change this application.")
            % {"organisation": application.organisation.name},
            code="not_member",
        )
    if application.state not in {S.DRAFT, S.COMPLETION_REQUESTED}:
        raise WorkflowError(
            _("The application can no longer be changed: it is “%(state)s”.")
            % {"state": application.get_state_display()},
            code="wrong_state",
        )
    if not parts or application.state == S.DRAFT:
        return
    editable = steps.editable_parts(application)
    locked = [part for part in ApplicationPart.values if part in parts and part not in editable]
    if locked:
        labels = dict(ApplicationPart.choices)
        raise WorkflowError(
            _(
                "The officer asked you to complete only: %(editable)s. “%(locked)s” cannot be "
                "changed now; write to the officer if it needs to."
            )
            % {
                "editable": ", ".join(str(labels[part]) for part in editable),
                "locked": ", ".join(str(labels[part]) for part in locked),
            },
            code="part_locked",
        )


#: The audit actions by which an applicant changes an application.
APPLICANT_CHANGES = [
    "grants.application.changed",
    "grants.application.budget_changed",
    "grants.application.attachment_added",
]

EDITABLE_FIELDS = {
    "title",
    "summary",
    "description",
    "activity_starts",
    "activity_ends",
    "target_groups",
    "municipalities",
    "perspectives",
    "agenda_goals",
    "requested_amount",
    "letter_language",
}


@transaction.atomic
def application_update(*, application: Application, actor: User, **fields) -> Application:
    """Save changes to a draft, or to the parts of an application an officer asked to complete.

    A field of a part the open completion request does not name may be sent unchanged, not
    changed.
    """
    application = lock_application(application)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    changed = {
        name: {"old": getattr(application, name), "new": value}
        for name, value in fields.items()
        if getattr(application, name) != value
    }
    _require_editable(application, actor, parts={steps.FIELD_PART[name] for name in changed})
    for name, change in changed.items():
        setattr(application, name, change["new"])
    try:
        application.full_clean(exclude=["state", "organisation", "call", "author"])
    except ValidationError as error:
        raise WorkflowError(" ".join(error.messages), problems=error.messages) from error
    application.save(update_fields=[*fields, "updated_at"])
    if changed and application.state != S.DRAFT:
        log_action(application, "grants.application.changed", actor=actor, data=changed)
    return application


@transaction.atomic
def budget_set(*, application: Application, actor: User, lines: list[dict]) -> list[BudgetLine]:
    """Replace the budget lines; each line is {kind, category, description, amount}."""
    application = lock_application(application)
    _require_editable(application, actor, parts=[ApplicationPart.BUDGET])
    new_lines = []
    for order, line in enumerate(lines):
        budget_line = BudgetLine(
            application=application,
            kind=line["kind"],
            category=line["category"],
            description=line.get("description", ""),
            amount=Decimal(line["amount"]),
            order=order,
        )
        try:
            budget_line.full_clean(exclude=["application"])
        except ValidationError as error:
            raise WorkflowError(" ".join(error.messages), problems=error.messages) from error
        new_lines.append(budget_line)
    application.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(new_lines)
    application.save(update_fields=["updated_at"])
    if application.state != S.DRAFT:
        log_action(
            application,
            "grants.application.budget_changed",
            actor=actor,
            data={"lines": [line | {"amount": str(line["amount"])} for line in lines]},
        )
    return new_lines


@transaction.atomic
def attachment_add(
    *,
    application: Application,
    actor: User,
    kind: str,
    file: File,
    original_name: str,
    content_type: str,
) -> Attachment:
    """Attach a file (already checked by content and size by the form) to the application."""
    application = lock_application(application)
    _require_editable(application, actor, parts=[ApplicationPart.ATTACHMENTS])
    if kind not in AttachmentKind.values:
        raise WorkflowError(_("Choose what kind of attachment the file is."), code="invalid")
    attachment = Attachment(
        application=application,
        kind=kind,
        original_name=original_name[:255],
        content_type=content_type,
        size=file.size,
        sha256=sha256_of(file),
        uploaded_by=actor,
    )
    attachment.file.save(attachment.sha256[:16], file, save=False)
    attachment.save()
    application.save(update_fields=["updated_at"])
    log_action(
        application,
        "grants.application.attachment_added",
        actor=actor,
        data={"kind": kind, "name": attachment.original_name, "sha256": attachment.sha256},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: User) -> None:
    """Remove an attachment from an application that may still be changed.

    What the region has received is kept: during a completion, only the files added since the
    officer asked can be removed again.
    """
    application = lock_application(attachment.application)
    _require_editable(application, actor, parts=[ApplicationPart.ATTACHMENTS])
    attachment = Attachment.objects.filter(pk=attachment.pk, application=application).first()
    if attachment is None:
        raise WorkflowError(_("The attachment has already been removed."), code="gone")
    received_until = None
    if application.state != S.DRAFT:
        request = steps.open_completion_request(application)
        received_until = request.requested_at if request else application.submitted_at
    if received_until and attachment.uploaded_at <= received_until:
        raise WorkflowError(
            _(
                "“%(name)s” was received with the application and stays in the case. Upload a "
                "new file if it needs to be replaced."
            )
            % {"name": attachment.original_name},
            code="received",
        )
    data = {
        "kind": attachment.kind,
        "name": attachment.original_name,
        "sha256": attachment.sha256,
    }
    stored_name = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    application.save(update_fields=["updated_at"])
    log_action(application, "grants.application.attachment_removed", actor=actor, data=data)
    # The file goes only once the row is surely gone; a rollback keeps both.
    transaction.on_commit(lambda: storage.delete(stored_name))


# Case numbers


def case_number_next(*, prefix: str, year: int) -> str:
    """Take the next case number for the prefix and year, inside the caller's transaction.

    The sequence row is locked until the transaction ends, so numbers are unique; since the
    increment rolls back with a failed submission, they are also gap-free.
    """
    CaseNumberSequence.objects.bulk_create(
        [CaseNumberSequence(prefix=prefix, year=year, last_value=0)], ignore_conflicts=True
    )
    sequence = CaseNumberSequence.objects.select_for_update().get(prefix=prefix, year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return f"{prefix} {year}/{sequence.last_value:04d}"


# Transitions


@transaction.atomic
def application_submit(*, application: Application, actor: User) -> Application:
    """Submit the application: check every rule, give it a case number, send the receipt."""
    application = lock_application(application)
    require_transition(application, "submit", actor)
    problems = submission_problems(application)
    if problems:
        raise WorkflowError(
            _("The application cannot be submitted yet: %(problem)s") % {"problem": problems[0]},
            problems=problems,
            code="not_eligible",
        )
    now = timezone.now()
    application.case_number = case_number_next(
        prefix=application.call.programme.case_prefix, year=timezone.localtime(now).year
    )
    application.submit()
    application.save(update_fields=["state", "submitted_at", "case_number", "updated_at"])
    log_action(
        application,
        "grants.application.submitted",
        actor=actor,
        data={
            "case_number": application.case_number,
            "requested_amount": application.requested_amount,
        },
    )
    # The copy is written now, in the submitting transaction, so that it shows exactly what was
    # submitted however late the task runs; the task makes the PDF, stores it and e-mails it.
    application_id = application.pk
    copy_html = receipts.submitted_copy_html(application)
    transaction.on_commit(
        lambda: receipts.application_receipt_send.enqueue(
            application_id=application_id, copy_html=copy_html
        )
    )
    return application


@transaction.atomic
def application_request_submission(*, application: Application, actor: User) -> Application:
    """Ask the organisation's signatories to submit a draft that is ready; any member may."""
    application = lock_application(application)
    organisation = application.organisation
    if not permissions.is_member(actor, organisation):
        raise WorkflowError(
            _("Only members of %(organisation)s can do this.")
            % {"organisation": organisation.name},
            code="not_member",
        )
    if application.state != S.DRAFT:
        raise WorkflowError(
            _("Only a draft can be sent to a signatory; this application is “%(state)s”.")
            % {"state": application.get_state_display()},
            code="wrong_state",
        )
    problems = submission_problems(application)
    if problems:
        raise WorkflowError(
            _("The application is not ready to be submitted: %(problem)s")
            % {"problem": problems[0]},
            problems=problems,
            code="not_eligible",
        )
    application.submission_requested_at = timezone.now()
    application.submission_requested_by = actor
    application.save(
        update_fields=["submission_requested_at", "submission_requested_by", "updated_at"]
    )
    signatories = list(
        organisation.memberships.filter(role="signatory", user__is_active=True)
        .exclude(user=actor)
        .values_list("user__email", "user__language")
    )
    log_action(
        application,
        "grants.application.submission_requested",
        actor=actor,
        data={"signatories": sorted(email for email, _language in signatories)},
    )
    # Each signatory reads the request, and follows the link, in their own language.
    by_language: dict[str, list[str]] = {}
    for email, language in signatories:
        by_language.setdefault(language or "sv", []).append(email)
    for language, emails in sorted(by_language.items()):
        with translation.override(language):
            path = reverse("apply:step", kwargs={"pk": application.pk, "step": "review"})
        call_title = application.call.title_en if language == "en" else application.call.title_sv
        email_on_commit(
            to=emails,
            template="submission_requested",
            context=_application_facts(application)
            | {
                "call": call_title,
                "requested_by": actor.full_name or actor.email,
                "link": settings.SITE_URL + path,
            },
            language=language,
        )
    return application


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
    if not permissions.can_propose(application, actor):
        raise WorkflowError(_permission_message(application, "propose", actor), code="denied")
    if application.state != S.UNDER_REVIEW:
        raise WorkflowError(
            _("The assessment can be changed only while the case is under review."),
            code="wrong_state",
        )
    if recommendation and recommendation not in Assessment.Recommendation.values:
        raise WorkflowError(_("Choose a recommendation from the list."), code="invalid")
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
        raise WorkflowError(_("Assess the application before proposing a decision."))
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


# Messages

#: The longest message either side may write in the case.
CASE_MESSAGE_MAX_LENGTH = 5000


def _case_link(application: Application, language: str) -> str:
    """Return the absolute address of the applicant's case page, in the recipient's language."""
    with translation.override(language):
        return settings.SITE_URL + reverse("portal:application", args=[application.pk])


def messages_open(application: Application) -> bool:
    """Return whether messages can be written in the case: submitted, and neither withdrawn nor
    closed."""
    return application.case_number is not None and application.state not in {
        S.WITHDRAWN,
        S.CLOSED,
    }


@transaction.atomic
def case_message_send(*, application: Application, actor: User, body: str) -> CaseMessage:
    """Write a message in the case: from the applicant's organisation, or from its officer.

    Members of the organisation write once the application is submitted; staff who may handle it
    (without jäv) write from the region. The other side is told by e-mail, without the text: the
    message is read on the case page, behind the login.
    """
    application = lock_application(application)
    body = body.strip()
    if permissions.is_member(actor, application.organisation):
        from_staff = False
    elif permissions.can_handle(application, actor):
        from_staff = True
    else:
        raise WorkflowError(
            _("Only members of %(organisation)s and the officers handling the case can write here.")
            % {"organisation": application.organisation.name},
            code="denied",
        )
    if application.case_number is None:
        raise WorkflowError(
            _("Messages can be sent once the application has been submitted."),
            code="wrong_state",
        )
    if not messages_open(application):
        raise WorkflowError(
            _(
                "The case is closed, so no more messages can be written here. Write to the "
                "region by e-mail and give the case number."
            ),
            code="wrong_state",
        )
    if not body:
        raise WorkflowError(_("Write a message before sending."), code="invalid")
    if len(body) > CASE_MESSAGE_MAX_LENGTH:
        raise WorkflowError(
            _("A message can be at most %(max)s characters long.")
            % {"max": CASE_MESSAGE_MAX_LENGTH},
            code="invalid",
        )
    message = CaseMessage.objects.create(
        application=application, sender=actor, from_staff=from_staff, body=body
    )
    log_action(
        application,
        "grants.message.sent",
        actor=actor,
        data={"message": message.pk, "from_staff": from_staff},
    )
    facts = _application_facts(application) | {"sender": actor.full_name}
    if from_staff:
        language = application.letter_language
        email_on_commit(
            to=_signatory_emails(application.organisation) + [application.author.email],
            template="case_message_to_applicant",
            context=facts | {"link": _case_link(application, language)},
            language=language,
        )
    elif application.assigned_officer is not None:
        officer = application.assigned_officer
        email_on_commit(
            to=[officer.email],
            template="case_message_to_officer",
            context=facts | {"link": settings.SITE_URL + "/handlaggning/"},
            language=officer.language,
        )
    return message


@transaction.atomic
def case_messages_mark_read(*, application: Application, reader: User) -> int:
    """Mark the other side's unread messages read, when ``reader`` views the case; return how many.

    A member of the organisation reads the region's messages; an officer who may handle the case
    reads the organisation's. Anyone else reads nothing.
    """
    if permissions.is_member(reader, application.organisation):
        from_staff = True
    elif permissions.can_handle(application, reader):
        from_staff = False
    else:
        return 0
    return CaseMessage.objects.filter(
        application=application, from_staff=from_staff, read_at__isnull=True
    ).update(read_at=timezone.now())
