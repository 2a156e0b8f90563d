"""A submitted application's handling: review, completion, withdrawal, assessment and proposal."""

from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from decisions.seeding import vocabulary
from decisions.seeding.context import Case, SeedContext
from decisions.seeding.timeline import DECIDED
from grants.models import Assessment, CompletionRequest, CriterionScore, Perspective
from grants.workflow import ApplicationState

S = ApplicationState
CENT = Decimal("0.01")

RECOMMENDATIONS = {
    "approved": Assessment.Recommendation.APPROVE,
    "approved_partly": Assessment.Recommendation.APPROVE_PARTLY,
    "rejected": Assessment.Recommendation.REJECT,
    "dismissed": Assessment.Recommendation.DISMISS,
}


def handle(ctx: SeedContext, case: Case) -> None:
    """Take the case through review, completion and proposal as far as its state goes."""
    rng = ctx.rng
    plan = case.plan
    application = case.application
    state = plan.state
    submitted = plan.submitted
    if submitted is None:
        if state == S.WITHDRAWN:
            _withdraw(ctx, case, ctx.between(plan.created, min(plan.call.closes, ctx.now)))
        return
    reviewed = state in {S.UNDER_REVIEW, S.PROPOSED} | DECIDED or (
        state in {S.COMPLETION_REQUESTED, S.WITHDRAWN} and rng.random() < 0.5
    )
    decided_at = None
    if plan.decision_date is not None:
        decided_at = ctx.office_hours(plan.decision_date)
        decided_at = max(decided_at, min(submitted + timedelta(hours=2), ctx.now))
    if state == S.WITHDRAWN:
        end = ctx.office_hours(plan.call.decision) if plan.call.decision else None
        withdrawn_at = ctx.between(submitted + timedelta(days=1), end)
        if reviewed:
            _start_review(ctx, case, ctx.between(submitted + timedelta(hours=4), withdrawn_at))
        _withdraw(ctx, case, withdrawn_at)
        return
    proposed_at = None
    if decided_at is not None:
        proposed_at = max(submitted + timedelta(days=1), decided_at - ctx.days(2, 20))
        proposed_at = min(proposed_at, decided_at)
    elif state == S.PROPOSED:
        proposed_at = ctx.between(submitted + timedelta(days=3))
    review_started = None
    if reviewed:
        review_started = ctx.between(submitted + timedelta(days=1), proposed_at or ctx.now)
        _start_review(ctx, case, review_started)
    if state == S.COMPLETION_REQUESTED:
        asked = ctx.between((review_started or submitted) + timedelta(hours=6))
        _request_completion(ctx, case, asked, answered=None)
        return
    if reviewed and rng.random() < 0.12:
        # An earlier completion round, answered before the case went on.
        asked = ctx.between(
            review_started + timedelta(hours=6), (proposed_at or ctx.now) - timedelta(days=3)
        )
        answered = ctx.between(asked + timedelta(days=1), asked + timedelta(days=10))
        if proposed_at is not None:
            answered = min(answered, proposed_at)
        _request_completion(ctx, case, asked, answered=max(answered, asked))
    if state == S.UNDER_REVIEW:
        if rng.random() < 0.3:
            _assess(ctx, case, outcome=None, complete=False)
        return
    if proposed_at is None:
        return
    if state in DECIDED:
        outcome = _outcome(ctx, state)
    else:
        outcome = rng.choices(
            ["approved", "approved_partly", "rejected", "dismissed"], [45, 20, 33, 2]
        )[0]
    case.outcome = outcome
    case.granted = _granted(ctx, application.requested_amount, outcome)
    _assess(ctx, case, outcome=outcome, complete=True, proposed_at=proposed_at)
    application.proposed_at = proposed_at
    case.touch(proposed_at)
    case.decided_at = decided_at


def _outcome(ctx: SeedContext, state: str) -> str:
    if state == S.REJECTED:
        return "dismissed" if ctx.rng.random() < 0.07 else "rejected"
    return "approved_partly" if ctx.rng.random() < 0.4 else "approved"


def _granted(ctx: SeedContext, requested: Decimal, outcome: str) -> Decimal:
    """Return the amount granted: all, part (in whole thousands or five hundreds), or none."""
    if outcome == "approved":
        return requested
    if outcome != "approved_partly":
        return Decimal("0.00")
    step = Decimal("1000") if requested >= 20000 else Decimal("500")
    part = (requested * Decimal(str(ctx.rng.uniform(0.4, 0.9))) / step).quantize(
        Decimal("1"), ROUND_DOWN
    ) * step
    if not 0 < part < requested:
        part = (requested / 2).quantize(Decimal("1"), ROUND_DOWN)
    return part.quantize(CENT)


def _start_review(ctx: SeedContext, case: Case, moment: datetime) -> None:
    officer = ctx.rng.choice(ctx.staff.officers)
    case.officer = officer
    case.application.assigned_officer_id = officer.pk
    case.application.review_started_at = moment
    case.touch(moment)
    case.log(
        ctx, moment, "grants.application.review_started", officer.pk, {"officer": officer.email}
    )


def _withdraw(ctx: SeedContext, case: Case, moment: datetime) -> None:
    reason = ctx.rng.choice(vocabulary.WITHDRAWAL_REASONS)
    case.application.withdrawn_at = moment
    case.touch(moment)
    case.log(ctx, moment, "grants.application.withdrawn", case.signatory.id, {"reason": reason})


def _request_completion(
    ctx: SeedContext, case: Case, asked: datetime, *, answered: datetime | None
) -> None:
    """Record a completion request: open (the case waits) or answered (the case went on)."""
    if case.officer is None:
        # Asking for completion assigns the case to the officer who asks.
        case.officer = ctx.rng.choice(ctx.staff.officers)
        case.application.assigned_officer_id = case.officer.pk
    message, parts = ctx.rng.choice(vocabulary.COMPLETION_MESSAGES)
    due = timezone.localdate(asked) + timedelta(days=14)
    reply = ctx.rng.choice(vocabulary.COMPLETION_REPLIES) if answered else ""
    ctx.tables.new(
        CompletionRequest,
        application_id=case.application.id,
        message=message,
        parts=parts,
        due_date=due,
        requested_by_id=case.officer.pk,
        requested_at=asked,
        reply=reply,
        answered_at=answered,
        answered_by_id=case.signatory.id if answered else None,
    )
    case.touch(answered or asked)
    case.log(
        ctx,
        asked,
        "grants.application.completion_requested",
        case.officer.pk,
        {"message": message, "parts": parts, "due_date": due},
    )
    if answered:
        case.log(ctx, answered, "grants.application.completed", case.signatory.id, {"reply": reply})


def _assess(
    ctx: SeedContext,
    case: Case,
    *,
    outcome: str | None,
    complete: bool,
    proposed_at: datetime | None = None,
) -> None:
    """Score the criteria and perspectives; a complete assessment recommends and is proposed."""
    rng = ctx.rng
    application = case.application
    criteria = case.plan.call.programme.criteria
    granting = outcome in ("approved", "approved_partly")
    started = application.review_started_at
    updated = proposed_at or ctx.between(started)
    scale = [3, 4, 4, 5] if granting else [1, 2, 2, 3, 3]
    scored = criteria if complete else criteria[: rng.randint(0, len(criteria))]
    ratings = Assessment.Rating.values
    perspectives = {}
    for key in Perspective.values if complete else rng.sample(Perspective.values, 2):
        rating = rng.choices(ratings, [45, 35, 8, 12])[0]
        perspectives[key] = {"rating": rating, "comment": vocabulary.ASSESSMENT_COMMENTS[rating]}
    assessment = ctx.tables.new(
        Assessment,
        application_id=application.id,
        officer_id=case.officer.pk,
        perspectives=perspectives,
        agenda_goals=application.agenda_goals[:2],
        recommendation=RECOMMENDATIONS[outcome] if complete else "",
        proposed_amount=case.granted if granting else None,
        reasons=rng.choice(vocabulary.REASONS[outcome]) if complete else "",
        conditions=vocabulary.CONDITIONS if granting else "",
        created_at=ctx.between(started, updated),
        updated_at=updated,
    )
    case.assessment = assessment
    weighted = total_weight = Decimal("0")
    for criterion in scored:
        score = rng.choice(scale)
        ctx.tables.new(
            CriterionScore,
            assessment_id=assessment.id,
            criterion_id=criterion.pk,
            score=score,
            comment=vocabulary.SCORE_COMMENTS[score],
        )
        weighted += criterion.weight * score
        total_weight += criterion.weight
    if not complete:
        return
    case.log(
        ctx,
        proposed_at,
        "grants.application.proposed",
        case.officer.pk,
        {
            "recommendation": assessment.recommendation,
            "proposed_amount": assessment.proposed_amount,
            "weighted_score": (weighted / total_weight).quantize(CENT) if total_weight else None,
        },
    )
