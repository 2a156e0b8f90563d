"""Payments and payment batches (DESIGN §6): planned → payable → batched → paid, failed and
cancelled; batches draft → attested → exported → confirmed, or cancelled."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import entries_for
from decisions import banking
from decisions import payments as services
from decisions.models import Payment, PaymentBatch, PaymentBatchItem
from decisions.workflow import BatchState, PaymentState
from grants import services as grant_services
from organisations import services as organisation_services
from tests import factories
from tests.assertions import refused
from tests.factories import banking_day


def next_saturday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=(5 - today.weekday()) % 7 or 7)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


@pytest.fixture
def confirmed(exported, finance):
    return services.batch_confirm(batch=exported, actor=finance, paid_on=timezone.localdate())


def grant_to_new_organisation(call, signatory, officer, decider, *, verified_by=None):
    """Approve a grant to a new organisation; return its payable first instalment."""
    organisation = factories.organisation(
        signatory, verified_by=verified_by, name="Bräcke hembygdsförening"
    )
    draft = factories.draft(organisation, call, signatory)
    submitted = grant_services.application_submit(application=draft, actor=signatory)
    under_review = grant_services.application_start_review(application=submitted, actor=officer)
    decision = factories.decide(factories.assess(under_review, officer), decider)
    return decision.payments.get(instalment=1)


# Banking days


@pytest.mark.parametrize(
    ("day", "is_banking_day"),
    [
        (date(2026, 11, 24), True),  # a Tuesday
        (date(2026, 11, 28), False),  # a Saturday
        (date(2026, 11, 29), False),  # a Sunday
        (date(2026, 12, 24), False),  # Christmas eve (de facto)
        (date(2026, 12, 25), False),  # Christmas day
        (date(2026, 12, 31), False),  # New Year's eve (de facto)
        (date(2026, 6, 19), False),  # Midsummer eve (de facto)
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2025, 6, 6), False),  # National day, a Friday
        (date(2026, 4, 30), True),  # Walpurgis eve is a banking day
    ],
)
def test_banking_days_are_weekdays_without_public_or_bank_holidays(day, is_banking_day):
    assert banking.is_banking_day(day) is is_banking_day


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 24), date(2026, 11, 24)),
        (date(2026, 11, 28), date(2026, 11, 30)),
        (date(2026, 12, 24), date(2026, 12, 28)),
        (date(2026, 12, 31), date(2027, 1, 4)),
    ],
)
def test_the_next_banking_day(day, expected):
    assert banking.next_banking_day(day) == expected


# payment_requisition: planned → payable, for instalments paid on request


def test_signatory_requisitions_an_instalment_paid_on_request(on_request, applicant):
    payment = services.payment_requisition(payment=on_request, actor=applicant)

    assert payment.state == PaymentState.PAYABLE
    assert payment.requested_at is not None
    assert payment.payable_at is not None
    application = on_request.decision.application
    entry = entries_for(application).get(action="decisions.payment.requisitioned")
    assert entry.actor == applicant
    assert entry.data == {"payment": payment.pk, "instalment": 2, "amount": "25000.00"}


def test_a_requisitioned_instalment_goes_into_a_batch(on_request, applicant, finance):
    services.payment_requisition(payment=on_request, actor=applicant)

    services.batch_create(actor=finance, payments=[on_request], payment_date=banking_day())

    assert fresh(on_request).state == PaymentState.BATCHED


@pytest.mark.parametrize("who", ["member", "applicant_b", "finance", "officer"])
def test_only_a_signatory_requisitions(request, on_request, who):
    error = refused(
        services.payment_requisition, payment=on_request, actor=request.getfixturevalue(who)
    )

    assert error.code == "not_signatory"
    assert fresh(on_request).state == PaymentState.PLANNED


@pytest.mark.parametrize("fixture", ["payable", "planned"])
def test_only_instalments_paid_on_request_are_requisitioned(request, fixture, applicant):
    payment = request.getfixturevalue(fixture)
    state = payment.state

    error = refused(services.payment_requisition, payment=payment, actor=applicant)

    assert error.code == "wrong_state"
    assert str(error) == "This instalment cannot be requisitioned."
    assert fresh(payment).state == state


def test_an_instalment_is_requisitioned_once(on_request, applicant):
    services.payment_requisition(payment=on_request, actor=applicant)

    assert refused(services.payment_requisition, payment=on_request, actor=applicant).code == (
        "wrong_state"
    )


# batch_create: payable → batched, in a draft batch


def test_finance_puts_payable_payments_into_a_batch(payable, finance, organisation):
    payment_date = banking_day(7)

    batch = services.batch_create(
        actor=finance, payments=[payable], payment_date=payment_date, note="Vecka 49"
    )

    assert batch.state == BatchState.DRAFT
    assert batch.created_by == finance
    assert batch.payment_date == payment_date
    assert list(batch.items.values_list("payment_id", "active")) == [(payable.pk, True)]
    entry = entries_for(batch).get(action="decisions.batch.created")
    assert entry.actor == finance
    assert entry.data == {
        "payment_date": payment_date.isoformat(),
        "payments": [payable.pk],
        "total": "40000.00",
    }


def test_the_payee_is_copied_onto_the_payment(payable, finance, organisation):
    account = organisation.payout_accounts.verified().get()

    services.batch_create(actor=finance, payments=[payable], payment_date=banking_day())

    payment = fresh(payable)
    assert payment.state == PaymentState.BATCHED
    assert payment.payout_account == account
    assert payment.payee_name == "Storsjöteatern ideell förening"
    assert payment.payee_org_number == organisation.org_number
    assert payment.payee_account_kind == "bankgiro"
    assert payment.payee_account_number == account.number
    assert payment.reference == f"{payable.decision.application.case_number} 1"


def test_a_batch_holds_payments_to_several_organisations(
    payable, call, applicant_b, officer, decider, finance, finance_2
):
    other = grant_to_new_organisation(call, applicant_b, officer, decider, verified_by=finance)

    batch = services.batch_create(
        actor=finance, payments=[other, payable, payable], payment_date=banking_day()
    )

    assert batch.items.count() == 2
    assert fresh(other).payee_name == "Bräcke hembygdsförening"
    assert fresh(payable).payee_name == "Storsjöteatern ideell förening"


def test_the_verified_account_is_paid_while_a_change_awaits_verification(
    payable, finance, organisation, applicant
):
    verified = organisation.payout_accounts.verified().get()
    organisation_services.payout_account_add(
        organisation=organisation,
        actor=applicant,
        kind="plusgiro",
        number="90 1950-6",
        holder_name="Storsjöteatern",
    )

    services.batch_create(actor=finance, payments=[payable], payment_date=banking_day())

    payment = fresh(payable)
    assert payment.payout_account == verified
    assert payment.payee_account_kind == "bankgiro"


def test_a_payment_is_not_paid_to_an_unverified_account(
    call, applicant_b, officer, decider, delegation, finance
):
    payment = grant_to_new_organisation(call, applicant_b, officer, decider)

    error = refused(
        services.batch_create, actor=finance, payments=[payment], payment_date=banking_day()
    )

    assert error.code == "not_payable"
    assert error.problems == ["Bräcke hembygdsförening has no verified payout account."]
    assert str(error) == (
        "The batch was not created: Bräcke hembygdsförening has no verified payout account."
    )
    assert not PaymentBatch.objects.exists()
    assert fresh(payment).state == PaymentState.PAYABLE
    assert fresh(payment).payout_account is None


def test_a_planned_payment_is_not_batched(planned, finance):
    error = refused(
        services.batch_create, actor=finance, payments=[planned], payment_date=banking_day()
    )

    case = planned.decision.application.case_number
    assert error.problems == [f"{case} instalment 2 is “Planned”, not payable."]
    assert not PaymentBatch.objects.exists()


def test_one_payment_that_is_not_payable_stops_the_whole_batch(payable, planned, finance):
    error = refused(
        services.batch_create,
        actor=finance,
        payments=[payable, planned],
        payment_date=banking_day(),
    )

    assert len(error.problems) == 1
    assert not PaymentBatch.objects.exists()
    assert not PaymentBatchItem.objects.exists()
    assert fresh(payable).state == PaymentState.PAYABLE
    assert fresh(payable).payee_account_number == ""


def test_a_batched_payment_is_not_batched_again(batch, payable, finance):
    error = refused(
        services.batch_create, actor=finance, payments=[payable], payment_date=banking_day()
    )

    assert "“In a payment batch”, not payable" in error.problems[0]
    assert PaymentBatch.objects.count() == 1


@pytest.mark.parametrize(
    ("day", "message"),
    [
        pytest.param(
            date(2026, 12, 25),
            "2026-12-25 is not a banking day (Christmas Day). The next banking day is 2026-12-28.",
            id="christmas-day",
        ),
        pytest.param(
            date(2026, 6, 19),
            "2026-06-19 is not a banking day (Midsummer Eve). The next banking day is 2026-06-22.",
            id="midsummer-eve",
        ),
        pytest.param(None, "is not a banking day (a weekend)", id="saturday"),
    ],
)
def test_the_payment_date_must_be_a_banking_day(payable, finance, day, message):
    day = day or next_saturday()

    error = refused(services.batch_create, actor=finance, payments=[payable], payment_date=day)

    assert error.code == "not_banking_day"
    assert message in str(error)
    assert not PaymentBatch.objects.exists()
    assert fresh(payable).state == PaymentState.PAYABLE


def test_the_payment_date_cannot_be_in_the_past(payable, finance):
    day = timezone.localdate() - timedelta(days=7)
    while not banking.is_banking_day(day):
        day -= timedelta(days=1)

    error = refused(services.batch_create, actor=finance, payments=[payable], payment_date=day)

    assert str(error) == "The payment date cannot be in the past."


def test_a_batch_needs_a_payment(finance):
    error = refused(services.batch_create, actor=finance, payments=[], payment_date=banking_day())

    assert str(error) == "Choose at least one payment."


@pytest.mark.parametrize("who", ["officer", "decider", "applicant"])
def test_only_finance_creates_batches(request, payable, who):
    error = refused(
        services.batch_create,
        actor=request.getfixturevalue(who),
        payments=[payable],
        payment_date=banking_day(),
    )

    assert error.code == "wrong_role"
    assert str(error) == "Only a finance officer can do this."


# batch_attest: draft → attested, by another finance officer


def test_another_finance_officer_attests_the_batch(batch, finance_2):
    attested = services.batch_attest(batch=batch, actor=finance_2)

    attested = fresh(attested)
    assert attested.state == BatchState.ATTESTED
    assert attested.attested_by == finance_2
    assert attested.attested_at is not None
    entry = entries_for(attested).get(action="decisions.batch.attested")
    assert entry.actor == finance_2
    assert entry.data == {"total": "40000.00"}


def test_the_creator_cannot_attest_their_own_batch(batch, finance):
    error = refused(services.batch_attest, batch=batch, actor=finance)

    assert error.code == "four_eyes"
    assert str(error) == "You created this batch; another finance officer must attest it."
    assert fresh(batch).state == BatchState.DRAFT


def test_the_database_refuses_a_batch_attested_by_its_creator(batch, finance):
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(attested_by=finance)


@pytest.mark.parametrize("who", ["officer", "decider"])
def test_only_finance_attests(request, batch, who):
    error = refused(services.batch_attest, batch=batch, actor=request.getfixturevalue(who))

    assert error.code == "wrong_role"
    assert fresh(batch).state == BatchState.DRAFT


def test_an_empty_batch_is_not_attested(finance, finance_2):
    empty = PaymentBatch.objects.create(payment_date=banking_day(), created_by=finance)

    error = refused(services.batch_attest, batch=empty, actor=finance_2)

    assert str(error) == "The batch holds no payments."
    assert fresh(empty).state == BatchState.DRAFT


@pytest.mark.parametrize("fixture", ["attested", "exported"])
def test_a_batch_is_attested_once(request, fixture, finance_2):
    batch = request.getfixturevalue(fixture)

    error = refused(services.batch_attest, batch=batch, actor=finance_2)

    assert error.code == "wrong_state"


# batch_export: attested → exported


def test_an_attested_batch_is_exported(attested, finance):
    exported = services.batch_export(batch=attested, actor=finance)

    exported = fresh(exported)
    assert exported.state == BatchState.EXPORTED
    assert exported.exported_by == finance
    assert exported.exported_at is not None
    assert entries_for(exported).get(action="decisions.batch.exported").actor == finance


def test_a_draft_batch_is_not_exported(batch, finance):
    error = refused(services.batch_export, batch=batch, actor=finance)

    assert error.code == "wrong_state"
    assert str(error) == "This cannot be done while the batch is “Draft”."


def test_only_finance_exports(attested, officer):
    assert refused(services.batch_export, batch=attested, actor=officer).code == "wrong_role"


# batch_confirm: exported → confirmed, its payments paid


def test_confirming_the_batch_marks_its_payments_paid(exported, payable, finance):
    paid_on = timezone.localdate()

    confirmed = services.batch_confirm(batch=exported, actor=finance, paid_on=paid_on)

    confirmed = fresh(confirmed)
    assert confirmed.state == BatchState.CONFIRMED
    assert confirmed.paid_on == paid_on
    assert confirmed.confirmed_by == finance
    payment = fresh(payable)
    assert payment.state == PaymentState.PAID
    assert payment.paid_at == paid_on
    entry = entries_for(confirmed).get(action="decisions.batch.confirmed")
    assert entry.data == {"paid_on": paid_on.isoformat(), "payments": 1}


def test_a_batch_is_not_confirmed_as_paid_in_the_future(exported, payable, finance):
    error = refused(
        services.batch_confirm,
        batch=exported,
        actor=finance,
        paid_on=timezone.localdate() + timedelta(days=1),
    )

    assert str(error) == "The payment date cannot be in the future."
    assert fresh(payable).state == PaymentState.BATCHED


@pytest.mark.parametrize("fixture", ["batch", "attested", "confirmed"])
def test_only_an_exported_batch_is_confirmed(request, fixture, finance):
    batch = request.getfixturevalue(fixture)

    error = refused(
        services.batch_confirm, batch=batch, actor=finance, paid_on=timezone.localdate()
    )

    assert error.code == "wrong_state"


def test_only_finance_confirms(exported, decider):
    error = refused(
        services.batch_confirm, batch=exported, actor=decider, paid_on=timezone.localdate()
    )

    assert error.code == "wrong_role"


# batch_cancel: draft, attested → cancelled; the payments are payable again


@pytest.mark.parametrize("fixture", ["batch", "attested"])
def test_cancelling_a_batch_makes_its_payments_payable_again(request, fixture, payable, finance):
    batch = request.getfixturevalue(fixture)

    cancelled = services.batch_cancel(batch=batch, actor=finance, reason=" Fel betalningsdag. ")

    cancelled = fresh(cancelled)
    assert cancelled.state == BatchState.CANCELLED
    assert cancelled.cancelled_at is not None
    assert cancelled.note.endswith("Fel betalningsdag.")
    assert fresh(payable).state == PaymentState.PAYABLE
    assert not cancelled.items.filter(active=True).exists()
    entry = entries_for(cancelled).get(action="decisions.batch.cancelled")
    assert entry.data == {"reason": "Fel betalningsdag.", "payments": [payable.pk]}


def test_a_payment_of_a_cancelled_batch_goes_into_a_new_batch(
    batch, payable, finance, organisation, applicant
):
    services.batch_cancel(batch=batch, actor=finance, reason="Nytt konto.")
    new_account = organisation_services.payout_account_add(
        organisation=organisation,
        actor=applicant,
        kind="iban",
        number="SE45 5000 0000 0583 9825 7466",
        holder_name="Storsjöteatern ideell förening",
        bic="ESSESESS",
    )
    organisation_services.payout_account_verify(account=new_account, actor=finance)

    second = services.batch_create(actor=finance, payments=[payable], payment_date=banking_day())

    payment = fresh(payable)
    assert payment.state == PaymentState.BATCHED
    assert payment.batch_items.get(active=True).batch == second
    assert payment.payee_account_kind == "iban"
    assert payment.payee_account_number == "SE4550000000058398257466"
    assert payment.payee_bic == "ESSESESS"


def test_cancelling_needs_a_reason(batch, payable, finance):
    error = refused(services.batch_cancel, batch=batch, actor=finance, reason=" ")

    assert str(error) == "Give the reason for cancelling the batch."
    assert fresh(batch).state == BatchState.DRAFT
    assert fresh(payable).state == PaymentState.BATCHED


@pytest.mark.parametrize("fixture", ["exported", "confirmed"])
def test_a_batch_sent_to_the_bank_cannot_be_cancelled(request, fixture, finance):
    batch = request.getfixturevalue(fixture)

    error = refused(services.batch_cancel, batch=batch, actor=finance, reason="För sent.")

    assert error.code == "wrong_state"


def test_only_finance_cancels(batch, officer):
    assert refused(services.batch_cancel, batch=batch, actor=officer, reason="x").code == (
        "wrong_role"
    )


# payment_fail: batched, paid → failed; a failed payment goes into a later batch


@pytest.mark.parametrize("fixture", ["exported", "confirmed"])
def test_a_payment_the_bank_did_not_make_fails(request, fixture, payable, finance):
    batch = request.getfixturevalue(fixture)

    failed = services.payment_fail(payment=payable, actor=finance, reason=" Kontot är avslutat. ")

    failed = fresh(failed)
    assert failed.state == PaymentState.FAILED
    assert failed.paid_at is None
    assert not failed.batch_items.filter(active=True).exists()
    assert fresh(batch).state == batch.state
    entry = entries_for(payable.decision.application).get(action="decisions.payment.failed")
    assert entry.actor == finance
    assert entry.data == {
        "payment": payable.pk,
        "batch": batch.pk,
        "amount": "40000.00",
        "reason": "Kontot är avslutat.",
    }


def test_a_failed_payment_goes_into_a_new_batch_and_is_paid(exported, payable, finance, finance_2):
    services.payment_fail(payment=payable, actor=finance, reason="Kontot är avslutat.")

    second = services.batch_create(actor=finance, payments=[payable], payment_date=banking_day())
    services.batch_attest(batch=second, actor=finance_2)
    services.batch_export(batch=second, actor=finance)
    services.batch_confirm(batch=second, actor=finance, paid_on=timezone.localdate())

    assert fresh(payable).state == PaymentState.PAID
    assert payable.batch_items.count() == 2
    assert payable.batch_items.get(active=True).batch == second


def test_confirming_a_batch_does_not_pay_its_failed_payment(exported, payable, finance):
    services.payment_fail(payment=payable, actor=finance, reason="Avvisad av banken.")

    services.batch_confirm(batch=exported, actor=finance, paid_on=timezone.localdate())

    assert fresh(payable).state == PaymentState.FAILED


@pytest.mark.parametrize("fixture", ["batch", "attested"])
def test_a_payment_of_a_batch_not_sent_fails_only_by_cancelling_the_batch(
    request, fixture, payable, finance
):
    request.getfixturevalue(fixture)

    error = refused(services.payment_fail, payment=payable, actor=finance, reason="x")

    assert error.code == "wrong_state"
    assert "cancel the batch instead" in str(error)
    assert fresh(payable).state == PaymentState.BATCHED


@pytest.mark.parametrize("fixture", ["payable", "planned"])
def test_a_payment_never_batched_cannot_fail(request, fixture, finance):
    payment = request.getfixturevalue(fixture)

    error = refused(services.payment_fail, payment=payment, actor=finance, reason="x")

    assert str(error) == "Only a batched or paid payment can fail."


def test_a_failure_needs_a_reason(exported, payable, finance):
    assert str(refused(services.payment_fail, payment=payable, actor=finance, reason="")) == (
        "Give the reason the payment failed."
    )
    assert fresh(payable).state == PaymentState.BATCHED


def test_only_finance_records_a_failure(exported, payable, officer):
    error = refused(services.payment_fail, payment=payable, actor=officer, reason="x")

    assert error.code == "wrong_role"


# Integrity


def test_the_database_keeps_a_payment_in_one_active_batch(batch, payable, finance):
    other = PaymentBatch.objects.create(payment_date=banking_day(), created_by=finance)

    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatchItem.objects.create(batch=other, payment=payable)


def test_payment_state_cannot_be_assigned_directly(payable):
    payment = fresh(payable)

    with pytest.raises(AttributeError):
        payment.state = PaymentState.PAID


def test_batch_state_cannot_be_assigned_directly(batch):
    batch = fresh(batch)

    with pytest.raises(AttributeError):
        batch.state = BatchState.CONFIRMED


def test_the_payments_of_a_grant_sum_to_the_granted_amount(approved):
    decision = approved.decision

    assert sum(p.amount for p in Payment.objects.filter(decision=decision)) == Decimal("50000")
