"""Let people act for an organisation: memberships, their roles and requests to join."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import log_action
from organisations.errors import WorkflowError
from organisations.models import JoinRequest, Membership, Organisation, User
from organisations.notifications import email_on_commit
from organisations.services.checks import _lock_organisation, _require_signatory


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


def _site_url(viewname: str, *, language: str, **kwargs) -> str:
    """Return a page's absolute address in the recipient's language, for a link in an e-mail."""
    with translation.override(language):
        return settings.SITE_URL + reverse(viewname, kwargs=kwargs)


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
