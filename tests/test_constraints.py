"""The database holds the integrity rules even when code bypasses the services.

Each test writes straight through the ORM, as a shell session, a script or a data migration
might, and the database itself refuses what the services would never write (DESIGN §4–§6,
STYLE rule 10). Every refusal names its constraint, so a test cannot pass on another error; and
beside each refused row stands an allowed one, so the rule is not stricter than it should be.
Runs on SQLite and on PostgreSQL.
"""

from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from decisions.models import (
    Decision,
    DelegationRule,
    Payment,
    PaymentBatch,
    PaymentBatchItem,
    RepaymentClaim,
)
from decisions.workflow import BatchState, PaymentState
from grants.models import (
    Application,
    BudgetLine,
    Call,
    Criterion,
    CriterionScore,
    Programme,
)
from grants.workflow import ApplicationState
from organisations.models import PayoutAccount
from tests import factories


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def refused(*names: str):
    """Expect the database to refuse the block's write, naming one of ``names``.

    PostgreSQL names the constraint; SQLite names a check constraint, but a unique one only by
    its columns (``table.column``), so unique rules pass both.
    """
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        yield
    message = str(caught.value)
    assert any(name in message for name in names), f"refused for another reason: {message}"


def fields_of(instance, **changes) -> dict:
    """Return the row's column values without its id, with ``changes``: a copy to create."""
    values = {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if not field.primary_key
    }
    return values | changes


def assert_positive(model, row: dict, field: str, constraint: str) -> None:
    """Assert that ``field`` is refused at zero and below, and a positive amount is taken."""
    for amount in (Decimal("0.00"), Decimal("-100.00")):
        with refused(constraint):
            model.objects.create(**row | {field: amount})
    created = model.objects.create(**row | {field: Decimal("0.01")})
    with refused(constraint):
        model.objects.filter(pk=created.pk).update(**{field: Decimal("0.00")})


def payment_day():
    return timezone.localdate() + timedelta(days=7)


@pytest.fixture
def decision(approved):
    return approved.decision


@pytest.fixture
def undecided(organisation, call, applicant):
    """Return another application of the organisation, with no decision."""
    return factories.draft(organisation, call, applicant)


# One decision per application, and a decision that agrees with itself


def test_an_application_has_one_decision(decision):
    with refused("application_id"):
        Decision.objects.create(**fields_of(decision))


def test_a_decision_as_the_service_writes_it_is_taken(decision, undecided):
    Decision.objects.create(**fields_of(decision, application_id=undecided.pk))


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        pytest.param(
            {"outcome": "approved", "amount": Decimal("0.00")},
            "decision_amount_matches_outcome",
            id="approved with nothing granted",
        ),
        pytest.param(
            {"outcome": "approved_partly", "amount": Decimal("0.00")},
            "decision_amount_matches_outcome",
            id="approved in part with nothing granted",
        ),
        pytest.param(
            {"outcome": "rejected", "amount": Decimal("1000.00")},
            "decision_amount_matches_outcome",
            id="rejected with an amount granted",
        ),
        pytest.param(
            {"outcome": "dismissed", "amount": Decimal("1000.00")},
            "decision_amount_matches_outcome",
            id="dismissed with an amount granted",
        ),
        pytest.param(
            {"amount": Decimal("50000.01")},
            "decision_amount_at_most_requested",
            id="more granted than requested",
        ),
        pytest.param(
            {"requested_amount": Decimal("0.00"), "outcome": "rejected", "amount": Decimal("0")},
            "decision_requested_positive",
            id="nothing requested",
        ),
        pytest.param(
            {"delegation_rule_id": None, "delegation_reference": ""},
            "decision_by_delegation_or_committee",
            id="neither by delegation nor by committee",
        ),
        pytest.param(
            {"delegation_rule_id": None, "committee_meeting_date": timezone.localdate()},
            "decision_by_delegation_or_committee",
            id="by a committee without a name",
        ),
        pytest.param(
            {"delegation_rule_id": None, "committee_body": "Regionala utvecklingsnämnden"},
            "decision_by_delegation_or_committee",
            id="by a committee without a meeting date",
        ),
    ],
)
def test_a_decision_that_contradicts_itself_is_refused(decision, undecided, changes, constraint):
    with refused(constraint):
        Decision.objects.create(**fields_of(decision, application_id=undecided.pk, **changes))


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"outcome": "approved_partly", "amount": Decimal("0.01")}, id="in part"),
        pytest.param({"outcome": "rejected", "amount": Decimal("0.00")}, id="rejected"),
        pytest.param({"outcome": "dismissed", "amount": Decimal("0.00")}, id="dismissed"),
        pytest.param(
            {
                "delegation_rule_id": None,
                "delegation_reference": "",
                "committee_body": "Regionala utvecklingsnämnden",
                "committee_meeting_date": timezone.localdate(),
                "committee_paragraph": "§ 12",
            },
            id="by committee",
        ),
    ],
)
def test_a_decision_that_agrees_with_itself_is_taken(decision, undecided, changes):
    Decision.objects.create(**fields_of(decision, application_id=undecided.pk, **changes))


def test_a_decision_changed_in_place_is_still_checked(decision):
    decisions = Decision.objects.filter(pk=decision.pk)
    with refused("decision_amount_matches_outcome"):
        decisions.update(amount=Decimal("0.00"))
    with refused("decision_amount_matches_outcome"):
        decisions.update(outcome=Decision.Outcome.REJECTED)
    with refused("decision_amount_at_most_requested"):
        decisions.update(amount=decision.requested_amount + 1)
    with refused("decision_by_delegation_or_committee"):
        decisions.update(delegation_rule=None)


# Amounts are positive


def test_a_payment_amount_is_positive(decision):
    payment = decision.payments.first()
    assert_positive(Payment, fields_of(payment, instalment=9), "amount", "payment_amount_positive")


def test_a_budget_line_amount_is_positive(draft):
    line = draft.budget_lines.first()
    assert_positive(BudgetLine, fields_of(line), "amount", "budgetline_amount_positive")


def test_a_repayment_claim_amount_is_positive(decision, decider):
    row = {
        "decision": decision,
        "reasons": "Projektet genomfördes inte.",
        "due_date": timezone.localdate() + timedelta(days=30),
        "claimed_by": decider,
    }
    assert_positive(RepaymentClaim, row, "amount", "repayment_amount_positive")


def test_a_call_budget_is_positive(call):
    assert_positive(Call, fields_of(call), "budget", "call_budget_positive")


def test_a_delegation_limit_is_positive(delegation):
    assert_positive(
        DelegationRule, fields_of(delegation), "max_amount", "delegationrule_amount_positive"
    )


def test_a_programme_minimum_is_positive(programme):
    assert_positive(Programme, fields_of(programme), "min_amount", "programme_min_positive")


# A payment is in one active batch at most


def test_a_payment_is_in_one_active_batch_at_most(decision, finance):
    payment = decision.payments.get(state=PaymentState.PAYABLE)
    first, second, third = (
        PaymentBatch.objects.create(payment_date=payment_day(), created_by=finance)
        for _ in range(3)
    )
    one_active_batch = ("payment_in_one_active_batch", "decisions_paymentbatchitem.payment_id")

    PaymentBatchItem.objects.create(batch=first, payment=payment)
    with refused(*one_active_batch):
        PaymentBatchItem.objects.create(batch=second, payment=payment)
    # Out of a cancelled batch (inactive), the payment may be in another one.
    inactive = PaymentBatchItem.objects.create(batch=second, payment=payment, active=False)
    with refused(*one_active_batch):
        PaymentBatchItem.objects.filter(pk=inactive.pk).update(active=True)
    with refused("batchitem_unique", "decisions_paymentbatchitem.batch_id"):
        PaymentBatchItem.objects.create(batch=second, payment=payment, active=False)

    PaymentBatchItem.objects.filter(batch=first).update(active=False)
    PaymentBatchItem.objects.create(batch=third, payment=payment)
    assert PaymentBatchItem.objects.filter(payment=payment, active=True).get().batch == third


# Four eyes on a batch


def test_a_batch_attested_by_its_creator_is_refused(finance, finance_2):
    with refused("paymentbatch_four_eyes"):
        PaymentBatch.objects.create(
            payment_date=payment_day(),
            created_by=finance,
            attested_by=finance,
            state=BatchState.ATTESTED,
        )
    batch = PaymentBatch.objects.create(
        payment_date=payment_day(),
        created_by=finance,
        attested_by=finance_2,
        state=BatchState.ATTESTED,
    )
    with refused("paymentbatch_four_eyes"):
        PaymentBatch.objects.filter(pk=batch.pk).update(attested_by=finance)


@pytest.mark.parametrize("state", [BatchState.ATTESTED, BatchState.EXPORTED, BatchState.CONFIRMED])
def test_a_batch_past_its_draft_without_an_attester_is_refused(finance, state):
    with refused("paymentbatch_attested_by_someone"):
        PaymentBatch.objects.create(payment_date=payment_day(), created_by=finance, state=state)


# Case numbers


@pytest.mark.parametrize(
    "state",
    [
        state
        for state in ApplicationState.values
        if state not in {ApplicationState.DRAFT, ApplicationState.WITHDRAWN}
    ],
)
def test_an_application_past_its_draft_without_a_case_number_is_refused(draft, state):
    with refused("application_submitted_has_case_number"):
        Application.objects.create(**fields_of(draft, state=state))
    with refused("application_submitted_has_case_number"):
        Application.objects.filter(pk=draft.pk).update(state=state)


def test_a_draft_withdrawn_before_submission_has_no_case_number(draft):
    Application.objects.create(**fields_of(draft, state=ApplicationState.WITHDRAWN))
    Application.objects.filter(pk=draft.pk).update(state=ApplicationState.WITHDRAWN)


def test_a_case_number_is_given_once(submitted, undecided):
    with refused("case_number"):
        Application.objects.create(**fields_of(submitted))
    with refused("case_number"):
        Application.objects.filter(pk=undecided.pk).update(case_number=submitted.case_number)
    # Drafts have no number yet, however many there are.
    Application.objects.create(**fields_of(undecided))
    assert Application.objects.filter(case_number__isnull=True).count() == 2


# Payout accounts


def test_an_organisation_has_one_verified_account_in_use_at_most(organisation, finance):
    verified = organisation.payout_accounts.verified().get()
    one_verified = ("payoutaccount_one_verified", "organisations_payoutaccount.organisation_id")
    with refused(*one_verified):
        PayoutAccount.objects.create(**fields_of(verified, number=factories.bankgiro()))
    # Accounts no longer in use do not count.
    replaced = PayoutAccount.objects.create(
        **fields_of(verified, number=factories.bankgiro(), superseded_at=timezone.now())
    )
    with refused(*one_verified):
        PayoutAccount.objects.filter(pk=replaced.pk).update(superseded_at=None)


def test_an_organisation_has_one_account_awaiting_verification_at_most(organisation, finance):
    verified = organisation.payout_accounts.verified().get()
    pending = {"verified_at": None, "verified_by_id": None}
    one_pending = ("payoutaccount_one_pending", "organisations_payoutaccount.organisation_id")
    first = PayoutAccount.objects.create(
        **fields_of(verified, number=factories.bankgiro()) | pending
    )
    with refused(*one_pending):
        PayoutAccount.objects.create(**fields_of(first, number=factories.bankgiro()))
    rejected = PayoutAccount.objects.create(
        **fields_of(
            first,
            number=factories.bankgiro(),
            rejected_at=timezone.now(),
            rejected_by_id=finance.pk,
            rejection_reason="Fel kontoinnehavare.",
        )
    )
    with refused(*one_pending):
        PayoutAccount.objects.filter(pk=rejected.pk).update(rejected_at=None)


def test_an_account_verified_without_a_verifier_or_also_rejected_is_refused(organisation, finance):
    verified = organisation.payout_accounts.verified().get()
    accounts = PayoutAccount.objects.filter(pk=verified.pk)
    with refused("payoutaccount_verified_by_someone"):
        accounts.update(verified_by=None)
    with refused("payoutaccount_not_verified_and_rejected"):
        accounts.update(rejected_at=timezone.now(), rejected_by=finance)


# Assessment scores


@pytest.fixture
def criterion_score(proposed):
    return CriterionScore.objects.filter(assessment__application=proposed).first()


@pytest.mark.parametrize("score", [0, 6, 100])
def test_a_criterion_score_outside_one_to_five_is_refused(criterion_score, score):
    with refused("criterionscore_1_to_5"):
        CriterionScore.objects.filter(pk=criterion_score.pk).update(score=score)
    criterion = Criterion.objects.create(
        programme=criterion_score.criterion.programme,
        name_sv="Tillgänglighet",
        name_en="Accessibility",
        weight=1,
    )
    with refused("criterionscore_1_to_5"):
        CriterionScore.objects.create(
            assessment=criterion_score.assessment, criterion=criterion, score=score
        )


@pytest.mark.parametrize("score", [1, 5])
def test_a_criterion_score_from_one_to_five_is_taken(criterion_score, score):
    CriterionScore.objects.filter(pk=criterion_score.pk).update(score=score)
    criterion_score.refresh_from_db()
    assert criterion_score.score == score
