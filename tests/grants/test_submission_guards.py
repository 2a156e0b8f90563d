"""Submitting an application (DESIGN §4.1 `submit`): who may, every guard, and case numbers."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from audit.models import LogEntry
from audit.services import entries_for
from grants import services
from grants.models import CaseNumberSequence, Programme
from grants.workflow import ApplicationState as S
from organisations import services as organisation_services
from organisations.errors import WorkflowError
from tests import factories


def year() -> int:
    return timezone.localdate().year


def assert_still_draft(application):
    """Assert that a refused submission left no trace."""
    application.refresh_from_db()
    assert application.state == S.DRAFT
    assert application.case_number is None
    assert application.submitted_at is None
    assert not CaseNumberSequence.objects.exists()
    assert not entries_for(application).filter(action="grants.application.submitted").exists()


def submit_refused(application, actor) -> WorkflowError:
    entries_before = LogEntry.objects.count()
    with pytest.raises(WorkflowError) as excinfo:
        services.application_submit(application=application, actor=actor)
    assert LogEntry.objects.count() == entries_before
    assert_still_draft(application)
    return excinfo.value


# The allowed path


def test_signatory_submits_and_the_case_gets_a_number(draft, applicant):
    submitted = services.application_submit(application=draft, actor=applicant)

    submitted.refresh_from_db()
    assert submitted.state == S.SUBMITTED
    assert submitted.case_number == f"KUL {year()}/0001"
    assert submitted.submitted_at is not None
    entry = entries_for(submitted).get(action="grants.application.submitted")
    assert entry.actor == applicant
    assert entry.data == {"case_number": submitted.case_number, "requested_amount": "50000.00"}


def test_submission_sends_a_receipt_after_commit(
    draft, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.application_submit(application=draft, actor=applicant)

    assert len(mailoutbox) == 1
    assert submitted.case_number in mailoutbox[0].subject
    assert sorted(mailoutbox[0].to) == ["applicant-a@example.org", "info@example.org"]


def test_a_refused_submission_sends_no_receipt(
    call, applicant, finance, mailoutbox, django_capture_on_commit_callbacks
):
    organisation = factories.organisation(applicant, verified_by=finance)
    application = factories.draft(organisation, call, applicant, with_attachment=False)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(WorkflowError):
        services.application_submit(application=application, actor=applicant)

    assert mailoutbox == []


# Who may submit


@pytest.mark.parametrize(
    "who", ["member", "applicant_b", "officer", "decider", "finance", "secretary"]
)
def test_only_a_signatory_of_the_organisation_submits(request, draft, who):
    actor = request.getfixturevalue(who)

    error = submit_refused(draft, actor)

    assert error.code == "denied"
    assert str(error) == "Only a signatory of Storsjöteatern ideell förening can do this."


def test_a_signatory_of_several_organisations_submits_only_for_their_own(
    draft, applicant_b, finance
):
    factories.organisation(applicant_b, verified_by=finance)

    with pytest.raises(WorkflowError, match="Only a signatory of Storsjöteatern"):
        services.application_submit(application=draft, actor=applicant_b)


# From which state


def test_an_application_is_submitted_only_once(submitted, applicant):
    with pytest.raises(WorkflowError, match="while the application is “Submitted”") as excinfo:
        services.application_submit(application=submitted, actor=applicant)

    assert excinfo.value.code == "wrong_state"
    submitted.refresh_from_db()
    assert submitted.case_number == f"KUL {year()}/0001"
    assert CaseNumberSequence.objects.get().last_value == 1


def test_a_withdrawn_draft_cannot_be_submitted(draft, applicant):
    withdrawn = services.application_withdraw(application=draft, actor=applicant)

    with pytest.raises(WorkflowError, match="while the application is “Withdrawn”"):
        services.application_submit(application=withdrawn, actor=applicant)


def test_an_approved_application_cannot_be_submitted_again(approved, applicant):
    with pytest.raises(WorkflowError, match="“Approved”"):
        services.application_submit(application=approved, actor=applicant)


# The guards, one at a time


def close_call(call):
    now = timezone.now()
    type(call).objects.filter(pk=call.pk).update(
        opens_at=now - timedelta(days=60), closes_at=now - timedelta(minutes=1)
    )


def open_call_later(call):
    now = timezone.now()
    type(call).objects.filter(pk=call.pk).update(
        opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=30)
    )


def test_a_closed_call_takes_no_submissions(draft, call, applicant):
    close_call(call)

    error = submit_refused(draft, applicant)

    assert error.code == "not_eligible"
    assert len(error.problems) == 1
    assert error.problems[0].startswith("The call closed on ")
    assert "apply in a later call" in error.problems[0]


def test_a_call_not_yet_open_takes_no_submissions(draft, call, applicant):
    open_call_later(call)

    error = submit_refused(draft, applicant)

    assert len(error.problems) == 1
    assert error.problems[0].startswith("The call opens on ")


def test_the_call_closes_at_its_closing_moment(draft, call, applicant):
    now = timezone.now()
    type(call).objects.filter(pk=call.pk).update(closes_at=now)

    with pytest.raises(WorkflowError, match="The call closed on"):
        services.application_submit(application=draft, actor=applicant)


def test_an_ineligible_organisation_type_cannot_submit(draft, programme, applicant):
    Programme.objects.filter(pk=programme.pk).update(eligible_org_types=["municipality"])

    error = submit_refused(draft, applicant)

    assert error.problems == [
        "Project grants for culture does not accept applications from organisations of the "
        "type “Non-profit association”."
    ]


@pytest.mark.parametrize(
    ("requested", "allowed"),
    [
        (Decimal("9999"), False),
        (Decimal("10000"), True),
        (Decimal("300000"), True),
        (Decimal("300001"), False),
    ],
)
def test_the_amount_must_lie_within_the_programme_limits(
    organisation, call, applicant, requested, allowed
):
    application = factories.draft(organisation, call, applicant, requested=requested)

    if allowed:
        submitted = services.application_submit(application=application, actor=applicant)
        assert submitted.state == S.SUBMITTED
    else:
        error = submit_refused(application, applicant)
        assert error.problems == [
            "The amount applied for must be between 10\u00a0000 and 300\u00a0000 kr."
        ]


def test_an_application_without_an_amount_cannot_be_submitted(draft, applicant):
    services.application_update(application=draft, actor=applicant, requested_amount=None)

    error = submit_refused(draft, applicant)

    assert "Enter the amount you apply for." in error.problems


def test_an_unbalanced_budget_cannot_be_submitted(draft, applicant):
    services.budget_set(
        application=draft,
        actor=applicant,
        lines=[
            {"kind": "cost", "category": "fees", "amount": Decimal("100000")},
            {"kind": "income", "category": "own_contribution", "amount": Decimal("10000")},
        ],
    )

    error = submit_refused(draft, applicant)

    assert error.problems == [
        "The budget does not balance: costs are 100\u00a0000 kr, but other income and the "
        "amount applied for add up to 60\u00a0000 kr. Adjust the lines so they are equal."
    ]


def test_a_budget_without_costs_cannot_be_submitted(draft, applicant):
    services.budget_set(application=draft, actor=applicant, lines=[])

    error = submit_refused(draft, applicant)

    assert error.problems[0].startswith("The budget does not balance: costs are 0 kr")


@pytest.mark.parametrize(
    ("own_contribution", "allowed"),
    [(Decimal("5555"), False), (Decimal("5556"), True)],
)
def test_the_programme_share_of_co_financing_is_required(
    draft, applicant, own_contribution, allowed
):
    # 10 % of the costs (50 000 + own contribution) must come from elsewhere.
    services.budget_set(
        application=draft,
        actor=applicant,
        lines=[
            {"kind": "cost", "category": "fees", "amount": Decimal("50000") + own_contribution},
            {"kind": "income", "category": "own_contribution", "amount": own_contribution},
        ],
    )

    if allowed:
        assert services.application_submit(application=draft, actor=applicant).state == S.SUBMITTED
    else:
        error = submit_refused(draft, applicant)
        assert error.problems == [
            "The programme requires at least 10 % of the costs to be financed from other "
            "sources than this grant."
        ]


def test_a_missing_required_attachment_stops_the_submission(organisation, call, applicant):
    application = factories.draft(organisation, call, applicant, with_attachment=False)

    error = submit_refused(application, applicant)

    assert error.problems == ["Attach: Project plan."]


def require_statutes(programme):
    Programme.objects.filter(pk=programme.pk).update(
        required_attachments=["project_plan", "statutes"]
    )


def add_statutes(organisation, actor, document_year):
    organisation_services.organisation_document_add(
        organisation=organisation,
        actor=actor,
        kind="statutes",
        year=document_year,
        file=ContentFile(factories.PDF_BYTES, name="stadgar.pdf"),
        original_name="Stadgar.pdf",
        content_type="application/pdf",
    )


@pytest.mark.parametrize("years_ago", [0, 1])
def test_statutes_on_file_for_this_or_last_year_count_as_attached(
    draft, programme, organisation, applicant, years_ago
):
    require_statutes(programme)
    add_statutes(organisation, applicant, year() - years_ago)

    submitted = services.application_submit(application=draft, actor=applicant)

    assert submitted.state == S.SUBMITTED
    assert not submitted.attachments.filter(kind="statutes").exists()


def test_older_statutes_do_not_count(draft, programme, organisation, applicant):
    require_statutes(programme)
    add_statutes(organisation, applicant, year() - 2)

    error = submit_refused(draft, applicant)

    assert error.problems == ["Attach: Statutes."]


def test_statutes_attached_to_the_application_count(draft, programme, applicant):
    require_statutes(programme)
    services.attachment_add(
        application=draft,
        actor=applicant,
        kind="statutes",
        file=ContentFile(factories.PDF_BYTES, name="stadgar.pdf"),
        original_name="Stadgar.pdf",
        content_type="application/pdf",
    )

    assert services.application_submit(application=draft, actor=applicant).state == S.SUBMITTED


def test_another_organisations_statutes_do_not_count(
    draft, programme, applicant, applicant_b, finance
):
    require_statutes(programme)
    other = factories.organisation(applicant_b, verified_by=finance)
    add_statutes(other, applicant_b, year())

    error = submit_refused(draft, applicant)

    assert error.problems == ["Attach: Statutes."]


def test_a_project_plan_on_file_does_not_replace_the_application_attachment(
    organisation, call, applicant
):
    # Only the yearly organisation documents can be reused; a project plan is per application.
    application = factories.draft(organisation, call, applicant, with_attachment=False)
    add_statutes(organisation, applicant, year())

    error = submit_refused(application, applicant)

    assert error.problems == ["Attach: Project plan."]


def test_an_organisation_without_a_payout_account_cannot_submit(call, applicant):
    organisation = organisation_services.organisation_register(
        actor=applicant,
        name="Föreningen utan konto",
        org_number=factories.org_number(),
        org_type="association",
        municipality="2380",
    )
    application = factories.draft(organisation, call, applicant)

    error = submit_refused(application, applicant)

    assert error.problems == [
        "Add a payout account (Bankgiro, Plusgiro, bank account or IBAN) for Föreningen utan konto."
    ]


def test_an_account_awaiting_verification_is_enough_to_submit(call, applicant):
    # Payments use only verified accounts; the application may go in while finance checks it.
    organisation = factories.organisation(applicant)
    application = factories.draft(organisation, call, applicant)

    assert services.application_submit(application=application, actor=applicant).state == (
        S.SUBMITTED
    )


def test_a_rejected_account_is_no_payout_account(call, applicant, finance):
    organisation = factories.organisation(applicant)
    organisation_services.payout_account_reject(
        account=organisation.payout_accounts.get(), actor=finance, reason="Fel kontohavare."
    )
    application = factories.draft(organisation, call, applicant)

    error = submit_refused(application, applicant)

    assert error.problems[0].startswith("Add a payout account")


# Every problem at once


def test_every_problem_is_listed_and_the_message_names_the_first(programme, applicant):
    Programme.objects.filter(pk=programme.pk).update(eligible_org_types=["library"])
    closed = factories.call(programme, open_now=False)
    organisation = organisation_services.organisation_register(
        actor=applicant,
        name="Nystartade föreningen",
        org_number=factories.org_number(),
        org_type="association",
        municipality="2303",
    )
    application = factories.draft(
        organisation, closed, applicant, requested=Decimal("500000"), with_attachment=False
    )
    services.budget_set(
        application=application,
        actor=applicant,
        lines=[{"kind": "cost", "category": "fees", "amount": Decimal("1000")}],
    )

    error = submit_refused(application, applicant)

    assert len(error.problems) == 6
    closed_call, org_type, amount, budget, attachment, account = error.problems
    assert closed_call.startswith("The call closed on ")
    assert "“Non-profit association”" in org_type
    assert amount.startswith("The amount applied for must be between")
    assert budget.startswith("The budget does not balance")
    assert attachment == "Attach: Project plan."
    assert account.startswith("Add a payout account")
    assert str(error) == f"The application cannot be submitted yet: {closed_call}"
    assert error.code == "not_eligible"


def test_submission_problems_is_empty_for_a_complete_draft(draft):
    assert services.submission_problems(draft) == []


def test_after_a_refusal_the_next_submission_takes_the_first_number(draft, call, applicant):
    close_call(call)
    submit_refused(draft, applicant)
    type(call).objects.filter(pk=call.pk).update(closes_at=timezone.now() + timedelta(days=1))

    submitted = services.application_submit(application=draft, actor=applicant)

    assert submitted.case_number == f"KUL {year()}/0001"


# Case numbers


def test_case_numbers_follow_the_order_of_submission(organisation, call, applicant):
    first = factories.draft(organisation, call, applicant)
    second = factories.draft(organisation, call, applicant)
    third = factories.draft(organisation, call, applicant)

    numbers = [
        services.application_submit(application=application, actor=applicant).case_number
        for application in (second, first, third)
    ]

    assert numbers == [f"KUL {year()}/0001", f"KUL {year()}/0002", f"KUL {year()}/0003"]
    assert CaseNumberSequence.objects.get(prefix="KUL", year=year()).last_value == 3


def test_case_numbers_run_per_prefix(organisation, call, applicant):
    other_programme = factories.programme(case_prefix="CIV", name_sv="Bidrag civilsamhälle")
    other_call = factories.call(other_programme)

    kul = services.application_submit(
        application=factories.draft(organisation, call, applicant), actor=applicant
    )
    civ = services.application_submit(
        application=factories.draft(organisation, other_call, applicant), actor=applicant
    )
    kul_2 = services.application_submit(
        application=factories.draft(organisation, call, applicant), actor=applicant
    )

    assert [kul.case_number, civ.case_number, kul_2.case_number] == [
        f"KUL {year()}/0001",
        f"CIV {year()}/0001",
        f"KUL {year()}/0002",
    ]


def test_case_numbers_run_per_year(draft, applicant):
    CaseNumberSequence.objects.create(prefix="KUL", year=year() - 1, last_value=418)

    submitted = services.application_submit(application=draft, actor=applicant)

    assert submitted.case_number == f"KUL {year()}/0001"
    assert CaseNumberSequence.objects.get(prefix="KUL", year=year() - 1).last_value == 418


def test_case_number_next_starts_each_prefix_and_year_at_one(db):
    with transaction.atomic():
        numbers = [
            services.case_number_next(prefix="KUL", year=2025),
            services.case_number_next(prefix="KUL", year=2025),
            services.case_number_next(prefix="KUL", year=2026),
            services.case_number_next(prefix="EVT", year=2025),
        ]

    assert numbers == ["KUL 2025/0001", "KUL 2025/0002", "KUL 2026/0001", "EVT 2025/0001"]


def test_case_numbers_go_past_four_digits(db):
    CaseNumberSequence.objects.create(prefix="KUL", year=2026, last_value=9999)

    with transaction.atomic():
        assert services.case_number_next(prefix="KUL", year=2026) == "KUL 2026/10000"
