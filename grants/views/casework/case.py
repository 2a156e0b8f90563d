"""The officer's case page (/handlaggning/<pk>/) and what it posts to: notes and messages; and
the permission-checked downloads of the case's files.

Everyone here is a caseworker without jäv for the case's organisation: ``caseworker_required``
and ``selectors.application_for_caseworker`` turn everyone else away before anything is read or
written. What the user may do now is worked out in ``grants.casework``.
"""

from types import SimpleNamespace

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from decisions import selectors as decision_selectors
from grants import casework, permissions, selectors, services
from grants.forms_casework import AssignForm
from grants.receipts import submitted_copy_name
from grants.timeline import staff_timeline
from grants.views.casework import caseworker_required
from organisations.errors import WorkflowError
from organisations.files import private_file_response


def _case_url(application, section: str = "") -> str:
    url = reverse("casework:case", args=[application.pk])
    return f"{url}#{section}" if section else url


def _case_page(request, application, *, note_form=None, message_form=None, status=200):
    """Render the case page; a form is passed back bound when its POST failed."""
    user = request.user
    if request.method == "GET":
        # Reading the case is reading the organisation's messages (only for those who may
        # answer them); the applicant's page does the same for the region's.
        services.case_messages_mark_read(application=application, reader=user)
    today = timezone.localdate()
    actions = casework.case_actions(application, user)
    assign_form = None
    if any(action.name == "assign" for action in actions):
        assign_form = AssignForm(application=application)
        officer_field = assign_form.fields["officer"]
        officer_field.queryset = officer_field.queryset.exclude(pk=application.assigned_officer_id)
    earlier, open_cases = casework.other_cases(application, today=today)
    decision = decision_selectors.decision_for_case_page(application=application)
    context = {
        "casework_section": "queue",
        "application": application,
        "actions": actions,
        "assign_form": assign_form,
        "proposal_gaps": casework.proposal_gaps(application, actions),
        "earlier": earlier,
        "overdue": [item for item in earlier if item.report.overdue],
        "open_cases": open_cases,
        "assessment": casework.assessment_summary(application),
        "decision": decision,
        "repayment_claims": decision.repayment_claims.all() if decision else [],
        "report": casework.report_status(application, decision, today=today) if decision else None,
        "completion_requests": list(selectors.completion_requests_of(application=application)),
        "thread": list(selectors.case_thread(application=application)),
        "can_write": services.messages_open(application)
        and permissions.can_handle(application, user),
        "message_form": message_form or casework.OfficerMessageForm(),
        "notes": list(selectors.internal_notes_of(application=application)),
        "note_form": note_form or casework.InternalNoteForm(),
        "timeline": staff_timeline(application),
    }
    return render(request, "casework/case.html", context, status=status)


@caseworker_required
@require_safe
def case(request, pk: int):
    """Show everything about the case that staff may see, and what this user may do now."""
    application = selectors.application_for_caseworker(user=request.user, pk=pk)
    return _case_page(request, application)


@caseworker_required
@require_safe
def attachment(request, pk: int, attachment_pk: int):
    """Send one of the case's attachments; another case's attachment is 404 here."""
    application = selectors.application_for_caseworker(user=request.user, pk=pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    return private_file_response(attachment)


@caseworker_required
@require_safe
def submitted_copy(request, pk: int):
    """Send the PDF copy of the application as it was submitted; 404 until it is stored."""
    application = selectors.application_for_caseworker(user=request.user, pk=pk)
    if not application.submitted_copy:
        raise Http404
    return private_file_response(
        SimpleNamespace(
            file=application.submitted_copy,
            original_name=submitted_copy_name(application),
            content_type="application/pdf",
        )
    )


# A GET of the two forms' addresses (say, after logging in again) goes back to the case page; the
# case is fetched first, so jäv is refused there too.


@caseworker_required
@require_http_methods(["GET", "POST"])
def note(request, pk: int):
    """Add an internal note to the case, for staff only."""
    application = selectors.application_for_caseworker(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect(_case_url(application, "notes"))
    form = casework.InternalNoteForm(request.POST)
    if form.is_valid():
        try:
            services.internal_note_add(
                application=application, actor=request.user, body=form.cleaned_data["body"]
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The note has been saved."))
            return redirect(_case_url(application, "notes"))
    return _case_page(request, application, note_form=form, status=400)


@caseworker_required
@require_http_methods(["GET", "POST"])
def message(request, pk: int):
    """Write to the applicant's organisation in the case."""
    application = selectors.application_for_caseworker(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect(_case_url(application, "messages"))
    form = casework.OfficerMessageForm(request.POST)
    if form.is_valid():
        try:
            services.case_message_send(
                application=application, actor=request.user, body=form.cleaned_data["body"]
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The message has been sent to the applicant."))
            return redirect(_case_url(application, "messages"))
    return _case_page(request, application, message_form=form, status=400)
