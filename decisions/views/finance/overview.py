"""The finance workspace's start page: what waits for a finance officer, with links to it."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from decisions import selectors_finance
from decisions.views.finance import finance_required


@finance_required
@require_safe
def overview(request):
    """Show what waits: accounts to verify, payments to batch, batches to attest, export and
    confirm, and open repayment claims."""
    return render(
        request,
        "finance/overview.html",
        {"finance_section": "overview", "work": selectors_finance.finance_work(user=request.user)},
    )
