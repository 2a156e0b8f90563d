"""One attested payment batch of payable payments, built through the finance services."""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef

from decisions import banking
from decisions.models import Payment, PaymentBatch
from decisions.payments import batch_attest, batch_create
from decisions.seeding.reference import Staff, finance_pair
from decisions.workflow import PaymentState
from organisations.models import PayoutAccount


def payable_payments():
    """Return the payable payments a batch can take: to a verified account, in no live batch."""
    verified = PayoutAccount.objects.verified().filter(
        organisation=OuterRef("decision__application__organisation")
    )
    return (
        Payment.objects.filter(state=PaymentState.PAYABLE)
        .filter(Exists(verified))
        .exclude(batch_items__active=True)
        .order_by("payable_at", "pk")
    )


def batch_payment_date(today: date) -> date:
    """Return the first banking day after today: a batch is paid in the future."""
    return banking.next_banking_day(today + timedelta(days=1))


def attested_batch(*, size: int, staff: Staff, today: date) -> PaymentBatch:
    """Put the ``size`` longest-waiting payable payments into a batch and have it attested.

    One finance officer creates it, the other attests it (four-eyes); the services copy each
    payee's verified account onto the payments.
    """
    creator, attester = finance_pair(staff)
    payments = list(payable_payments()[:size])
    batch = batch_create(
        actor=creator,
        payments=payments,
        payment_date=batch_payment_date(today),
        note=f"Utbetalningsunderlag med {len(payments)} utbetalningar (seed).",
    )
    return batch_attest(batch=batch, actor=attester)
