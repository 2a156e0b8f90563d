"""A grant after its decision: the follow-up report, the payments and repayment claims."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from decisions.models import Payment, PaymentBatchItem, RepaymentClaim
from decisions.seeding import vocabulary
from decisions.seeding.bulk import Row
from decisions.seeding.context import Case, SeedContext
from decisions.seeding.payment_runs import (
    REQUISITION_BEFORE_CLAIM_DAYS,
    historical_batch,
    moment,
    payment_run,
)
from decisions.workflow import PaymentState, RepaymentState
from grants.models import CompletionRequest
from grants.workflow import ApplicationState

S = ApplicationState
P = PaymentState
Trigger = Payment.Trigger


class FollowUp:
    """A granted case after its decision: report, payments and, for some, a repayment claim."""

    def __init__(
        self,
        ctx: SeedContext,
        case: Case,
        decision: Row,
        report: Row,
        instalments: list[tuple[Decimal, str]],
    ):
        self.ctx = ctx
        self.case = case
        self.decision = decision
        self.report = report
        self.instalments = instalments
        state = case.plan.state
        self.repayment = state == S.REPAYMENT_CLAIMED or (
            state == S.CLOSED and ctx.rng.random() < 0.1
        )
        self.reported = state in {S.REPORT_SUBMITTED, S.REPORT_COMPLETION_REQUESTED} or (
            state == S.CLOSED and not self.repayment
        )
        if self.repayment:
            # A claim follows an underspent report, or a report that never came by its due date.
            overdue = decision.report_due_date < ctx.today - timedelta(days=10)
            self.reported = ctx.rng.random() < 0.6 or not overdue

    def run(self) -> None:
        ctx = self.ctx
        case = self.case
        activity_ended = moment(case.application.activity_ends, 12)
        report_submitted = accepted = claimed = None
        if self.reported:
            report_submitted = ctx.between(activity_ended + ctx.days(3, 50))
            report_submitted = max(report_submitted, case.decided_at)
            self._fill_report(report_submitted)
            self._report_completion(report_submitted)
        elif case.plan.state == S.APPROVED and ctx.rng.random() < 0.3:
            # A report the grantee has started on.
            self.report.what_was_done = ctx.rng.choice(vocabulary.REPORT_TEXTS)
            self.report.updated_at = ctx.between(case.decided_at)
        if case.plan.state == S.CLOSED and not self.repayment:
            last = self.report.updated_at
            accepted = ctx.between(last + ctx.days(5, 10), last + ctx.days(10, 40))
        if self.repayment:
            due = moment(self.decision.report_due_date, 9)
            start = (report_submitted or due) + ctx.days(10, 60)
            # After every instalment that can be paid before a claim has been paid.
            last_paid = payment_run(case.decided_at + timedelta(days=REQUISITION_BEFORE_CLAIM_DAYS))
            start = max(start, moment(last_paid + timedelta(days=7), 9))
            claimed = ctx.between(start, start + ctx.days(0, 30))
        payments = self._payments(accepted=accepted, claimed=claimed)
        if accepted is not None:
            self._accept(accepted, payments)
        if claimed is not None:
            self._claim(claimed, payments)

    # Report

    def _fill_report(self, submitted: datetime) -> None:
        rng = self.ctx.rng
        report = self.report
        application = self.case.application
        report.what_was_done = rng.choice(vocabulary.REPORT_TEXTS)
        report.participants = {
            group: {
                "women": rng.randint(0, 60),
                "men": rng.randint(0, 50),
                "other": rng.randint(0, 3),
            }
            for group in ("0-12", "13-19", "20-64", "65+")
        }
        report.target_groups = list(application.target_groups)
        report.municipalities = list(application.municipalities)
        report.activities_count = rng.randint(1, 40)
        report.perspectives = dict(application.perspectives)
        report.actual_budget = [
            {
                "kind": "cost",
                "category": category,
                "description": "",
                "amount": str(
                    (amount * Decimal(str(rng.uniform(0.85, 1.1)))).quantize(Decimal("1"))
                ),
            }
            for category, amount in self.case.costs
        ]
        if self.repayment:
            # Less than the least share any plan pays on the decision (half, when operating).
            share = Decimal(str(round(rng.uniform(0.2, 0.45), 3)))
        elif rng.random() < 0.8:
            share = Decimal(1)
        else:
            share = Decimal(str(round(rng.uniform(0.9, 1), 3)))
        report.used_amount = (self.decision.amount * share).quantize(Decimal("1"))
        report.submitted_at = submitted
        report.submitted_by_id = self.case.signatory.id
        report.updated_at = submitted
        self.case.touch(submitted)
        self.case.log(
            self.ctx,
            submitted,
            "decisions.report.submitted",
            self.case.signatory.id,
            {"report": report.id, "used_amount": report.used_amount},
        )

    def _report_completion(self, submitted: datetime) -> None:
        """Ask for more in the report: still open, or answered by a new submission (closed)."""
        ctx = self.ctx
        case = self.case
        state = case.plan.state
        still_open = state == S.REPORT_COMPLETION_REQUESTED
        answered_round = state == S.CLOSED and ctx.rng.random() < 0.2
        if not (still_open or answered_round):
            return
        officer = case.officer
        asked = ctx.between(submitted + ctx.days(2, 5), submitted + ctx.days(5, 25))
        message = ctx.rng.choice(vocabulary.REPORT_COMPLETION_MESSAGES)
        due = timezone.localdate(asked) + timedelta(days=21)
        answered = None
        if answered_round:
            answered = ctx.between(asked + ctx.days(1, 3), asked + ctx.days(3, 20))
        case.log(
            ctx,
            asked,
            "decisions.report.completion_requested",
            officer.pk,
            {"message": message, "due_date": due},
        )
        ctx.tables.new(
            CompletionRequest,
            application_id=case.application.id,
            subject=CompletionRequest.Subject.REPORT,
            message=message,
            due_date=due,
            requested_by_id=officer.pk,
            requested_at=asked,
            answered_at=answered,
            answered_by_id=case.signatory.id if answered else None,
        )
        case.touch(answered or asked)
        if answered:
            self.report.submitted_at = answered
            self.report.updated_at = answered
            case.log(
                ctx,
                answered,
                "decisions.report.submitted",
                case.signatory.id,
                {"report": self.report.id, "used_amount": self.report.used_amount},
            )

    def _accept(self, accepted: datetime, payments: list[Row]) -> None:
        report = self.report
        report.accepted_at = accepted
        report.accepted_by_id = self.case.officer.pk
        report.updated_at = accepted
        self.case.application.closed_at = accepted
        self.case.touch(accepted)
        self.case.log(
            self.ctx,
            accepted,
            "decisions.report.accepted",
            self.case.officer.pk,
            {
                "report": report.id,
                "payments_made_payable": [
                    p.id for p in payments if p.trigger == Trigger.ON_REPORT_ACCEPTED
                ],
            },
        )

    # Payments

    def _payments(self, *, accepted: datetime | None, claimed: datetime | None) -> list[Row]:
        """Write the instalments in the state the case's history has brought them to."""
        ctx = self.ctx
        decided = self.case.decided_at
        backlog = self.case.plan.backlog
        # Nothing is paid later than two days ago (the bank has confirmed it), nor after a claim.
        paid_by = ctx.today - timedelta(days=2)
        if claimed is not None:
            paid_by = min(paid_by, timezone.localdate(claimed) - timedelta(days=1))
        payments = []
        for number, (amount, trigger) in enumerate(self.instalments, start=1):
            ready = requested = None
            if trigger == Trigger.ON_DECISION:
                ready = decided
            elif trigger == Trigger.ON_REQUEST:
                if backlog:
                    requested = ctx.between(decided, decided + ctx.days(0, 5))
                elif claimed is not None:
                    requested = decided + ctx.days(7, REQUISITION_BEFORE_CLAIM_DAYS)
                else:
                    requested = decided + ctx.days(7, 150)
                if requested > ctx.now:
                    requested = None
                ready = requested
            elif accepted is not None:
                ready = accepted
            elif claimed is not None and number == 1:
                ready = decided  # A plan paid only on the report: the first part went early.
            run = payment_run(ready) if ready is not None else None
            if ready is not None and not backlog and run <= paid_by:
                state = P.PAID
            elif claimed is not None:
                state = P.CANCELLED
            elif ready is not None:
                state = P.PAYABLE
            else:
                state = P.PLANNED
            payment = ctx.tables.new(
                Payment,
                decision_id=self.decision.id,
                instalment=number,
                amount=amount,
                trigger=trigger,
                state=state,
                payable_at=ready,
                requested_at=requested,
            )
            if requested is not None:
                self.case.log(
                    ctx,
                    requested,
                    "decisions.payment.requisitioned",
                    self.case.signatory.id,
                    {"payment": payment.id, "instalment": number, "amount": amount},
                )
            if state == P.PAID:
                self._pay(payment, run)
            payments.append(payment)
        return payments

    def _pay(self, payment: Row, run: date) -> None:
        """Record the payment as paid in the confirmed batch of its payment run."""
        organisation = self.case.plan.org.organisation
        account = self.case.plan.org.account
        payment.payout_account_id = account.id
        payment.payee_name = account.holder_name or organisation.name
        payment.payee_org_number = organisation.org_number
        payment.payee_account_kind = account.kind
        payment.payee_account_number = account.number
        payment.payee_bic = account.bic
        payment.reference = f"{self.case.application.case_number} {payment.instalment}"[:35]
        payment.paid_at = run
        batch = historical_batch(self.ctx, run)
        batch.payments.append((payment.id, payment.amount))
        self.ctx.tables.new(PaymentBatchItem, batch_id=batch.batch.id, payment_id=payment.id)
        self.case.touch(min(self.ctx.now, moment(run, 12)))

    # Repayment

    def _claim(self, claimed: datetime, payments: list[Row]) -> None:
        ctx = self.ctx
        rng = ctx.rng
        case = self.case
        paid = sum((p.amount for p in payments if p.state == P.PAID), Decimal("0"))
        if paid <= 0:
            raise ValueError(f"{case.application.case_number}: a claim needs a paid instalment.")
        if self.reported:
            used = self.report.used_amount
            amount = paid - used if used < paid else (paid / 2).quantize(Decimal("1"))
            reasons = vocabulary.REPAYMENT_REASONS["underspent"]
        else:
            amount, reasons = paid, vocabulary.REPAYMENT_REASONS["no_report"]
        claimed_by = rng.choice(ctx.staff.deciders)
        state, settled, settled_by, note = RepaymentState.CLAIMED, None, None, ""
        if case.plan.state == S.CLOSED:
            state = rng.choice([RepaymentState.SETTLED] * 3 + [RepaymentState.WRITTEN_OFF])
            note = vocabulary.SETTLEMENT_NOTES[state]
            settled = ctx.between(claimed + ctx.days(10, 20), claimed + ctx.days(20, 60))
            settled_by = rng.choice(ctx.staff.finance)
            case.application.closed_at = settled
        claim = ctx.tables.new(
            RepaymentClaim,
            decision_id=self.decision.id,
            amount=amount,
            reasons=reasons,
            due_date=timezone.localdate(claimed) + timedelta(days=30),
            claimed_by_id=claimed_by.pk,
            claimed_at=claimed,
            state=state,
            settled_at=settled,
            settled_by_id=settled_by.pk if settled_by else None,
            settlement_note=note,
        )
        case.touch(settled or claimed)
        case.log(
            ctx,
            claimed,
            "decisions.repayment.claimed",
            claimed_by.pk,
            {
                "claim": claim.id,
                "amount": amount,
                "reasons": reasons,
                "due_date": claim.due_date,
                "cancelled_payments": [p.id for p in payments if p.state == P.CANCELLED],
            },
        )
        if settled is not None:
            written_off = state == RepaymentState.WRITTEN_OFF
            case.log(
                ctx,
                settled,
                "decisions.repayment.written_off" if written_off else "decisions.repayment.settled",
                settled_by.pk,
                {"claim": claim.id, "amount": amount, "note": note},
            )
