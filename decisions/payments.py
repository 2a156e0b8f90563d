"""Every write a user can cause to payments and payment batches (DESIGN §6).

Payments are locked in id order so that two officers building batches at once cannot deadlock,
and the partial unique index on PaymentBatchItem guarantees that a payment is in at most one
batch that is not cancelled even if a check here were ever missed.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import log_action
from decisions import banking
from decisions.exports.store import batch_files_write
from decisions.models import Payment, PaymentBatch, PaymentBatchItem
from decisions.selectors_finance import conflicted_organisations
from decisions.workflow import BatchState, PaymentState
from grants import permissions
from grants.services import _money
from organisations.errors import WorkflowError
from organisations.models import User


def _require_finance(actor: User, perm: str = permissions.MANAGE_PAYMENTS) -> None:
    if not (actor.is_active and actor.has_perm(perm)):
        raise WorkflowError(_("Only a finance officer can do this."), code="wrong_role")


def _lock_batch(batch: PaymentBatch) -> PaymentBatch:
    return PaymentBatch.objects.select_for_update().get(pk=batch.pk)


def _batch_payments(batch: PaymentBatch):
    return (
        Payment.objects.select_for_update(of=("self",))
        .filter(batch_items__batch=batch, batch_items__active=True)
        .order_by("pk")
    )


def _require_state(batch: PaymentBatch, *states: str) -> None:
    if batch.state not in states:
        raise WorkflowError(
            _("This cannot be done while the batch is “%(state)s”.")
            % {"state": batch.get_state_display()},
            code="wrong_state",
        )


def batch_conflict(batch: PaymentBatch, actor: User) -> str | None:
    """Return the name of an organisation paid in the batch that the actor has jäv for."""
    return (
        batch.items.filter(active=True)
        .filter(
            Q(payment__decision__application__organisation__memberships__user=actor)
            | Q(payment__decision__application__organisation__conflicts__user=actor)
        )
        .values_list("payment__decision__application__organisation__name", flat=True)
        .first()
    )


def _require_no_conflict(batch: PaymentBatch, actor: User, message: str) -> None:
    conflicted = batch_conflict(batch, actor)
    if conflicted:
        raise WorkflowError(message % {"organisation": conflicted}, code="conflict")


def _require_banking_day(payment_date: date) -> None:
    if not banking.is_banking_day(payment_date):
        reason = banking.holiday_name(payment_date) or _("a weekend")
        raise WorkflowError(
            _("%(date)s is not a banking day (%(reason)s). The next banking day is %(next)s.")
            % {
                "date": payment_date.isoformat(),
                "reason": reason,
                "next": banking.next_banking_day(payment_date).isoformat(),
            },
            code="not_banking_day",
        )


@transaction.atomic
def payment_requisition(*, payment: Payment, actor: User) -> Payment:
    """Let the grantee requisition an instalment paid on request: it becomes payable."""
    payment = (
        Payment.objects.select_for_update()
        .select_related("decision__application__organisation")
        .get(pk=payment.pk)
    )
    organisation = payment.decision.application.organisation
    if not permissions.is_signatory(actor, organisation):
        raise WorkflowError(
            _("Only a signatory of %(organisation)s can requisition payments.")
            % {"organisation": organisation.name},
            code="not_signatory",
        )
    if payment.trigger != Payment.Trigger.ON_REQUEST or payment.state != PaymentState.PLANNED:
        raise WorkflowError(_("This instalment cannot be requisitioned."), code="wrong_state")
    payment.requested_at = timezone.now()
    payment.make_payable()
    payment.save(update_fields=["state", "payable_at", "requested_at"])
    log_action(
        payment.decision.application,
        "decisions.payment.requisitioned",
        actor=actor,
        data={"payment": payment.pk, "instalment": payment.instalment, "amount": payment.amount},
    )
    return payment


@transaction.atomic
def batch_create(
    *, actor: User, payments: list[Payment], payment_date: date, note: str = ""
) -> PaymentBatch:
    """Put payable payments into a new batch, copying each payee's verified account onto it."""
    _require_finance(actor)
    _require_banking_day(payment_date)
    if payment_date < timezone.localdate():
        raise WorkflowError(_("The payment date cannot be in the past."), code="invalid")
    ids = sorted({payment.pk for payment in payments})
    if not ids:
        raise WorkflowError(_("Choose at least one payment."), code="invalid")
    locked = list(
        Payment.objects.select_for_update(of=("self",))
        .select_related("decision__application__organisation")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    batch = PaymentBatch.objects.create(payment_date=payment_date, created_by=actor, note=note)
    conflicted = set(conflicted_organisations(user=actor).values_list("pk", flat=True))
    problems = []
    items = []
    for payment in locked:
        application = payment.decision.application
        organisation = application.organisation
        if organisation.pk in conflicted:
            problems.append(
                _("You have a conflict of interest (jäv) for %(organisation)s.")
                % {"organisation": organisation.name}
            )
            continue
        if payment.state not in (PaymentState.PAYABLE, PaymentState.FAILED):
            problems.append(
                _("%(case)s instalment %(n)s is “%(state)s”, not payable.")
                % {
                    "case": application.case_number,
                    "n": payment.instalment,
                    "state": payment.get_state_display(),
                }
            )
            continue
        account = organisation.payout_accounts.verified().first()
        if account is None:
            problems.append(
                _("%(organisation)s has no verified payout account.")
                % {"organisation": organisation.name}
            )
            continue
        payment.payout_account = account
        payment.payee_name = account.holder_name or organisation.name
        payment.payee_org_number = organisation.org_number
        payment.payee_account_kind = account.kind
        payment.payee_account_number = account.number
        payment.payee_bic = account.bic
        payment.reference = f"{application.case_number} {payment.instalment}"[:35]
        payment.add_to_batch()
        items.append(PaymentBatchItem(batch=batch, payment=payment))
    if problems or len(locked) != len(ids):
        if len(locked) != len(ids):
            problems.append(_("Some of the chosen payments no longer exist."))
        raise WorkflowError(
            _("The batch was not created: %(problem)s") % {"problem": problems[0]},
            problems=problems,
            code="not_payable",
        )
    try:
        with transaction.atomic():
            PaymentBatchItem.objects.bulk_create(items)
    except IntegrityError as error:
        raise WorkflowError(
            _("A payment was put into another batch at the same time; reload and try again."),
            code="conflict",
        ) from error
    Payment.objects.bulk_update(
        locked,
        [
            "state",
            "payout_account",
            "payee_name",
            "payee_org_number",
            "payee_account_kind",
            "payee_account_number",
            "payee_bic",
            "reference",
        ],
        batch_size=1000,
    )
    log_action(
        batch,
        "decisions.batch.created",
        actor=actor,
        data={
            "payment_date": payment_date,
            "payments": ids,
            "total": sum((p.amount for p in locked), 0),
        },
    )
    return batch


@transaction.atomic
def batch_attest(*, batch: PaymentBatch, actor: User) -> PaymentBatch:
    """Attest a batch: a second finance officer approves it for payment."""
    batch = _lock_batch(batch)
    _require_finance(actor, permissions.ATTEST_BATCH)
    _require_state(batch, BatchState.DRAFT)
    if batch.created_by_id == actor.pk:
        raise WorkflowError(
            _("You created this batch; another finance officer must attest it."),
            code="four_eyes",
        )
    if not batch.items.filter(active=True).exists():
        raise WorkflowError(_("The batch holds no payments."), code="invalid")
    _require_no_conflict(
        batch,
        actor,
        _(
            "You have a conflict of interest (jäv) for %(organisation)s, which is paid in this "
            "batch; another finance officer must attest it."
        ),
    )
    total = sum((p.amount for p in _batch_payments(batch)), 0)
    batch.attest()
    batch.attested_by = actor
    batch.save(update_fields=["state", "attested_at", "attested_by"])
    log_action(batch, "decisions.batch.attested", actor=actor, data={"total": total})
    return batch


@transaction.atomic
def batch_export(*, batch: PaymentBatch, actor: User) -> PaymentBatch:
    """Export an attested batch: write its bank file, payment lists and ledger file once, each
    stored with its SHA-256. From now on it can no longer be cancelled."""
    batch = _lock_batch(batch)
    _require_finance(actor)
    _require_state(batch, BatchState.ATTESTED)
    _require_no_conflict(
        batch,
        actor,
        _(
            "You have a conflict of interest (jäv) for %(organisation)s, which is paid in this "
            "batch; another finance officer must export it."
        ),
    )
    batch.export()
    batch.exported_by = actor
    batch.save(update_fields=["state", "exported_at", "exported_by"])
    files = batch_files_write(batch=batch, actor=actor)
    log_action(
        batch,
        "decisions.batch.exported",
        actor=actor,
        data={"files": {export.format: export.sha256 for export in files}},
    )
    return batch


@transaction.atomic
def batch_confirm(*, batch: PaymentBatch, actor: User, paid_on: date) -> PaymentBatch:
    """Confirm that the bank paid the batch on ``paid_on``; its payments are paid."""
    batch = _lock_batch(batch)
    _require_finance(actor)
    _require_state(batch, BatchState.EXPORTED)
    if paid_on > timezone.localdate():
        raise WorkflowError(_("The payment date cannot be in the future."), code="invalid")
    paid = []
    for payment in _batch_payments(batch):
        if payment.state == PaymentState.BATCHED:
            payment.mark_paid(paid_on)
            paid.append(payment)
    Payment.objects.bulk_update(paid, ["state", "paid_at"], batch_size=1000)
    batch.confirm()
    batch.confirmed_by = actor
    batch.paid_on = paid_on
    batch.save(update_fields=["state", "confirmed_at", "confirmed_by", "paid_on"])
    log_action(
        batch,
        "decisions.batch.confirmed",
        actor=actor,
        data={"paid_on": paid_on, "payments": len(paid)},
    )
    return batch


@transaction.atomic
def batch_cancel(*, batch: PaymentBatch, actor: User, reason: str) -> PaymentBatch:
    """Cancel a batch before export; its payments become payable again."""
    batch = _lock_batch(batch)
    _require_finance(actor)
    _require_state(batch, BatchState.DRAFT, BatchState.ATTESTED)
    if not reason.strip():
        raise WorkflowError(_("Give the reason for cancelling the batch."), code="invalid")
    payments = list(_batch_payments(batch))
    for payment in payments:
        payment.remove_from_batch()
    Payment.objects.bulk_update(payments, ["state"], batch_size=1000)
    batch.items.update(active=False)
    batch.cancel()
    batch.note = "\n".join(filter(None, [batch.note, reason.strip()]))
    batch.save(update_fields=["state", "cancelled_at", "note"])
    log_action(
        batch,
        "decisions.batch.cancelled",
        actor=actor,
        data={"reason": reason.strip(), "payments": [p.pk for p in payments]},
    )
    return batch


@transaction.atomic
def payment_fail(*, payment: Payment, actor: User, reason: str) -> Payment:
    """Record that the bank did not pay; the payment can go into a later batch."""
    _require_finance(actor)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.state not in (PaymentState.BATCHED, PaymentState.PAID):
        raise WorkflowError(_("Only a batched or paid payment can fail."), code="wrong_state")
    item = payment.batch_items.select_related("batch").get(active=True)
    if item.batch.state not in (BatchState.EXPORTED, BatchState.CONFIRMED):
        raise WorkflowError(
            _("Only a payment in an exported batch can fail; cancel the batch instead."),
            code="wrong_state",
        )
    if not reason.strip():
        raise WorkflowError(_("Give the reason the payment failed."), code="invalid")
    payment.mark_failed()
    payment.save(update_fields=["state", "paid_at"])
    item.active = False
    item.save(update_fields=["active"])
    log_action(
        payment.decision.application,
        "decisions.payment.failed",
        actor=actor,
        data={
            "payment": payment.pk,
            "batch": item.batch_id,
            "amount": payment.amount,
            "reason": reason.strip(),
        },
    )
    return payment


def payment_summary(payment: Payment) -> str:
    """Return a one-line description of a payment for messages."""
    return _("%(case)s instalment %(n)s, %(amount)s kr") % {
        "case": payment.decision.application.case_number,
        "n": payment.instalment,
        "amount": _money(payment.amount),
    }
