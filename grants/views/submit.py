"""Review and submit: the last step of the form, asking a signatory, the receipt and the copy."""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grants import permissions, selectors, services, steps
from grants.models import Application
from grants.receipts import receipt_recipients, submitted_copy_name
from grants.views.apply import step_context
from grants.workflow import ApplicationState
from organisations.errors import WorkflowError
from organisations.files import private_file_response


def _review(application: Application):
    return redirect("apply:step", pk=application.pk, step=steps.REVIEW)


def review_step(request, application: Application):
    """Show the whole application, what stops its submission, and the way to submit it.

    A signatory submits; a member who is not asks the signatories to. A completion is sent from
    the case page instead. Called by the form's step view with the application already fetched
    for this user.
    """
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    is_draft = application.state == ApplicationState.DRAFT
    requested_by = application.submission_requested_by if is_draft else None
    return render(
        request,
        "grants/apply/review.html",
        step_context(request, application, steps.REVIEW)
        | {
            "is_draft": is_draft,
            "can_submit": permissions.can_submit(application, request.user),
            "submission_request": (
                {"by": requested_by, "at": application.submission_requested_at}
                if requested_by
                else None
            ),
        },
    )


@login_required
@require_POST
def submit(request, pk: int):
    """Submit the application (signatories only) and show the receipt."""
    application = selectors.application_for_applicant(user=request.user, pk=pk)
    try:
        application = services.application_submit(application=application, actor=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
        return _review(application)
    return redirect("apply:receipt", pk=application.pk)


@login_required
@require_POST
def request_submission(request, pk: int):
    """Ask the organisation's signatories, by e-mail, to submit the application."""
    application = selectors.application_for_applicant(user=request.user, pk=pk)
    try:
        services.application_request_submission(application=application, actor=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "We have asked the signatories of %(organisation)s by e-mail to submit the "
                "application."
            )
            % {"organisation": application.organisation.name},
        )
    return _review(application)


@login_required
@require_GET
def receipt(request, pk: int):
    """Show that the application was received: case number, time and what happens next."""
    application = selectors.application_for_applicant(user=request.user, pk=pk)
    if not application.case_number:
        return _review(application)
    return render(
        request,
        "grants/apply/receipt.html",
        {
            "application": application,
            "copy_ready": bool(application.submitted_copy),
            "recipients": receipt_recipients(application),
        },
    )


@login_required
@require_GET
def submitted_copy(request, pk: int):
    """Send the PDF copy of the application as submitted to a member of its organisation."""
    application = selectors.application_for_applicant(user=request.user, pk=pk)
    if not application.submitted_copy:
        raise Http404
    return private_file_response(
        SimpleNamespace(
            file=application.submitted_copy,
            original_name=submitted_copy_name(application),
            content_type="application/pdf",
        )
    )
