"""An application's content: its text, budget, activity, attachments and first audit entries.

Its handling up to the proposal is in ``decisions.seeding.handling``, the decision and what
follows in ``decisions.seeding.decided``.
"""

from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from decisions.seeding import vocabulary
from decisions.seeding.context import Case, SeedContext
from decisions.seeding.handling import handle
from decisions.seeding.timeline import REPORTED, Plan
from grants.models import (
    Application,
    Attachment,
    AttachmentKind,
    BudgetLine,
    Perspective,
    Programme,
    TargetGroup,
)
from grants.workflow import ApplicationState
from organisations.models import Municipality

S = ApplicationState
HUNDRED = Decimal("100")
CENT = Decimal("0.01")

AGENDA_GOALS = [3, 4, 5, 8, 10, 11, 16, 17]
INCOME_CATEGORIES = [
    "own_contribution",
    "other_funder",
    "ticket_sales",
    "sponsorship",
    "other_income",
]
COUNTY = [m for m in Municipality.values if m != Municipality.OUTSIDE_COUNTY]

ATTACHMENT_NAMES = {
    AttachmentKind.PROJECT_PLAN: "Projektplan.pdf",
    AttachmentKind.BUDGET_SPECIFICATION: "Budgetspecifikation.pdf",
    AttachmentKind.ACTIVITY_PLAN: "Verksamhetsplan.pdf",
    AttachmentKind.COOPERATION_LETTER: "Avsiktsforklaring.pdf",
    AttachmentKind.CV: "CV.pdf",
    AttachmentKind.WORK_SAMPLE: "Arbetsprov.pdf",
    AttachmentKind.STATUTES: "Stadgar.pdf",
    AttachmentKind.ANNUAL_MEETING_MINUTES: "Arsmotesprotokoll.pdf",
    AttachmentKind.ANNUAL_REPORT: "Arsredovisning.pdf",
    AttachmentKind.ACTIVITY_REPORT: "Verksamhetsberattelse.pdf",
    AttachmentKind.OTHER: "Bilaga.pdf",
}


def _amount(ctx: SeedContext, low: Decimal, high: Decimal) -> Decimal:
    """Return an amount between the limits, small ones likelier, in whole hundreds or thousands."""
    value = float(low) * (float(high) / float(low)) ** (ctx.rng.random() ** 1.6)
    step = 1000 if value >= 20000 else 500
    rounded = Decimal(int(value // step * step))
    return min(max(rounded, low), high).quantize(CENT)


def _split(ctx: SeedContext, total: Decimal, parts: int) -> list[Decimal]:
    """Split a positive amount into at most ``parts`` positive amounts, in hundreds but the last."""
    hundreds = int(total // HUNDRED)
    parts = max(1, min(parts, hundreds))
    cuts = sorted(ctx.rng.sample(range(1, hundreds), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, hundreds]
    amounts = [
        (Decimal(b - a) * HUNDRED).quantize(CENT) for a, b in zip(bounds, bounds[1:], strict=False)
    ]
    amounts[-1] += total - sum(amounts, Decimal("0"))
    return amounts


def _budget(
    ctx: SeedContext, programme: Programme, requested: Decimal
) -> list[tuple[str, str, Decimal]]:
    """Return (kind, category, amount) lines that balance with the requested amount.

    Other income is at least the programme's share of the costs: with own share ``f`` of at
    least that share, costs ``C`` of at least ``requested / (1 - f)`` leave ``C - requested``,
    at least ``C * f``, for other income.
    """
    rng = ctx.rng
    share = programme.cofinancing_share
    if share or rng.random() < 0.6:
        own_share = min(Decimal("0.85"), share + Decimal(str(round(rng.uniform(0, 0.35), 3))))
    else:
        own_share = Decimal("0")
    hundreds = (requested / (1 - own_share) / HUNDRED).to_integral_value(ROUND_CEILING)
    costs_total = (hundreds * HUNDRED).quantize(CENT)
    income = costs_total - requested
    categories = rng.sample(BudgetLine.COST_CATEGORIES, rng.randint(2, 5))
    lines = [
        (BudgetLine.Kind.COST, category, amount)
        for category, amount in zip(
            categories, _split(ctx, costs_total, len(categories)), strict=False
        )
    ]
    if income > 0:
        sources = rng.sample(INCOME_CATEGORIES, rng.randint(1, 3))
        lines.extend(
            (BudgetLine.Kind.INCOME, category, amount)
            for category, amount in zip(sources, _split(ctx, income, len(sources)), strict=False)
        )
    return lines


def _title(ctx: SeedContext, plan: Plan) -> str:
    rng = ctx.rng
    kind = plan.call.programme.programme.kind
    templates = {
        Programme.Kind.OPERATING: vocabulary.OPERATING_TITLES,
        Programme.Kind.EVENT: vocabulary.EVENT_TITLES,
    }.get(kind, vocabulary.PROJECT_TITLES)
    municipality = vocabulary.MUNICIPALITY_NAMES.get(plan.org.municipality, "länet")
    year = plan.call.activity_year or (plan.submitted or plan.created).year
    return rng.choice(templates).format(
        place=plan.org.place,
        municipality=f"{municipality} kommun" if municipality != "länet" else "länet",
        year=year,
        word=rng.choice(vocabulary.WORDS),
    )


def _activity(ctx: SeedContext, plan: Plan) -> tuple[date, date]:
    """Return when the activity runs: after the decision, ended by now if it has been reported."""
    rng = ctx.rng
    call = plan.call
    kind = call.programme.programme.kind
    if call.activity_year is not None:
        starts, ends = date(call.activity_year, 1, 1), date(call.activity_year, 12, 31)
    else:
        base = plan.decision_date or call.decision
        if base is None:
            base = (plan.submitted or plan.created).date() + timedelta(days=30)
        starts = base + timedelta(days=rng.randint(0, 45))
        length = rng.randint(0, 3) if kind == Programme.Kind.EVENT else rng.randint(30, 300)
        ends = starts + timedelta(days=length)
    if plan.state in REPORTED:
        ends = min(ends, ctx.today - timedelta(days=rng.randint(20, 60)))
        starts = min(starts, ends)
    return starts, ends


def build_case(ctx: SeedContext, plan: Plan) -> Case:
    """Build the application and everything up to its proposal."""
    rng = ctx.rng
    tables = ctx.tables
    org = plan.org
    programme = plan.call.programme.programme
    author = rng.choice(org.members) if org.members and rng.random() < 0.3 else org.signatory
    requested = _amount(ctx, programme.min_amount, programme.max_amount)
    budget = _budget(ctx, programme, requested)
    if plan.submitted is None and rng.random() < 0.35:
        # An unfinished draft: no amount yet and only some of the costs.
        requested = None
        budget = [line for line in budget if line[0] == BudgetLine.Kind.COST][: rng.randint(0, 2)]
    starts, ends = _activity(ctx, plan)
    home = org.municipality if org.municipality in COUNTY else rng.choice(COUNTY)
    municipality_name = vocabulary.MUNICIPALITY_NAMES.get(org.municipality, "länet")
    application = tables.new(
        Application,
        organisation_id=org.organisation.id,
        call_id=plan.call.call.pk,
        author_id=author.id,
        title=_title(ctx, plan)[:200],
        summary=rng.choice(vocabulary.SUMMARIES).format(
            municipality=municipality_name, place=org.place
        ),
        description=" ".join(rng.sample(vocabulary.DESCRIPTIONS, 3)).format(
            months=max(1, (ends - starts).days // 30)
        ),
        activity_starts=starts,
        activity_ends=ends,
        target_groups=sorted(rng.sample(TargetGroup.values, rng.randint(1, 3))),
        municipalities=sorted({home, *rng.sample(COUNTY, rng.choice([0, 0, 1, 2]))}),
        perspectives={
            key: rng.choice(vocabulary.PERSPECTIVE_TEXTS[key])
            for key in rng.sample(Perspective.values, rng.randint(2, 5))
        },
        agenda_goals=sorted(rng.sample(AGENDA_GOALS, rng.randint(1, 3))),
        requested_amount=requested,
        letter_language=author.language,
        case_number=plan.case_number,
        state=plan.state,
        created_at=plan.created,
        submitted_at=plan.submitted,
    )
    case = Case(plan=plan, application=application, author=author, signatory=org.signatory)
    case.touch(plan.created)
    case.touch(plan.submitted)
    for order, (kind, category, amount) in enumerate(budget):
        tables.new(
            BudgetLine,
            application_id=application.id,
            kind=kind,
            category=category,
            amount=amount,
            order=order,
        )
    case.costs = [(category, amount) for kind, category, amount in budget if kind == "cost"]
    _attachments(ctx, case)
    # The trail of a submitted case starts at its registration (submission); drafting before
    # that is logged only for applications never submitted, where it is all there is.
    if plan.submitted is None:
        case.log(
            ctx,
            plan.created,
            "grants.application.created",
            author.id,
            {"title": application.title, "call": plan.call.call.pk},
        )
    else:
        case.log(
            ctx,
            plan.submitted,
            "grants.application.submitted",
            org.signatory.id,
            {"case_number": plan.case_number, "requested_amount": requested},
        )
    handle(ctx, case)
    return case


def _attachments(ctx: SeedContext, case: Case) -> None:
    """Attach every required document to a submitted application, some to a draft."""
    required = list(case.plan.call.programme.programme.required_attachments)
    if case.plan.submitted is None:
        required = required[: ctx.rng.randint(0, len(required))]
    latest = case.plan.submitted or ctx.now
    sample_attachment = ctx.sample_attachment
    for kind in required:
        ctx.tables.new(
            Attachment,
            application_id=case.application.id,
            kind=kind,
            file=sample_attachment.name,
            original_name=ATTACHMENT_NAMES.get(kind, "Bilaga.pdf"),
            content_type="application/pdf",
            size=sample_attachment.size,
            sha256=sample_attachment.sha256,
            uploaded_by_id=case.author.id,
            uploaded_at=ctx.between(case.plan.created, latest),
        )
