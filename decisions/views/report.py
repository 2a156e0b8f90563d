"""The follow-up report (slutredovisning, DESIGN §7).

The grantee writes it under /mina-sidor/<pk>/redovisning/: every member may save the draft (and
the page saves as they type, like the application form); a signatory submits it. The officer
reads it under /handlaggning/<pk>/redovisning/ once it has been submitted, and accepts it (the
case is closed and the instalments due on the report become payable), asks for completion, or —
a decision maker — claims the grant back. A draft is the grantee's own: the region sees nothing
of it until it is submitted.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from decisions import services
from decisions.forms_report import (
    RepaymentClaimForm,
    ReportAttachmentForm,
    ReportBudgetForm,
    ReportCompletionForm,
    ReportForm,
)
from decisions.models import PARTICIPANT_AGE_GROUPS, PARTICIPANT_GENDERS, ReportAttachment
from decisions.workflow import PaymentState
from grants import permissions
from grants import selectors as grant_selectors
from grants.models import BudgetLine, CompletionRequest, Perspective, TargetGroup
from grants.timeline import decision_of
from grants.views.casework import caseworker_required
from grants.workflow import ApplicationState
from organisations.errors import WorkflowError
from organisations.files import private_file_response
from organisations.models import Municipality

S = ApplicationState
EDITABLE_STATES = {S.APPROVED, S.REPORT_COMPLETION_REQUESTED}
ZERO = Decimal("0")


def _report_of(application):
    """Return the decision and report of a granted application; 404 when there is none."""
    decision = decision_of(application)
    if decision is None or not decision.is_grant:
        raise Http404
    try:
        report = decision.follow_up_report
    except ObjectDoesNotExist:
        raise Http404 from None
    report.decision = decision
    return decision, report


def _open_report_request(application):
    return application.completion_requests.filter(
        subject=CompletionRequest.Subject.REPORT, answered_at__isnull=True
    ).first()


def report_facts(report) -> dict:
    """Return the report's figures as the pages show them: participants by age group and gender
    with totals, the actual budget by kind with totals, labels for the codes."""
    participants = report.participants or {}
    rows, totals = [], dict.fromkeys((code for code, _l in PARTICIPANT_GENDERS), 0)
    for age, label in PARTICIPANT_AGE_GROUPS:
        counts = [
            int((participants.get(age) or {}).get(gender) or 0)
            for gender, _l in PARTICIPANT_GENDERS
        ]
        for (gender, _l), count in zip(PARTICIPANT_GENDERS, counts, strict=True):
            totals[gender] += count
        rows.append({"label": label, "counts": counts, "total": sum(counts)})
    categories = dict(BudgetLine.Category.choices)
    budget = {"cost": [], "income": []}
    for line in report.actual_budget or []:
        if line.get("kind") in budget:
            budget[line["kind"]].append(
                {
                    "category": categories.get(line.get("category"), line.get("category", "")),
                    "description": line.get("description", ""),
                    "amount": Decimal(str(line.get("amount") or 0)),
                }
            )
    costs = sum((line["amount"] for line in budget["cost"]), ZERO)
    income = sum((line["amount"] for line in budget["income"]), ZERO)
    municipalities = dict(Municipality.choices)
    target_groups = dict(TargetGroup.choices)
    perspectives = report.perspectives or {}
    return {
        "gender_labels": [label for _c, label in PARTICIPANT_GENDERS],
        "participant_rows": rows,
        "participant_totals": list(totals.values()),
        "participant_total": sum(totals.values()),
        "costs": budget["cost"],
        "incomes": budget["income"],
        "total_costs": costs,
        "total_income": income,
        "municipalities": [str(municipalities.get(c, c)) for c in report.municipalities or []],
        "target_groups": [str(target_groups.get(c, c)) for c in report.target_groups or []],
        "perspectives": [
            {"label": label, "text": perspectives[code]}
            for code, label in Perspective.choices
            if perspectives.get(code)
        ],
    }


# The grantee's report


def _report_page(
    request, application, decision, report, *, form=None, budget=None, upload=None, status=200
):
    editable = application.state in EDITABLE_STATES
    is_signatory = permissions.is_signatory(request.user, application.organisation)
    form = form or ReportForm(report=report)
    budget = budget or ReportBudgetForm(report=report)
    context = {
        "application": application,
        "decision": decision,
        "report": report,
        "editable": editable,
        "is_signatory": is_signatory,
        "form": form,
        "budget": budget,
        "budget_errors": budget.error_links(),
        "upload_form": upload or ReportAttachmentForm(),
        "attachments": list(report.attachments.order_by("uploaded_at")),
        "completion": _open_report_request(application),
        "missing": report.missing_parts() if editable else [],
        "facts": None if editable else report_facts(report),
        "autosave_url": reverse("portal:report_autosave", args=[application.pk])
        if editable
        else "",
        "budget_line_labels": {"cost": _("Cost line"), "income": _("Income line")},
    }
    return render(request, "grants/portal/report.html", context, status=status)


def _save(request, report, form, budget) -> list[str]:
    """Save every field that validated; return the names saved."""
    changes = form.changes() | budget.changes()
    if changes:
        services.report_save(report=report, actor=request.user, **changes)
    return list(changes)


@login_required
def report(request, pk):
    """Show the follow-up report; save the draft, or submit it (a signatory)."""
    application = grant_selectors.application_for_applicant(user=request.user, pk=pk)
    decision, report = _report_of(application)
    if request.method != "POST":
        return _report_page(request, application, decision, report)
    if application.state not in EDITABLE_STATES:
        messages.error(request, _("The report can no longer be changed."))
        return redirect("portal:report", pk=application.pk)
    form = ReportForm(request.POST, report=report)
    budget = ReportBudgetForm(request.POST, report=report)
    submitting = request.POST.get("action") == "submit"
    try:
        # Saved first, on its own: a report that cannot be submitted yet keeps what was typed.
        _save(request, report, form, budget)
        if submitting and form.is_valid() and budget.is_valid():
            services.report_submit(report=report, actor=request.user)
    except WorkflowError as error:
        form.add_error(None, str(error))
        for problem in error.problems[1:]:
            form.add_error(None, problem)
        return _report_page(
            request, application, decision, report, form=form, budget=budget, status=400
        )
    if not (form.is_valid() and budget.is_valid()):
        form.add_error(
            None,
            _("Some answers could not be saved. Correct them; everything else has been saved.")
            if not submitting
            else _("The report was not submitted. Correct the answers below and submit again."),
        )
        return _report_page(
            request, application, decision, report, form=form, budget=budget, status=400
        )
    if submitting:
        messages.success(
            request,
            _("Thank you. The report has been sent to the region's officer, who will review it."),
        )
        return redirect("portal:application", pk=application.pk)
    messages.success(request, _("The draft of the report has been saved."))
    return redirect("portal:report", pk=application.pk)


@require_POST
def report_autosave(request, pk):
    """Save the report's fields that validate, as the grantee types; answer in JSON as the
    application form's autosave does (``grants.views.apply.autosave``)."""
    if not request.user.is_authenticated:
        return JsonResponse(
            {
                "saved": [],
                "errors": {"__all__": [_("You are logged out. Log in again to save.")]},
                "login_url": redirect_to_login(reverse("portal:report", args=[pk])).url,
            },
            status=401,
        )
    application = grant_selectors.application_for_applicant(user=request.user, pk=pk)
    decision, report = _report_of(application)
    if application.state not in EDITABLE_STATES:
        return JsonResponse(
            {"saved": [], "errors": {"__all__": [_("The report can no longer be changed.")]}},
            status=409,
        )
    form = ReportForm(request.POST, report=report)
    budget = ReportBudgetForm(request.POST, report=report)
    errors = {name: [str(m) for m in errs] for name, errs in form.errors.items()}
    errors |= budget.errors
    saved = form.valid_fields() + (budget.field_names() if budget.is_valid() else [])
    try:
        _save(request, report, form, budget)
    except WorkflowError as error:
        saved = []
        errors["__all__"] = [*errors.get("__all__", []), *(error.problems or [str(error)])]
    report.refresh_from_db(fields=["updated_at"])
    return JsonResponse(
        {
            "saved": saved,
            "errors": errors,
            "saved_at": timezone.localtime(report.updated_at).strftime("%H:%M") if saved else None,
        }
    )


@login_required
@require_POST
def report_upload(request, pk):
    """Attach files to the report; a file that is refused is named, the others are kept."""
    application = grant_selectors.application_for_applicant(user=request.user, pk=pk)
    decision, report = _report_of(application)
    upload = ReportAttachmentForm(request.POST, request.FILES)
    if upload.is_valid():
        try:
            with transaction.atomic():
                for file in upload.cleaned_data["files"]:
                    services.report_attachment_add(
                        report=report,
                        actor=request.user,
                        file=file.file,
                        original_name=file.original_name,
                        content_type=file.content_type,
                    )
        except WorkflowError as error:
            upload.add_error(None, str(error))
        else:
            count = len(upload.cleaned_data["files"])
            messages.success(
                request,
                _("The file has been attached.")
                if count == 1
                else _("The files have been attached."),
            )
            return redirect(reverse("portal:report", args=[application.pk]) + "#attachments")
    return _report_page(request, application, decision, report, upload=upload, status=400)


@login_required
@require_POST
def report_attachment_remove(request, pk, attachment_pk):
    application = grant_selectors.application_for_applicant(user=request.user, pk=pk)
    decision, report = _report_of(application)
    attachment = get_object_or_404(ReportAttachment, report=report, pk=attachment_pk)
    try:
        services.report_attachment_remove(attachment=attachment, actor=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("“%(name)s” has been removed.") % {"name": attachment.original_name}
        )
    return redirect(reverse("portal:report", args=[application.pk]) + "#attachments")


@login_required
@require_safe
def report_attachment(request, pk, attachment_pk):
    """Download a file of the report, for the organisation's members."""
    application = grant_selectors.application_for_applicant(user=request.user, pk=pk)
    decision, report = _report_of(application)
    attachment = get_object_or_404(ReportAttachment, report=report, pk=attachment_pk)
    return private_file_response(attachment)


# The officer's review


def _paid_amount(payments) -> Decimal:
    return sum((p.amount for p in payments if p.state == PaymentState.PAID), ZERO)


def _review_page(request, application, *, completion_form=None, claim_form=None, status=200):
    decision, report = _report_of(application)
    available = {t.name for t in application.get_available_user_state_transitions(request.user)}
    submitted = report.submitted_at is not None
    payments = list(decision.payments.all())
    paid = _paid_amount(payments)
    unused = None
    if submitted and report.used_amount is not None:
        unused = max(paid - report.used_amount, ZERO)
    can_claim = "claim_repayment" in available
    context = {
        "application": application,
        "decision": decision,
        "report": report,
        "submitted": submitted,
        "facts": report_facts(report) if submitted else None,
        "attachments": list(report.attachments.order_by("uploaded_at")) if submitted else [],
        "payments": payments,
        "paid": paid,
        "unused": unused,
        "can_accept": "accept_report" in available,
        "can_request_completion": "request_report_completion" in available,
        "can_claim": can_claim,
        "completion": _open_report_request(application),
        "completion_form": completion_form or ReportCompletionForm(),
        "claim_form": claim_form or RepaymentClaimForm(suggested_amount=unused or None),
        "on_report": [
            p
            for p in payments
            if p.trigger == "on_report_accepted" and p.state == PaymentState.PLANNED
        ],
        "casework_section": "queue",
        "today": timezone.localdate(),
    }
    return render(request, "casework/follow_up.html", context, status=status)


@caseworker_required
@require_safe
def review(request, pk):
    """Show the case's follow-up report and what the officer may answer."""
    application = grant_selectors.application_for_caseworker(user=request.user, pk=pk)
    return _review_page(request, application)


@caseworker_required
@require_safe
def review_attachment(request, pk, attachment_pk):
    """Download a file of a submitted report, for caseworkers without jäv."""
    application = grant_selectors.application_for_caseworker(user=request.user, pk=pk)
    decision, report = _report_of(application)
    if report.submitted_at is None:
        raise Http404
    attachment = get_object_or_404(ReportAttachment, report=report, pk=attachment_pk)
    return private_file_response(attachment)


def _back(application):
    return redirect("deciding:follow_up", pk=application.pk)


@caseworker_required
@require_POST
def accept(request, pk):
    """Accept the report: the case closes and what is due on the report becomes payable."""
    application = grant_selectors.application_for_caseworker(user=request.user, pk=pk)
    decision, report = _report_of(application)
    try:
        services.report_accept(report=report, actor=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
        return _back(application)
    messages.success(
        request,
        _("The report is accepted and the case is closed. The grantee has been told by e-mail."),
    )
    return redirect("casework:case", pk=application.pk)


@caseworker_required
@require_POST
def request_completion(request, pk):
    """Ask the grantee to complete the report by a due date."""
    application = grant_selectors.application_for_caseworker(user=request.user, pk=pk)
    decision, report = _report_of(application)
    form = ReportCompletionForm(request.POST)
    if form.is_valid():
        try:
            completion = services.report_request_completion(
                report=report,
                actor=request.user,
                message=form.cleaned_data["message"],
                due_date=form.cleaned_data["due_date"],
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "The grantee has been asked to complete the report by %(date)s and has been "
                    "told by e-mail."
                )
                % {"date": date_format(completion.due_date, "j F Y")},
            )
            return redirect("casework:case", pk=application.pk)
    return _review_page(request, application, completion_form=form, status=400)


@caseworker_required
@require_POST
def claim_repayment(request, pk):
    """Claim part or all of the grant back (a decision maker); the letter goes to the grantee."""
    application = grant_selectors.application_for_caseworker(user=request.user, pk=pk)
    decision, report = _report_of(application)
    form = RepaymentClaimForm(request.POST)
    if form.is_valid():
        try:
            claim = services.repayment_claim_create(
                decision=decision,
                actor=request.user,
                amount=form.cleaned_data["amount"],
                reasons=form.cleaned_data["reasons"],
                due_date=form.cleaned_data["due_date"],
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "The repayment of %(amount)s kr is claimed; unpaid instalments are cancelled. "
                    "The letter is sent to the grantee."
                )
                % {"amount": services._money(claim.amount)},
            )
            return redirect("casework:case", pk=application.pk)
    return _review_page(request, application, claim_form=form, status=400)
