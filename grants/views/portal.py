"""The applicant's own pages under /mina-sidor/: the dashboard and the case page.

The case page shows the state in plain words, the completion request, the decision, the messages
with the officer and the history the applicant may see (``grants.timeline``).
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grants import permissions, selectors, services
from grants.forms_portal import CaseMessageForm, CompletionReplyForm, WithdrawForm
from grants.models import ApplicationPart, CompletionRequest
from grants.signals import CASEWORKER_SESSION_KEY
from grants.timeline import applicant_status, applicant_timeline, decision_of, staff_label
from grants.workflow import UNDECIDED_STATES, ApplicationState
from organisations import selectors as organisation_selectors
from organisations.errors import WorkflowError
from organisations.models import Membership

S = ApplicationState
FIRST_STEP = ApplicationPart.PROJECT


# The dashboard


def payout_status(organisation) -> dict:
    """Return the organisation's payout account status in words, and whether it needs action."""
    status = organisation_selectors.payout_account_status_of(organisation.accounts_newest_first)
    verified, pending, rejected = status.in_use, status.pending, status.rejected
    if verified and pending:
        return {
            "text": _(
                "Grants are paid to %(account)s. The new account %(new)s awaits verification by "
                "the region's finance officers."
            )
            % {"account": verified, "new": pending},
            "warning": False,
        }
    if verified:
        return {
            "text": _("Grants are paid to %(account)s (verified).") % {"account": verified},
            "warning": False,
        }
    if pending:
        return {
            "text": _(
                "The payout account %(account)s awaits verification by the region's finance "
                "officers. Nothing can be paid until it is verified."
            )
            % {"account": pending},
            "warning": True,
        }
    if rejected:
        return {
            "text": _("The payout account %(account)s was not approved: %(reason)s Add another.")
            % {"account": rejected, "reason": rejected.rejection_reason},
            "warning": True,
        }
    return {
        "text": _("There is no payout account. Add one before you submit an application."),
        "warning": True,
    }


def next_step(application) -> tuple[str, str] | None:
    """Return the label and address of what the applicant should do next, if anything."""
    case_page = reverse("portal:application", args=[application.pk])
    state = application.state
    if state == S.DRAFT:
        return _("Continue the draft"), reverse("apply:step", args=[application.pk, FIRST_STEP])
    if state == S.COMPLETION_REQUESTED:
        return _("Complete the application"), case_page + "#completion"
    report_page = reverse("portal:report", args=[application.pk])
    if state == S.REPORT_COMPLETION_REQUESTED:
        return _("Complete the final report"), report_page
    if state == S.REPAYMENT_CLAIMED:
        return _("Read about the repayment"), case_page + "#decision"
    if state == S.APPROVED:
        return _("Write the final report"), report_page
    if state == S.REJECTED:
        return _("Read the decision"), case_page + "#decision"
    if application.unread_messages:
        return _("Read the messages"), case_page + "#messages"
    return None


@login_required
def dashboard(request):
    """Show the organisations the user acts for, their applications and what to do next."""
    user = request.user
    memberships = list(organisation_selectors.memberships_with_accounts(user=user))
    if not memberships and request.session.get(CASEWORKER_SESSION_KEY):
        # Staff who act for no organisation have their work in the officer workspace.
        return redirect("casework:queue")
    by_organisation = defaultdict(list)
    for application in selectors.applications_for_dashboard(user=user):
        application.status = applicant_status(application, due_date=application.open_request_due)
        application.next_step = next_step(application)
        by_organisation[application.organisation_id].append(application)
    for applications in by_organisation.values():
        # What needs the applicant first; otherwise the most recently changed first.
        applications.sort(key=lambda application: not application.status.needs_action)
    organisations = [
        {
            "organisation": membership.organisation,
            "role": membership.get_role_display(),
            "is_signatory": membership.role == Membership.Role.SIGNATORY,
            "payout": payout_status(membership.organisation),
            "applications": by_organisation[membership.organisation_id],
            "unread": sum(a.unread_messages for a in by_organisation[membership.organisation_id]),
        }
        for membership in memberships
    ]
    invitations = organisation_selectors.invitations_for_user(user=user)
    join_requests = organisation_selectors.join_requests_of(user=user)
    return render(
        request,
        "grants/portal/dashboard.html",
        {
            "organisations": organisations,
            "calls": selectors.calls_open(),
            "invitations": list(invitations),
            "join_requests": list(join_requests),
        },
    )


# The case page


def _open_request(application, subject):
    return application.completion_requests.filter(answered_at__isnull=True, subject=subject).first()


def _case_page(request, application, *, complete_form=None, message_form=None):
    """Render the case page; the forms are passed back bound when a POST failed."""
    user = request.user
    if request.method == "GET":
        services.case_messages_mark_read(application=application, reader=user)
    is_signatory = permissions.is_signatory(user, application.organisation)
    completion = report_completion = None
    if application.state == S.COMPLETION_REQUESTED:
        completion = _open_request(application, CompletionRequest.Subject.APPLICATION)
    elif application.state == S.REPORT_COMPLETION_REQUESTED:
        report_completion = _open_request(application, CompletionRequest.Subject.REPORT)
    labels = dict(ApplicationPart.choices)
    completion_parts = [
        {"label": labels.get(part, part), "url": reverse("apply:step", args=[application.pk, part])}
        for part in (completion.parts if completion else [])
    ]
    thread = list(application.messages.select_related("sender"))
    for message in thread:
        message.sender_label = (
            staff_label(application, message.sender)
            if message.from_staff
            else message.sender.full_name
        )
    decision = decision_of(application)
    open_request = completion or report_completion
    context = {
        "application": application,
        "status": applicant_status(
            application, due_date=open_request.due_date if open_request else None
        ),
        "is_signatory": is_signatory,
        "completion": completion,
        "completion_parts": completion_parts,
        "report_completion": report_completion,
        "complete_form": complete_form or CompletionReplyForm(),
        "thread": thread,
        "can_write": services.messages_open(application),
        "message_form": message_form or CaseMessageForm(),
        "timeline": applicant_timeline(application),
        "decision": decision,
        "payments": list(decision.payments.all()) if decision else [],
        "repayment_claims": list(decision.repayment_claims.all()) if decision else [],
        "can_withdraw": is_signatory and application.state in UNDECIDED_STATES,
        "first_step": FIRST_STEP,
        "is_draft": application.state == S.DRAFT,
    }
    return render(request, "grants/portal/application.html", context)


@login_required
def application(request, pk):
    """Show one application of the user's organisations, as the applicant follows it."""
    application = selectors.application_for_applicant(user=request.user, pk=pk)
    return _case_page(request, application)


def _add_problems(form, error: WorkflowError) -> None:
    form.add_error(None, str(error))
    for problem in error.problems[1:]:
        form.add_error(None, problem)


@login_required
@require_POST
def complete(request, pk):
    """Send the completed application back to the officer, with the applicant's reply."""
    application = selectors.application_for_applicant(user=request.user, pk=pk)
    form = CompletionReplyForm(request.POST)
    if form.is_valid():
        try:
            services.application_complete(
                application=application, actor=request.user, reply=form.cleaned_data["reply"]
            )
        except WorkflowError as error:
            _add_problems(form, error)
        else:
            messages.success(
                request, _("Thank you. The completed application has been sent to the officer.")
            )
            return redirect("portal:application", pk=application.pk)
    return _case_page(request, application, complete_form=form)


@login_required
@require_POST
def message(request, pk):
    """Write to the officer handling the case."""
    application = selectors.application_for_applicant(user=request.user, pk=pk)
    form = CaseMessageForm(request.POST)
    if form.is_valid():
        try:
            services.case_message_send(
                application=application, actor=request.user, body=form.cleaned_data["body"]
            )
        except WorkflowError as error:
            _add_problems(form, error)
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect(reverse("portal:application", args=[application.pk]) + "#messages")
    return _case_page(request, application, message_form=form)


@login_required
def withdraw(request, pk):
    """Ask for confirmation, then withdraw the application (signatories only)."""
    application = selectors.application_for_applicant(user=request.user, pk=pk)
    case_page = reverse("portal:application", args=[application.pk])
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.application_withdraw(
                    application=application,
                    actor=request.user,
                    reason=form.cleaned_data["reason"].strip(),
                )
            except WorkflowError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The application has been withdrawn."))
            return redirect(case_page)
    else:
        if not permissions.is_signatory(request.user, application.organisation):
            messages.error(
                request,
                _("Only a signatory of %(organisation)s can withdraw the application.")
                % {"organisation": application.organisation.name},
            )
            return redirect(case_page)
        if application.state not in UNDECIDED_STATES:
            messages.error(
                request,
                _("The application cannot be withdrawn: it is “%(state)s”.")
                % {"state": application.get_state_display()},
            )
            return redirect(case_page)
        form = WithdrawForm()
    return render(
        request,
        "grants/portal/withdraw.html",
        {"application": application, "form": form},
    )
