"""Every write a user can cause to organisations, memberships, payout accounts and documents."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import log_action
from organisations import validators
from organisations.errors import WorkflowError
from organisations.files import sha256_of
from organisations.models import (
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    OrganisationDocument,
    PayoutAccount,
    User,
)
from organisations.notifications import email_on_commit

VERIFY_ACCOUNT = "organisations.verify_payoutaccount"


def _require_signatory(user: User, organisation: Organisation) -> None:
    if not Membership.objects.filter(
        user=user, organisation=organisation, role=Membership.Role.SIGNATORY
    ).exists():
        raise WorkflowError(
            _("Only a signatory of %(organisation)s can do this.")
            % {"organisation": organisation.name},
            code="not_signatory",
        )


def _validation_problem(error: ValidationError) -> WorkflowError:
    return WorkflowError(" ".join(error.messages), problems=error.messages, code="invalid")


@transaction.atomic
def organisation_register(
    *,
    actor: User,
    name: str,
    org_number: str,
    org_type: str,
    municipality: str,
    **details,
) -> Organisation:
    """Register an organisation with the actor as its first signatory."""
    try:
        number = validators.normalise_org_number(
            org_number, allow_personal=org_type == Organisation.Type.SOLE_TRADER
        )
    except ValidationError as error:
        raise _validation_problem(error) from error
    if Organisation.objects.filter(org_number=number).exists():
        raise WorkflowError(
            _(
                "An organisation with the number %(number)s is already registered. "
                "Ask its signatory to add you."
            )
            # A sole trader's number is a personnummer: never repeat it whole.
            % {"number": f"{number[:6]}-****" if validators.is_personal_number(number) else number},
            code="already_registered",
        )
    organisation = Organisation(
        name=name.strip(),
        org_number=number,
        org_type=org_type,
        municipality=municipality,
        **details,
    )
    try:
        organisation.full_clean()
    except ValidationError as error:
        raise _validation_problem(error) from error
    organisation.save()
    Membership.objects.create(user=actor, organisation=organisation, role=Membership.Role.SIGNATORY)
    log_action(
        organisation,
        "organisations.organisation.registered",
        actor=actor,
        data={"name": organisation.name, "org_type": org_type, "municipality": municipality},
    )
    return organisation


@transaction.atomic
def membership_add(
    *, organisation: Organisation, user: User, role: str, actor: User | None
) -> Membership:
    """Let ``user`` act for the organisation; a signatory (or the system, actor None) adds them."""
    if actor is not None:
        _require_signatory(actor, organisation)
    if role not in Membership.Role.values:
        raise WorkflowError(_("Choose signatory or contact person as the role."), code="invalid")
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    if not created and membership.role != role:
        old_role = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        log_action(
            membership,
            "organisations.membership.role_changed",
            actor=actor,
            data={"user": user.email, "old": old_role, "new": role},
        )
    elif created:
        log_action(
            membership,
            "organisations.membership.added",
            actor=actor,
            data={"user": user.email, "role": role},
        )
    return membership


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


@transaction.atomic
def organisation_document_add(
    *,
    organisation: Organisation,
    actor: User,
    kind: str,
    year: int,
    file: File,
    original_name: str,
    content_type: str,
) -> OrganisationDocument:
    """Store a yearly document that the organisation's applications that year reuse."""
    if not Membership.objects.filter(user=actor, organisation=organisation).exists():
        raise WorkflowError(
            _("Only members of %(organisation)s can upload its documents.")
            % {"organisation": organisation.name},
            code="not_member",
        )
    document = OrganisationDocument(
        organisation=organisation,
        kind=kind,
        year=year,
        original_name=original_name[:255],
        content_type=content_type,
        size=file.size,
        sha256=sha256_of(file),
        uploaded_by=actor,
    )
    document.file.save(f"{document.sha256[:16]}", file, save=False)
    document.save()
    log_action(
        document,
        "organisations.document.added",
        actor=actor,
        data={
            "kind": kind,
            "year": year,
            "name": document.original_name,
            "sha256": document.sha256,
        },
    )
    return document


# Joining, invitations and members ---------------------------------------------------------

#: What a signatory may change after registration; the number and type stay as registered.
ORGANISATION_EDITABLE_FIELDS = frozenset(
    {
        "name",
        "municipality",
        "street_address",
        "postal_code",
        "city",
        "email",
        "phone",
        "website",
        "publish_consent",
    }
)


def _site_url(viewname: str, *, language: str, **kwargs) -> str:
    """Return a page's absolute address in the recipient's language, for a link in an e-mail."""
    with translation.override(language):
        return settings.SITE_URL + reverse(viewname, kwargs=kwargs)


def _token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _lock_organisation(organisation: Organisation) -> Organisation:
    """Lock the organisation's row, so that memberships change one at a time.

    Two signatories removing each other at the same moment must not leave none.
    """
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _lock_membership(membership: Membership) -> Membership:
    _lock_organisation(membership.organisation)
    try:
        return Membership.objects.select_related("user", "organisation").get(pk=membership.pk)
    except Membership.DoesNotExist:
        raise WorkflowError(
            _("This person no longer acts for the organisation."), code="wrong_state"
        ) from None


def _require_another_signatory(membership: Membership) -> None:
    """Refuse to remove or demote the organisation's last active signatory."""
    others = Membership.objects.filter(
        organisation_id=membership.organisation_id,
        role=Membership.Role.SIGNATORY,
        user__is_active=True,
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise WorkflowError(
            _(
                "%(organisation)s must always have a signatory, and %(name)s is the only one. "
                "Make another person signatory first."
            )
            % {"organisation": membership.organisation.name, "name": membership.user},
            code="last_signatory",
        )


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: User, **fields) -> Organisation:
    """Change the organisation's name and contact details; a signatory does it."""
    _require_signatory(actor, organisation)
    if set(fields) - ORGANISATION_EDITABLE_FIELDS:
        raise WorkflowError(
            _(
                "The organisation number and type cannot be changed. Contact the region if "
                "they are wrong."
            ),
            code="invalid",
        )
    organisation = _lock_organisation(organisation)
    old, new = {}, {}
    for field, value in fields.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(organisation, field) != value:
            old[field], new[field] = getattr(organisation, field), value
            setattr(organisation, field, value)
    if not new:
        return organisation
    try:
        organisation.full_clean()
    except ValidationError as error:
        raise _validation_problem(error) from error
    organisation.save(update_fields=list(new))
    log_action(
        organisation,
        "organisations.organisation.updated",
        actor=actor,
        data={"old": old, "new": new},
    )
    return organisation


@transaction.atomic
def membership_change_role(*, membership: Membership, actor: User, role: str) -> Membership:
    """Make a contact person signatory or the reverse; the last signatory stays signatory."""
    membership = _lock_membership(membership)
    _require_signatory(actor, membership.organisation)
    if role not in Membership.Role.values:
        raise WorkflowError(_("Choose signatory or contact person as the role."), code="invalid")
    if membership.role == role:
        return membership
    if membership.role == Membership.Role.SIGNATORY:
        _require_another_signatory(membership)
    old_role, membership.role = membership.role, role
    membership.save(update_fields=["role"])
    log_action(
        membership,
        "organisations.membership.role_changed",
        actor=actor,
        data={"user": membership.user.email, "old": old_role, "new": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Remove a person from the organisation: a signatory removes anyone, anyone may leave.

    The last signatory can never be removed. The entry is written on the organisation, whose
    trail outlives the membership.
    """
    membership = _lock_membership(membership)
    if membership.user_id != actor.pk:
        _require_signatory(actor, membership.organisation)
    if membership.role == Membership.Role.SIGNATORY:
        _require_another_signatory(membership)
    log_action(
        membership.organisation,
        "organisations.membership.removed",
        actor=actor,
        data={"user": membership.user.email, "role": membership.role},
    )
    membership.delete()


def _signatories(organisation: Organisation) -> list[User]:
    return list(
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__role=Membership.Role.SIGNATORY,
            is_active=True,
        )
    )


@transaction.atomic
def join_request_create(
    *, organisation: Organisation, actor: User, message: str = ""
) -> JoinRequest:
    """Ask the signatories of a registered organisation to let the actor act for it."""
    if Membership.objects.filter(user=actor, organisation=organisation).exists():
        raise WorkflowError(
            _("You already act for %(organisation)s.") % {"organisation": organisation.name},
            code="already_member",
        )
    refusal = WorkflowError(
        _(
            "You have already asked to act for this organisation. Its signatories have been "
            "told and have not answered yet."
        ),
        code="already_requested",
    )
    if JoinRequest.objects.filter(
        user=actor, organisation=organisation, state=JoinRequest.State.PENDING
    ).exists():
        raise refusal
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                user=actor, organisation=organisation, message=message.strip()
            )
    except IntegrityError as error:  # the same request sent twice at the same moment
        raise refusal from error
    log_action(
        join_request,
        "organisations.join_request.created",
        actor=actor,
        data={"user": actor.email, "message": join_request.message},
    )
    for signatory in _signatories(organisation):
        email_on_commit(
            to=[signatory.email],
            template="organisation_join_request",
            context={
                "organisation": organisation.name,
                "requester": actor.full_name,
                "requester_email": actor.email,
                "message": join_request.message,
                "url": _site_url(
                    "organisations:detail", language=signatory.language, pk=organisation.pk
                ),
            },
            language=signatory.language,
        )
    return join_request


@transaction.atomic
def join_request_decide(
    *, join_request: JoinRequest, actor: User, approve: bool, role: str = "member"
) -> JoinRequest:
    """Approve a request to join, with the role the signatory chooses, or decline it."""
    join_request = (
        JoinRequest.objects.select_for_update()
        .select_related("user", "organisation")
        .get(pk=join_request.pk)
    )
    organisation = join_request.organisation
    _require_signatory(actor, organisation)
    if join_request.state != JoinRequest.State.PENDING:
        raise WorkflowError(_("This request has already been answered."), code="wrong_state")
    if approve:
        if role not in Membership.Role.values:
            raise WorkflowError(
                _("Choose signatory or contact person as the role."), code="invalid"
            )
        # Someone invited meanwhile keeps the role they already have.
        if not Membership.objects.filter(
            user=join_request.user, organisation=organisation
        ).exists():
            membership_add(
                organisation=organisation, user=join_request.user, role=role, actor=actor
            )
    join_request.state = JoinRequest.State.APPROVED if approve else JoinRequest.State.DECLINED
    join_request.decided_at = timezone.now()
    join_request.decided_by = actor
    join_request.save(update_fields=["state", "decided_at", "decided_by"])
    log_action(
        join_request,
        f"organisations.join_request.{join_request.state}",
        actor=actor,
        data={"user": join_request.user.email, "role": role if approve else None},
    )
    requester = join_request.user
    email_on_commit(
        to=[requester.email],
        template="organisation_join_decided",
        context={
            "organisation": organisation.name,
            "approved": approve,
            "role": role,
            "url": _site_url(
                "organisations:detail", language=requester.language, pk=organisation.pk
            )
            if approve
            else _site_url("portal:dashboard", language=requester.language),
        },
        language=requester.language,
    )
    return join_request


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, actor: User, email: str, role: str
) -> tuple[Invitation, str]:
    """Invite a person by e-mail; return the invitation and the token its link carries.

    Only the token's SHA-256 is stored. An earlier open invitation to the same address is
    replaced, so that one link at a time is valid.
    """
    _require_signatory(actor, organisation)
    email = User.objects.normalize_email(email.strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise WorkflowError(
            _("Enter the e-mail address of the person to invite, like name@example.org."),
            code="invalid",
        ) from None
    if role not in Membership.Role.values:
        raise WorkflowError(_("Choose signatory or contact person as the role."), code="invalid")
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise WorkflowError(
            _("%(email)s already acts for %(organisation)s.")
            % {"email": email, "organisation": organisation.name},
            code="already_member",
        )
    now = timezone.now()
    replaced = list(
        organisation.invitations.select_for_update().filter(
            email__iexact=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        )
    )
    for earlier in replaced:
        earlier.revoked_at = now
        earlier.save(update_fields=["revoked_at"])
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_sha256=_token_sha256(token),
        invited_by=actor,
        expires_at=now + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
    )
    log_action(
        invitation,
        "organisations.invitation.created",
        actor=actor,
        data={"email": email, "role": role, "replaced": [i.pk for i in replaced]},
    )
    invitee = User.objects.filter(email__iexact=email).first()
    language = invitee.language if invitee else settings.LANGUAGE_CODE
    email_on_commit(
        to=[email],
        template="organisation_invitation",
        context={
            "organisation": organisation.name,
            "inviter": actor.full_name,
            "role": role,
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
            "url": _site_url("organisations:invitation", language=language, token=token),
        },
        language=language,
    )
    return invitation, token


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    """Withdraw an open invitation: its link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _require_signatory(actor, invitation.organisation)
    if not invitation.is_open:
        raise WorkflowError(
            _("This invitation is no longer open: it has been accepted, revoked or has expired."),
            code="wrong_state",
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    log_action(
        invitation,
        "organisations.invitation.revoked",
        actor=actor,
        data={"email": invitation.email},
    )
    return invitation


def invitation_refusal(invitation: Invitation | None, user: User | None) -> WorkflowError | None:
    """Return why this invitation cannot be accepted (by ``user``, if given), or None."""
    if invitation is None:
        return WorkflowError(
            _(
                "This invitation link is not valid. Check that you copied the whole link, or "
                "ask the organisation for a new invitation."
            ),
            code="not_found",
        )
    if invitation.accepted_at is not None:
        return WorkflowError(_("This invitation has already been accepted."), code="used")
    if invitation.revoked_at is not None:
        return WorkflowError(
            _("This invitation has been withdrawn. Ask the organisation for a new one."),
            code="revoked",
        )
    if invitation.expires_at <= timezone.now():
        return WorkflowError(
            _("This invitation has expired. Ask the organisation for a new one."),
            code="expired",
        )
    if user is not None and user.email.lower() != invitation.email.lower():
        return WorkflowError(
            _(
                "This invitation was sent to %(invited)s, but you are logged in as %(email)s. "
                "Log in with the address the invitation was sent to, or ask the organisation "
                "to invite %(email)s."
            )
            % {"invited": invitation.email, "email": user.email},
            code="wrong_email",
        )
    return None


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """Accept an invitation: the user acts for the organisation with the invited role.

    The user must be logged in with the address the invitation was sent to. A signatory who
    accepts an invitation as contact person stays signatory.
    """
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organisation")
        .filter(token_sha256=_token_sha256(token))
        .first()
    )
    if refusal := invitation_refusal(invitation, user):
        raise refusal
    organisation = invitation.organisation
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None or invitation.role == Membership.Role.SIGNATORY:
        membership = membership_add(
            organisation=organisation, user=user, role=invitation.role, actor=None
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    # A request to join that the user sent meanwhile is answered by the invitation.
    for join_request in JoinRequest.objects.select_for_update().filter(
        user=user, organisation=organisation, state=JoinRequest.State.PENDING
    ):
        join_request.state = JoinRequest.State.APPROVED
        join_request.decided_at = invitation.accepted_at
        join_request.decided_by = invitation.invited_by
        join_request.save(update_fields=["state", "decided_at", "decided_by"])
        log_action(
            join_request,
            "organisations.join_request.approved",
            actor=user,
            data={"user": user.email, "role": membership.role, "invitation": invitation.pk},
        )
    log_action(
        invitation,
        "organisations.invitation.accepted",
        actor=user,
        data={"email": invitation.email, "role": membership.role},
    )
    return membership


# Accounts ------------------------------------------------------------------------------------

USER_EDITABLE_FIELDS = ("full_name", "phone", "language")


class AccountActivationTokenGenerator(PasswordResetTokenGenerator):
    """Make and check the link that confirms a new account's e-mail address.

    The hash covers ``is_active`` (and, through the parent, the password and the last login), so a
    link works once: activating the account changes what it was made from. Links expire after
    ``PASSWORD_RESET_TIMEOUT``.
    """

    key_salt = "organisations.services.AccountActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


account_activation_token = AccountActivationTokenGenerator()


def user_is_pending(user: User) -> bool:
    """Return whether the account was signed up for and its e-mail address never confirmed.

    A pending account has never been used: it is inactive, nobody ever logged in with it and it
    acts for no organisation. An account that staff switched off is inactive but not pending.
    """
    return (
        not user.is_active
        and user.last_login is None
        and not user.is_staff
        and not user.memberships.exists()
    )


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        raise _validation_problem(error) from error


def _check_language(language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise WorkflowError(_("Choose Swedish or English as the language."), code="invalid")


@transaction.atomic
def user_sign_up(
    *, full_name: str, email: str, password: str, language: str, phone: str = ""
) -> User:
    """Create an inactive account that the link in the confirmation e-mail activates.

    If the address belongs to an account that is still pending, that sign-up is replaced by this
    one: nobody has proven the address yet, and only the newest link will work. If it belongs to
    any other account, raise WorkflowError with the code ``email_registered``; the page must not
    tell the visitor so (the caller e-mails the address instead).
    """
    email = User.objects.normalize_email(email.strip()).lower()
    full_name = full_name.strip()
    phone = phone.strip()
    _check_language(language)
    if not full_name:
        raise WorkflowError(_("Write your name."), code="invalid")
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is not None and not user_is_pending(existing):
        raise WorkflowError(
            _("An account with this e-mail address already exists."), code="email_registered"
        )
    user = existing or User(email=email, is_active=False)
    user.full_name, user.phone, user.language = full_name, phone, language
    _check_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        # Someone signed up with the same address a moment ago.
        raise WorkflowError(
            _("An account with this e-mail address already exists."), code="email_registered"
        ) from error
    log_action(
        user,
        "organisations.user.signed_up",
        actor=user,
        data={"email": email, "language": language, "replaced_pending": existing is not None},
    )
    return user


@transaction.atomic
def user_activate(*, user: User) -> User:
    """Activate a pending account whose owner followed the link in the confirmation e-mail."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not user_is_pending(locked):
        raise WorkflowError(
            _("This account is already confirmed. Log in with your e-mail address."),
            code="not_pending",
        )
    locked.is_active = True
    locked.save(update_fields=["is_active"])
    log_action(locked, "organisations.user.activated", actor=locked, data={"email": locked.email})
    user.is_active = True
    return user


@transaction.atomic
def user_update(*, user: User, actor: User, **fields) -> User:
    """Change a person's name, phone or preferred language; record the old and new values.

    People change their own details; someone else needs the permission to change users.
    """
    unknown = sorted(set(fields) - set(USER_EDITABLE_FIELDS))
    if unknown:
        raise WorkflowError(
            _("These details cannot be changed here: %(fields)s.") % {"fields": ", ".join(unknown)},
            code="invalid",
        )
    if actor.pk != user.pk and not actor.has_perm("organisations.change_user"):
        raise WorkflowError(_("You can only change your own details."), code="forbidden")
    if "language" in fields:
        _check_language(fields["language"])
    if "full_name" in fields:
        fields["full_name"] = fields["full_name"].strip()
        if not fields["full_name"]:
            raise WorkflowError(_("Write your name."), code="invalid")
    if "phone" in fields:
        fields["phone"] = fields["phone"].strip()
    changes = {
        name: {"old": getattr(user, name), "new": value}
        for name, value in fields.items()
        if getattr(user, name) != value
    }
    if not changes:
        return user
    for name, change in changes.items():
        setattr(user, name, change["new"])
    user.save(update_fields=list(changes))
    log_action(user, "organisations.user.changed", actor=actor, data=changes)
    return user


@transaction.atomic
def user_password_set(*, user: User, password: str, actor: User, via: str) -> User:
    """Give the user a new password (``via`` says how: "change" or "reset"); never log it."""
    if actor.pk != user.pk:
        raise WorkflowError(_("You can only change your own password."), code="forbidden")
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    log_action(user, "organisations.user.password_changed", actor=actor, data={"via": via})
    return user


def link_valid_days() -> int:
    """Return for how many days confirmation and password links work."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))


def user_activation_email_send(*, user: User, activation_url: str) -> None:
    """E-mail the link that confirms the address and activates the account, after commit."""
    email_on_commit(
        to=[user.email],
        template="account_activation",
        context={
            "name": user.full_name,
            "activation_url": activation_url,
            "days": link_valid_days(),
        },
        language=user.language,
    )


def user_exists_email_send(*, user: User, login_url: str, password_reset_url: str) -> None:
    """Tell the owner of an address that someone tried to sign up with it again."""
    email_on_commit(
        to=[user.email],
        template="account_exists",
        context={
            "name": user.full_name,
            "login_url": login_url,
            "password_reset_url": password_reset_url,
        },
        language=user.language,
    )


def user_password_reset_email_send(*, user: User, reset_url: str, language: str) -> None:
    """E-mail the link that lets the user choose a new password, after commit."""
    email_on_commit(
        to=[user.email],
        template="account_password_reset",
        context={"name": user.full_name, "reset_url": reset_url, "days": link_valid_days()},
        language=language,
    )
