"""Bank details: the queue of new and changed payout accounts, each verified or rejected by a
finance officer other than the one who entered it, with the organisation's history beside it.
Only a verified account is ever paid (DESIGN §3, the control against payment fraud)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from decisions import selectors_finance as selectors
from decisions.views.finance import finance_required
from grants import permissions
from organisations.errors import WorkflowError
from organisations.services import payout_account_reject, payout_account_verify

PENDING, DECIDED = "pending", "decided"


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the account rejected?"),
        help_text=gettext_lazy("The signatories are told, so write it for them."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@finance_required
@require_safe
def queue(request):
    """List the accounts awaiting verification (or, ``?view=decided``, those decided)."""
    view = DECIDED if request.GET.get("view") == DECIDED else PENDING
    if view == PENDING:
        accounts = selectors.accounts_to_verify(user=request.user)
    else:
        accounts = selectors.accounts_decided(user=request.user)
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/accounts.html",
        {"finance_section": "accounts", "page": page, "view": view},
    )


def _account_page(request, pk, *, reject_form=None, status=200):
    account = selectors.account_for_finance(user=request.user, pk=pk)
    history = list(selectors.account_history(organisation=account.organisation))
    pending = not (account.verified_at or account.rejected_at or account.superseded_at)
    return render(
        request,
        "finance/account.html",
        {
            "finance_section": "accounts",
            "account": account,
            "organisation": account.organisation,
            "history": history,
            "trail": selectors.account_audit_trail(accounts=history)[:50],
            "signatories": selectors.signatories_of(organisation=account.organisation),
            "pending": pending,
            "may_verify": pending
            and request.user.has_perm(permissions.VERIFY_ACCOUNT)
            and account.created_by_id != request.user.pk,
            "entered_by_me": account.created_by_id == request.user.pk,
            "reject_form": reject_form or RejectForm(),
        },
        status=status,
    )


@finance_required
@require_safe
def account(request, pk):
    """Show an account with the organisation's account history and audit trail."""
    return _account_page(request, pk)


@finance_required
@require_POST
def verify(request, pk):
    """Verify the account: from now on it is the one paid."""
    account = selectors.account_for_finance(user=request.user, pk=pk)
    try:
        payout_account_verify(account=account, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
        return redirect("finance:account", pk=account.pk)
    messages.success(
        request,
        _("The account of %(organisation)s is verified; payments go to it from now on.")
        % {"organisation": account.organisation.name},
    )
    return redirect("finance:accounts")


@finance_required
@require_POST
def reject(request, pk):
    """Reject the account change; a verified account in use stays in use."""
    account = selectors.account_for_finance(user=request.user, pk=pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            payout_account_reject(
                account=account, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as error:
            # A message, not a form error: the form is gone when the account was decided meanwhile.
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The account of %(organisation)s is rejected.")
                % {"organisation": account.organisation.name},
            )
            return redirect("finance:accounts")
    return _account_page(request, pk, reject_form=form, status=400)
