"""Payable payments and payment batches: build a batch, attest it (another officer), export its
files, confirm it paid or record a failed payment, or cancel it before export (DESIGN §6)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit.services import log_action
from decisions import payments as services
from decisions import selectors_finance as selectors
from decisions.exports.store import batch_file_digest, exporters
from decisions.forms_batches import (
    BatchCancelForm,
    BatchConfirmForm,
    BatchCreateForm,
    PayableFilter,
    PaymentFailForm,
)
from decisions.models import BatchExport, Payment
from decisions.views.finance import finance_required
from decisions.workflow import BatchState, PaymentState
from grants import permissions
from organisations.errors import WorkflowError

PAYABLE_PAGE_SIZE = 100
BATCH_PAGE_SIZE = 100


@finance_required
@require_http_methods(["GET", "HEAD", "POST"])
def payable(request):
    """List the payable payments, filtered, and put the chosen ones into a new batch."""
    filters = PayableFilter(
        request.GET or None, queryset=selectors.payable_payments(user=request.user)
    )
    payments = filters.qs
    form = BatchCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["selection"] == BatchCreateForm.CHOSEN:
            # The service checks each ticked payment, and says which one is no longer payable.
            chosen = [Payment(pk=pk) for pk in form.cleaned_data["payment"]]
        else:
            chosen = list(payments.select_related(None).only("pk"))
        try:
            batch = services.batch_create(
                actor=request.user,
                payments=chosen,
                payment_date=form.cleaned_data["payment_date"],
                note=form.cleaned_data["note"],
            )
        except WorkflowError as error:
            field = "payment_date" if error.code == "not_banking_day" else None
            for problem in getattr(error, "problems", None) or [error.message]:
                form.add_error(field, problem)
        else:
            messages.success(
                request,
                _("Payment batch %(id)s created. Another finance officer must attest it.")
                % {"id": batch.pk},
            )
            return redirect("finance:batch", pk=batch.pk)
    totals = payments.aggregate(count=Count("pk"), total=Sum("amount"))
    paginator = Paginator(selectors.with_verified_accounts(payments), PAYABLE_PAGE_SIZE)
    paginator.count = totals["count"]  # counted with the total: one query fewer
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "finance/payable.html",
        {
            "finance_section": "payments",
            "filters": filters,
            "page": page,
            "totals": totals,
            "form": form,
            "ticked": {str(value) for value in form.data.getlist("payment")}
            if form.is_bound
            else set(),
            "query": query.urlencode(),
        },
        status=400 if form.is_bound else 200,
    )


@finance_required
@require_safe
def batches(request):
    """List the payment batches, newest first, by state."""
    states = dict(BatchState.choices)
    state = request.GET.get("state")
    if state not in states:
        state = None
    page = Paginator(selectors.batches_for_finance(state=state), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "finance/batches.html",
        {
            "finance_section": "batches",
            "page": page,
            "states": BatchState.choices,
            "state": state,
        },
    )


def _batch_page(request, pk, *, cancel_form=None, confirm_form=None, status=200):
    batch = selectors.batch_for_finance(pk=pk)
    user = request.user
    conflicted = services.batch_conflict(batch, user)
    paginator = Paginator(
        selectors.batch_payments_for_finance(batch=batch, user=user), BATCH_PAGE_SIZE
    )
    paginator.count = batch.payment_count  # counted with the batch
    payments = paginator.get_page(request.GET.get("page"))
    may_manage = user.has_perm(permissions.MANAGE_PAYMENTS)
    can = {
        "attest": batch.state == BatchState.DRAFT
        and user.has_perm(permissions.ATTEST_BATCH)
        and batch.created_by_id != user.pk
        and not conflicted,
        "export": batch.state == BatchState.ATTESTED and may_manage and not conflicted,
        "confirm": batch.state == BatchState.EXPORTED and may_manage,
        "cancel": batch.state in (BatchState.DRAFT, BatchState.ATTESTED) and may_manage,
        "fail": batch.state in (BatchState.EXPORTED, BatchState.CONFIRMED) and may_manage,
        "download": batch.state in (BatchState.EXPORTED, BatchState.CONFIRMED) and not conflicted,
    }
    return render(
        request,
        "finance/batch.html",
        {
            "finance_section": "batches",
            "batch": batch,
            "payments": payments,
            "exports": selectors.batch_exports(batch=batch),
            "conflicted": conflicted,
            "can": can,
            "own_batch": batch.created_by_id == user.pk,
            "cancel_form": cancel_form or BatchCancelForm(),
            "confirm_form": confirm_form
            or BatchConfirmForm(initial={"paid_on": batch.payment_date}),
            "paid_state": PaymentState.PAID,
            "failed_state": PaymentState.FAILED,
        },
        status=status,
    )


@finance_required
@require_safe
def batch(request, pk):
    """Show a batch: its totals, its payments, what can be done next, and its files."""
    return _batch_page(request, pk)


def _run(request, pk, call, done: str):
    batch = selectors.batch_for_finance(pk=pk)
    try:
        call(batch)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"id": batch.pk})
    return redirect("finance:batch", pk=batch.pk)


@finance_required
@require_POST
def attest(request, pk):
    """Attest the batch: a second finance officer approves it for payment."""
    return _run(
        request,
        pk,
        lambda batch: services.batch_attest(batch=batch, actor=request.user),
        _("Payment batch %(id)s attested. It can now be exported."),
    )


@finance_required
@require_POST
def export(request, pk):
    """Export the batch: its files are written once and kept; it can no longer be cancelled."""
    return _run(
        request,
        pk,
        lambda batch: services.batch_export(batch=batch, actor=request.user),
        _(
            "Payment batch %(id)s exported. Send the bank file to the bank, then confirm the payment."
        ),
    )


@finance_required
@require_POST
def confirm(request, pk):
    """Confirm that the bank paid the batch, on the date given."""
    form = BatchConfirmForm(request.POST)
    if form.is_valid():
        batch = selectors.batch_for_finance(pk=pk)
        try:
            services.batch_confirm(
                batch=batch, actor=request.user, paid_on=form.cleaned_data["paid_on"]
            )
        except WorkflowError as error:
            form.add_error("paid_on" if error.code == "invalid" else None, error.message)
        else:
            messages.success(
                request, _("Payment batch %(id)s confirmed as paid.") % {"id": batch.pk}
            )
            return redirect("finance:batch", pk=batch.pk)
    return _batch_page(request, pk, confirm_form=form, status=400)


@finance_required
@require_POST
def cancel(request, pk):
    """Cancel the batch before export; its payments become payable again."""
    form = BatchCancelForm(request.POST)
    if form.is_valid():
        batch = selectors.batch_for_finance(pk=pk)
        try:
            services.batch_cancel(
                batch=batch, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Payment batch %(id)s cancelled; its payments are payable again.")
                % {"id": batch.pk},
            )
            return redirect("finance:batch", pk=batch.pk)
    return _batch_page(request, pk, cancel_form=form, status=400)


@finance_required
@require_safe
def download(request, pk, format):
    """Send a stored file of the batch: the same bytes every time, checked against its SHA-256."""
    if format not in BatchExport.Format.values:
        raise Http404
    batch = selectors.batch_for_finance(pk=pk)
    if services.batch_conflict(batch, request.user):
        messages.error(
            request,
            _(
                "You have a conflict of interest (jäv) for an organisation paid in this batch; "
                "another finance officer must handle its files."
            ),
        )
        return redirect("finance:batch", pk=batch.pk)
    export = BatchExport.objects.filter(batch=batch, format=format).first()
    if export is None:
        raise Http404
    if batch_file_digest(export) != export.sha256:
        messages.error(
            request,
            _(
                "The stored file does not match its SHA-256 and is not sent. Tell the system "
                "administrator: the file may have been changed."
            ),
        )
        return redirect("finance:batch", pk=batch.pk)
    log_action(
        batch,
        "decisions.batch.downloaded",
        actor=request.user,
        data={"format": format, "sha256": export.sha256},
    )
    exporter = exporters()[format](batch)
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=exporter.filename(),
        content_type=exporter.content_type,
    )
    response["ETag"] = f'"{export.sha256}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@finance_required
@require_http_methods(["GET", "HEAD", "POST"])
def payment_fail(request, pk):
    """Record that the bank did not make a payment; it becomes payable again."""
    payment = selectors.batched_payment_for_finance(user=request.user, pk=pk)
    item = payment.batch_items.select_related("batch").get(active=True)
    form = PaymentFailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_fail(
                payment=payment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(payment)s recorded as failed; it is payable again.")
                % {"payment": services.payment_summary(payment)},
            )
            return redirect("finance:batch", pk=item.batch_id)
    return render(
        request,
        "finance/payment_fail.html",
        {
            "finance_section": "batches",
            "payment": payment,
            "batch": item.batch,
            "form": form,
            "can_fail": item.batch.state in (BatchState.EXPORTED, BatchState.CONFIRMED)
            and payment.state in (PaymentState.BATCHED, PaymentState.PAID),
        },
        status=400 if form.is_bound else 200,
    )
