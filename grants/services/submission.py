"""Submit an application under a new case number, or ask a signatory to submit it."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import log_action
from grants import permissions, receipts
from grants.models import Application, CaseNumberSequence
from grants.services.checks import (
    _application_facts,
    lock_application,
    require_transition,
    submission_problems,
)
from grants.workflow import ApplicationState
from organisations.errors import WorkflowError
from organisations.models import User
from organisations.notifications import email_on_commit

S = ApplicationState


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
