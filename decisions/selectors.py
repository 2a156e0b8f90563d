"""Reads the decision pages need, limited to what the user may see (STYLE rule 2)."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from decisions.models import CommitteeDecision, Decision, DelegationRule, RepaymentClaim
from decisions.services import amount_concerned, delegation_rule_for
from grants import permissions
from grants.models import (
    MONEY,
    Application,
    Assessment,
    Call,
    ConflictOfInterest,
    CriterionScore,
)
from grants.workflow import ApplicationState
from organisations.models import Membership


def decisions_for_applicant(*, user) -> QuerySet[Decision]:
    """Return the decisions on the applications of the organisations the user acts for."""
    if not user.is_authenticated:
        return Decision.objects.none()
    return Decision.objects.filter(
        application__organisation__memberships__user=user
    ).select_related("application")


def decision_for_applicant(*, user, pk: int) -> Decision:
    """Return one decision of the user's organisations; a missing and a forbidden one are 404."""
    return get_object_or_404(decisions_for_applicant(user=user), pk=pk)


def repayment_claim_for_applicant(*, user, decision_pk: int, pk: int) -> RepaymentClaim:
    """Return one repayment claim of a decision of the user's organisations; a missing one, a
    forbidden one and one of another decision are 404."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        RepaymentClaim.objects.filter(
            decision_id=decision_pk,
            decision__application__organisation__memberships__user=user,
        ).select_related("decision__application"),
        pk=pk,
    )


# The officer workspace


#: The decision each recommendation of the assessment proposes.
OUTCOME_OF_RECOMMENDATION = {
    Assessment.Recommendation.APPROVE: Decision.Outcome.APPROVED,
    Assessment.Recommendation.APPROVE_PARTLY: Decision.Outcome.APPROVED_PARTLY,
    Assessment.Recommendation.REJECT: Decision.Outcome.REJECTED,
    Assessment.Recommendation.DISMISS: Decision.Outcome.DISMISSED,
}
GRANTING_RECOMMENDATIONS = [
    Assessment.Recommendation.APPROVE,
    Assessment.Recommendation.APPROVE_PARTLY,
]
#: Where a proposal stands for the decision maker looking at it (its ``standing``).
DECIDABLE, ABOVE_DELEGATION, FOUR_EYES, CONFLICT = "decidable", "above", "four_eyes", "conflict"
_STANDINGS = (DECIDABLE, ABOVE_DELEGATION, FOUR_EYES, CONFLICT)
PROPOSALS_PER_PAGE = 50

_MONEY = DecimalField(**MONEY)


def amount_concerned_sql() -> Case:
    """Return ``decisions.services.amount_concerned`` of a proposal as SQL: the proposed amount
    when it recommends a grant, the amount applied for when it recommends rejecting."""
    return Case(
        When(
            assessment__recommendation__in=GRANTING_RECOMMENDATIONS,
            then=F("assessment__proposed_amount"),
        ),
        default=F("requested_amount"),
        output_field=_MONEY,
    )


def _proposals_with_standing(*, user) -> QuerySet[Application]:
    """Return every proposal annotated with ``amount_concerned`` and ``standing`` for the user.

    The standing is what ``decision_record`` would say to the proposal as proposed, in the order
    it checks: jäv, four-eyes, then a delegation rule covering the amount (any active rule of the
    user or of one of the user's groups, for the programme or for all, up to at least the amount).
    """
    covering_rule = DelegationRule.objects.filter(
        Q(user=user) | Q(group__in=user.groups.all()),
        Q(programme=OuterRef("call__programme")) | Q(programme__isnull=True),
        is_active=True,
        max_amount__gte=OuterRef("amount_concerned"),
    )
    declared = ConflictOfInterest.objects.filter(user=user, organisation=OuterRef("organisation"))
    member = Membership.objects.filter(user=user, organisation=OuterRef("organisation"))
    return Application.objects.filter(state=ApplicationState.PROPOSED).annotate(
        amount_concerned=amount_concerned_sql(),
        standing=Case(
            When(Exists(declared) | Exists(member), then=Value(CONFLICT)),
            When(
                assessment__officer=user,
                amount_concerned__gt=settings.FOUR_EYES_ABOVE,
                then=Value(FOUR_EYES),
            ),
            When(Exists(covering_rule), then=Value(DECIDABLE)),
            default=Value(ABOVE_DELEGATION),
            output_field=CharField(),
        ),
    )


def weighted_score_sql() -> Subquery:
    """Return ``Assessment.weighted_score`` of the outer application's assessment as SQL (for
    showing only: a float, not the exact decimal)."""
    weighted = ExpressionWrapper(F("score") * F("criterion__weight"), output_field=FloatField())
    return Subquery(
        CriterionScore.objects.filter(assessment__application=OuterRef("pk"))
        .order_by()
        .values("assessment")
        .annotate(
            weighted_score=Cast(Sum(weighted), FloatField())
            / Cast(Sum("criterion__weight"), FloatField())
        )
        .values("weighted_score"),
        output_field=FloatField(),
    )


@dataclass(frozen=True)
class ProposalsOverview:
    """The proposals a decision maker may decide by delegation, and how many they may not."""

    decidable: QuerySet[Application]
    counts: dict[str, int]


def proposals_for_decider(*, user) -> ProposalsOverview:
    """Return the proposals the user may decide by delegation, oldest proposal first, with the
    number of proposals by standing (decidable, above delegation, four-eyes, jäv).

    Only decision makers get any; the counts tell nothing of the cases behind them.
    """
    if not (permissions.is_caseworker(user) and user.has_perm(permissions.DECIDE)):
        return ProposalsOverview(Application.objects.none(), dict.fromkeys(_STANDINGS, 0))
    proposals = _proposals_with_standing(user=user)
    counts = dict.fromkeys(_STANDINGS, 0) | {
        row["standing"]: row["count"]
        for row in proposals.order_by().values("standing").annotate(count=Count("pk"))
    }
    decidable = (
        proposals.filter(standing=DECIDABLE)
        .select_related("organisation", "call__programme", "assessment__officer")
        .annotate(weighted_score=weighted_score_sql())
        .order_by("proposed_at", "pk")
    )
    return ProposalsOverview(decidable, counts)


def proposal_assessment(*, application: Application) -> Assessment | None:
    """Return the case's assessment with its presenter and its scores by criterion, if any."""
    return (
        Assessment.objects.filter(application=application)
        .select_related("officer")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=CriterionScore.objects.select_related("criterion").order_by(
                    "criterion__order", "criterion__pk"
                ),
            )
        )
        .first()
    )


@dataclass(frozen=True)
class DecisionAuthority:
    """Whether a user may decide a proposal as proposed by delegation, and why (or why not)."""

    standing: str
    amount: Decimal
    rule: DelegationRule | None = None


def decision_authority(
    *, application: Application, assessment: Assessment, user
) -> DecisionAuthority:
    """Return what ``decision_record`` would say to the user deciding the proposal as proposed.

    Only for showing it: the service decides, with the outcome and amount actually chosen.
    """
    outcome = OUTCOME_OF_RECOMMENDATION.get(assessment.recommendation, Decision.Outcome.REJECTED)
    amount = amount_concerned(
        outcome=outcome,
        amount=assessment.proposed_amount or Decimal("0"),
        requested=application.requested_amount or Decimal("0"),
    )
    if assessment.officer_id == user.pk and amount > settings.FOUR_EYES_ABOVE:
        return DecisionAuthority(FOUR_EYES, amount)
    rule = delegation_rule_for(user=user, programme=application.call.programme, amount=amount)
    if rule is None:
        return DecisionAuthority(ABOVE_DELEGATION, amount)
    return DecisionAuthority(DECIDABLE, amount, rule)


def decision_of(application: Application) -> Decision | None:
    """Return the case's decision with who made it, if it has been decided."""
    return Decision.objects.filter(application=application).select_related("decided_by").first()


# Calls and their budgets

#: The states of a submitted case whose amount applied for counts as requested of the budget.
REQUESTED_STATES = [
    state
    for state in ApplicationState.values
    if state not in (ApplicationState.DRAFT, ApplicationState.WITHDRAWN)
]
#: The states the call overview counts cases in: every state but the applicant's draft.
COUNTED_STATES = [state for state in ApplicationState.values if state != ApplicationState.DRAFT]


def calls_with_budget_figures(*, pk: int | None = None) -> list[Call]:
    """Return every call (or the one with ``pk``) with its budget figures and its cases counted
    by state, newest first.

    ``requested``: the amounts applied for in the submitted applications (withdrawn ones left
    out); ``proposed``: the proposed amounts of the cases awaiting a decision; ``decided``: the
    amounts granted; ``remaining`` and ``remaining_after_proposals``: the budget less those;
    ``cases`` and ``count_<state>``: the submitted cases, by state. Cases with jäv count too:
    these are budget figures, not case content.

    Four queries whatever the number of calls: the calls, then three sums grouped by call, each
    over one table and its index. One query joining calls to all their applications, assessments
    and decisions took over half a second with 100,000 applications.
    """
    calls = Call.objects.select_related("programme").order_by("-opens_at", "pk")
    if pk is not None:
        calls = calls.filter(pk=pk)
    calls = list(calls)
    ids = [call.pk for call in calls]
    by_state = (
        Application.objects.filter(call_id__in=ids, case_number__isnull=False)
        .values_list("call_id", "state")
        .annotate(cases=Count("pk"), requested=Sum("requested_amount"))
        .order_by()
    )
    proposed = dict(
        Assessment.objects.filter(
            application__call_id__in=ids,
            application__state=ApplicationState.PROPOSED,
            recommendation__in=GRANTING_RECOMMENDATIONS,
        )
        .values_list("application__call_id")
        .annotate(total=Sum("proposed_amount"))
        .order_by()
    )
    decided = dict(
        Decision.objects.filter(application__call_id__in=ids)
        .values_list("application__call_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    zero = Decimal("0.00")
    figures = {
        call_id: {"requested": zero, "cases": 0} | {f"count_{state}": 0 for state in COUNTED_STATES}
        for call_id in ids
    }
    for call_id, state, cases, requested in by_state:
        figures[call_id][f"count_{state}"] = cases
        figures[call_id]["cases"] += cases
        if state in REQUESTED_STATES:
            figures[call_id]["requested"] += requested or zero
    for call in calls:
        for name, value in figures[call.pk].items():
            setattr(call, name, value)
        call.proposed = proposed.get(call.pk) or zero
        call.decided = decided.get(call.pk) or zero
        call.remaining = call.budget - call.decided
        call.remaining_after_proposals = call.remaining - call.proposed
    return calls


def call_with_budget_figures(*, pk: int) -> Call:
    """Return one call with its budget figures (``calls_with_budget_figures``); 404 if missing."""
    calls = calls_with_budget_figures(pk=pk)
    if not calls:
        raise Http404
    return calls[0]


# Committee decisions (samlingsbeslut)


def calls_with_proposals() -> QuerySet[Call]:
    """Return the calls with proposals awaiting a decision, with their number (``proposals``)."""
    return (
        Call.objects.select_related("programme")
        .annotate(
            proposals=Count("applications", filter=Q(applications__state=ApplicationState.PROPOSED))
        )
        .filter(proposals__gt=0)
        .order_by("closes_at", "pk")
    )


def call_for_committee(*, pk: int) -> Call:
    """Return one call with its budget figures (``calls_with_budget_figures``); 404 if missing."""
    return call_with_budget_figures(pk=pk)


def proposals_for_committee(*, call: Call) -> QuerySet[Application]:
    """Return the call's proposals awaiting a decision, with their assessment and presenter."""
    return (
        Application.objects.filter(call=call, state=ApplicationState.PROPOSED)
        .select_related("organisation", "call__programme", "assessment__officer")
        .order_by("case_number")
    )


def committee_decisions_recorded(*, call: Call | None = None) -> QuerySet[CommitteeDecision]:
    """Return the recorded committee decisions, newest meeting first, with the number of cases
    (``cases``) and the amount granted (``granted``); only those of ``call`` when given."""
    records = CommitteeDecision.objects.select_related("call__programme").annotate(
        cases=Count("decisions"),
        granted=Coalesce(Sum("decisions__amount"), Value(Decimal("0.00"), output_field=_MONEY)),
    )
    if call is not None:
        records = records.filter(call=call)
    return records.order_by("-meeting_date", "-pk")


def committee_decision_for_caseworker(*, user, pk: int) -> CommitteeDecision:
    """Return one recorded committee decision for a caseworker; 404 when missing.

    Anyone else gets 403. The record itself tells nothing of a case the reader has jäv for; the
    page hides those rows.
    """
    if not permissions.is_caseworker(user):
        raise PermissionDenied(_("This page is for the region's culture officers."))
    return get_object_or_404(
        CommitteeDecision.objects.select_related("call__programme", "recorded_by"), pk=pk
    )


def decisions_of_committee(*, record: CommitteeDecision) -> QuerySet[Decision]:
    """Return the decisions of a committee decision, by case number, with what the page shows."""
    return (
        Decision.objects.filter(committee_decision=record)
        .select_related("application__organisation", "presenter")
        .order_by("application__case_number")
    )


# The letters of a case, for staff. The case comes from ``grants.selectors.
# application_for_caseworker``, which has refused everyone who may not see it.


def decision_for_case(*, application: Application) -> Decision:
    """Return the case's decision; 404 before it is decided."""
    decision = get_object_or_404(Decision, application=application)
    decision.application = application
    return decision


def repayment_claim_for_case(*, application: Application, pk: int) -> RepaymentClaim:
    """Return one repayment claim of the case; a claim of another case is 404."""
    return get_object_or_404(
        RepaymentClaim.objects.select_related("decision__application"),
        decision__application=application,
        pk=pk,
    )


def decision_for_case_page(*, application: Application) -> Decision | None:
    """Return the case's decision with what the case page shows of it, or None before it is
    decided: who decided and presented, the follow-up report, and the repayment claims (newest
    first, as ``repayment_claims.all()``). Two queries; one when there is no decision."""
    decision = (
        Decision.objects.filter(application=application)
        .select_related("decided_by", "presenter", "follow_up_report")
        .prefetch_related(
            Prefetch(
                "repayment_claims",
                queryset=RepaymentClaim.objects.order_by("-claimed_at", "-pk"),
            )
        )
        .first()
    )
    if decision is not None:
        decision.application = application
    return decision


# The letters of a committee decision, as they are produced


def letters_of_committee(*, record: CommitteeDecision) -> QuerySet[Decision]:
    """Return the decisions of a committee decision by case number, with only what shows how far
    their letters have come: the letter, the case number and the organisation (for jäv).

    One query whatever the number of cases; the committee page polls it while letters render.
    """
    return (
        Decision.objects.filter(committee_decision=record)
        .select_related("application")
        .only("letter", "application__case_number", "application__organisation")
        .order_by("application__case_number")
    )
