"""Who may do what to an application: roles (groups with permissions) and the object rules.

Roles are groups created by a data migration (``decisions/migrations/0002_roles.py``); code checks
the permissions, never group names. Object rules: an applicant acts only for organisations they
are a member of; a member of staff with jäv (declared, or implied by membership) for an
organisation may do nothing with its applications.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: The permission each staff role is given, by group name.
HANDLE = "grants.handle_application"
DECIDE = "grants.decide_application"
RECORD_COMMITTEE = "grants.record_committee_decision"
MANAGE_PAYMENTS = "decisions.manage_payments"
ATTEST_BATCH = "decisions.attest_paymentbatch"
VERIFY_ACCOUNT = "organisations.verify_payoutaccount"
SETTLE_REPAYMENT = "decisions.settle_repaymentclaim"
#: Each of these lets a member of staff into the officer workspace (/handlaggning/).
CASEWORK = (HANDLE, DECIDE, RECORD_COMMITTEE)
#: Each of these lets a member of staff into the finance workspace (/ekonomi/).
FINANCE = (MANAGE_PAYMENTS, ATTEST_BATCH, VERIFY_ACCOUNT, SETTLE_REPAYMENT)


class Role:
    """The staff groups of DESIGN §1; applicants need no group, only a membership."""

    OFFICER = "officer"
    DECISION_MAKER = "decision_maker"
    SECRETARY = "secretary"
    FINANCE = "finance"
    ADMINISTRATOR = "administrator"

    LABELS = {
        OFFICER: _("Culture officer"),
        DECISION_MAKER: _("Decision maker"),
        SECRETARY: _("Committee secretary"),
        FINANCE: _("Finance officer"),
        ADMINISTRATOR: _("Administrator"),
    }


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def membership_role(user, organisation) -> str | None:
    """Return the user's role in the organisation, or None when not a member."""
    if not _active(user):
        return None
    from organisations.models import Membership

    return (
        Membership.objects.filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )


def is_member(user, organisation) -> bool:
    """Return whether the user may act for the organisation (any role)."""
    return membership_role(user, organisation) is not None


def is_signatory(user, organisation) -> bool:
    """Return whether the user signs for the organisation (firmatecknare or fullmakt)."""
    from organisations.models import Membership

    return membership_role(user, organisation) == Membership.Role.SIGNATORY


def has_conflict(user, organisation) -> bool:
    """Return whether the user has jäv for the organisation: declared, or by being a member."""
    if not _active(user):
        return False
    from organisations.models import Organisation

    # One query for both kinds: the reverse relations of ConflictOfInterest and Membership.
    return (
        Organisation.objects.filter(pk=organisation.pk)
        .filter(Q(conflicts__user=user) | Q(memberships__user=user))
        .exists()
    )


def is_staff_without_conflict(user, organisation, perm: str) -> bool:
    """Return whether the user holds ``perm`` and has no jäv for the organisation."""
    return _active(user) and user.has_perm(perm) and not has_conflict(user, organisation)


def is_caseworker(user) -> bool:
    """Return whether the user works cases: an officer, a decision maker or a secretary."""
    return _active(user) and any(user.has_perm(perm) for perm in CASEWORK)


def is_finance(user) -> bool:
    """Return whether the user works in the finance workspace: a finance officer."""
    return _active(user) and any(user.has_perm(perm) for perm in FINANCE)


def can_view_case(application, user) -> bool:
    """Return whether the user may open the case in the officer workspace: a caseworker without
    jäv for the organisation."""
    return is_caseworker(user) and not has_conflict(user, application.organisation)


def can_submit(application, user) -> bool:
    """Return whether the user may submit, complete, withdraw or report for the application."""
    return is_signatory(user, application.organisation)


def can_handle(application, user) -> bool:
    """Return whether the user may take, handle and request completion of the application."""
    return is_staff_without_conflict(user, application.organisation, HANDLE)


def can_propose(application, user) -> bool:
    """Return whether the user is the assigned officer, without jäv, who may propose."""
    return can_handle(application, user) and application.assigned_officer_id == user.id


def can_decide(application, user) -> bool:
    """Return whether the user decides cases (delegation or committee), without jäv.

    Delegation limits and four-eyes depend on the amount and are checked by
    ``decisions.services.decision_record``.
    """
    return is_staff_without_conflict(
        user, application.organisation, DECIDE
    ) or is_staff_without_conflict(user, application.organisation, RECORD_COMMITTEE)


def can_follow_up(application, user) -> bool:
    """Return whether the user may handle the follow-up report, without jäv."""
    return can_handle(application, user)


def can_claim_repayment(application, user) -> bool:
    """Return whether the user may claim a grant back, without jäv."""
    return is_staff_without_conflict(user, application.organisation, DECIDE)


def can_settle_repayment(application, user) -> bool:
    """Return whether the user is a finance officer, without jäv, who may settle a claim."""
    return is_staff_without_conflict(user, application.organisation, SETTLE_REPAYMENT)
