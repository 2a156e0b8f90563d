"""Deciding a proposal (DESIGN §4.1 `approve`/`reject`, §5): outcome, delegation, four-eyes,
committee decisions, jäv, and what a decision creates — snapshot, payments and follow-up."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from audit.models import LogEntry
from audit.services import entries_for
from decisions import services as decision_services
from decisions.models import Decision, DelegationRule, FollowUpReport, Payment
from decisions.services import CommitteeMeeting, add_months, payment_plan_amounts
from decisions.workflow import PaymentState
from grants import services
from grants.models import Application, Programme
from grants.workflow import ApplicationState as S
from organisations.errors import WorkflowError
from organisations.models import Organisation
from organisations.services import membership_add
from tests import factories

REFERENCE = "Delegationsordning RUN 2026, punkt 4.2"
MEETING = CommitteeMeeting(
    body="Regionala utvecklingsnämnden", meeting_date=date(2026, 11, 19), paragraph="§ 87"
)


def propose_case(organisation, call, applicant, officer, *, requested=Decimal("50000")):
    """Carry a new application of ``requested`` kronor to a proposal to approve it in full."""
    draft = factories.draft(organisation, call, applicant, requested=requested)
    submitted = services.application_submit(application=draft, actor=applicant)
    under_review = services.application_start_review(application=submitted, actor=officer)
    return factories.assess(under_review, officer)


@pytest.fixture
def large_proposal(organisation, call, applicant, officer):
    """A proposal to grant 150 000 kr: above the decider's delegation of 100 000 kr."""
    return propose_case(organisation, call, applicant, officer, requested=Decimal("150000"))


@pytest.fixture
def presenting_decider(db):
    """A head of unit who also handles cases: an officer with decision rights."""
    return factories.user(
        "petra@example.org", "officer", "decision_maker", full_name="Petra Föredragande"
    )


@pytest.fixture
def proposed_by_decider(submitted, presenting_decider):
    factories.delegation(presenting_decider)
    under_review = services.application_start_review(
        application=submitted, actor=presenting_decider
    )
    return factories.assess(under_review, presenting_decider)


def refused(proposed, actor, **kwargs) -> WorkflowError:
    """Try to decide; check that the refusal left the case, the trail and the tables untouched."""
    entries_before = LogEntry.objects.count()
    with pytest.raises(WorkflowError) as excinfo:
        decide(proposed, actor, **kwargs)
    assert LogEntry.objects.count() == entries_before
    assert Application.objects.get(pk=proposed.pk).state == S.PROPOSED
    assert not Decision.objects.filter(application=proposed).exists()
    assert not Payment.objects.exists()
    assert not FollowUpReport.objects.exists()
    return excinfo.value


def decide(application, actor, outcome="approved", **kwargs) -> Decision:
    return decision_services.decision_record(
        application=application,
        actor=actor,
        outcome=outcome,
        reasons=kwargs.pop("reasons", "Projektet stärker kulturlivet i länet."),
        **kwargs,
    )


# The outcomes


def test_decision_maker_approves_in_full_within_delegation(proposed, decider, officer, delegation):
    decision = decide(proposed, decider)

    application = Application.objects.get(pk=proposed.pk)
    assert application.state == S.APPROVED
    assert application.decided_at is not None
    assert decision.outcome == Decision.Outcome.APPROVED
    assert decision.amount == decision.requested_amount == Decimal("50000")
    assert decision.decided_by == decider
    assert decision.presenter == officer
    assert decision.delegation_rule == delegation
    assert decision.delegation_reference == REFERENCE
    assert decision.decision_date == timezone.localdate()
    assert decision.conditions == "Regionen ska nämnas i all marknadsföring."
    assert not decision.is_committee_decision
    entry = entries_for(application).get(action="grants.application.approved")
    assert entry.actor == decider
    assert entry.data == {
        "outcome": "approved",
        "amount": "50000.00",
        "requested_amount": "50000.00",
        "delegation_reference": REFERENCE,
        "committee": None,
        "decision": decision.pk,
    }


def test_decision_maker_approves_in_part(proposed, decider, delegation):
    decision = decide(proposed, decider, "approved_partly", amount=Decimal("30000"))

    assert decision.outcome == Decision.Outcome.APPROVED_PARTLY
    assert decision.amount == Decimal("30000")
    assert decision.requested_amount == Decimal("50000")
    assert [p.amount for p in decision.payments.all()] == [Decimal("24000"), Decimal("6000")]
    assert Application.objects.get(pk=proposed.pk).state == S.APPROVED


@pytest.mark.parametrize(
    ("outcome", "amount", "message"),
    [
        ("approved", Decimal("40000"), "Approval in full grants the 50\u00a0000 kr applied for"),
        ("approved", Decimal("50001"), "Approval in full grants the 50\u00a0000 kr applied for"),
        ("approved_partly", Decimal("50000"), "Approval in part grants more than 0 and less"),
        ("approved_partly", Decimal("60000"), "Approval in part grants more than 0 and less"),
        ("approved_partly", Decimal("0"), "Approval in part grants more than 0 and less"),
        ("approved_partly", Decimal("-100"), "Approval in part grants more than 0 and less"),
        ("granted", None, "Choose an outcome for the decision."),
    ],
)
def test_the_amount_must_fit_the_outcome(proposed, decider, delegation, outcome, amount, message):
    error = refused(proposed, decider, outcome=outcome, amount=amount)

    assert error.code == "invalid"
    assert str(error).startswith(message)


@pytest.mark.parametrize("outcome", ["rejected", "dismissed"])
def test_decision_maker_rejects_or_dismisses(proposed, decider, delegation, outcome):
    decision = decide(
        proposed, decider, outcome, amount=Decimal("50000"), reasons="Utanför syftet."
    )

    application = Application.objects.get(pk=proposed.pk)
    assert application.state == S.REJECTED
    assert application.decided_at is not None
    assert decision.outcome == outcome
    assert decision.amount == Decimal("0")
    assert decision.report_due_date is None
    assert not decision.payments.exists()
    assert not FollowUpReport.objects.exists()
    assert decision.snapshot["payment_plan"] == []
    entry = entries_for(application).get(action="grants.application.rejected")
    assert entry.data["outcome"] == outcome
    assert entry.data["amount"] == "0.00"


def test_a_decision_needs_reasons(proposed, decider, delegation):
    error = refused(proposed, decider, reasons="  ")

    assert str(error) == "Give the reasons for the decision."


def test_a_decided_case_cannot_be_decided_again(approved, decider):
    with pytest.raises(WorkflowError, match="while the application is “Approved”") as excinfo:
        decide(approved, decider, "rejected")

    assert excinfo.value.code == "wrong_state"
    assert Decision.objects.count() == 1


@pytest.mark.parametrize("fixture", ["submitted", "under_review"])
def test_only_a_proposal_is_decided(request, fixture, decider, delegation):
    application = request.getfixturevalue(fixture)
    state = application.state

    with pytest.raises(WorkflowError) as excinfo:
        decide(application, decider)

    assert excinfo.value.code == "wrong_state"
    assert Application.objects.get(pk=application.pk).state == state
    assert not Decision.objects.exists()


# Who decides


@pytest.mark.parametrize("who", ["officer", "finance", "applicant", "member"])
def test_only_decision_makers_and_secretaries_decide(request, proposed, delegation, who):
    actor = request.getfixturevalue(who)
    DelegationRule.objects.create(user=actor, max_amount=Decimal("1000000"), reference="x")

    error = refused(proposed, actor)

    assert error.code == "denied"


def test_finance_is_told_their_role_does_not_allow_it(proposed, finance):
    assert str(refused(proposed, finance)) == "Your role does not allow this."


def test_decision_maker_with_declared_jav_cannot_decide(
    proposed, decider, delegation, organisation
):
    services.conflict_declare(
        user=decider, organisation=organisation, reason="Jag sitter i styrelsen.", actor=decider
    )

    error = refused(proposed, decider)

    assert error.code == "denied"
    assert "conflict of interest (jäv) for Storsjöteatern ideell förening" in str(error)


def test_decision_maker_who_is_a_member_of_the_organisation_cannot_decide(
    proposed, decider, delegation, organisation, applicant
):
    membership_add(organisation=organisation, user=decider, role="member", actor=applicant)

    assert "(jäv)" in str(refused(proposed, decider, outcome="rejected"))


def test_secretary_with_jav_cannot_record_a_committee_decision(proposed, secretary, organisation):
    services.conflict_declare(
        user=secretary, organisation=organisation, reason="Jäv.", actor=secretary
    )

    assert "(jäv)" in str(refused(proposed, secretary, committee=MEETING))


# Delegation


def test_no_delegation_means_a_committee_decision(proposed, decider):
    error = refused(proposed, decider)

    assert error.code == "over_delegation"
    assert str(error) == (
        "50\u00a0000 kr is above your delegation for this programme; the case goes to the "
        "committee."
    )


def test_above_the_delegation_is_refused(large_proposal, decider, delegation):
    error = refused(large_proposal, decider)

    assert error.code == "over_delegation"
    assert str(error).startswith("150\u00a0000 kr is above your delegation")


def test_a_rejection_concerns_the_amount_applied_for(large_proposal, decider, delegation):
    error = refused(large_proposal, decider, outcome="rejected")

    assert error.code == "over_delegation"


def test_a_part_grant_within_delegation_is_decided_by_delegation(
    large_proposal, decider, delegation
):
    decision = decide(large_proposal, decider, "approved_partly", amount=Decimal("100000"))

    assert decision.amount == Decimal("100000")
    assert decision.delegation_rule == delegation


def user_rule(decider, programme, other, limit=Decimal("50000")):
    return {"user": decider, "programme": programme, "max_amount": limit}


@pytest.mark.parametrize(
    ("rule", "allowed"),
    [
        pytest.param(lambda d, p, o: user_rule(d, p, o), True, id="user-this-programme"),
        pytest.param(
            lambda d, p, o: user_rule(d, p, o, Decimal("49999.99")), False, id="user-below-amount"
        ),
        pytest.param(lambda d, p, o: user_rule(d, o, o), False, id="user-other-programme"),
        pytest.param(lambda d, p, o: user_rule(d, None, o), True, id="user-all-programmes"),
        pytest.param(
            lambda d, p, o: {"group": Group.objects.get(name="decision_maker"), "programme": p},
            True,
            id="group-this-programme",
        ),
        pytest.param(
            lambda d, p, o: {"group": Group.objects.get(name="decision_maker"), "programme": None},
            True,
            id="group-all-programmes",
        ),
        pytest.param(
            lambda d, p, o: {"group": Group.objects.get(name="decision_maker"), "programme": o},
            False,
            id="group-other-programme",
        ),
        pytest.param(
            lambda d, p, o: {"group": Group.objects.get(name="officer"), "programme": p},
            False,
            id="group-the-decider-is-not-in",
        ),
        pytest.param(
            lambda d, p, o: user_rule(d, p, o) | {"is_active": False}, False, id="inactive"
        ),
        pytest.param(
            lambda d, p, o: {"user": factories.user(), "programme": p}, False, id="another-user"
        ),
    ],
)
def test_the_delegation_rule_must_fit_the_decider_the_programme_and_the_amount(
    proposed, decider, programme, rule, allowed
):
    other = factories.programme(case_prefix="EVT", name_sv="Arrangörsstöd")
    fields = {"max_amount": Decimal("100000"), "reference": "Punkt 7.1"} | rule(
        decider, programme, other
    )
    created = DelegationRule.objects.create(**fields)

    if allowed:
        assert decide(proposed, decider).delegation_rule == created
    else:
        assert refused(proposed, decider).code == "over_delegation"


def test_the_narrowest_fitting_rule_is_cited(proposed, decider, programme):
    DelegationRule.objects.create(user=decider, max_amount=Decimal("500000"), reference="4.9")
    narrow = DelegationRule.objects.create(
        user=decider, programme=programme, max_amount=Decimal("60000"), reference="4.2"
    )
    DelegationRule.objects.create(user=decider, max_amount=Decimal("40000"), reference="4.1")

    decision = decide(proposed, decider)

    assert decision.delegation_rule == narrow
    assert decision.snapshot["delegation_reference"] == "4.2"


# Four-eyes


def test_the_presenter_cannot_decide_their_own_case(proposed_by_decider, presenting_decider):
    error = refused(proposed_by_decider, presenting_decider)

    assert error.code == "four_eyes"
    assert str(error) == (
        "You presented this case and may not also decide it (four-eyes principle)."
    )


def test_the_presenter_cannot_reject_their_own_case_either(proposed_by_decider, presenting_decider):
    assert refused(proposed_by_decider, presenting_decider, outcome="rejected").code == (
        "four_eyes"
    )


@pytest.mark.parametrize(("limit", "allowed"), [(49999, False), (50000, True), (100000, True)])
def test_the_presenter_decides_amounts_up_to_four_eyes_above(
    settings, proposed_by_decider, presenting_decider, limit, allowed
):
    settings.FOUR_EYES_ABOVE = limit

    if allowed:
        decision = decide(proposed_by_decider, presenting_decider)
        assert decision.decided_by == decision.presenter == presenting_decider
    else:
        assert refused(proposed_by_decider, presenting_decider).code == "four_eyes"


def test_another_decision_maker_decides_the_presenters_case(
    proposed_by_decider, presenting_decider, decider, delegation
):
    decision = decide(proposed_by_decider, decider)

    assert decision.presenter == presenting_decider
    assert decision.decided_by == decider


def test_the_officer_who_proposed_a_colleagues_assessment_cannot_decide_it(
    proposed, officer, decider, presenting_decider
):
    factories.delegation(presenting_decider)
    services.application_return_for_review(application=proposed, actor=decider, reason="Se över.")
    services.application_assign(application=proposed, actor=officer, officer=presenting_decider)
    services.application_propose(application=proposed, actor=presenting_decider)

    error = refused(proposed, presenting_decider)

    assert error.code == "four_eyes"


# Committee decisions (samlingsbeslut)


def test_secretary_records_a_committee_decision_above_every_delegation(
    large_proposal, secretary, decider, delegation
):
    decision = decide(
        large_proposal, secretary, committee=MEETING, decision_date=date(2026, 11, 19)
    )

    assert decision.amount == Decimal("150000")
    assert decision.is_committee_decision
    assert decision.delegation_rule is None
    assert decision.delegation_reference == ""
    assert decision.committee_body == "Regionala utvecklingsnämnden"
    assert decision.committee_paragraph == "§ 87"
    assert decision.decision_date == date(2026, 11, 19)
    assert decision.snapshot["committee"] == {
        "body": "Regionala utvecklingsnämnden",
        "meeting_date": "2026-11-19",
        "paragraph": "§ 87",
    }
    entry = entries_for(large_proposal).get(action="grants.application.approved")
    assert entry.actor == secretary
    assert entry.data["committee"]["paragraph"] == "§ 87"


def test_secretary_cannot_decide_by_delegation(proposed, secretary):
    DelegationRule.objects.create(user=secretary, max_amount=Decimal("100000"), reference="x")

    error = refused(proposed, secretary)

    assert error.code == "wrong_role"
    assert str(error) == (
        "Only a decision maker can decide by delegation; record a committee decision."
    )


def test_a_decision_maker_cannot_record_a_committee_decision(large_proposal, decider, delegation):
    error = refused(large_proposal, decider, committee=MEETING)

    assert error.code == "wrong_role"
    assert str(error) == "Only the committee secretary can record committee decisions."


@pytest.mark.parametrize(
    "meeting",
    [
        CommitteeMeeting(body=" ", meeting_date=date(2026, 11, 19), paragraph="§ 87"),
        CommitteeMeeting(
            body="Regionala utvecklingsnämnden", meeting_date=date(2026, 11, 19), paragraph=""
        ),
    ],
)
def test_a_committee_decision_names_the_committee_and_the_paragraph(
    large_proposal, secretary, meeting
):
    error = refused(large_proposal, secretary, committee=meeting)

    assert str(error) == "Give the committee, the meeting date and the §."


def test_a_committee_decision_needs_the_meeting_date(large_proposal, secretary):
    meeting = CommitteeMeeting(
        body="Regionala utvecklingsnämnden", meeting_date=None, paragraph="§ 87"
    )

    error = refused(large_proposal, secretary, committee=meeting)

    assert error.code == "invalid"
    assert str(error) == "Give the committee, the meeting date and the §."


def test_committee_decides_the_proposals_of_a_call_as_proposed(
    organisation, call, applicant, officer, secretary
):
    first = propose_case(organisation, call, applicant, officer)
    second_review = services.application_start_review(
        application=services.application_submit(
            application=factories.draft(organisation, call, applicant), actor=applicant
        ),
        actor=officer,
    )
    second = factories.assess(second_review, officer, recommendation="reject")

    record = decision_services.committee_decide(
        applications=[second, first], actor=secretary, committee=MEETING
    )

    decisions = list(record.decisions.order_by("application_id"))
    assert [(d.application_id, d.outcome) for d in decisions] == [
        (first.pk, "approved"),
        (second.pk, "rejected"),
    ]
    assert {d.decision_date for d in decisions} == {MEETING.meeting_date}
    assert [Application.objects.get(pk=a.pk).state for a in (first, second)] == [
        S.APPROVED,
        S.REJECTED,
    ]


def test_a_committee_decision_covers_one_call(
    organisation, call, programme, applicant, officer, secretary
):
    first = propose_case(organisation, call, applicant, officer)
    second = propose_case(organisation, factories.call(programme), applicant, officer)

    with pytest.raises(WorkflowError, match="proposals of one call"):
        decision_services.committee_decide(
            applications=[first, second], actor=secretary, committee=MEETING
        )

    assert not Decision.objects.exists()


def test_a_committee_decision_is_all_or_nothing(
    organisation, call, applicant, officer, secretary, decider
):
    first = propose_case(organisation, call, applicant, officer)
    second = propose_case(organisation, call, applicant, officer)
    services.application_return_for_review(application=second, actor=decider, reason="Se över.")

    with pytest.raises(WorkflowError):
        decision_services.committee_decide(
            applications=[first, second], actor=secretary, committee=MEETING
        )

    assert not Decision.objects.exists()
    assert Application.objects.get(pk=first.pk).state == S.PROPOSED


# What a decision creates


def test_the_snapshot_holds_what_the_letter_shows(proposed, decider, officer, delegation):
    decision = decide(proposed, decider)
    account = proposed.organisation.payout_accounts.verified().get()

    snapshot = Decision.objects.get(pk=decision.pk).snapshot
    assert snapshot["case_number"] == proposed.case_number
    assert snapshot["decision_date"] == timezone.localdate().isoformat()
    assert snapshot["outcome"] == "approved"
    assert Decimal(snapshot["amount"]) == Decimal("50000")
    assert Decimal(snapshot["requested_amount"]) == Decimal("50000")
    assert snapshot["organisation"]["name"] == "Storsjöteatern ideell förening"
    assert snapshot["organisation"]["org_number"] == proposed.organisation.org_number
    assert snapshot["programme"]["name"] == "Projektbidrag kultur"
    # In the letter language (Swedish), or English while the translation is missing.
    assert snapshot["programme"]["strategy_area"] in {
        "Kultur och civilsamhälle",
        "Culture and civil society",
    }
    assert snapshot["decided_by"] == {"name": "Anna Chef", "title": "Kulturchef"}
    assert snapshot["presenter"]["name"] == "Karin Handläggare"
    assert snapshot["delegation_reference"] == REFERENCE
    assert snapshot["committee"] is None
    assert [
        (step["instalment"], Decimal(step["amount"]), step["trigger"])
        for step in snapshot["payment_plan"]
    ] == [(1, Decimal("40000"), "on_decision"), (2, Decimal("10000"), "on_report_accepted")]
    assert snapshot["payout_account"] == {"kind": "Bankgiro", "number": account.number}
    assert snapshot["report_due_date"] == decision.report_due_date.isoformat()
    assert snapshot["region"]["org_number"] == "232100-0214"


def test_the_snapshot_does_not_follow_later_changes(proposed, decider, delegation):
    decision = decide(proposed, decider)
    Organisation.objects.filter(pk=proposed.organisation_id).update(name="Nytt namn")

    assert Decision.objects.get(pk=decision.pk).snapshot["organisation"]["name"] == (
        "Storsjöteatern ideell förening"
    )


def test_the_snapshot_is_in_the_letter_language(proposed, decider, delegation, applicant):
    Application.objects.filter(pk=proposed.pk).update(letter_language="en")

    decision = decide(proposed, decider)

    assert decision.letter_language == "en"
    assert decision.snapshot["programme"]["name"] == "Project grants for culture"
    assert decision.snapshot["outcome_label"] == "Approved"


def test_payments_follow_the_programme_plan_and_sum_to_the_amount(proposed, decider, delegation):
    decision = decide(proposed, decider, "approved_partly", amount=Decimal("33333"))

    payments = list(decision.payments.order_by("instalment"))
    assert [(p.instalment, p.amount, p.trigger, p.state) for p in payments] == [
        (1, Decimal("26666"), "on_decision", PaymentState.PAYABLE),
        (2, Decimal("6667"), "on_report_accepted", PaymentState.PLANNED),
    ]
    assert sum(p.amount for p in payments) == decision.amount
    assert payments[0].payable_at is not None
    assert payments[1].payable_at is None


def test_a_plan_with_a_requisition_leaves_that_instalment_planned(
    proposed, decider, delegation, programme
):
    Programme.objects.filter(pk=programme.pk).update(
        payment_plan=[
            {"share": "0.5", "trigger": "on_decision"},
            {"share": "0.3", "trigger": "on_request"},
            {"share": "0.2", "trigger": "on_report_accepted"},
        ]
    )

    decision = decide(proposed, decider)

    assert [(p.amount, p.trigger, p.state) for p in decision.payments.order_by("instalment")] == [
        (Decimal("25000"), "on_decision", PaymentState.PAYABLE),
        (Decimal("15000"), "on_request", PaymentState.PLANNED),
        (Decimal("10000"), "on_report_accepted", PaymentState.PLANNED),
    ]


def test_a_programme_without_a_plan_pays_everything_on_the_decision(
    proposed, decider, delegation, programme
):
    Programme.objects.filter(pk=programme.pk).update(payment_plan=[])

    decision = decide(proposed, decider)

    assert [(p.amount, p.trigger, p.state) for p in decision.payments.all()] == [
        (Decimal("50000"), "on_decision", PaymentState.PAYABLE)
    ]


@pytest.mark.parametrize(
    ("plan", "amount", "expected"),
    [
        (
            [{"share": "0.8", "trigger": "on_decision"}, {"share": "0.2", "trigger": "x"}],
            Decimal("10001"),
            [(Decimal("8000"), "on_decision"), (Decimal("2001"), "x")],
        ),
        (
            [{"share": "1", "trigger": "on_decision"}],
            Decimal("12345.50"),
            [(Decimal("12345.50"), "on_decision")],
        ),
        ([], Decimal("500"), [(Decimal("500"), "on_decision")]),
        (
            [{"share": "0.5", "trigger": "a"}, {"share": "0.5", "trigger": "b"}],
            Decimal("1"),
            [(Decimal("1"), "b")],
        ),
    ],
)
def test_payment_plan_amounts_split_in_whole_kronor_and_the_last_takes_the_rest(
    plan, amount, expected
):
    instalments = payment_plan_amounts(plan=plan, amount=amount)

    assert instalments == expected
    assert sum(part for part, _trigger in instalments) == amount


def test_a_grant_creates_the_follow_up_report_with_its_due_date(proposed, decider, delegation):
    decision = decide(proposed, decider)

    report = FollowUpReport.objects.get(decision=decision)
    # Two months (the programme's rule) after the activity ends.
    assert report.due_date == add_months(proposed.activity_ends, 2)
    assert decision.report_due_date == report.due_date
    assert report.submitted_at is None


def test_the_report_is_due_after_the_decision_when_the_activity_has_already_ended(
    organisation, call, applicant, officer, decider, delegation
):
    draft = factories.draft(organisation, call, applicant)
    today = timezone.localdate()
    services.application_update(
        application=draft,
        actor=applicant,
        activity_starts=today - timedelta(days=100),
        activity_ends=today - timedelta(days=30),
    )
    submitted = services.application_submit(application=draft, actor=applicant)
    proposal = factories.assess(
        services.application_start_review(application=submitted, actor=officer), officer
    )

    decision = decide(proposal, decider)

    assert decision.follow_up_report.due_date == add_months(today, 2)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 6, 15), 2, date(2026, 8, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 15), 13, date(2028, 1, 15)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_the_applicant_is_told_of_the_decision(
    proposed, decider, delegation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(proposed, decider)

    assert len(mailoutbox) == 1
    assert "applicant-a@example.org" in mailoutbox[0].to
