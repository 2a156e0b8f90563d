"""The services under real concurrency: many PostgreSQL connections acting on the same rows at once.

Each call runs in its own thread on its own connection, re-reads the rows it acts on there, and
waits at a barrier so that the calls really overlap. A thread still running after
``JOIN_TIMEOUT`` seconds fails the test: a deadlock must show as a failure, never as a hung suite.
Every test ends by checking the audit trail's hash chain.
"""

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import Count
from django.utils import timezone

from audit.models import LogEntry
from audit.services import verify_chain
from decisions import banking
from decisions import payments as payment_services
from decisions import services as decision_services
from decisions.models import (
    BatchExport,
    Decision,
    FollowUpReport,
    Payment,
    PaymentBatch,
    PaymentBatchItem,
)
from decisions.workflow import BatchState, PaymentState
from grants import services
from grants.models import Application, CaseNumberSequence
from grants.services import submission as submission_services
from grants.workflow import ApplicationState
from organisations import services as organisation_services
from organisations.errors import WorkflowError
from organisations.models import PayoutAccount
from organisations.services import payout_accounts as payout_account_services
from tests import factories

# A flush after each test empties the tables; the roles come back through post_migrate.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

JOIN_TIMEOUT = 60

REASONS = "Projektet stärker kulturlivet i länet."


# Running calls at once


@dataclass
class Outcome:
    """What one thread's call returned, or the error it raised."""

    value: object = None
    error: Exception | None = None


def run_together(*calls: Callable[[], object]) -> list[Outcome]:
    """Run each call in its own thread and database connection, all released at once.

    Threads are named ``worker-0``, ``worker-1``… in the order of ``calls``.
    """
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _ in calls]

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            with connection.cursor() as cursor:
                # Connect before the barrier, and turn a lock wait that never ends into an error.
                cursor.execute("SET lock_timeout = '30s'")
            barrier.wait(timeout=JOIN_TIMEOUT)
            outcomes[index].value = call()
        except Exception as error:  # reported through the outcome
            outcomes[index].error = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, call), name=f"worker-{index}", daemon=True)
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + JOIN_TIMEOUT
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    hung = [thread.name for thread in threads if thread.is_alive()]
    assert not hung, f"still running after {JOIN_TIMEOUT} s (deadlock?): {hung}"
    return outcomes


def one_wins(outcomes: list[Outcome]) -> tuple[object, list[WorkflowError]]:
    """Assert that exactly one call succeeded and every other was refused with a WorkflowError."""
    unexpected = [o.error for o in outcomes if o.error and not isinstance(o.error, WorkflowError)]
    assert unexpected == [], f"errors other than WorkflowError: {unexpected!r}"
    winners = [o.value for o in outcomes if o.error is None]
    assert len(winners) == 1, f"{len(winners)} calls succeeded: {outcomes!r}"
    return winners[0], [o.error for o in outcomes if o.error is not None]


def fresh(instance):
    """Return the row re-read on the calling thread's own connection."""
    return type(instance)._default_manager.get(pk=instance.pk)


# The audit trail


def logged(action: str) -> int:
    return LogEntry.objects.filter(action=action).count()


def assert_audit_intact() -> None:
    """Assert the whole chain verifies and its entries' times rise with their ids."""
    check = verify_chain()
    assert check.broken is None, f"chain broken at #{check.broken.pk}: {check.reason}"
    assert check.checked == LogEntry.objects.count()
    times = list(LogEntry.objects.order_by("id").values_list("created_at", flat=True))
    assert times == sorted(times)


# Data


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def finance_3(db):
    return factories.user("finance-3@example.org", "finance", full_name="Filip Ekonom")


@pytest.fixture
def decider_2(db):
    person = factories.user(
        "decider-2@example.org", "decision_maker", full_name="Per Chef", title="Avdelningschef"
    )
    factories.delegation(person)
    return person


def complete_draft(call, finance):
    """Return a complete draft of a new organisation, written by its own signatory."""
    signatory = factories.user()
    organisation = factories.organisation(signatory, verified_by=finance)
    return factories.draft(organisation, call, signatory)


def proposed_application(call, officer, finance):
    draft = complete_draft(call, finance)
    submitted = services.application_submit(application=draft, actor=draft.author)
    under_review = services.application_start_review(application=submitted, actor=officer)
    return factories.assess(under_review, officer)


def payment_day():
    return banking.next_banking_day(timezone.localdate() + timedelta(days=1))


@pytest.fixture
def payable(call, officer, decider, delegation, finance):
    """Return three payable first instalments of grants to three organisations."""
    payments = []
    for _ in range(3):
        decision = factories.decide(proposed_application(call, officer, finance), decider)
        payments.append(decision.payments.get(trigger=Payment.Trigger.ON_DECISION))
    return payments


@pytest.fixture
def batch(payable, finance):
    return payment_services.batch_create(
        actor=finance, payments=payable, payment_date=payment_day()
    )


@pytest.fixture
def pending_account(applicant):
    """Return an organisation's first payout account, awaiting verification."""
    organisation = factories.organisation(applicant, name="Bräcke hembygdsförening")
    return organisation.payout_accounts.get()


# The calls the threads make, each re-reading its rows on its own connection


def submit(draft):
    return lambda: services.application_submit(application=fresh(draft), actor=fresh(draft.author))


def decide(application, actor, outcome="approved"):
    return lambda: decision_services.decision_record(
        application=fresh(application),
        actor=fresh(actor),
        outcome=outcome,
        reasons=REASONS,
    )


def build_batch(actor, payments):
    return lambda: payment_services.batch_create(
        actor=fresh(actor), payments=[fresh(p) for p in payments], payment_date=payment_day()
    )


def attest(batch, actor):
    return lambda: payment_services.batch_attest(batch=fresh(batch), actor=fresh(actor))


def export(batch, actor):
    return lambda: payment_services.batch_export(batch=fresh(batch), actor=fresh(actor))


def cancel(batch, actor):
    return lambda: payment_services.batch_cancel(
        batch=fresh(batch), actor=fresh(actor), reason="Fel betalningsdag."
    )


def verify(account, actor):
    return lambda: organisation_services.payout_account_verify(
        account=fresh(account), actor=fresh(actor)
    )


def reject(account, actor):
    return lambda: organisation_services.payout_account_reject(
        account=fresh(account), actor=fresh(actor), reason="Kontot tillhör inte föreningen."
    )


# 1. Case numbers


def case_numbers(count: int) -> list[str]:
    year = timezone.localdate().year
    return [f"KUL {year}/{number:04d}" for number in range(1, count + 1)]


def test_twenty_submissions_at_once_get_twenty_consecutive_case_numbers(call, finance):
    drafts = [complete_draft(call, finance) for _ in range(20)]

    outcomes = run_together(*(submit(draft) for draft in drafts))

    assert [outcome.error for outcome in outcomes] == [None] * 20
    applications = Application.objects.filter(pk__in=[draft.pk for draft in drafts])
    assert sorted(applications.values_list("case_number", flat=True)) == case_numbers(20)
    assert set(applications.values_list("state", flat=True)) == {ApplicationState.SUBMITTED}
    # Each caller was told the number that was stored.
    returned = {outcome.value.pk: outcome.value.case_number for outcome in outcomes}
    assert returned == dict(applications.values_list("pk", "case_number"))
    sequence = CaseNumberSequence.objects.get()
    assert (sequence.prefix, sequence.year) == ("KUL", timezone.localdate().year)
    assert sequence.last_value == 20
    assert logged("grants.application.submitted") == 20
    assert_audit_intact()


def test_submissions_refused_at_once_take_no_case_number(call, finance):
    drafts = [complete_draft(call, finance) for _ in range(20)]
    unbalanced = drafts[::4]
    for draft in unbalanced:
        services.budget_set(application=draft, actor=draft.author, lines=[])

    outcomes = run_together(*(submit(draft) for draft in drafts))

    refused = {draft.pk for draft, o in zip(drafts, outcomes, strict=True) if o.error}
    assert refused == {draft.pk for draft in unbalanced}
    for draft, outcome in zip(drafts, outcomes, strict=True):
        if draft in unbalanced:
            assert isinstance(outcome.error, WorkflowError)
            assert outcome.error.code == "not_eligible"
    applications = Application.objects.filter(pk__in=[draft.pk for draft in drafts])
    submitted = applications.exclude(pk__in=refused)
    assert sorted(submitted.values_list("case_number", flat=True)) == case_numbers(15)
    assert set(submitted.values_list("state", flat=True)) == {ApplicationState.SUBMITTED}
    still_drafts = applications.filter(pk__in=refused)
    assert set(still_drafts.values_list("state", "case_number")) == {(ApplicationState.DRAFT, None)}
    assert CaseNumberSequence.objects.get().last_value == 15
    assert_audit_intact()


def test_a_submission_failing_after_taking_its_number_gives_the_number_back(
    call, finance, monkeypatch
):
    drafts = [complete_draft(call, finance) for _ in range(20)]
    failing = {draft.pk for draft in drafts[1::4]}
    real_log_action = submission_services.log_action

    def log_action(obj, action, **kwargs):
        # Fails after the case number is taken, inside the submission's transaction.
        if action == "grants.application.submitted" and obj.pk in failing:
            raise ConnectionError("the audit trail is unreachable")
        return real_log_action(obj, action, **kwargs)

    monkeypatch.setattr(submission_services, "log_action", log_action)

    outcomes = run_together(*(submit(draft) for draft in drafts))

    errors = {draft.pk: o.error for draft, o in zip(drafts, outcomes, strict=True) if o.error}
    assert set(errors) == failing
    assert all(isinstance(error, ConnectionError) for error in errors.values())
    applications = Application.objects.filter(pk__in=[draft.pk for draft in drafts])
    submitted = applications.exclude(pk__in=failing)
    assert sorted(submitted.values_list("case_number", flat=True)) == case_numbers(15)
    assert set(applications.filter(pk__in=failing).values_list("state", "case_number")) == {
        (ApplicationState.DRAFT, None)
    }
    assert CaseNumberSequence.objects.get().last_value == 15
    assert_audit_intact()


# 2. Decisions


def assert_decided_once(application, decision: Decision) -> None:
    application.refresh_from_db()
    assert Decision.objects.filter(application=application).count() == 1
    assert Decision.objects.get(application=application).pk == decision.pk
    payments = list(
        Payment.objects.filter(decision__application=application)
        .order_by("instalment")
        .values_list("instalment", "amount", "trigger", "state")
    )
    if decision.is_grant:
        assert application.state == ApplicationState.APPROVED
        assert payments == [
            (1, Decimal("40000"), Payment.Trigger.ON_DECISION, PaymentState.PAYABLE),
            (2, Decimal("10000"), Payment.Trigger.ON_REPORT_ACCEPTED, PaymentState.PLANNED),
        ]
        assert FollowUpReport.objects.filter(decision__application=application).count() == 1
        assert logged("grants.application.approved") == 1
        assert logged("grants.application.rejected") == 0
    else:
        assert application.state == ApplicationState.REJECTED
        assert payments == []
        assert FollowUpReport.objects.count() == 0
        assert logged("grants.application.rejected") == 1
        assert logged("grants.application.approved") == 0


@pytest.mark.parametrize("deciders", ["the same decision maker", "two decision makers"])
def test_a_decision_attempted_twice_at_once_is_made_once(
    proposed, decider, delegation, decider_2, deciders
):
    second = decider if deciders == "the same decision maker" else decider_2

    outcomes = run_together(decide(proposed, decider), decide(proposed, second))

    decision, errors = one_wins(outcomes)
    assert errors[0].code in {"wrong_state", "conflict"}
    assert_decided_once(proposed, decision)
    assert_audit_intact()


def test_an_approval_and_a_rejection_at_once_leave_one_consistent_decision(
    proposed, decider, delegation, decider_2
):
    outcomes = run_together(
        decide(proposed, decider, "approved"), decide(proposed, decider_2, "rejected")
    )

    decision, _ = one_wins(outcomes)
    assert_decided_once(proposed, decision)
    assert_audit_intact()


def test_a_committee_decision_and_a_delegated_decision_on_one_case_do_not_deadlock(
    call, proposed, officer, finance, decider, delegation, secretary, monkeypatch
):
    other = proposed_application(call, officer, finance)
    first, second = sorted([proposed, other], key=lambda application: application.pk)
    delegated_holds_case = threading.Event()
    committee_logged = threading.Event()
    real_lock, real_log = decision_services.lock_application, decision_services.log_action

    # An interleaving that can happen by chance, made certain: the decision maker (worker-1)
    # has locked the second case when the secretary (worker-0) has decided the first.
    def lock_application(application):
        name = threading.current_thread().name
        if name == "worker-0" and application.pk == first.pk:
            delegated_holds_case.wait(timeout=5)
        locked = real_lock(application)
        if name == "worker-1":
            delegated_holds_case.set()
            committee_logged.wait(timeout=2)
        return locked

    def log_action(obj, action, **kwargs):
        entry = real_log(obj, action, **kwargs)
        if threading.current_thread().name == "worker-0":
            committee_logged.set()
        return entry

    monkeypatch.setattr(decision_services, "lock_application", lock_application)
    monkeypatch.setattr(decision_services, "log_action", log_action)
    meeting = decision_services.CommitteeMeeting(
        body="Regionala utvecklingsnämnden", meeting_date=timezone.localdate(), paragraph="§ 12"
    )

    outcomes = run_together(
        lambda: decision_services.committee_decide(
            applications=[fresh(first), fresh(second)], actor=fresh(secretary), committee=meeting
        ),
        decide(second, decider),
    )

    one_wins(outcomes)
    assert Decision.objects.filter(application=second).count() == 1
    # A committee decision is all or nothing: the first case is decided only if it won.
    committee_won = outcomes[0].error is None
    assert Decision.objects.filter(application=first).exists() == committee_won
    assert_audit_intact()


# 3. Payment batches


def assert_each_payment_in_one_batch_at_most() -> None:
    doubled = (
        PaymentBatchItem.objects.filter(active=True)
        .exclude(batch__state=BatchState.CANCELLED)
        .values("payment")
        .annotate(batches=Count("batch"))
        .filter(batches__gt=1)
    )
    assert list(doubled) == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param([0, 1, 2], [0, 1, 2], id="the same payments"),
        pytest.param([0, 1], [1, 2], id="overlapping payments"),
        pytest.param([2, 1, 0], [0, 1, 2], id="the same payments in reverse order"),
    ],
)
def test_two_batches_of_the_same_payments_at_once_take_each_payment_once(
    payable, finance, finance_2, first, second
):
    chosen = {
        finance.pk: {payable[i].pk for i in first},
        finance_2.pk: {payable[i].pk for i in second},
    }

    outcomes = run_together(
        build_batch(finance, [payable[i] for i in first]),
        build_batch(finance_2, [payable[i] for i in second]),
    )

    batch, errors = one_wins(outcomes)
    assert errors[0].code in {"not_payable", "conflict"}
    # The refused call left nothing behind: no batch, no item, no audit entry.
    assert list(PaymentBatch.objects.values_list("pk", flat=True)) == [batch.pk]
    assert logged("decisions.batch.created") == 1
    in_batch = chosen[batch.created_by_id]
    items = PaymentBatchItem.objects.filter(batch=batch, active=True)
    assert set(items.values_list("payment", flat=True)) == in_batch
    assert PaymentBatchItem.objects.count() == len(in_batch)
    for payment in Payment.objects.filter(pk__in=[p.pk for p in payable]):
        if payment.pk in in_batch:
            assert payment.state == PaymentState.BATCHED
            assert payment.payee_account_number
        else:
            assert payment.state == PaymentState.PAYABLE
            assert payment.payee_account_number == ""
    assert_each_payment_in_one_batch_at_most()
    assert_audit_intact()


def test_two_batches_of_different_payments_at_once_are_both_built(payable, finance, finance_2):
    outcomes = run_together(build_batch(finance, payable[:1]), build_batch(finance_2, payable[1:]))

    assert [outcome.error for outcome in outcomes] == [None, None]
    for outcome, payments in zip(outcomes, [payable[:1], payable[1:]], strict=True):
        items = PaymentBatchItem.objects.filter(batch=outcome.value, active=True)
        assert set(items.values_list("payment", flat=True)) == {p.pk for p in payments}
    assert set(
        Payment.objects.filter(pk__in=[p.pk for p in payable]).values_list("state", flat=True)
    ) == {PaymentState.BATCHED}
    assert_each_payment_in_one_batch_at_most()
    assert_audit_intact()


# 4. Attesting and exporting a batch


@pytest.mark.parametrize("attesters", ["the same finance officer", "two finance officers"])
def test_a_batch_attested_twice_at_once_is_attested_once(batch, finance_2, finance_3, attesters):
    second = finance_2 if attesters == "the same finance officer" else finance_3

    outcomes = run_together(attest(batch, finance_2), attest(batch, second))

    attested, errors = one_wins(outcomes)
    assert errors[0].code == "wrong_state"
    batch.refresh_from_db()
    assert batch.state == BatchState.ATTESTED
    assert batch.attested_by_id == attested.attested_by_id
    assert batch.attested_at == attested.attested_at
    assert logged("decisions.batch.attested") == 1
    assert_audit_intact()


def test_the_creator_attesting_at_the_same_time_as_another_officer_never_attests(
    batch, finance, finance_2
):
    # batch was created by finance: only finance-2's attestation can stand.
    outcomes = run_together(attest(batch, finance), attest(batch, finance_2))

    attested, errors = one_wins(outcomes)
    assert attested.attested_by_id == finance_2.pk
    assert errors[0].code in {"four_eyes", "wrong_state"}
    batch.refresh_from_db()
    assert (batch.state, batch.attested_by_id) == (BatchState.ATTESTED, finance_2.pk)
    assert logged("decisions.batch.attested") == 1
    assert_audit_intact()


def test_a_batch_exported_twice_at_once_is_exported_once(batch, finance, finance_2):
    payment_services.batch_attest(batch=batch, actor=finance_2)

    outcomes = run_together(export(batch, finance), export(batch, finance_2))

    exported, errors = one_wins(outcomes)
    assert errors[0].code == "wrong_state"
    batch.refresh_from_db()
    assert batch.state == BatchState.EXPORTED
    assert (batch.exported_by_id, batch.exported_at) == (
        exported.exported_by_id,
        exported.exported_at,
    )
    assert logged("decisions.batch.exported") == 1
    # One set of files, written by the export that won, each stored once with its SHA-256.
    files = BatchExport.objects.filter(batch=batch)
    assert sorted(files.values_list("format", flat=True)) == sorted(BatchExport.Format.values)
    assert set(files.values_list("created_by", flat=True)) == {exported.exported_by_id}
    for export_ in files:
        with export_.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == export_.sha256
    assert_audit_intact()


def test_a_batch_exported_and_cancelled_at_once_is_one_or_the_other(
    batch, payable, finance, finance_2
):
    payment_services.batch_attest(batch=batch, actor=finance_2)

    outcomes = run_together(export(batch, finance), cancel(batch, finance_2))

    one_wins(outcomes)
    batch.refresh_from_db()
    payments = Payment.objects.filter(pk__in=[p.pk for p in payable])
    items = PaymentBatchItem.objects.filter(batch=batch)
    if batch.state == BatchState.EXPORTED:
        assert set(payments.values_list("state", flat=True)) == {PaymentState.BATCHED}
        assert set(items.values_list("active", flat=True)) == {True}
        assert logged("decisions.batch.cancelled") == 0
    else:
        assert batch.state == BatchState.CANCELLED
        assert set(payments.values_list("state", flat=True)) == {PaymentState.PAYABLE}
        assert set(items.values_list("active", flat=True)) == {False}
        assert logged("decisions.batch.exported") == 0
        assert not BatchExport.objects.filter(batch=batch).exists()
        # The payments are free for the next batch.
        payment_services.batch_create(actor=finance, payments=payable, payment_date=payment_day())
    assert_each_payment_in_one_batch_at_most()
    assert_audit_intact()


# 5. Payout accounts


def test_an_account_verified_twice_at_once_is_verified_once(pending_account, finance, finance_2):
    outcomes = run_together(verify(pending_account, finance), verify(pending_account, finance_2))

    verified, errors = one_wins(outcomes)
    assert errors[0].code in {"wrong_state", "conflict"}
    pending_account.refresh_from_db()
    assert pending_account.verified_by_id == verified.verified_by_id
    accounts = PayoutAccount.objects.filter(organisation=pending_account.organisation_id)
    assert list(accounts.verified()) == [pending_account]
    assert list(accounts.pending()) == []
    assert logged("organisations.payout_account.verified") == 1
    assert_audit_intact()


def test_an_account_verified_and_rejected_at_once_is_one_or_the_other(
    pending_account, finance, finance_2
):
    outcomes = run_together(verify(pending_account, finance), reject(pending_account, finance_2))

    one_wins(outcomes)
    pending_account.refresh_from_db()
    assert (pending_account.verified_at is None) != (pending_account.rejected_at is None)
    assert (
        logged("organisations.payout_account.verified")
        + logged("organisations.payout_account.rejected")
        == 1
    )
    assert_audit_intact()


def test_an_account_verified_while_the_applicant_changes_it_stays_in_use(
    pending_account, applicant, finance, monkeypatch
):
    verifying = threading.Event()
    real_log_action = payout_account_services.log_action

    # An interleaving that can happen by chance, made certain: the applicant saves a new
    # account while the verification is written but not yet committed.
    def log_action(obj, action, **kwargs):
        entry = real_log_action(obj, action, **kwargs)
        if action == "organisations.payout_account.verified":
            verifying.set()
            time.sleep(0.5)
        return entry

    monkeypatch.setattr(payout_account_services, "log_action", log_action)

    def change_account():
        verifying.wait(timeout=10)
        return organisation_services.payout_account_add(
            organisation=fresh(pending_account.organisation),
            actor=fresh(applicant),
            kind="bankgiro",
            number=factories.bankgiro(),
            holder_name="Bräcke hembygdsförening",
        )

    outcomes = run_together(verify(pending_account, finance), change_account)

    assert [outcome.error for outcome in outcomes] == [None, None]
    new_account = outcomes[1].value
    accounts = PayoutAccount.objects.filter(organisation=pending_account.organisation_id)
    # The verification committed first, so the account it verified is the one in use, and the
    # change awaits its own verification.
    assert list(accounts.verified()) == [pending_account]
    assert list(accounts.pending()) == [new_account]
    assert_audit_intact()


# 6. Everything at once, then the audit trail


def test_the_audit_trail_stays_one_chain_when_everything_happens_at_once(
    call, proposed, decider, delegation, decider_2, payable, pending_account, finance, finance_2
):
    drafts = [complete_draft(call, finance) for _ in range(5)]
    calls = [
        *(submit(draft) for draft in drafts),
        decide(proposed, decider),
        decide(proposed, decider_2),
        build_batch(finance, payable[:2]),
        build_batch(finance_2, payable[1:]),
        verify(pending_account, finance),
        verify(pending_account, finance_2),
    ]

    outcomes = run_together(*calls)

    # The second decision, the overlapping batch and the second verification are refused.
    errors = [outcome.error for outcome in outcomes if outcome.error]
    assert len(errors) == 3, errors
    assert all(isinstance(error, WorkflowError) for error in errors)
    output = StringIO()
    call_command("verify_audit", stdout=output)
    count = LogEntry.objects.count()
    assert output.getvalue().splitlines()[-1] == f"Audit chain intact: {count} entries checked."
    assert logged("grants.application.submitted") == 5 + 4  # and the four set up before
    assert_audit_intact()
