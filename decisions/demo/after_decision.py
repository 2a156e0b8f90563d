"""What follows the decisions in the demo: payment batches, follow-up reports, repayments."""

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from decisions import payments as payment_services
from decisions import services as decision_services
from decisions.banking import next_banking_day
from decisions.demo.applications import APPLICATIONS, DECIDER, ApplicationSpec
from decisions.demo.budgets import budget_lines
from decisions.demo.organisations import FINANCE, FINANCE_2, REPLACEMENT_BANKGIRO
from decisions.models import Payment
from decisions.workflow import PaymentState
from organisations import services as organisation_services

if TYPE_CHECKING:
    from decisions.demo.builder import DemoBuilder

REPORTED = {"report_submitted", "report_completion_requested", "closed", "repaid"}


def first_payable(demo: "DemoBuilder", spec: ApplicationSpec) -> Payment:
    """Return the application's first instalment that is payable now."""
    return (
        Payment.objects.filter(
            decision__application=demo.built.applications[spec.key],
            state=PaymentState.PAYABLE,
        )
        .order_by("instalment")
        .first()
    )


def pay_confirmed_batch(demo: "DemoBuilder") -> None:
    """Pay the first instalments of the earlier decisions; one comes back from the bank."""
    finance, finance_2 = demo.user(FINANCE), demo.user(FINANCE_2)
    specs = [spec for spec in APPLICATIONS if spec.payment in ("paid", "failed")]
    batch = payment_services.batch_create(
        actor=finance,
        payments=[first_payable(demo, spec) for spec in specs],
        payment_date=next_banking_day(demo.today),
        note="Första delutbetalningar, projektbidrag och arrangörsstöd.",
    )
    payment_services.batch_attest(batch=batch, actor=finance_2)
    payment_services.batch_export(batch=batch, actor=finance)
    payment_services.batch_confirm(batch=batch, actor=finance, paid_on=demo.today)
    demo.built.batches.append(batch)
    for spec in (spec for spec in specs if spec.payment == "failed"):
        payment = Payment.objects.get(
            decision__application=demo.built.applications[spec.key], instalment=1
        )
        payment_services.payment_fail(
            payment=payment,
            actor=finance,
            reason="Betalningen kom i retur: mottagarens plusgirokonto är avslutat.",
        )
        organisation_services.payout_account_add(
            organisation=demo.organisation(spec.organisation),
            actor=demo.signatory(spec),
            kind="bankgiro",
            number=REPLACEMENT_BANKGIRO,
            holder_name=demo.organisation(spec.organisation).name,
        )


def follow_up(demo: "DemoBuilder") -> None:
    """Report, accept, ask for more, and claim back what was not used as decided."""
    for spec in demo.specs_with(REPORTED):
        _report(demo, spec)
        report = demo.application(spec.key).decision.follow_up_report
        officer = demo.user(spec.officer)
        if spec.fate == "closed":
            decision_services.report_accept(report=report, actor=officer)
        elif spec.fate == "report_completion_requested":
            decision_services.report_request_completion(
                report=report, actor=officer, message=spec.report_completion,
                due_date=demo.days(21),
            )  # fmt: skip
    for spec in demo.specs_with({"repayment_claimed", "repaid"}):
        amount, reasons = spec.repayment
        claim = decision_services.repayment_claim_create(
            decision=demo.application(spec.key).decision,
            actor=demo.user(DECIDER),
            amount=Decimal(amount),
            reasons=reasons,
            due_date=demo.days(30),
        )
        if spec.fate == "repaid":
            decision_services.repayment_claim_settle(
                claim=claim,
                actor=demo.user(FINANCE),
                note="Återbetalningen har kommit in på regionens bankgiro.",
            )


def _report(demo: "DemoBuilder", spec: ApplicationSpec) -> None:
    application = demo.application(spec.key)
    decision = application.decision
    signatory = demo.signatory(spec)
    used = Decimal(spec.used_amount)
    lines = budget_lines(spec, application.organisation.municipality)
    # What was not used of the grant was not spent either.
    lines[0] = lines[0] | {"amount": lines[0]["amount"] - (decision.amount - used)}
    lines.append(
        {
            "kind": "income",
            "category": "other_funder",
            "description": "Bidrag från Region Jämtland Härjedalen",
            "amount": used,
        }
    )
    decision_services.report_save(
        report=decision.follow_up_report,
        actor=signatory,
        what_was_done=spec.report,
        participants=_participants(spec),
        target_groups=list(spec.target_groups),
        municipalities=list(spec.municipalities),
        activities_count=2 * len(spec.municipalities) + len(spec.key) % 5,
        perspectives={key: f"Genomfört: {text}" for key, text in spec.perspectives.items()},
        actual_budget=[line | {"amount": str(line["amount"])} for line in lines],
        used_amount=used,
    )
    decision_services.report_submit(report=decision.follow_up_report, actor=signatory)


def build_attested_batch(demo: "DemoBuilder") -> None:
    """Requisition an operating grant's first quarter and batch what is payable for attest."""
    vku = demo.specs["fjallkonst-verksamhet"]
    payment_services.payment_requisition(
        payment=Payment.objects.get(
            decision__application=demo.built.applications[vku.key], instalment=1
        ),
        actor=demo.signatory(vku),
    )
    specs = [spec for spec in APPLICATIONS if spec.payment == "batched"]
    payments = [first_payable(demo, spec) for spec in specs]
    # The last instalment of a closed project grant, payable since its report was accepted.
    payments.append(first_payable(demo, demo.specs["jojkturne"]))
    batch = payment_services.batch_create(
        actor=demo.user(FINANCE),
        payments=payments,
        payment_date=next_banking_day(demo.today + timedelta(days=3)),
        note="Utbetalningar enligt beslut och rekvisition.",
    )
    payment_services.batch_attest(batch=batch, actor=demo.user(FINANCE_2))
    demo.built.batches.append(batch)


def _participants(spec: ApplicationSpec) -> dict:
    """Return plausible participants by age group and gender for the report."""
    seed = sum(map(ord, spec.key))
    groups = {"0-12": 0, "13-19": 0, "20-64": 0, "65+": 0}
    if "children_youth" in spec.target_groups:
        groups["0-12"] += 40 + seed % 60
        groups["13-19"] += 20 + seed % 30
    if "older_people" in spec.target_groups:
        groups["65+"] += 30 + seed % 40
    groups["20-64"] += 25 + seed % 90
    return {
        age: {
            "women": count // 2 + count % 2,
            "men": count // 2 - count // 20,
            "other": count // 20,
        }
        for age, count in groups.items()
        if count
    }
