"""Plan the applications: which state each ends in, in which call, for whom, and when.

States come in fixed proportions (every state occurs even in a small seed). Each state is placed
in a call where it can be true today: drafts and cases under review in calls not yet decided,
decided cases in calls whose decision date has passed, closed cases in calls old enough for the
activity to have ended and been reported. Case numbers are given in submission order,
continuing each prefix and year's sequence without gaps.
"""

import random
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from decisions import banking
from decisions.seeding.applicants import OrgSeed
from decisions.seeding.reference import CallInfo
from grants.models import Application, CaseNumberSequence
from grants.workflow import ApplicationState

S = ApplicationState

#: Share of the applications ending in each state, in per mille; 400 ‰ granted.
STATE_SHARES = {
    S.DRAFT: 70,
    S.SUBMITTED: 40,
    S.COMPLETION_REQUESTED: 20,
    S.UNDER_REVIEW: 60,
    S.PROPOSED: 30,
    S.WITHDRAWN: 30,
    S.REJECTED: 350,
    S.APPROVED: 100,
    S.REPORT_SUBMITTED: 40,
    S.REPORT_COMPLETION_REQUESTED: 10,
    S.REPAYMENT_CLAIMED: 10,
    S.CLOSED: 240,
}

PENDING = {S.DRAFT, S.SUBMITTED, S.COMPLETION_REQUESTED, S.UNDER_REVIEW, S.PROPOSED}
DECIDED = {
    S.REJECTED,
    S.APPROVED,
    S.REPORT_SUBMITTED,
    S.REPORT_COMPLETION_REQUESTED,
    S.REPAYMENT_CLAIMED,
    S.CLOSED,
}
#: States whose activity has ended and been reported on (or should have been).
REPORTED = {S.REPORT_SUBMITTED, S.REPORT_COMPLETION_REQUESTED, S.REPAYMENT_CLAIMED, S.CLOSED}

#: Days that must have passed since the decision for a case to have reached the state.
MIN_DAYS_SINCE_DECISION = {
    S.REJECTED: 0,
    S.APPROVED: 0,
    S.REPORT_SUBMITTED: 100,
    S.REPORT_COMPLETION_REQUESTED: 100,
    S.REPAYMENT_CLAIMED: 150,
    S.CLOSED: 150,
}

#: Days a rolling call takes from submission to decision.
ROLLING_DECISION_DAYS = (14, 35)


@dataclass(eq=False, slots=True)
class Plan:
    """One application to seed: its final state, call, organisation and first dates."""

    state: str
    call: CallInfo
    org: OrgSeed
    created: datetime
    submitted: datetime | None
    decision_date: date | None
    backlog: bool = False
    case_number: str | None = None


def state_counts(total: int) -> dict[str, int]:
    """Return how many applications end in each state, at least one each when there is room."""
    shares = STATE_SHARES
    floor = 1 if total >= len(shares) else 0
    counts = {state: max(floor, total * share // 1000) for state, share in shares.items()}
    # Hand out what rounding left over (or take back what the floor added) by largest share.
    by_share = sorted(shares, key=lambda state: -shares[state])
    index = 0
    while sum(counts.values()) != total:
        state = by_share[index % len(by_share)]
        if sum(counts.values()) < total:
            counts[state] += 1
        elif counts[state] > floor:
            counts[state] -= 1
        index += 1
    return counts


def _between(rng: random.Random, low: datetime, high: datetime) -> datetime:
    """Return a moment between ``low`` and ``high``; ``low`` when the span is empty."""
    low = low.astimezone(UTC)  # Wall-clock arithmetic on a local time is off across DST.
    if high <= low:
        return low
    return low + timedelta(seconds=rng.uniform(0, (high - low).total_seconds()))


class Planner:
    """Place applications in calls and give them their first dates."""

    def __init__(
        self,
        *,
        rng: random.Random,
        calls: list[CallInfo],
        orgs: list[OrgSeed],
        now: datetime,
    ):
        self.rng = rng
        self.now = now.astimezone(UTC)
        self.today = timezone.localdate(now)
        eligible: dict[int, list[OrgSeed]] = {}
        for info in {id(c.programme): c.programme for c in calls}.values():
            types = set(info.eligible_org_types)
            eligible[info.programme.pk] = [org for org in orgs if org.org_type in types]
        self.eligible = eligible
        self.calls = [c for c in calls if eligible[c.programme.programme.pk]]
        if not self.calls:
            raise ValueError("No seeded call has an eligible organisation to apply.")

    # Pools of calls

    def _undecided(self, call: CallInfo) -> bool:
        if call.rolling:
            return call.closes > self.now
        return call.decision > self.today

    def _decided_by(self, call: CallInfo, state: str) -> bool:
        """Return whether a case of the call can have reached the (decided) state by today."""
        latest = self.today - timedelta(days=MIN_DAYS_SINCE_DECISION[state])
        if call.rolling:
            return timezone.localdate(call.opens) + timedelta(days=45) <= latest
        if call.decision > latest:
            return False
        if state in REPORTED and call.activity_year is not None:
            return date(call.activity_year, 12, 31) + timedelta(days=30) <= self.today
        return True

    def pool(self, state: str) -> tuple[list[CallInfo], list[float]]:
        """Return the calls a case in ``state`` can belong to, with their weights."""
        if state in PENDING:
            calls = [c for c in self.calls if self._undecided(c)]
        elif state == S.WITHDRAWN:
            calls = list(self.calls)
        else:
            calls = [c for c in self.calls if self._decided_by(c, state)]
            if not calls:
                calls = [c for c in self.calls if self._decided_by(c, S.REJECTED)]
        calls = calls or list(self.calls)
        if state == S.APPROVED:
            # Most cases still waiting for their report were decided within the last year.
            recent = self.today - timedelta(days=400)
            weights = [1.0 if (c.decision or c.closes.date()) >= recent else 0.1 for c in calls]
        else:
            weights = [1.0] * len(calls)
        return calls, weights

    # Plans

    def plan(self, states: list[str], *, backlog: bool = False) -> list[Plan]:
        """Return a plan for each state, in the order given.

        Backlog plans are recently approved cases whose instalments wait to be paid.
        """
        pools = {state: self.pool(state) for state in set(states)}
        everywhere = (list(self.calls), [1.0] * len(self.calls))
        plans = []
        for state in states:
            abandoned = state == S.DRAFT and self.rng.random() < 0.15
            calls, weights = everywhere if abandoned else pools[state]
            call = self.rng.choices(calls, weights)[0]
            created, submitted, decision_date = self._dates(state, call, backlog)
            org = self._applicant(call, created)
            if org.first_activity is None or created < org.first_activity:
                org.first_activity = created
            plans.append(Plan(state, call, org, created, submitted, decision_date, backlog))
        return plans

    def _applicant(self, call: CallInfo, created: datetime) -> OrgSeed:
        """Return an eligible organisation; once written, one registered before ``created``."""
        eligible = self.eligible[call.programme.programme.pk]
        for _attempt in range(20):
            org = self.rng.choice(eligible)
            if org.organisation is None or org.organisation.created_at <= created:
                return org
        return org

    def _dates(
        self, state: str, call: CallInfo, backlog: bool
    ) -> tuple[datetime, datetime | None, date | None]:
        """Return when the application was created, submitted and decided."""
        rng = self.rng
        window_end = min(call.closes, self.now)
        decision_date = None
        if state == S.DRAFT or (state == S.WITHDRAWN and rng.random() < 0.3):
            # A draft in a decided call is one the organisation never finished.
            return _between(rng, call.opens, window_end), None, None
        if backlog:
            latest = self.now - timedelta(days=ROLLING_DECISION_DAYS[0] + 7)
            submitted = _between(rng, call.opens, min(window_end, latest))
            recent = self.today - timedelta(days=rng.randint(0, 10))
            decision_date = max(recent, timezone.localdate(submitted) + timedelta(days=14))
            decision_date = min(banking.next_banking_day(decision_date), self.today)
        elif state in DECIDED and call.rolling:
            latest_decision = self.today - timedelta(days=MIN_DAYS_SINCE_DECISION[state])
            latest = timezone.make_aware(
                datetime.combine(latest_decision, datetime.min.time())
            ) - timedelta(days=ROLLING_DECISION_DAYS[1])
            submitted = _between(rng, call.opens, min(window_end, latest))
            lag = timedelta(days=rng.randint(*ROLLING_DECISION_DAYS))
            decision_date = banking.next_banking_day(timezone.localdate(submitted) + lag)
            decision_date = min(decision_date, self.today)
        else:
            submitted = _between(rng, call.opens, window_end)
            if state in DECIDED:
                decision_date = call.decision
        created = max(call.opens, submitted - timedelta(days=rng.uniform(0.2, 25)))
        return created, submitted, decision_date


def in_submission_order(plans: list[Plan]) -> list[Plan]:
    """Return the plans sorted by when they were submitted (or created, for drafts)."""
    return sorted(plans, key=lambda plan: plan.submitted or plan.created)


CASE_NUMBER = re.compile(r"^(?P<prefix>\S+) (?P<year>\d{4})/(?P<number>\d{4,})$")


class CaseNumbers:
    """Give case numbers that continue each prefix and year's sequence without gaps.

    The sequence rows are locked for the rest of the transaction, so a real submission waits
    for the seed rather than taking a number the seed is about to use.
    """

    def __init__(self):
        self._last: dict[tuple[str, int], int] = {}
        self._rows: dict[tuple[str, int], CaseNumberSequence] = {}

    def _load(self, prefix: str, year: int) -> None:
        key = (prefix, year)
        CaseNumberSequence.objects.bulk_create(
            [CaseNumberSequence(prefix=prefix, year=year, last_value=0)], ignore_conflicts=True
        )
        row = CaseNumberSequence.objects.select_for_update().get(prefix=prefix, year=year)
        # A number written without the sequence (a hand-made fixture) must not be given again.
        used = 0
        for case_number in Application.objects.filter(
            Q(case_number__startswith=f"{prefix} {year}/")
        ).values_list("case_number", flat=True):
            match = CASE_NUMBER.match(case_number)
            if match:
                used = max(used, int(match["number"]))
        self._rows[key] = row
        self._last[key] = max(row.last_value, used)

    def assign(self, plans: list[Plan]) -> None:
        """Give each submitted plan the next number of its prefix and submission year."""
        for plan in plans:
            if plan.submitted is None:
                continue
            prefix = plan.call.programme.programme.case_prefix
            key = (prefix, timezone.localtime(plan.submitted).year)
            if key not in self._last:
                self._load(*key)
            self._last[key] += 1
            plan.case_number = f"{prefix} {key[1]}/{self._last[key]:04d}"

    def save(self) -> int:
        """Store the last number used per prefix and year; return how many sequences moved."""
        moved = 0
        for key, row in self._rows.items():
            if self._last[key] != row.last_value:
                row.last_value = self._last[key]
                row.save(update_fields=["last_value"])
                moved += 1
        return moved
