"""What every part of a seed run shares: the random source, the clock, staff, the tables, the case."""

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone, translation

from decisions.models import Decision, Payment
from decisions.seeding.bulk import Row, Tables
from decisions.seeding.reference import Delegation, Staff
from decisions.seeding.timeline import Plan
from decisions.seeding.trail import Trail, application_text
from grants.models import Application, StrategyArea
from organisations.files import private_storage
from organisations.models import PayoutAccount, User

#: One small PDF stands in for every seeded attachment; the rows name it, so downloads work.
PLACEHOLDER_NAME = "seed/bilaga.pdf"
PLACEHOLDER_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass(frozen=True)
class SampleAttachment:
    """The stored file every seeded attachment points to."""

    name: str
    size: int
    sha256: str


def store_sample_attachment() -> SampleAttachment:
    """Store the sample attachment once (in private storage) and describe it."""
    storage = private_storage()
    if not storage.exists(PLACEHOLDER_NAME):
        storage.save(PLACEHOLDER_NAME, ContentFile(PLACEHOLDER_PDF))
    return SampleAttachment(
        name=PLACEHOLDER_NAME,
        size=len(PLACEHOLDER_PDF),
        sha256=hashlib.sha256(PLACEHOLDER_PDF).hexdigest(),
    )


def letter_labels(language: str) -> dict[str, dict[str, str]]:
    """Return the labels a decision letter shows, in the letter's language."""
    with translation.override(language):
        return {
            "outcome": {value: str(label) for value, label in Decision.Outcome.choices},
            "trigger": {value: str(label) for value, label in Payment.Trigger.choices},
            "account_kind": {value: str(label) for value, label in PayoutAccount.Kind.choices},
            "strategy_area": {value: str(label) for value, label in StrategyArea.choices},
        }


@dataclass(eq=False)
class HistoricalBatch:
    """A confirmed payment batch of the past and the payments paid through it."""

    batch: Row
    payments: list[tuple[int, Decimal]] = field(default_factory=list)


@dataclass(eq=False)
class SeedContext:
    """The state of one seed run."""

    rng: random.Random
    now: datetime
    staff: Staff
    delegations: list[Delegation]
    tables: Tables
    trail: Trail
    sample_attachment: SampleAttachment
    today: date = field(init=False)
    labels: dict[str, dict[str, dict[str, str]]] = field(init=False)
    batches: dict[date, HistoricalBatch] = field(default_factory=dict)
    committee_paragraphs: dict[tuple[date, int], str] = field(default_factory=dict)
    paragraphs_per_year: dict[int, int] = field(default_factory=dict)

    def __post_init__(self):
        self.now = self.now.astimezone(UTC)
        self.today = timezone.localdate(self.now)
        self.labels = {language: letter_labels(language) for language in ("sv", "en")}

    def between(self, low: datetime, high: datetime | None = None) -> datetime:
        """Return a moment between ``low`` and ``high`` (default now), never after now."""
        high = self.now if high is None else min(high, self.now)
        # In UTC: adding to a local time adds wall-clock time, an hour off across a DST change.
        low = low.astimezone(UTC)
        if high <= low:
            return min(low, self.now)
        return low + timedelta(seconds=self.rng.uniform(0, (high - low).total_seconds()))

    def days(self, low: float, high: float) -> timedelta:
        return timedelta(days=self.rng.uniform(low, high))

    def office_hours(self, day: date) -> datetime:
        """Return a moment of a working day's office hours, never after now."""
        moment = timezone.make_aware(
            datetime(day.year, day.month, day.day, self.rng.randint(9, 15), self.rng.randint(0, 59))
        )
        return min(moment.astimezone(UTC), self.now)


@dataclass(eq=False, slots=True)
class Case:
    """An application being seeded, with the people and moments later steps build on."""

    plan: Plan
    application: Row
    author: Row
    signatory: Row
    officer: User | None = None
    assessment: Row | None = None
    outcome: str | None = None
    granted: Decimal | None = None
    costs: list[tuple[str, Decimal]] = field(default_factory=list)
    decided_at: datetime | None = None
    last_event: datetime | None = None

    @property
    def target(self) -> tuple[type[Application], int, str]:
        """Return the application as the audit trail names it."""
        application = self.application
        return (
            Application,
            application.id,
            application_text(application.case_number, application.title),
        )

    def touch(self, moment: datetime | None) -> None:
        if moment is not None and (self.last_event is None or moment > self.last_event):
            self.last_event = moment

    def log(self, ctx: SeedContext, when: datetime, action: str, actor_id: int, data=None) -> None:
        """Add an audit entry about the application."""
        ctx.trail.add(when, self.target, action, actor_id, data)
