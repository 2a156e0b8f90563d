"""The application's lifecycle (DESIGN §4.1): its states and transitions, and nothing else.

Transitions change only the state and its timestamps. Data guards are the small predicates below,
passed to django-fsm as conditions; who may take a transition (role, jäv) is the ``permission``
predicate from ``grants.permissions``. Services in ``grants.services`` and ``decisions.services``
are the only callers: they lock the row, check, call the transition, save and audit.
"""

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from grants import permissions


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    COMPLETION_REQUESTED = "completion_requested", _("Completion requested")
    UNDER_REVIEW = "under_review", _("Under review")
    PROPOSED = "proposed", _("Proposed for decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REPORT_SUBMITTED = "report_submitted", _("Final report submitted")
    REPORT_COMPLETION_REQUESTED = (
        "report_completion_requested",
        _("Final report to be completed"),
    )
    REPAYMENT_CLAIMED = "repayment_claimed", _("Repayment claimed")
    CLOSED = "closed", _("Closed")


S = ApplicationState

#: States in which a decision has not yet been made: the applicant may still withdraw.
UNDECIDED_STATES = [S.DRAFT, S.SUBMITTED, S.COMPLETION_REQUESTED, S.UNDER_REVIEW, S.PROPOSED]
#: States after a grant has been made.
GRANTED_STATES = [
    S.APPROVED,
    S.REPORT_SUBMITTED,
    S.REPORT_COMPLETION_REQUESTED,
    S.REPAYMENT_CLAIMED,
    S.CLOSED,
]


def today() -> date:
    return timezone.localdate()


# Guards: predicates without side effects on the application's own data.


def call_is_open(application) -> bool:
    """Return whether the application's call accepts submissions now."""
    return application.call.is_open()


def organisation_type_eligible(application) -> bool:
    """Return whether the programme accepts the applicant's type of organisation."""
    return application.organisation.org_type in application.call.programme.eligible_org_types


def amount_within_limits(application) -> bool:
    """Return whether the requested amount lies within the programme's minimum and maximum."""
    programme = application.call.programme
    amount = application.requested_amount
    return amount is not None and programme.min_amount <= amount <= programme.max_amount


def budget_balances(application) -> bool:
    """Return whether costs equal income including the requested amount, and co-financing holds."""
    return application.budget_balances() and application.cofinancing_sufficient()


def required_attachments_present(application) -> bool:
    """Return whether every attachment the programme requires is there."""
    return not application.missing_attachment_kinds()


def has_payout_account(application) -> bool:
    """Return whether the organisation has a payout account in use or awaiting verification."""
    return application.organisation.payout_accounts.current().exists()


def has_complete_assessment(application) -> bool:
    """Return whether the assessment scores every criterion and perspective and recommends."""
    assessment = getattr(application, "assessment", None)
    return assessment is not None and assessment.is_complete()


SUBMIT_GUARDS = [
    call_is_open,
    organisation_type_eligible,
    amount_within_limits,
    budget_balances,
    required_attachments_present,
    has_payout_account,
]


class ApplicationWorkflow(FSMModelMixin, models.Model):
    """The state field and transitions of ``grants.Application``."""

    state = FSMField(
        _("state"),
        default=S.DRAFT,
        choices=ApplicationState.choices,
        protected=True,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    review_started_at = models.DateTimeField(_("review started"), null=True, blank=True)
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    STATE_TIMESTAMPS = {
        "submit": "submitted_at",
        "start_review": "review_started_at",
        "propose": "proposed_at",
        "approve": "decided_at",
        "reject": "decided_at",
        "withdraw": "withdrawn_at",
        "accept_report": "closed_at",
        "settle_repayment": "closed_at",
    }

    class Meta:
        abstract = True

    def _stamp(self, name: str) -> None:
        setattr(self, self.STATE_TIMESTAMPS[name], timezone.now())

    @transition(
        field=state,
        source=S.DRAFT,
        target=S.SUBMITTED,
        conditions=SUBMIT_GUARDS,
        permission=permissions.can_submit,
    )
    def submit(self):
        self._stamp("submit")

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.UNDER_REVIEW,
        permission=permissions.can_handle,
    )
    def start_review(self):
        self._stamp("start_review")

    @transition(
        field=state,
        source=[S.SUBMITTED, S.UNDER_REVIEW],
        target=S.COMPLETION_REQUESTED,
        permission=permissions.can_handle,
    )
    def request_completion(self):
        pass

    @transition(
        field=state,
        source=S.COMPLETION_REQUESTED,
        target=S.UNDER_REVIEW,
        permission=permissions.can_submit,
    )
    def complete(self):
        if self.review_started_at is None:
            self._stamp("start_review")

    @transition(
        field=state,
        source=S.UNDER_REVIEW,
        target=S.PROPOSED,
        conditions=[has_complete_assessment],
        permission=permissions.can_propose,
    )
    def propose(self):
        self._stamp("propose")

    @transition(
        field=state,
        source=S.PROPOSED,
        target=S.UNDER_REVIEW,
        permission=permissions.can_decide,
    )
    def return_for_review(self):
        self.proposed_at = None

    @transition(
        field=state,
        source=S.PROPOSED,
        target=S.APPROVED,
        permission=permissions.can_decide,
    )
    def approve(self):
        self._stamp("approve")

    @transition(
        field=state,
        source=S.PROPOSED,
        target=S.REJECTED,
        permission=permissions.can_decide,
    )
    def reject(self):
        self._stamp("reject")

    @transition(
        field=state,
        source=UNDECIDED_STATES,
        target=S.WITHDRAWN,
        permission=permissions.can_submit,
    )
    def withdraw(self):
        self._stamp("withdraw")

    @transition(
        field=state,
        source=[S.APPROVED, S.REPORT_COMPLETION_REQUESTED],
        target=S.REPORT_SUBMITTED,
        permission=permissions.can_submit,
    )
    def submit_report(self):
        pass

    @transition(
        field=state,
        source=S.REPORT_SUBMITTED,
        target=S.REPORT_COMPLETION_REQUESTED,
        permission=permissions.can_follow_up,
    )
    def request_report_completion(self):
        pass

    @transition(
        field=state,
        source=S.REPORT_SUBMITTED,
        target=S.CLOSED,
        permission=permissions.can_follow_up,
    )
    def accept_report(self):
        self._stamp("accept_report")

    @transition(
        field=state,
        source=[S.APPROVED, S.REPORT_SUBMITTED],
        target=S.REPAYMENT_CLAIMED,
        permission=permissions.can_claim_repayment,
    )
    def claim_repayment(self):
        pass

    @transition(
        field=state,
        source=S.REPAYMENT_CLAIMED,
        target=S.CLOSED,
        permission=permissions.can_settle_repayment,
    )
    def settle_repayment(self):
        self._stamp("settle_repayment")
