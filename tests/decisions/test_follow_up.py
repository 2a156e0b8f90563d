"""After the decision (DESIGN §4.1, §6, §7): the follow-up report, its completion and acceptance,
and repayment claims with their settlement."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from audit.services import entries_for
from decisions import payments as payment_services
from decisions import services as decision_services
from decisions.models import FollowUpReport, Payment, RepaymentClaim
from decisions.workflow import PaymentState, RepaymentState
from grants import services
from grants.models import Application, CompletionRequest, Programme
from grants.workflow import ApplicationState as S
from organisations.errors import WorkflowError
from organisations.services import membership_add
from tests.assertions import refused, state_of

JAV = "conflict of interest \\(jäv\\) for Storsjöteatern ideell förening"


def later(days: int = 30):
    return timezone.localdate() + timedelta(days=days)


def fill(report, actor, **overrides) -> FollowUpReport:
    fields = {
        "what_was_done": "Tolv föreställningar i fem byar runt Storsjön.",
        "participants": {"0-12": {"women": 40, "men": 35, "other": 2}},
        "target_groups": ["children_youth"],
        "municipalities": ["2380", "2309"],
        "activities_count": 12,
        "perspectives": {"accessibility": "Teckentolkning vid två föreställningar."},
        "actual_budget": [{"kind": "cost", "category": "fees", "amount": "70000"}],
        "used_amount": Decimal("50000"),
    }
    return decision_services.report_save(report=report, actor=actor, **(fields | overrides))


@pytest.fixture
def report(approved):
    return approved.decision.follow_up_report


@pytest.fixture
def report_submitted(report, applicant):
    fill(report, applicant)
    return decision_services.report_submit(report=report, actor=applicant)


@pytest.fixture
def report_completion_requested(report_submitted, officer):
    decision_services.report_request_completion(
        report=report_submitted,
        actor=officer,
        message="Redovisa deltagarna per åldersgrupp.",
        due_date=later(),
    )
    return report_submitted


@pytest.fixture
def closed(report_submitted, officer):
    decision_services.report_accept(report=report_submitted, actor=officer)
    return report_submitted.decision.application


def pay(payments, finance, finance_2):
    """Carry payable payments through a batch: created, attested, exported and confirmed paid."""
    from decisions import banking

    batch = payment_services.batch_create(
        actor=finance,
        payments=list(payments),
        payment_date=banking.next_banking_day(timezone.localdate() + timedelta(days=1)),
    )
    payment_services.batch_attest(batch=batch, actor=finance_2)
    payment_services.batch_export(batch=batch, actor=finance)
    payment_services.batch_confirm(batch=batch, actor=finance, paid_on=timezone.localdate())
    return batch


@pytest.fixture
def paid(approved, finance, finance_2):
    """The approved case with its first instalment (40 000 of 50 000 kr) paid out."""
    pay(approved.decision.payments.filter(state=PaymentState.PAYABLE), finance, finance_2)
    return approved


def claim(application, actor, **overrides) -> RepaymentClaim:
    fields = {
        "amount": Decimal("20000"),
        "reasons": "Hälften av föreställningarna ställdes in.",
        "due_date": later(),
    }
    return decision_services.repayment_claim_create(
        decision=application.decision, actor=actor, **(fields | overrides)
    )


@pytest.fixture
def repayment_claimed(paid, decider):
    return claim(paid, decider)


# report_save


def test_a_member_drafts_the_report(report, member):
    saved = fill(report, member)

    assert saved.is_complete()
    assert saved.submitted_at is None
    assert state_of(report.decision.application) == S.APPROVED


@pytest.mark.parametrize("who", ["applicant_b", "officer"])
def test_only_members_write_the_report(request, report, who):
    error = refused(fill, report=report, actor=request.getfixturevalue(who))

    assert error.code == "not_member"
    assert FollowUpReport.objects.get(pk=report.pk).what_was_done == ""


def test_the_amount_used_cannot_exceed_the_grant(report, applicant):
    error = refused(fill, report=report, actor=applicant, used_amount=Decimal("50000.01"))

    assert str(error) == "The amount used cannot be more than the 50\u00a0000 kr granted."


def test_a_submitted_report_cannot_be_changed(report_submitted, applicant):
    error = refused(fill, report=report_submitted, actor=applicant, what_was_done="Ändrat.")

    assert error.code == "wrong_state"


# submit_report: approved, report_completion_requested → report_submitted


def test_signatory_submits_a_complete_report(report, applicant):
    fill(report, applicant)

    submitted = decision_services.report_submit(report=report, actor=applicant)

    assert submitted.submitted_by == applicant
    assert submitted.submitted_at is not None
    application = Application.objects.get(pk=report.decision.application_id)
    assert application.state == S.REPORT_SUBMITTED
    entry = entries_for(application).get(action="decisions.report.submitted")
    assert entry.actor == applicant
    assert entry.data == {"report": report.pk, "used_amount": "50000.00"}


def test_an_empty_report_lists_everything_it_lacks(report, applicant):
    error = refused(decision_services.report_submit, report=report, actor=applicant)

    assert error.code == "incomplete"
    assert error.problems == [
        "what was done",
        "participants by age group and gender",
        "municipalities reached",
        "actual costs and income",
        "the amount of the grant used",
    ]
    assert str(error) == f"The report lacks {', '.join(error.problems)}."
    assert state_of(report.decision.application) == S.APPROVED
    assert FollowUpReport.objects.get(pk=report.pk).submitted_at is None


def test_a_report_lacking_one_part_names_it(report, applicant):
    fill(report, applicant, municipalities=[])

    error = refused(decision_services.report_submit, report=report, actor=applicant)

    assert error.problems == ["municipalities reached"]


@pytest.mark.parametrize("who", ["member", "applicant_b", "officer"])
def test_only_a_signatory_submits_the_report(request, report, applicant, who):
    fill(report, applicant)

    error = refused(
        decision_services.report_submit, report=report, actor=request.getfixturevalue(who)
    )

    assert error.code == "denied"
    assert state_of(report.decision.application) == S.APPROVED


@pytest.mark.parametrize("fixture", ["report_submitted", "closed"])
def test_the_report_is_submitted_once(request, fixture, report, applicant):
    request.getfixturevalue(fixture)

    error = refused(decision_services.report_submit, report=report, actor=applicant)

    assert error.code == "wrong_state"


# request_report_completion: report_submitted → report_completion_requested


def test_officer_asks_for_a_completed_report(report_submitted, officer):
    completion = decision_services.report_request_completion(
        report=report_submitted,
        actor=officer,
        message=" Redovisa deltagarna per åldersgrupp. ",
        due_date=later(),
    )

    application = report_submitted.decision.application
    assert state_of(application) == S.REPORT_COMPLETION_REQUESTED
    assert completion.subject == CompletionRequest.Subject.REPORT
    assert completion.message == "Redovisa deltagarna per åldersgrupp."
    entry = entries_for(application).get(action="decisions.report.completion_requested")
    assert entry.actor == officer
    assert entry.data == {
        "message": "Redovisa deltagarna per åldersgrupp.",
        "due_date": later().isoformat(),
    }


def test_the_completed_report_is_submitted_again(report_completion_requested, applicant):
    fill(report_completion_requested, applicant, what_was_done="Nu med deltagare per ålder.")

    decision_services.report_submit(report=report_completion_requested, actor=applicant)

    assert state_of(report_completion_requested.decision.application) == S.REPORT_SUBMITTED
    assert CompletionRequest.objects.get(subject="report").answered_by == applicant


@pytest.mark.parametrize(
    ("message", "days", "error_message"),
    [
        ("", 30, "Write what the grantee must complete."),
        ("Redovisa deltagarna.", 0, "The due date must be after today."),
        ("Redovisa deltagarna.", -3, "The due date must be after today."),
    ],
)
def test_a_report_completion_needs_a_message_and_a_future_due_date(
    report_submitted, officer, message, days, error_message
):
    error = refused(
        decision_services.report_request_completion,
        report=report_submitted,
        actor=officer,
        message=message,
        due_date=later(days),
    )

    assert str(error) == error_message
    assert state_of(report_submitted.decision.application) == S.REPORT_SUBMITTED


@pytest.mark.parametrize("who", ["applicant", "decider", "finance"])
def test_only_officers_ask_for_a_completed_report(request, report_submitted, who):
    error = refused(
        decision_services.report_request_completion,
        report=report_submitted,
        actor=request.getfixturevalue(who),
        message="Redovisa deltagarna.",
        due_date=later(),
    )

    assert error.code == "denied"


def test_officer_with_jav_cannot_follow_up(report_submitted, officer, organisation, applicant):
    membership_add(organisation=organisation, user=officer, role="member", actor=applicant)

    with pytest.raises(WorkflowError, match=JAV):
        decision_services.report_request_completion(
            report=report_submitted, actor=officer, message="Mer.", due_date=later()
        )


@pytest.mark.parametrize("fixture", ["report", "report_completion_requested"])
def test_completion_is_asked_only_of_a_submitted_report(request, fixture, officer):
    report = request.getfixturevalue(fixture)

    error = refused(
        decision_services.report_request_completion,
        report=report,
        actor=officer,
        message="Mer.",
        due_date=later(),
    )

    assert error.code == "wrong_state"


# accept_report: report_submitted → closed


def test_accepting_the_report_closes_the_case_and_releases_the_last_instalment(
    report_submitted, officer
):
    accepted = decision_services.report_accept(report=report_submitted, actor=officer)

    assert accepted.accepted_by == officer
    assert accepted.accepted_at is not None
    application = Application.objects.get(pk=report_submitted.decision.application_id)
    assert application.state == S.CLOSED
    assert application.closed_at is not None
    last = Payment.objects.get(decision=report_submitted.decision, instalment=2)
    assert last.trigger == Payment.Trigger.ON_REPORT_ACCEPTED
    assert last.state == PaymentState.PAYABLE
    assert last.payable_at is not None
    entry = entries_for(application).get(action="decisions.report.accepted")
    assert entry.actor == officer
    assert entry.data == {"report": report_submitted.pk, "payments_made_payable": [last.pk]}


def test_a_requisition_instalment_is_not_released_by_the_report(
    programme, proposed, decider, delegation, applicant, officer
):
    Programme.objects.filter(pk=programme.pk).update(
        payment_plan=[
            {"share": "0.5", "trigger": "on_decision"},
            {"share": "0.5", "trigger": "on_request"},
        ]
    )
    decision = decision_services.decision_record(
        application=proposed, actor=decider, outcome="approved", reasons="Bra."
    )
    fill(decision.follow_up_report, applicant)
    decision_services.report_submit(report=decision.follow_up_report, actor=applicant)

    decision_services.report_accept(report=decision.follow_up_report, actor=officer)

    assert decision.payments.get(instalment=2).state == PaymentState.PLANNED


@pytest.mark.parametrize("who", ["applicant", "decider", "finance"])
def test_only_officers_accept_reports(request, report_submitted, who):
    error = refused(
        decision_services.report_accept,
        report=report_submitted,
        actor=request.getfixturevalue(who),
    )

    assert error.code == "denied"
    assert state_of(report_submitted.decision.application) == S.REPORT_SUBMITTED
    assert report_submitted.decision.payments.get(instalment=2).state == PaymentState.PLANNED


def test_officer_with_declared_jav_cannot_accept_the_report(
    report_submitted, officer, organisation
):
    services.conflict_declare(user=officer, organisation=organisation, reason="Jäv.", actor=officer)

    with pytest.raises(WorkflowError, match=JAV):
        decision_services.report_accept(report=report_submitted, actor=officer)


@pytest.mark.parametrize("fixture", ["report", "report_completion_requested"])
def test_only_a_submitted_report_is_accepted(request, fixture, officer):
    report = request.getfixturevalue(fixture)

    error = refused(decision_services.report_accept, report=report, actor=officer)

    assert error.code == "wrong_state"
    assert report.decision.payments.get(instalment=2).state == PaymentState.PLANNED


# claim_repayment: approved, report_submitted → repayment_claimed


def test_decision_maker_claims_back_part_of_what_was_paid(paid, decider):
    repayment = claim(paid, decider)

    assert repayment.state == RepaymentState.CLAIMED
    assert repayment.amount == Decimal("20000")
    assert repayment.claimed_by == decider
    assert state_of(paid) == S.REPAYMENT_CLAIMED
    unpaid = paid.decision.payments.get(instalment=2)
    assert unpaid.state == PaymentState.CANCELLED
    assert paid.decision.payments.get(instalment=1).state == PaymentState.PAID
    entry = entries_for(paid).get(action="decisions.repayment.claimed")
    assert entry.actor == decider
    assert entry.data["amount"] == "20000"
    assert entry.data["cancelled_payments"] == [unpaid.pk]


def test_the_whole_amount_paid_can_be_claimed(paid, decider):
    assert claim(paid, decider, amount=Decimal("40000")).amount == Decimal("40000")


def test_a_claim_cancels_a_payable_instalment(
    approved, decider, finance, finance_2, officer, applicant
):
    pay(approved.decision.payments.filter(instalment=1), finance, finance_2)
    report = approved.decision.follow_up_report
    fill(report, applicant)
    decision_services.report_submit(report=report, actor=applicant)

    claim(approved, decider)

    assert approved.decision.payments.get(instalment=2).state == PaymentState.CANCELLED


def test_a_claim_may_follow_a_submitted_report(paid, decider, applicant):
    report = paid.decision.follow_up_report
    fill(report, applicant)
    decision_services.report_submit(report=report, actor=applicant)

    claim(paid, decider)

    assert state_of(paid) == S.REPAYMENT_CLAIMED


@pytest.mark.parametrize("amount", [Decimal("40000.01"), Decimal("0"), Decimal("-1")])
def test_the_claim_is_more_than_nothing_and_at_most_what_was_paid(paid, decider, amount):
    error = refused(claim, application=paid, actor=decider, amount=amount)

    assert str(error) == "The claim must be more than 0 and at most the 40\u00a0000 kr paid out."
    assert state_of(paid) == S.APPROVED
    assert paid.decision.payments.get(instalment=2).state == PaymentState.PLANNED


def test_nothing_paid_means_nothing_to_claim(approved, decider):
    error = refused(claim, application=approved, actor=decider)

    assert str(error) == "The claim must be more than 0 and at most the 0 kr paid out."


def test_a_claim_needs_reasons_and_a_future_due_date(paid, decider):
    assert str(refused(claim, application=paid, actor=decider, reasons=" ")) == (
        "Give the reasons for the repayment claim."
    )
    assert str(refused(claim, application=paid, actor=decider, due_date=later(0))) == (
        "The due date must be after today."
    )
    assert not RepaymentClaim.objects.exists()


@pytest.mark.parametrize("who", ["officer", "finance", "secretary", "applicant"])
def test_only_a_decision_maker_claims_repayment(request, paid, who):
    error = refused(claim, application=paid, actor=request.getfixturevalue(who))

    assert error.code == "denied"
    assert not RepaymentClaim.objects.exists()


def test_decision_maker_with_jav_cannot_claim_repayment(paid, decider, organisation):
    services.conflict_declare(user=decider, organisation=organisation, reason="Jäv.", actor=decider)

    with pytest.raises(WorkflowError, match=JAV):
        claim(paid, decider)


@pytest.mark.parametrize("fixture", ["report_completion_requested", "closed", "repayment_claimed"])
def test_repayment_is_claimed_only_from_approved_or_report_submitted(
    request, fixture, paid, decider
):
    request.getfixturevalue(fixture)
    claims_before = RepaymentClaim.objects.count()

    error = refused(claim, application=paid, actor=decider)

    assert error.code == "wrong_state"
    assert RepaymentClaim.objects.count() == claims_before


def test_after_a_claim_a_failed_instalment_can_no_longer_be_paid(
    programme, proposed, decider, delegation, finance, finance_2
):
    Programme.objects.filter(pk=programme.pk).update(
        payment_plan=[
            {"share": "0.5", "trigger": "on_decision"},
            {"share": "0.5", "trigger": "on_decision"},
        ]
    )
    decision = decision_services.decision_record(
        application=proposed, actor=decider, outcome="approved", reasons="Bra."
    )
    pay(decision.payments.all(), finance, finance_2)
    failed = payment_services.payment_fail(
        payment=decision.payments.get(instalment=2), actor=finance, reason="Kontot avslutat."
    )

    claim(decision.application, decider, amount=Decimal("25000"))

    assert Payment.objects.get(pk=failed.pk).state == PaymentState.CANCELLED


@pytest.mark.parametrize("attested", [False, True])
def test_no_claim_while_an_instalment_waits_in_a_batch_not_sent_to_the_bank(
    paid, decider, finance, finance_2, attested
):
    from decisions import banking

    # The last instalment has been released early (as by an accepted report) and batched.
    last = paid.decision.payments.get(instalment=2)
    last.make_payable()
    last.save(update_fields=["state", "payable_at"])
    batch = payment_services.batch_create(
        actor=finance,
        payments=[last],
        payment_date=banking.next_banking_day(timezone.localdate() + timedelta(days=1)),
    )
    if attested:
        payment_services.batch_attest(batch=batch, actor=finance_2)

    error = refused(claim, application=paid, actor=decider)

    assert error.code == "batched"
    assert f"payment batch {batch.pk}" in str(error)
    assert state_of(paid) == S.APPROVED

    payment_services.batch_cancel(batch=batch, actor=finance, reason="Återkrav på gång.")
    claim(paid, decider)

    assert Payment.objects.get(pk=last.pk).state == PaymentState.CANCELLED


# settle_repayment: repayment_claimed → closed


def test_finance_records_the_claim_as_repaid(repayment_claimed, finance):
    settled = decision_services.repayment_claim_settle(
        claim=repayment_claimed, actor=finance, note=" Inbetalt 2026-12-01. "
    )

    assert settled.state == RepaymentState.SETTLED
    assert settled.settled_by == finance
    assert settled.settled_at is not None
    assert settled.settlement_note == "Inbetalt 2026-12-01."
    application = repayment_claimed.decision.application
    assert state_of(application) == S.CLOSED
    entry = entries_for(application).get(action="decisions.repayment.settled")
    assert entry.actor == finance
    assert entry.data == {
        "claim": repayment_claimed.pk,
        "amount": "20000.00",
        "note": "Inbetalt 2026-12-01.",
    }


def test_finance_writes_the_claim_off_with_a_note(repayment_claimed, finance):
    settled = decision_services.repayment_claim_settle(
        claim=repayment_claimed, actor=finance, written_off=True, note="Föreningen är upplöst."
    )

    assert settled.state == RepaymentState.WRITTEN_OFF
    application = repayment_claimed.decision.application
    assert state_of(application) == S.CLOSED
    assert entries_for(application).filter(action="decisions.repayment.written_off").exists()


def test_a_write_off_needs_a_note(repayment_claimed, finance):
    error = refused(
        decision_services.repayment_claim_settle,
        claim=repayment_claimed,
        actor=finance,
        written_off=True,
        note=" ",
    )

    assert str(error) == "Give the reason for writing the claim off."
    assert RepaymentClaim.objects.get().state == RepaymentState.CLAIMED
    assert state_of(repayment_claimed.decision.application) == S.REPAYMENT_CLAIMED


@pytest.mark.parametrize("who", ["officer", "decider", "applicant"])
def test_only_finance_settles_repayment(request, repayment_claimed, who):
    error = refused(
        decision_services.repayment_claim_settle,
        claim=repayment_claimed,
        actor=request.getfixturevalue(who),
    )

    assert error.code == "wrong_role"
    assert str(error) == "Only a finance officer can settle repayment claims."
    assert RepaymentClaim.objects.get().state == RepaymentState.CLAIMED


def test_a_claim_is_settled_once(repayment_claimed, finance, finance_2):
    decision_services.repayment_claim_settle(claim=repayment_claimed, actor=finance)

    error = refused(
        decision_services.repayment_claim_settle, claim=repayment_claimed, actor=finance_2
    )

    assert error.code == "wrong_state"


def test_finance_officer_with_jav_cannot_write_off_the_claim(
    repayment_claimed, finance_2, organisation, applicant
):
    membership_add(organisation=organisation, user=finance_2, role="member", actor=applicant)

    refused(
        decision_services.repayment_claim_settle,
        claim=repayment_claimed,
        actor=finance_2,
        written_off=True,
        note="Avskrivs.",
    )

    assert RepaymentClaim.objects.get().state == RepaymentState.CLAIMED
    assert state_of(repayment_claimed.decision.application) == S.REPAYMENT_CLAIMED


def test_the_audit_trail_follows_the_case_to_its_end(repayment_claimed, finance):
    decision_services.repayment_claim_settle(claim=repayment_claimed, actor=finance)

    application = repayment_claimed.decision.application
    actions = list(entries_for(application).values_list("action", flat=True))
    assert actions[-3:] == [
        "grants.application.approved",
        "decisions.repayment.claimed",
        "decisions.repayment.settled",
    ]
