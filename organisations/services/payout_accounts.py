"""Add an organisation's payout account, and let a finance officer verify or reject it."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import log_action
from organisations import validators
from organisations.errors import WorkflowError
from organisations.models import Membership, Organisation, PayoutAccount, User
from organisations.services.checks import _require_signatory, _validation_problem

VERIFY_ACCOUNT = "organisations.verify_payoutaccount"


@transaction.atomic
def payout_account_add(
    *,
    organisation: Organisation,
    actor: User,
    kind: str,
    number: str,
    holder_name: str,
    bic: str = "",
) -> PayoutAccount:
    """Add a payout account, or change it: the new account awaits a finance officer's check.

    The verified account in use stays in use until the new one is verified; an earlier change
    still awaiting verification is replaced.
    """
    _require_signatory(actor, organisation)
    try:
        normalised = validators.normalise_payout_number(kind, number)
        bic = validators.normalise_bic(bic) if bic.strip() else ""
    except ValidationError as error:
        raise _validation_problem(error) from error
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    now = timezone.now()
    # Locked, so an account being verified at this moment is not retired once verified.
    replaced = list(organisation.payout_accounts.pending().select_for_update())
    for account in replaced:
        account.superseded_at = now
        account.save(update_fields=["superseded_at"])
    account = PayoutAccount.objects.create(
        organisation=organisation,
        kind=kind,
        number=normalised,
        bic=bic,
        holder_name=holder_name.strip(),
        created_by=actor,
    )
    log_action(
        account,
        "organisations.payout_account.added",
        actor=actor,
        data={
            "organisation": organisation.org_number,
            "kind": kind,
            "number": normalised,
            "holder_name": account.holder_name,
            "replaced_pending": [a.pk for a in replaced],
        },
    )
    return account


def _lock_account(account: PayoutAccount) -> PayoutAccount:
    return PayoutAccount.objects.select_for_update().get(pk=account.pk)


def _require_verifier(actor: User, account: PayoutAccount) -> None:
    if not (actor.is_active and actor.has_perm(VERIFY_ACCOUNT)):
        raise WorkflowError(
            _("Only a finance officer can verify payout accounts."), code="wrong_role"
        )
    if Membership.objects.filter(user=actor, organisation=account.organisation).exists():
        raise WorkflowError(
            _("You are a member of %(organisation)s and cannot verify its account (jäv).")
            % {"organisation": account.organisation.name},
            code="conflict",
        )
    # A declared jäv is a grants.ConflictOfInterest; read through the reverse relation on the
    # organisation so that this app does not import grants.
    if account.organisation.conflicts.filter(user=actor).exists():
        raise WorkflowError(
            _("You have declared a conflict of interest (jäv) for %(organisation)s.")
            % {"organisation": account.organisation.name},
            code="conflict",
        )
    if account.created_by_id == actor.pk:
        raise WorkflowError(
            _("You entered this account yourself; another finance officer must verify it."),
            code="four_eyes",
        )


@transaction.atomic
def payout_account_verify(*, account: PayoutAccount, actor: User) -> PayoutAccount:
    """Verify an account: from now on it is the one paid, and the one it replaces is retired."""
    account = _lock_account(account)
    _require_verifier(actor, account)
    if account.verified_at or account.rejected_at or account.superseded_at:
        raise WorkflowError(
            _("This account is no longer awaiting verification."), code="wrong_state"
        )
    now = timezone.now()
    previous = list(account.organisation.payout_accounts.verified().select_for_update())
    for old in previous:
        old.superseded_at = now
        old.save(update_fields=["superseded_at"])
    account.verified_at = now
    account.verified_by = actor
    try:
        with transaction.atomic():
            account.save(update_fields=["verified_at", "verified_by"])
    except IntegrityError as error:
        raise WorkflowError(
            _("The account was changed at the same time; reload and try again."),
            code="conflict",
        ) from error
    log_action(
        account,
        "organisations.payout_account.verified",
        actor=actor,
        data={"kind": account.kind, "number": account.number, "replaced": [a.pk for a in previous]},
    )
    return account


@transaction.atomic
def payout_account_reject(*, account: PayoutAccount, actor: User, reason: str) -> PayoutAccount:
    """Reject an account change; the verified account in use, if any, stays in use."""
    account = _lock_account(account)
    _require_verifier(actor, account)
    if account.verified_at or account.rejected_at or account.superseded_at:
        raise WorkflowError(
            _("This account is no longer awaiting verification."), code="wrong_state"
        )
    if not reason.strip():
        raise WorkflowError(_("Give the reason for rejecting the account."), code="invalid")
    account.rejected_at = timezone.now()
    account.rejected_by = actor
    account.rejection_reason = reason.strip()
    account.save(update_fields=["rejected_at", "rejected_by", "rejection_reason"])
    log_action(
        account,
        "organisations.payout_account.rejected",
        actor=actor,
        data={"kind": account.kind, "number": account.number, "reason": account.rejection_reason},
    )
    return account
