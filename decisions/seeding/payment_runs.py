"""The weekly payment runs of the past: when an instalment was paid, and the confirmed batches."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from decisions import banking
from decisions.models import PaymentBatch
from decisions.seeding.context import HistoricalBatch, SeedContext
from decisions.seeding.reference import finance_pair
from decisions.seeding.trail import batch_text
from decisions.workflow import BatchState

#: Payments are run once a week, on Wednesdays (or the next banking day).
PAYMENT_WEEKDAY = 2
#: A grant later claimed back had its requisitioned instalments asked for within this many days.
REQUISITION_BEFORE_CLAIM_DAYS = 20


def payment_run(ready: datetime) -> date:
    """Return the payment run that pays an instalment payable from ``ready``."""
    day = timezone.localdate(ready) + timedelta(days=3)
    day += timedelta(days=(PAYMENT_WEEKDAY - day.weekday()) % 7)
    return banking.next_banking_day(day)


def moment(day: date, hour: int) -> datetime:
    """Return the hour of the day, local time, as a moment in UTC."""
    return timezone.make_aware(datetime.combine(day, time(hour))).astimezone(UTC)


# Batches of the past


def historical_batch(ctx: SeedContext, run: date) -> HistoricalBatch:
    """Return the confirmed batch of a payment run, creating it on first use."""
    if run not in ctx.batches:
        creator, attester = finance_pair(ctx.staff)
        if ctx.rng.random() < 0.5:
            creator, attester = attester, creator

        def at(day_offset: int, hour: int) -> datetime:
            return min(moment(run + timedelta(days=day_offset), hour), ctx.now)

        batch = ctx.tables.new(
            PaymentBatch,
            state=BatchState.CONFIRMED,
            payment_date=run,
            created_by_id=creator.pk,
            created_at=at(-2, 9),
            attested_by_id=attester.pk,
            attested_at=at(-2, 14),
            exported_by_id=creator.pk,
            exported_at=at(-1, 10),
            confirmed_by_id=creator.pk,
            confirmed_at=at(1, 9),
            paid_on=run,
        )
        ctx.batches[run] = HistoricalBatch(batch=batch)
    return ctx.batches[run]


def log_historical_batches(ctx: SeedContext) -> None:
    """Add the audit entries of the past batches, now that every payment in them is known."""
    for run in sorted(ctx.batches):
        historical = ctx.batches[run]
        batch = historical.batch
        target = (PaymentBatch, batch.id, batch_text(batch.id, run))
        ids = [pk for pk, _amount in historical.payments]
        total = sum((amount for _pk, amount in historical.payments), Decimal("0"))
        trail = ctx.trail
        trail.add(
            batch.created_at,
            target,
            "decisions.batch.created",
            batch.created_by_id,
            {"payment_date": run, "payments": ids, "total": total},
        )
        trail.add(
            batch.attested_at,
            target,
            "decisions.batch.attested",
            batch.attested_by_id,
            {"total": total},
        )
        trail.add(batch.exported_at, target, "decisions.batch.exported", batch.exported_by_id)
        trail.add(
            batch.confirmed_at,
            target,
            "decisions.batch.confirmed",
            batch.confirmed_by_id,
            {"paid_on": run, "payments": len(ids)},
        )
