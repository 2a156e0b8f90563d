"""Reads of the finance workspace (/ekonomi/): querysets limited to what a finance officer may see.

A finance officer with jäv for an organisation (declared, or by being its member) sees nothing of
it: not its accounts, payments or claims. Batch pages show the batch's totals, which include such
payments, but not their rows' details (``batch_payments_for_finance``).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from decisions.models import BatchExport, Payment, PaymentBatch, RepaymentClaim
from decisions.workflow import BatchState, PaymentState, RepaymentState
from grants.models import ConflictOfInterest
from organisations.models import Membership, Organisation, PayoutAccount


def conflicted_organisations(*, user) -> QuerySet[Organisation]:
    """Return the organisations the user has jäv for: declared, or by being a member."""
    return Organisation.objects.filter(
        Q(pk__in=ConflictOfInterest.objects.filter(user=user).values("organisation"))
        | Q(pk__in=Membership.objects.filter(user=user).values("organisation"))
    )


def payable_payments(*, user) -> QuerySet[Payment]:
    """Return the payments that may go into a new batch (payable, or failed and to be paid
    again), without those the user has jäv for, with what the list shows."""
    return (
        Payment.objects.filter(state__in=[PaymentState.PAYABLE, PaymentState.FAILED])
        .exclude(decision__application__organisation__in=conflicted_organisations(user=user))
        .select_related(
            "decision__application__organisation", "decision__application__call__programme"
        )
        .order_by("payable_at", "pk")
    )


def with_verified_accounts(payments: QuerySet[Payment]) -> QuerySet[Payment]:
    """Fetch each payee organisation's verified payout account with the payments (one query);
    ``organisation.verified_accounts`` lists it, empty when there is none to pay."""
    return payments.prefetch_related(
        Prefetch(
            "decision__application__organisation__payout_accounts",
            queryset=PayoutAccount.objects.verified(),
            to_attr="verified_accounts",
        )
    )


def _with_totals(batches: QuerySet[PaymentBatch]) -> QuerySet[PaymentBatch]:
    active = Q(items__active=True)
    return batches.annotate(
        payment_count=Count("items", filter=active),
        total=Sum("items__payment__amount", filter=active),
    ).select_related("created_by", "attested_by", "exported_by", "confirmed_by")


def batches_for_finance(*, state: str | None = None) -> QuerySet[PaymentBatch]:
    """Return the payment batches, newest first, with their number of payments and total."""
    batches = PaymentBatch.objects.order_by("-created_at", "-pk")
    if state:
        batches = batches.filter(state=state)
    return _with_totals(batches)


def batch_for_finance(*, pk: int) -> PaymentBatch:
    """Return one batch with its totals, or 404."""
    try:
        return _with_totals(PaymentBatch.objects.filter(pk=pk)).get()
    except PaymentBatch.DoesNotExist as error:
        raise Http404 from error


def batch_payments_for_finance(*, batch: PaymentBatch, user) -> QuerySet[Payment]:
    """Return the batch's payments with their cases; ``hidden`` is true for a payment to an
    organisation the user has jäv for, whose details the page does not show."""
    return (
        Payment.objects.filter(batch_items__batch=batch, batch_items__active=True)
        .select_related("decision__application__organisation")
        .annotate(
            hidden=Exists(
                conflicted_organisations(user=user).filter(
                    pk=OuterRef("decision__application__organisation")
                )
            )
        )
        .order_by("pk")
    )


def batch_exports(*, batch: PaymentBatch) -> list[BatchExport]:
    """Return the batch's stored files, in the order the pages list them."""
    from decisions.exports.store import exporters

    order = list(exporters())
    return sorted(batch.exports.all(), key=lambda export: order.index(export.format))


def batched_payment_for_finance(*, user, pk: int) -> Payment:
    """Return a payment in a batch that is not cancelled, or 404 (also when the user has jäv)."""
    payment = (
        Payment.objects.filter(pk=pk, batch_items__active=True)
        .exclude(decision__application__organisation__in=conflicted_organisations(user=user))
        .select_related("decision__application__organisation")
        .first()
    )
    if payment is None:
        raise Http404
    return payment


@dataclass(frozen=True)
class FinanceWork:
    accounts_to_verify: int
    payable_count: int
    payable_total: Decimal
    batches_to_attest: int
    own_drafts: int
    batches_to_export: int
    batches_to_confirm: int
    claims_open: int
    claims_open_total: Decimal


def finance_work(*, user) -> FinanceWork:
    """Return what waits for finance, as the overview shows it (four queries)."""
    conflicted = conflicted_organisations(user=user)
    accounts = (
        PayoutAccount.objects.pending()
        .exclude(organisation__in=conflicted)
        .exclude(created_by=user)
        .count()
    )
    payable = payable_payments(user=user).aggregate(count=Count("pk"), total=Sum("amount"))
    batches = PaymentBatch.objects.aggregate(
        to_attest=Count("pk", filter=Q(state=BatchState.DRAFT) & ~Q(created_by=user)),
        own_drafts=Count("pk", filter=Q(state=BatchState.DRAFT, created_by=user)),
        to_export=Count("pk", filter=Q(state=BatchState.ATTESTED)),
        to_confirm=Count("pk", filter=Q(state=BatchState.EXPORTED)),
    )
    claims = (
        RepaymentClaim.objects.filter(state=RepaymentState.CLAIMED)
        .exclude(decision__application__organisation__in=conflicted)
        .aggregate(count=Count("pk"), total=Sum("amount"))
    )
    return FinanceWork(
        accounts_to_verify=accounts,
        payable_count=payable["count"],
        payable_total=payable["total"] or Decimal(0),
        batches_to_attest=batches["to_attest"],
        own_drafts=batches["own_drafts"],
        batches_to_export=batches["to_export"],
        batches_to_confirm=batches["to_confirm"],
        claims_open=claims["count"],
        claims_open_total=claims["total"] or Decimal(0),
    )


# Bank details


def accounts_to_verify(*, user) -> QuerySet[PayoutAccount]:
    """Return the new and changed payout accounts awaiting verification, oldest first, without
    those of organisations the user has jäv for; ``replaces`` says whether the organisation has
    a verified account that the new one would replace."""
    verified = PayoutAccount.objects.verified().filter(organisation=OuterRef("organisation"))
    return (
        PayoutAccount.objects.pending()
        .exclude(organisation__in=conflicted_organisations(user=user))
        .select_related("organisation", "created_by")
        .annotate(replaces=Exists(verified))
        .order_by("created_at", "pk")
    )


def accounts_decided(*, user) -> QuerySet[PayoutAccount]:
    """Return the accounts verified or rejected, newest first, without the user's jäv ones."""
    return (
        PayoutAccount.objects.filter(Q(verified_at__isnull=False) | Q(rejected_at__isnull=False))
        .exclude(organisation__in=conflicted_organisations(user=user))
        .select_related("organisation", "verified_by", "rejected_by")
        .order_by("-id")
    )


def account_for_finance(*, user, pk: int) -> PayoutAccount:
    """Return a payout account with its organisation, or 404 (also when the user has jäv)."""
    account = (
        PayoutAccount.objects.filter(pk=pk)
        .exclude(organisation__in=conflicted_organisations(user=user))
        .select_related("organisation", "created_by", "verified_by", "rejected_by")
        .first()
    )
    if account is None:
        raise Http404
    return account


def account_history(*, organisation: Organisation) -> QuerySet[PayoutAccount]:
    """Return every payout account the organisation has had, newest first."""
    return organisation.payout_accounts.select_related(
        "created_by", "verified_by", "rejected_by"
    ).order_by("-created_at", "-pk")


def account_audit_trail(*, accounts) -> QuerySet:
    """Return the audit entries about the given payout accounts, newest first."""
    from django.contrib.contenttypes.models import ContentType

    from audit.models import LogEntry

    return (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(PayoutAccount),
            object_id__in=[str(account.pk) for account in accounts],
        )
        .select_related("actor")
        .order_by("-id")
    )


def signatories_of(*, organisation: Organisation) -> QuerySet[Membership]:
    """Return the organisation's signatories (firmatecknare) with their users."""
    return (
        Membership.objects.filter(organisation=organisation, role=Membership.Role.SIGNATORY)
        .select_related("user")
        .order_by("user__full_name")
    )


# Repayment claims


def claims_for_finance(*, user, state: str | None) -> QuerySet[RepaymentClaim]:
    """Return the repayment claims (in ``state``, or all), oldest due first, without the
    user's jäv ones, with their case and organisation."""
    claims = RepaymentClaim.objects.exclude(
        decision__application__organisation__in=conflicted_organisations(user=user)
    )
    if state:
        claims = claims.filter(state=state)
    return claims.select_related(
        "decision__application__organisation", "claimed_by", "settled_by"
    ).order_by("due_date", "pk")


def claim_for_finance(*, user, pk: int) -> RepaymentClaim:
    """Return a repayment claim with its case, or 404 (also when the user has jäv)."""
    claim = claims_for_finance(user=user, state=None).filter(pk=pk).first()
    if claim is None:
        raise Http404
    return claim
