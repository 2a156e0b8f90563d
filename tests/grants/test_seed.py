"""``manage.py seed``: realistic data in every state, consistent with the rules, at any scale."""

import io
import json
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Sum
from django.utils import timezone

from audit.models import LogEntry
from audit.services import verify_chain
from decisions.models import Decision, Payment, PaymentBatch, RepaymentClaim
from decisions.services import decision_snapshot, payment_plan_amounts
from decisions.workflow import BatchState, PaymentState
from grants import workflow
from grants.models import Application, CaseNumberSequence
from grants.workflow import ApplicationState as S
from organisations import validators
from organisations.models import Membership, Organisation, PayoutAccount

pytestmark = pytest.mark.django_db

CASE_NUMBER = re.compile(r"^(?P<prefix>[A-ZÅÄÖ]+) (?P<year>\d{4})/(?P<number>\d{4,})$")
DECIDED = set(workflow.GRANTED_STATES) | {S.REJECTED}


def run_seed(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("seed", *args, stdout=out)
    return out.getvalue().splitlines()


def as_json(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def test_seed_covers_every_state_and_keeps_the_rules():
    # Payable payments are those of the last days before today's payment run, so how many there
    # are depends on the weekday: 400 applications give some on every day of the week.
    lines = run_seed("--applications", "400", "--seed", "7")

    assert re.fullmatch(
        r"seeded 400 applications, \d+ decisions, \d+ payments in \d+\.\d s", lines[-1]
    )
    states = set(Application.objects.values_list("state", flat=True))
    assert states == set(S.values)

    # Organisations: valid numbers, personnummer only for sole traders, a verified account each.
    for organisation in Organisation.objects.all():
        sole_trader = organisation.org_type == Organisation.Type.SOLE_TRADER
        assert (
            validators.normalise_org_number(organisation.org_number, allow_personal=sole_trader)
            == organisation.org_number
        )
        assert organisation.payout_accounts.verified().count() == 1
        assert organisation.memberships.filter(role=Membership.Role.SIGNATORY).exists()
    assert {o.is_personal_number for o in Organisation.objects.all()} == {True, False}
    for account in PayoutAccount.objects.all():
        assert validators.normalise_payout_number(account.kind, account.number) == account.number
    assert set(PayoutAccount.objects.values_list("kind", flat=True)) == set(
        PayoutAccount.Kind.values
    )

    # Every submitted application passes the submission rules (but for the call being open).
    submitted = Application.objects.exclude(case_number=None).select_related(
        "call__programme", "organisation"
    )
    for application in submitted:
        assert application.state != S.DRAFT
        assert application.budget_balances(), application.case_number
        assert application.cofinancing_sufficient(), application.case_number
        assert workflow.amount_within_limits(application)
        assert workflow.organisation_type_eligible(application)
        assert workflow.has_payout_account(application)
        assert not application.missing_attachment_kinds()
        assert application.submitted_at >= application.created_at
        assert application.updated_at <= timezone.now()

    # Each case's history runs in order, ends by now, and fits its state.
    now = timezone.now()
    for application in Application.objects.all():
        moments = [
            application.created_at,
            application.submitted_at,
            application.review_started_at,
            application.proposed_at,
            application.decided_at,
            application.closed_at,
        ]
        moments = [moment for moment in moments if moment is not None]
        assert moments == sorted(moments), application.pk
        assert max(moments) <= application.updated_at <= now
        state = application.state
        assert (application.withdrawn_at is not None) == (state == S.WITHDRAWN)
        assert (application.closed_at is not None) == (state == S.CLOSED)
        assert (application.decided_at is not None) == (state in DECIDED)
        open_requests = application.completion_requests.filter(answered_at=None).count()
        waiting = state in {S.COMPLETION_REQUESTED, S.REPORT_COMPLETION_REQUESTED}
        assert open_requests == (1 if waiting else 0)
        if state in {S.UNDER_REVIEW, S.PROPOSED} | DECIDED:
            assert application.assigned_officer_id is not None
        if state in {S.PROPOSED} | DECIDED:
            assert application.assessment.is_complete()

    # Case numbers: well formed, unique, by submission year, gap-free from 1 on an empty database.
    numbers = defaultdict(list)
    for application in submitted:
        match = CASE_NUMBER.match(application.case_number)
        assert match, application.case_number
        assert int(match["year"]) == timezone.localtime(application.submitted_at).year
        numbers[(match["prefix"], int(match["year"]))].append(int(match["number"]))
    for (prefix, year), used in numbers.items():
        assert sorted(used) == list(range(1, len(used) + 1))
        assert CaseNumberSequence.objects.get(prefix=prefix, year=year).last_value == len(used)

    # Decisions exactly for decided cases; a grant's payments add up to it.
    decided = Application.objects.filter(state__in=DECIDED)
    assert Decision.objects.count() == decided.count()
    assert not Decision.objects.exclude(application__state__in=DECIDED).exists()
    for decision in Decision.objects.select_related("application", "decided_by", "presenter"):
        assert decision.decided_by != decision.presenter
        assert decision.snapshot["case_number"] == decision.application.case_number
        if decision.is_grant:
            total = decision.payments.aggregate(total=Sum("amount"))["total"]
            assert total == decision.amount
            assert decision.follow_up_report.due_date == decision.report_due_date
            assert decision.application.state in workflow.GRANTED_STATES
        else:
            assert not decision.payments.exists()
            assert decision.application.state == S.REJECTED
        assert (decision.delegation_rule_id is None) == decision.is_committee_decision
    assert set(Payment.objects.values_list("state", flat=True)) >= {
        PaymentState.PLANNED,
        PaymentState.PAYABLE,
        PaymentState.PAID,
    }
    for payment in Payment.objects.filter(state=PaymentState.PAID):
        assert payment.payee_account_number and payment.payout_account_id
        item = payment.batch_items.select_related("batch").get(active=True)
        assert item.batch.state == BatchState.CONFIRMED
        assert item.batch.payment_date == payment.paid_at
    for claim in RepaymentClaim.objects.select_related("decision"):
        paid = claim.decision.payments.filter(state=PaymentState.PAID).aggregate(
            total=Sum("amount")
        )["total"]
        assert Decimal("0") < claim.amount <= paid
    assert RepaymentClaim.objects.filter(decision__application__state=S.REPAYMENT_CLAIMED).exists()

    # The audit trail tells the main events and its chain holds.
    actions = set(LogEntry.objects.values_list("action", flat=True))
    assert {
        "grants.application.submitted",
        "grants.application.approved",
        "grants.application.rejected",
        "decisions.report.accepted",
        "decisions.repayment.claimed",
        "decisions.batch.confirmed",
    } <= actions
    assert verify_chain().broken is None
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact" in out.getvalue()


def test_seeded_snapshot_is_what_the_decision_service_would_take():
    run_seed("--applications", "60", "--seed", "3")

    decisions = Decision.objects.select_related(
        "application__organisation", "application__call__programme", "decided_by", "presenter"
    )
    assert decisions.exists()
    for decision in decisions:
        programme = decision.application.call.programme
        instalments = (
            payment_plan_amounts(plan=programme.payment_plan, amount=decision.amount)
            if decision.is_grant
            else []
        )
        assert decision.snapshot == as_json(decision_snapshot(decision, instalments))


def test_batch_puts_payable_payments_into_an_attested_batch():
    lines = run_seed("--applications", "200", "--batch", "20")

    batch = PaymentBatch.objects.get(state=BatchState.ATTESTED)
    assert any(f"payment batch {batch.pk}" in line for line in lines)
    assert batch.attested_by_id and batch.attested_by_id != batch.created_by_id
    assert batch.created_by.has_perm("decisions.manage_payments")
    assert batch.attested_by.has_perm("decisions.attest_paymentbatch")
    assert batch.payment_date > timezone.localdate()
    from decisions.banking import is_banking_day

    assert is_banking_day(batch.payment_date)
    payments = Payment.objects.filter(batch_items__batch=batch, batch_items__active=True)
    assert payments.count() == 20
    for payment in payments.select_related("decision__application__organisation"):
        organisation = payment.decision.application.organisation
        assert payment.state == PaymentState.BATCHED
        assert payment.payee_name
        assert payment.payee_org_number == organisation.org_number
        assert payment.payee_account_kind in PayoutAccount.Kind.values
        assert payment.payee_account_number == payment.payout_account.number
        assert payment.payout_account.is_verified
    assert verify_chain().broken is None


def test_seeding_twice_adds_without_clashing():
    run_seed("--applications", "80", "--seed", "5")
    run_seed("--applications", "80", "--seed", "5")

    assert Application.objects.count() == 160
    org_numbers = list(Organisation.objects.values_list("org_number", flat=True))
    assert len(org_numbers) == len(set(org_numbers))
    case_numbers = list(
        Application.objects.exclude(case_number=None).values_list("case_number", flat=True)
    )
    assert len(case_numbers) == len(set(case_numbers))
    numbers = defaultdict(list)
    for case_number in case_numbers:
        match = CASE_NUMBER.match(case_number)
        numbers[(match["prefix"], int(match["year"]))].append(int(match["number"]))
    for (prefix, year), used in numbers.items():
        assert sorted(used) == list(range(1, len(used) + 1))
        assert CaseNumberSequence.objects.get(prefix=prefix, year=year).last_value == len(used)
    assert verify_chain().broken is None
