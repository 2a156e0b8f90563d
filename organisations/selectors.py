"""Reads the organisation pages need, limited to what the user may see.

A missing object and one the user may not see give the same 404. Organisations never import
grants (imports run decisions → grants → organisations), so membership is read from
``Membership`` directly.
"""

import hashlib
from typing import NamedTuple

from django.db.models import F, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from organisations.models import (
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    OrganisationDocument,
    PayoutAccount,
    User,
)


def organisations_for_user(*, user: User) -> QuerySet[Organisation]:
    """Return the organisations the user acts for, each with ``role``: the user's role in it."""
    return (
        Organisation.objects.filter(memberships__user=user)
        .annotate(role=F("memberships__role"))
        .order_by("name")
    )


def is_registered(*, org_number: str) -> bool:
    """Return whether an organisation with this (normalised) number is registered."""
    return Organisation.objects.filter(org_number=org_number).exists()


def organisation_for_member(*, user: User, pk: int) -> Organisation:
    """Return the organisation with ``role`` if the user acts for it; raise Http404 otherwise."""
    return get_object_or_404(organisations_for_user(user=user), pk=pk)


def is_signatory(*, user: User, organisation: Organisation) -> bool:
    """Return whether the user is a signatory of the organisation."""
    return Membership.objects.filter(
        user=user, organisation=organisation, role=Membership.Role.SIGNATORY
    ).exists()


def members_of(*, organisation: Organisation) -> QuerySet[Membership]:
    """Return the organisation's memberships with their people, signatories first."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-role", "user__full_name", "user__email")
    )


def membership_in(*, organisation: Organisation, pk: int) -> Membership:
    """Return one of the organisation's memberships; raise Http404 if it is not one of them."""
    return get_object_or_404(members_of(organisation=organisation), pk=pk)


def pending_join_requests(*, organisation: Organisation) -> QuerySet[JoinRequest]:
    """Return the requests to join that await a signatory, oldest first."""
    return (
        JoinRequest.objects.filter(organisation=organisation, state=JoinRequest.State.PENDING)
        .exclude(user__memberships__organisation=organisation)  # added meanwhile by other means
        .select_related("user")
        .order_by("created_at")
    )


def join_request_in(*, organisation: Organisation, pk: int) -> JoinRequest:
    """Return one of the organisation's requests to join; raise Http404 otherwise."""
    return get_object_or_404(JoinRequest.objects.filter(organisation=organisation), pk=pk)


def open_invitations(*, organisation: Organisation) -> QuerySet[Invitation]:
    """Return the invitations that can still be accepted, newest first."""
    return (
        Invitation.objects.filter(
            organisation=organisation,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitation_in(*, organisation: Organisation, pk: int) -> Invitation:
    """Return one of the organisation's invitations; raise Http404 otherwise."""
    return get_object_or_404(Invitation.objects.filter(organisation=organisation), pk=pk)


def invitation_by_token(*, token: str) -> Invitation | None:
    """Return the invitation a link's token belongs to, or None."""
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_sha256=hashlib.sha256(token.encode()).hexdigest())
        .first()
    )


class PayoutAccountStatus(NamedTuple):
    """The account in use, a change awaiting verification, and the latest change rejected."""

    in_use: PayoutAccount | None
    pending: PayoutAccount | None
    rejected: PayoutAccount | None


def payout_account_status(*, organisation: Organisation) -> PayoutAccountStatus:
    """Return the organisation's payout accounts as the applicant needs to see them."""
    return payout_account_status_of(organisation.payout_accounts.order_by("-created_at", "-pk"))


def payout_account_status_of(accounts) -> PayoutAccountStatus:
    """Return the status from all of an organisation's accounts, newest first.

    A rejection is shown only while it is the latest thing that happened to the account.
    """
    accounts = list(accounts)
    current = [a for a in accounts if a.superseded_at is None and a.rejected_at is None]
    latest = accounts[0] if accounts else None
    return PayoutAccountStatus(
        in_use=next((a for a in current if a.verified_at is not None), None),
        pending=next((a for a in current if a.verified_at is None), None),
        rejected=latest if latest is not None and latest.rejected_at is not None else None,
    )


def documents_of(
    *, organisation: Organisation, years: list[int] | None = None
) -> QuerySet[OrganisationDocument]:
    """Return the organisation's documents (of the given years), newest year first."""
    documents = OrganisationDocument.objects.filter(organisation=organisation)
    if years is not None:
        documents = documents.filter(year__in=years)
    return documents.select_related("uploaded_by").order_by("-year", "kind", "-uploaded_at", "-pk")


def document_for_member(*, user: User, organisation_pk: int, pk: int) -> OrganisationDocument:
    """Return a document of an organisation the user acts for; raise Http404 otherwise."""
    return get_object_or_404(
        OrganisationDocument.objects.filter(
            organisation_id=organisation_pk, organisation__memberships__user=user
        ),
        pk=pk,
    )


def memberships_with_accounts(*, user: User) -> QuerySet[Membership]:
    """Return the user's memberships with their organisations and all their payout accounts,
    newest first (``organisation.accounts_newest_first``), by organisation name."""
    accounts = PayoutAccount.objects.order_by("-created_at", "-pk")
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "organisation__payout_accounts",
                queryset=accounts,
                to_attr="accounts_newest_first",
            )
        )
        .order_by("organisation__name")
    )


def invitations_for_user(*, user: User) -> QuerySet[Invitation]:
    """Return the open invitations sent to the user's e-mail address."""
    return Invitation.objects.filter(
        email__iexact=user.email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("organisation")


def join_requests_of(*, user: User) -> QuerySet[JoinRequest]:
    """Return the user's own requests to join that await a signatory."""
    return JoinRequest.objects.filter(user=user, state=JoinRequest.State.PENDING).select_related(
        "organisation"
    )
