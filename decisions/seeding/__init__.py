"""Seed realistic data at scale (``manage.py seed``, DESIGN §9).

Applications of every state over six years of calls, with their organisations, people and
payout accounts, budgets, attachments, assessments, decisions with letter snapshots, payments
and payment batches, follow-up reports, repayment claims and the audit entries of it all.

The services handle one case at a time, so the seed bypasses them: each chunk of applications
is built in memory as rows, their states final from the start, and written table by table (see
``decisions.seeding.bulk``: COPY on PostgreSQL). The audit entries go through
``audit.services.log_bulk``, so the hash chain stays intact. Only the optional payment batch is
built through the finance services, as a finance officer would.

Everything runs in one transaction and from one seeded ``random.Random``: the same seed on the
same database gives the same data, and a second run adds to the first without clashing. While
it runs, the seed holds the audit chain's lock: other writers wait until it commits.
"""

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from audit.services import log_action
from decisions.models import (
    Decision,
    FollowUpReport,
    PaymentBatch,
    RepaymentClaim,
)
from decisions.seeding.applicants import ORG_TYPE_WEIGHTS, ApplicantFactory, sketch_organisations
from decisions.seeding.batch import attested_batch, payable_payments
from decisions.seeding.bulk import Tables, historical_timestamps
from decisions.seeding.context import SeedContext, store_sample_attachment
from decisions.seeding.lifecycle import TABLES, write_chunk
from decisions.seeding.payment_runs import log_historical_batches
from decisions.seeding.reference import (
    CallInfo,
    Delegation,
    Staff,
    ensure_calls,
    ensure_delegation,
    ensure_programmes,
    ensure_staff,
)
from decisions.seeding.timeline import CaseNumbers, Planner, in_submission_order, state_counts
from decisions.seeding.trail import Trail
from grants.models import Application, Assessment, Attachment, CompletionRequest
from grants.workflow import ApplicationState
from organisations.models import Membership, Organisation, PayoutAccount

#: Applications per organisation, on average (DESIGN: one organisation per 5–10 applications).
APPLICATIONS_PER_ORGANISATION = 7
CHUNK_SIZE = 5000

#: The models whose creation times the seed sets to the past it describes.
HISTORICAL_MODELS = (
    Organisation,
    Membership,
    PayoutAccount,
    Application,
    Attachment,
    CompletionRequest,
    Assessment,
    Decision,
    FollowUpReport,
    RepaymentClaim,
    PaymentBatch,
)


@dataclass
class SeedResult:
    """What a seed run wrote."""

    applications: int
    extra_applications: int = 0
    states: Counter = field(default_factory=Counter)
    rows: Counter = field(default_factory=Counter)
    created_reference: dict[str, int] = field(default_factory=dict)
    batch: PaymentBatch | None = None
    seconds: float = 0.0

    def count(self, label: str) -> int:
        return self.rows.get(label, 0)


def seed(
    *,
    applications: int,
    batch_size: int | None = None,
    random_seed: int = 1,
    chunk_size: int = CHUNK_SIZE,
    now: datetime | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> SeedResult:
    """Seed ``applications`` applications with their whole lifecycle; see the module docstring.

    With ``batch_size``, also put that many payable payments into one attested batch, first
    seeding recently approved applications if too few payments are payable.
    """
    started = time.monotonic()
    rng = random.Random(random_seed)
    now = now or timezone.now()
    trail = Trail()
    result = SeedResult(applications=applications)

    def report(message: str) -> None:
        progress(f"{message} ({time.monotonic() - started:.1f} s)")

    with transaction.atomic():
        tables = Tables(TABLES)
        tables.check_constraints_per_statement()
        with historical_timestamps(*HISTORICAL_MODELS):
            staff, delegations, calls = _reference(now, result, report)

            organisations = sketch_organisations(
                rng, max(len(ORG_TYPE_WEIGHTS), applications // APPLICATIONS_PER_ORGANISATION)
            )
            planner = Planner(rng=rng, calls=calls, orgs=organisations, now=now)
            states = [
                state for state, count in state_counts(applications).items() for _ in range(count)
            ]
            rng.shuffle(states)
            plans = in_submission_order(planner.plan(states))
            case_numbers = CaseNumbers()
            case_numbers.assign(plans)
            result.states.update(plan.state for plan in plans)
            report(f"planned {len(plans)} applications")

            # Organisations are written once the plans say when each first applied.
            ApplicantFactory(rng=rng, staff=staff, now=now, tables=tables).write(
                organisations, trail
            )
            tables.flush()
            tables.add("audit.LogEntry", trail.write())
            report(f"wrote {len(organisations)} organisations with people and accounts")

            ctx = SeedContext(
                rng=rng,
                now=now,
                staff=staff,
                delegations=delegations,
                tables=tables,
                trail=trail,
                sample_attachment=store_sample_attachment(),
            )
            for start in range(0, len(plans), chunk_size):
                write_chunk(ctx, plans[start : start + chunk_size])
                report(f"wrote applications {min(start + chunk_size, len(plans))}/{len(plans)}")

            if batch_size:
                missing = batch_size - payable_payments().count()
                if missing > 0:
                    # Recently approved cases whose first instalments wait to be paid.
                    extra = in_submission_order(
                        planner.plan([ApplicationState.APPROVED] * missing, backlog=True)
                    )
                    case_numbers.assign(extra)
                    write_chunk(ctx, extra)
                    result.extra_applications = len(extra)
                    result.states.update(plan.state for plan in extra)
                    report(f"wrote {len(extra)} more approved applications for the batch")

            log_historical_batches(ctx)
            tables.add("audit.LogEntry", trail.write())
            case_numbers.save()

        if batch_size:
            result.batch = attested_batch(size=batch_size, staff=staff, today=ctx.today)
            report(f"attested payment batch {result.batch.pk}")
        result.rows = tables.counts
        log_action(
            None,
            "decisions.seed.loaded",
            data={
                "applications": applications + result.extra_applications,
                "random_seed": random_seed,
                "rows": dict(tables.counts),
                "batch": result.batch.pk if result.batch else None,
            },
        )
    result.seconds = time.monotonic() - started
    return result


def _reference(
    now: datetime, result: SeedResult, report: Callable[[str], None]
) -> tuple[Staff, list[Delegation], list[CallInfo]]:
    """Find or create the staff, programmes, delegation rules and calls the cases need."""
    staff = ensure_staff()
    programmes, created_programmes = ensure_programmes()
    delegations, created_rules = ensure_delegation(staff, programmes)
    calls, created_calls = ensure_calls(programmes, now=now)
    result.created_reference = {
        "staff": staff.created,
        "programmes": created_programmes,
        "delegation rules": created_rules,
        "calls": created_calls,
    }
    report(
        f"reference data: {len(staff.officers)} officers, {len(staff.deciders)} decision "
        f"makers, {len(staff.secretaries)} secretaries, {len(staff.finance)} finance officers, "
        f"{len(programmes)} programmes, {len(delegations)} delegation rules, {len(calls)} calls "
        f"({created_programmes} programmes and {created_calls} calls created)"
    )
    return staff, delegations, calls
