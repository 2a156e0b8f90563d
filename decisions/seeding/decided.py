"""The decision on a proposed case, by delegation or by the committee, with its letter snapshot.

What follows a grant is in ``decisions.seeding.followup``.
"""

from datetime import UTC, date
from decimal import Decimal

from django.conf import settings

from decisions.letter_texts import letter_texts_for
from decisions.models import (
    Decision,
    FollowUpReport,
    Payment,
)
from decisions.seeding import vocabulary
from decisions.seeding.bulk import Row
from decisions.seeding.context import Case, SeedContext
from decisions.seeding.followup import FollowUp
from decisions.seeding.reference import decision_makers_except
from decisions.services import (
    SNAPSHOT_VERSION,
    add_months,
    amount_concerned,
    payment_plan_amounts,
)
from decisions.workflow import PaymentState
from grants.workflow import ApplicationState
from organisations.models import User
from organisations.validators import is_personal_number

S = ApplicationState
P = PaymentState
Trigger = Payment.Trigger


def build_decision(ctx: SeedContext, case: Case) -> None:
    """Decide the case as planned, then carry it through payments, report and repayment."""
    programme = case.plan.call.programme.programme
    case.application.decided_at = case.decided_at
    case.touch(case.decided_at)
    granting = case.outcome in Decision.GRANTING
    instalments = (
        payment_plan_amounts(plan=programme.payment_plan, amount=case.granted) if granting else []
    )
    decision = _decision(ctx, case, instalments)
    if not granting:
        return
    report = ctx.tables.new(
        FollowUpReport,
        decision_id=decision.id,
        due_date=decision.report_due_date,
        created_at=case.decided_at,
        updated_at=case.decided_at,
    )
    FollowUp(ctx, case, decision, report, instalments).run()


def _decision(ctx: SeedContext, case: Case, instalments: list[tuple[Decimal, str]]) -> Row:
    """Record the decision: by delegation when a rule covers it, else by the committee."""
    rng = ctx.rng
    plan = case.plan
    application = case.application
    programme = plan.call.programme.programme
    presenter = case.officer
    concerned = amount_concerned(
        outcome=case.outcome, amount=case.granted, requested=application.requested_amount
    )
    decided_by, rule = None, None
    for delegation in ctx.delegations:
        if delegation.covers(programme.pk, concerned):
            decided_by = decision_makers_except(delegation.deciders, presenter, rng)
            if decided_by is not None:
                rule = delegation.rule
                break
    committee = {}
    if rule is None:
        # Above every delegation: the committee decides, the secretary records it.
        decided_by = decision_makers_except(ctx.staff.secretaries, presenter, rng)
        if decided_by is None:
            raise ValueError(
                f"{presenter} is the only committee secretary and cannot record decisions on "
                "cases they presented: add another user to the secretary group."
            )
        committee = {
            "committee_body": vocabulary.COMMITTEE_BODY,
            "committee_meeting_date": plan.decision_date,
            "committee_paragraph": _paragraph(ctx, plan.decision_date, plan.call.call.pk),
        }
    report_due = None
    if case.outcome in Decision.GRANTING:
        report_due = add_months(
            max(application.activity_ends or plan.decision_date, plan.decision_date),
            programme.report_due_months,
        )
    decision = ctx.tables.new(
        Decision,
        application_id=application.id,
        outcome=case.outcome,
        amount=case.granted,
        requested_amount=application.requested_amount,
        reasons=case.assessment.reasons,
        conditions=case.assessment.conditions,
        decided_by_id=decided_by.pk,
        presenter_id=presenter.pk,
        delegation_rule_id=rule.pk if rule else None,
        delegation_reference=rule.reference if rule else "",
        decision_date=plan.decision_date,
        report_due_date=report_due,
        letter_language=application.letter_language,
        created_at=case.decided_at,
        **committee,
    )
    decision.snapshot = snapshot(ctx, case, decision, decided_by, instalments)
    case.log(
        ctx,
        case.decided_at,
        "grants.application.approved"
        if case.outcome in Decision.GRANTING
        else "grants.application.rejected",
        decided_by.pk,
        {
            "outcome": decision.outcome,
            "amount": decision.amount,
            "requested_amount": decision.requested_amount,
            "delegation_reference": decision.delegation_reference,
            "committee": decision.snapshot["committee"],
            "decision": decision.id,
        },
    )
    return decision


def _paragraph(ctx: SeedContext, meeting: date, call_id: int) -> str:
    """Return the § of the committee's minutes under which a call's proposals were decided."""
    key = (meeting, call_id)
    if key not in ctx.committee_paragraphs:
        number = ctx.paragraphs_per_year.get(meeting.year, ctx.rng.randint(5, 20)) + 1
        ctx.paragraphs_per_year[meeting.year] = number
        ctx.committee_paragraphs[key] = f"§ {number}"
    return ctx.committee_paragraphs[key]


def snapshot(
    ctx: SeedContext,
    case: Case,
    decision: Row,
    decided_by: User,
    instalments: list[tuple[Decimal, str]],
) -> dict:
    """Return the letter's values as ``decisions.services.decision_snapshot`` takes them."""
    application = case.application
    organisation = case.plan.org.organisation
    programme = case.plan.call.programme.programme
    call = case.plan.call.call
    account = case.plan.org.account
    presenter = case.officer
    language = decision.letter_language
    labels = ctx.labels[language]
    english = language == "en"
    committee = decision.__dict__.get("committee_body")
    org_number = organisation.org_number
    texts = _letter_texts(ctx, programme, language)
    granting = decision.outcome in Decision.GRANTING
    shown = ["report", "repayment", "appeal"] if granting else ["appeal"]
    return {
        "version": SNAPSHOT_VERSION,
        "region": settings.REGION,
        "case_number": application.case_number,
        "decision_date": decision.decision_date,
        "language": language,
        "outcome": decision.outcome,
        "outcome_label": labels["outcome"][decision.outcome],
        "amount": decision.amount,
        "requested_amount": decision.requested_amount,
        "reasons": decision.reasons,
        "conditions": decision.conditions,
        "organisation": {
            "name": organisation.name,
            "org_number": f"{org_number[:6]}-****"
            if is_personal_number(org_number)
            else org_number,
            "street_address": organisation.street_address,
            "postal_code": organisation.postal_code,
            "city": organisation.city,
        },
        "application": {
            "title": application.title,
            # As read back from the database: in UTC.
            "submitted_at": application.submitted_at.astimezone(UTC),
            "activity_starts": application.activity_starts,
            "activity_ends": application.activity_ends,
        },
        "programme": {
            "name": programme.name_en if english else programme.name_sv,
            "kind": programme.kind,
            "strategy_area": labels["strategy_area"][programme.strategy_area],
            "appeal_kind": programme.appeal_kind,
        },
        "call": call.title_en if english else call.title_sv,
        "decided_by": {"name": decided_by.full_name, "title": decided_by.title},
        "presenter": {"name": presenter.full_name, "title": presenter.title},
        "delegation_reference": decision.delegation_reference,
        "committee": {
            "body": decision.committee_body,
            "meeting_date": decision.committee_meeting_date,
            "paragraph": decision.committee_paragraph,
        }
        if committee
        else None,
        "payment_plan": [
            {
                "instalment": number,
                "amount": part,
                "trigger": trigger,
                "trigger_label": labels["trigger"][trigger],
            }
            for number, (part, trigger) in enumerate(instalments, start=1)
        ],
        "payout_account": {"kind": labels["account_kind"][account.kind], "number": account.number},
        "report_due_date": decision.report_due_date,
        "contact": {
            "name": presenter.full_name,
            "email": presenter.email,
            "phone": presenter.phone,
        },
        "texts": {part: texts[part] for part in shown},
    }


def _letter_texts(ctx: SeedContext, programme, language: str) -> dict[str, str]:
    """Return the programme's letter texts in ``language``, read once per seeding run."""
    cache = ctx.__dict__.setdefault("letter_texts", {})
    key = (programme.pk, language)
    if key not in cache:
        cache[key] = letter_texts_for(programme=programme, language=language)
    return cache[key]
