"""Repayment claims (återkrav): listed by state, exported for invoicing, and recorded as repaid
or written off by a finance officer without jäv (DESIGN §6)."""

import tempfile

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from decisions import selectors_finance as selectors
from decisions import services
from decisions.delivery import repayment_letter_filename
from decisions.exports.repayments import RepaymentClaimResource
from decisions.exports.tabular import write_csv, write_xlsx
from decisions.views.finance import finance_required
from decisions.views.letters import letter_response
from decisions.workflow import RepaymentState
from organisations.errors import WorkflowError

ALL = "all"
DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


class SettleForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        help_text=gettext_lazy("For example the invoice number or the date the money came in."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WriteOffForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the claim written off?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _download(claims, format: str) -> FileResponse:
    """Send the claims as a file for invoicing, written row by row to a spooled file."""
    content_type, extension = DOWNLOADS[format]
    # FileResponse closes it once sent.
    scratch = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    resource = RepaymentClaimResource()
    if format == "csv":
        write_csv(resource, claims, scratch)
    else:
        write_xlsx(resource, claims, scratch, title="Återkrav")
    scratch.seek(0)
    filename = f"aterkrav-{timezone.localdate().isoformat()}.{extension}"
    response = FileResponse(
        scratch, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@finance_required
@require_safe
def claims(request):
    """List the claims by state (open by default), or download them (``?format=csv|xlsx``)."""
    states = dict(RepaymentState.choices)
    state = request.GET.get("state", RepaymentState.CLAIMED)
    if state != ALL and state not in states:
        state = RepaymentState.CLAIMED
    claims = selectors.claims_for_finance(user=request.user, state=None if state == ALL else state)
    if request.GET.get("format") in DOWNLOADS:
        return _download(claims.select_related(None), request.GET["format"])
    totals = claims.aggregate(count=Count("pk"), total=Sum("amount"))
    paginator = Paginator(claims, 50)
    paginator.count = totals["count"]
    return render(
        request,
        "finance/repayments.html",
        {
            "finance_section": "repayments",
            "page": paginator.get_page(request.GET.get("page")),
            "totals": totals,
            "states": [(RepaymentState.CLAIMED, _("Outstanding")), *RepaymentState.choices[1:]],
            "state": state,
            "today": timezone.localdate(),
        },
    )


def _claim_page(request, pk, *, settle_form=None, write_off_form=None, status=200):
    claim = selectors.claim_for_finance(user=request.user, pk=pk)
    return render(
        request,
        "finance/repayment.html",
        {
            "finance_section": "repayments",
            "claim": claim,
            "application": claim.decision.application,
            "open": claim.state == RepaymentState.CLAIMED,
            "overdue": claim.state == RepaymentState.CLAIMED
            and claim.due_date < timezone.localdate(),
            "settle_form": settle_form or SettleForm(),
            "write_off_form": write_off_form or WriteOffForm(),
        },
        status=status,
    )


@finance_required
@require_safe
def claim(request, pk):
    """Show a claim, with the forms to record it repaid or written off."""
    return _claim_page(request, pk)


@finance_required
@require_safe
def letter(request, pk):
    """Send the claim's letter (PDF), as the grantee received it."""
    claim = selectors.claim_for_finance(user=request.user, pk=pk)
    return letter_response(claim.letter, filename=repayment_letter_filename(claim))


def _settle(request, pk, form, *, written_off: bool):
    if form.is_valid():
        claim = selectors.claim_for_finance(user=request.user, pk=pk)
        note = form.cleaned_data["reason" if written_off else "note"]
        try:
            services.repayment_claim_settle(
                claim=claim, actor=request.user, written_off=written_off, note=note
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            done = (
                _("The claim on %(case)s is written off.")
                if written_off
                else _("The claim on %(case)s is recorded as repaid.")
            )
            messages.success(request, done % {"case": claim.decision.application.case_number})
            return redirect("finance:repayment", pk=claim.pk)
    forms_ = {"write_off_form" if written_off else "settle_form": form}
    return _claim_page(request, pk, status=400, **forms_)


@finance_required
@require_POST
def settle(request, pk):
    """Record the claim as repaid; the case closes."""
    return _settle(request, pk, SettleForm(request.POST), written_off=False)


@finance_required
@require_POST
def write_off(request, pk):
    """Write the claim off, with the reason; the case closes."""
    return _settle(request, pk, WriteOffForm(request.POST), written_off=True)
