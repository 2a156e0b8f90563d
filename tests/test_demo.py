"""The demo data that `make demo` loads: everything DESIGN §9 and issue 2 promise is there."""

import hashlib
import io
from collections import Counter

import pypdf
import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import RequestFactory, TestCase

from decisions.models import CommitteeDecision, Decision, Payment, PaymentBatch, RepaymentClaim
from decisions.workflow import BatchState, PaymentState
from grants.models import (
    Application,
    Assessment,
    Attachment,
    Call,
    CaseMessage,
    ConflictOfInterest,
    InternalNote,
)
from grants.workflow import ApplicationState
from organisations.models import Membership, Organisation, PayoutAccount, User
from organisations.validators import normalise_org_number
from tests import factories

PASSWORD = "bidrag-demo"
DEMO_USERS = {
    "applicant-a@example.org": set(),
    "applicant-b@example.org": set(),
    "member-a@example.org": set(),
    "officer@example.org": {"officer"},
    "officer-2@example.org": {"officer"},
    "decider@example.org": {"decision_maker"},
    "secretary@example.org": {"secretary"},
    "finance@example.org": {"finance"},
    "finance-2@example.org": {"finance"},
    "admin@example.org": {"administrator"},
}
COUNTY = {"2303", "2305", "2309", "2313", "2321", "2326", "2361", "2380"}


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"auth", "organisations", "grants", "decisions", "audit"}
    }


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for the class, in a transaction rolled back afterwards.

    What the services queue after commit (letters, decision lists, e-mails) runs as the
    transaction would have committed.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):
            output = load_demo()
        yield output
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo")
class TestDemoData:
    def test_prints_what_it_made_and_a_summary_last(self, demo, db):
        last = demo.strip().splitlines()[-1]

        assert last.startswith("demo loaded: ")
        assert f"{Application.objects.count()} applications" in last
        assert f"{PaymentBatch.objects.count()} batches" in last

    def test_every_demo_user_logs_in_with_the_demo_password(self, db):
        for email, groups in DEMO_USERS.items():
            # django-axes' backend counts attempts per client: it needs the request.
            request = RequestFactory().post("/konto/logga-in/")
            user = authenticate(request, username=email, password=PASSWORD)

            assert user is not None, email
            assert set(user.groups.values_list("name", flat=True)) == groups
            assert user.full_name and user.is_active
            assert user.is_staff == (email == "admin@example.org")
        admin = User.objects.get(email="admin@example.org")
        assert admin.is_superuser
        assert User.objects.get(email="decider@example.org").title == "Kulturchef"

    def test_applicants_sign_for_different_organisations_and_the_member_only_helps(self, db):
        a = Membership.objects.get(user__email="applicant-a@example.org", role="signatory")
        b = Membership.objects.get(user__email="applicant-b@example.org", role="signatory")
        member = Membership.objects.get(user__email="member-a@example.org")

        assert a.organisation != b.organisation
        assert member.organisation == a.organisation
        assert member.role == Membership.Role.MEMBER

    def test_applications_are_in_every_state(self, db):
        states = set(Application.objects.values_list("state", flat=True))

        assert states == set(ApplicationState.values)

    def test_both_applicants_have_several_cases_at_different_stages(self, db):
        for email in ("applicant-a@example.org", "applicant-b@example.org"):
            organisation = Organisation.objects.get(
                memberships__user__email=email, memberships__role="signatory"
            )
            states = set(organisation.applications.values_list("state", flat=True))

            assert len(states) >= 5, (email, states)

    def test_decisions_by_delegation_by_the_committee_and_a_dismissal(self, db):
        decisions = Decision.objects.all()
        committee = decisions.filter(committee_meeting_date__isnull=False)

        assert decisions.filter(delegation_rule__isnull=False).exists()
        assert committee.filter(committee_body="Regionala utvecklingsnämnden").count() >= 2
        assert all(decision.committee_paragraph.startswith("§") for decision in committee)
        assert decisions.filter(outcome=Decision.Outcome.DISMISSED).exists()
        assert decisions.filter(outcome=Decision.Outcome.APPROVED_PARTLY).exists()
        assert all(decision.snapshot["case_number"] for decision in decisions)

    def test_payments_are_in_every_state(self, db):
        states = set(Payment.objects.values_list("state", flat=True))

        assert states == set(PaymentState.values)

    def test_an_attested_batch_pays_bankgiro_plusgiro_and_iban_payees(self, db):
        batch = PaymentBatch.objects.get(state=BatchState.ATTESTED)
        kinds = set(
            Payment.objects.filter(batch_items__batch=batch).values_list(
                "payee_account_kind", flat=True
            )
        )

        assert {"bankgiro", "plusgiro", "iban"} <= kinds
        assert batch.created_by.email == "finance@example.org"
        assert batch.attested_by.email == "finance-2@example.org"
        assert PaymentBatch.objects.filter(state=BatchState.CONFIRMED).exists()
        assert RepaymentClaim.objects.exists()

    def test_organisations_of_every_type_in_every_municipality_with_valid_numbers(self, db):
        organisations = list(Organisation.objects.all())

        assert {o.org_type for o in organisations} == set(Organisation.Type.values)
        assert {o.municipality for o in organisations} >= COUNTY
        for organisation in organisations:
            personal = organisation.org_type == Organisation.Type.SOLE_TRADER
            assert (
                normalise_org_number(organisation.org_number, allow_personal=personal)
                == organisation.org_number
            )

    def test_payout_accounts_of_every_kind_verified_pending_and_rejected(self, db):
        accounts = PayoutAccount.objects.all()

        assert set(accounts.verified().values_list("kind", flat=True)) == set(
            PayoutAccount.Kind.values
        )
        assert accounts.pending().exists()
        assert accounts.filter(rejected_at__isnull=False).exists()

    def test_one_project_call_is_open_one_decided_and_one_awaits_the_committee(self, db):
        project_calls = Call.objects.filter(programme__case_prefix="KUL")

        assert sum(call.is_open() for call in project_calls) == 1
        closed = [call for call in project_calls if not call.is_open()]
        assert any(call.applications.filter(decision__isnull=False).exists() for call in closed)
        waiting = [
            call for call in closed if not call.applications.filter(decision__isnull=False).exists()
        ]
        assert len(waiting) == 1
        proposals = waiting[0].applications.filter(state=ApplicationState.PROPOSED)
        # Some above the decision maker's delegation of 100 000 kr, some within it.
        amounts = [p.assessment.proposed_amount or p.requested_amount for p in proposals]
        assert len(amounts) >= 4
        assert any(a > 100000 for a in amounts) and any(a <= 100000 for a in amounts)

    def test_every_committee_decision_has_its_record(self, db):
        committee = Decision.objects.filter(committee_meeting_date__isnull=False)

        assert committee.exists()
        assert not committee.filter(committee_decision__isnull=True).exists()
        records = CommitteeDecision.objects.all()
        assert sorted(record.paragraph for record in records) == ["§ 87", "§ 88"]
        assert all(record.decisions.exists() for record in records)

    def test_every_decision_and_repayment_claim_has_its_letter(self, db):
        decisions = Decision.objects.select_related("application")

        assert decisions.count() >= 20
        for decision in decisions:
            with decision.letter.open("rb") as file:
                content = file.read()
            assert hashlib.sha256(content).hexdigest() == decision.letter_sha256
            text = pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()
            assert decision.application.case_number in text
        claims = RepaymentClaim.objects.all()
        assert claims.exists()
        assert not claims.filter(letter="").exists()
        assert decisions.filter(letter_language="en").exists()

    def test_the_staff_find_work_in_the_queue(self, db):
        officer = User.objects.get(email="officer@example.org")
        officer_2 = User.objects.get(email="officer-2@example.org")
        cases = Application.objects.all()

        assert cases.filter(state=ApplicationState.SUBMITTED, assigned_officer=None).count() >= 2
        reviewed = cases.filter(state=ApplicationState.UNDER_REVIEW, assigned_officer=officer)
        assert any(
            Assessment.objects.filter(application=case).exists()
            and Assessment.objects.get(application=case).missing_parts()
            for case in reviewed
        )
        presented = cases.filter(state=ApplicationState.PROPOSED, assessment__officer=officer)
        assert presented.filter(assessment__proposed_amount__lte=100000).exists()
        assert presented.filter(assessment__proposed_amount__gt=100000).exists()
        jav = ConflictOfInterest.objects.filter(user=officer_2).values("organisation")
        assert cases.filter(organisation__in=jav).exclude(state=ApplicationState.DRAFT).exists()
        assert InternalNote.objects.count() >= 3

    def test_attachments_are_readable_pdfs(self, db):
        attachment = Attachment.objects.filter(kind="project_plan").first()
        with attachment.file.open("rb") as file:
            reader = pypdf.PdfReader(io.BytesIO(file.read()))

        assert attachment.application.title in reader.pages[0].extract_text()

    def test_applicant_a_meets_messages_a_request_to_join_and_an_invitation(self, db):
        organisation = Organisation.objects.get(
            memberships__user__email="applicant-a@example.org",
            memberships__role="signatory",
            name="Kulturföreningen Storsjöljus",
        )

        assert CaseMessage.objects.filter(
            application__organisation=organisation, from_staff=True
        ).exists()
        assert CaseMessage.objects.filter(
            application__organisation=organisation, from_staff=False
        ).exists()
        assert organisation.join_requests.filter(state="pending").count() == 1
        assert [invitation.is_open for invitation in organisation.invitations.all()] == [True]

    def test_the_audit_chain_verifies(self, db):
        out = io.StringIO()
        call_command("verify_audit", stdout=out)

        assert "Audit chain intact" in out.getvalue()

    def test_loading_again_changes_nothing(self, db):
        before = row_counts()

        output = load_demo()

        assert row_counts() == before
        assert "already loaded" in output.splitlines()[-1]


def test_load_demo_refuses_a_database_holding_other_data(db):
    factories.organisation(factories.user())

    with pytest.raises(CommandError, match="freshly migrated"):
        load_demo()

    assert not Application.objects.exists()


def test_demo_applications_are_spread_over_programmes():
    """A guard on the data module itself: it runs without the database being loaded."""
    from decisions.demo.applications import APPLICATIONS

    calls = Counter(spec.call for spec in APPLICATIONS)

    assert set(calls) == {"kul_open", "kul_decided", "kul_committee", "vku", "civ", "arr"}


def test_the_demo_history_has_letters_and_reminders(db, settings):
    """``load_demo --history N``: generated cases of earlier years, each decision and claim with
    its letter, and the day's reminders sent over them."""
    from decisions.management.commands.load_demo import Command
    from decisions.models import Decision, Reminder, RepaymentClaim
    from grants.statistics import statistics_years

    said = []
    Command()._history(40, said.append)

    assert Decision.objects.count() > 20
    assert not Decision.objects.filter(letter="").exists()
    assert not RepaymentClaim.objects.filter(letter="").exists()
    assert len(statistics_years()) > 1
    assert said[0].startswith("History: 40 generated applications")
    assert said[1] == f"Reminders of follow-up reports sent today: {Reminder.objects.count()}"
