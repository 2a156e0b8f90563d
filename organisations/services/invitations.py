"""Invite a person by e-mail to act for an organisation, and accept or revoke the invitation."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import log_action
from organisations.errors import WorkflowError
from organisations.models import Invitation, JoinRequest, Membership, Organisation, User
from organisations.notifications import email_on_commit
from organisations.services.checks import _require_signatory
from organisations.services.members import _site_url, membership_add


def _token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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
