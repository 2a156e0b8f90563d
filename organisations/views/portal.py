"""The organisation pages of My pages: register, join, members, invitations, payout account and
documents. Each view fetches the organisation through a selector limited to its members (others
get 404), calls one service and says what happened."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations import selectors, services
from organisations.errors import WorkflowError
from organisations.files import private_file_response
from organisations.forms_portal import (
    DocumentForm,
    InvitationForm,
    JoinRequestDecisionForm,
    JoinRequestForm,
    OrganisationDetailsForm,
    OrganisationRegisterForm,
    PayoutAccountForm,
    RoleForm,
)
from organisations.models import Membership, Organisation, OrganisationDocument

#: The number of the registered organisation a user is asking to join, between two requests.
JOIN_SESSION_KEY = "organisations_join_number"


def _add_error(form, error: WorkflowError) -> None:
    for problem in error.problems or [str(error)]:
        form.add_error(None, problem)


def _require_signatory(organisation: Organisation) -> None:
    """Refuse a signatory's page to a contact person (the service checks again)."""
    if organisation.role != Membership.Role.SIGNATORY:
        raise PermissionDenied(_("Only a signatory can do this."))


def _masked(org_number: str) -> str:
    return Organisation(org_number=org_number).display_org_number


# Registering and joining ------------------------------------------------------------------


@login_required
def register(request):
    """Register an organisation; if its number is already registered, offer to ask to join.

    The number is looked at first: someone whose organisation is registered is offered to join
    at once, without having to fill in the address first.
    """
    form = OrganisationRegisterForm(request.POST or None)
    if request.method == "POST":
        valid = form.is_valid()
        number = None if "org_number" in form.errors else form.cleaned_data.get("org_number")
        if number and selectors.is_registered(org_number=number):
            return _offer_to_join(request, number)
        if valid:
            try:
                organisation = services.organisation_register(
                    actor=request.user, **form.cleaned_data
                )
            except WorkflowError as error:
                if error.code != "already_registered":  # registered meanwhile
                    _add_error(form, error)
                else:
                    return _offer_to_join(request, number)
            else:
                messages.success(
                    request,
                    _("%(name)s is registered and you are its signatory.")
                    % {"name": organisation.name},
                )
                return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/register.html", {"form": form})


def _offer_to_join(request, number: str):
    """Show the request to join for a registered number, or the organisation to a member."""
    mine = selectors.organisations_for_user(user=request.user)
    if existing := mine.filter(org_number=number).first():
        messages.info(
            request, _("You already act for %(organisation)s.") % {"organisation": existing.name}
        )
        return redirect("organisations:detail", pk=existing.pk)
    # Kept on the server, so the page shows nothing of the organisation but the number as
    # typed, masked if it is a personnummer.
    request.session[JOIN_SESSION_KEY] = number
    return render(
        request,
        "organisations/join_request.html",
        {"form": JoinRequestForm(), "display_number": _masked(number)},
    )


@login_required
@require_POST
def join_request(request):
    """Send a request to act for an organisation already registered with the number given."""
    form = JoinRequestForm(request.POST)
    number = request.session.get(JOIN_SESSION_KEY)
    organisation = Organisation.objects.filter(org_number=number).first() if number else None
    if organisation is None or not form.is_valid():
        messages.error(request, _("Fill in the organisation's details to register it."))
        return redirect("organisations:register")
    try:
        services.join_request_create(
            organisation=organisation, actor=request.user, message=form.cleaned_data["message"]
        )
    except WorkflowError as error:
        if error.code == "already_member":
            messages.info(request, str(error))
            return redirect("organisations:detail", pk=organisation.pk)
        _add_error(form, error)
        return render(
            request,
            "organisations/join_request.html",
            {"form": form, "display_number": organisation.display_org_number},
        )
    del request.session[JOIN_SESSION_KEY]
    messages.success(
        request,
        _(
            "Your request has been sent to the organisation's signatories. You will get an "
            "e-mail when they have answered."
        ),
    )
    return redirect("portal:dashboard")


# The organisation page ------------------------------------------------------------------


@login_required
def detail(request, pk):
    """Show the organisation: details, people, requests, invitations, account, documents."""
    organisation = selectors.organisation_for_member(user=request.user, pk=pk)
    this_year = timezone.localdate().year
    memberships = list(selectors.members_of(organisation=organisation))
    signatories = [m for m in memberships if m.role == Membership.Role.SIGNATORY]
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "is_signatory": organisation.role == Membership.Role.SIGNATORY,
            "memberships": memberships,
            # The last signatory can be neither removed nor made contact person: no buttons.
            "last_signatory": signatories[0] if len(signatories) == 1 else None,
            "join_requests": selectors.pending_join_requests(organisation=organisation),
            "invitations": selectors.open_invitations(organisation=organisation),
            "accounts": selectors.payout_account_status(organisation=organisation),
            "documents": selectors.documents_of(
                organisation=organisation, years=[this_year, this_year - 1]
            ),
            "role_choices": Membership.Role.choices,
        },
    )


@login_required
def edit(request, pk):
    """Let a signatory change the organisation's name and contact details."""
    organisation = selectors.organisation_for_member(user=request.user, pk=pk)
    _require_signatory(organisation)
    initial = {name: getattr(organisation, name) for name in OrganisationDetailsForm.base_fields}
    form = OrganisationDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        if organisation.org_type != Organisation.Type.SOLE_TRADER:
            del fields["publish_consent"]  # only a sole trader's name is ever withheld
        try:
            services.organisation_update(organisation=organisation, actor=request.user, **fields)
        except WorkflowError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The organisation's details are saved."))
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/edit.html", {"organisation": organisation, "form": form})


def _back_to(organisation):
    return redirect(reverse("organisations:detail", kwargs={"pk": organisation.pk}) + "#people")


@login_required
@require_POST
def member_role(request, pk, membership_pk):
    """Change a person's role (signatory only; the last signatory stays signatory)."""
    organisation = selectors.organisation_for_member(user=request.user, pk=pk)
    membership = selectors.membership_in(organisation=organisation, pk=membership_pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose signatory or contact person as the role."))
        return _back_to(organisation)
    try:
        membership = services.membership_change_role(
            membership=membership, actor=request.user, role=form.cleaned_data["role"]
        )
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": membership.user, "role": membership.get_role_display().lower()},
        )
    return _back_to(organisation)


@login_required
@require_POST
def member_remove(request, pk, membership_pk):
    """Remove a person from the organisation, or leave it oneself."""
    organisation = selectors.organisation_for_member(user=request.user, pk=pk)
    membership = selectors.membership_in(organisation=organisation, pk=membership_pk)
    leaving = membership.user_id == request.user.pk
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
        return _back_to(organisation)
    if leaving:
        messages.success(
            request,
            _("You no longer act for %(organisation)s.") % {"organisation": organisation.name},
        )
        return redirect("portal:dashboard")
    messages.success(
        request,
        _("%(name)s no longer acts for %(organisation)s.")
        % {"name": membership.user, "organisation": organisation.name},
    )
    return _back_to(organisation)


@login_required
@require_POST
def join_request_decide(request, pk, request_pk):
    """Approve a request to join with a role, or decline it (signatory only)."""
    organisation = selectors.organisation_for_member(user=request.user, pk=pk)
    join_request = selectors.join_request_in(organisation=organisation, pk=request_pk)
    form = JoinRequestDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to approve or decline the request."))
        return _back_to(organisation)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        join_request = services.join_request_decide(
            join_request=join_request,
            actor=request.user,
            approve=approve,
            role=form.cleaned_data["role"] or Membership.Role.MEMBER,
        )
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        text = (
            _("%(name)s now acts for the organisation.")
            if approve
            else _("The request from %(name)s is declined.")
        )
        messages.success(request, text % {"name": join_request.user})
    return _back_to(organisation)


# Invitations --------------------------------------------------------------------------------


@login_required
def invite(request, pk):
    """Invite a person by e-mail to act for the organisation (signatory only)."""
    organisation = selectors.organisation_for_member(user=request.user, pk=pk)
    _require_signatory(organisation)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except WorkflowError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return _back_to(organisation)
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))
    return render(
        request,
        "organisations/invite.html",
        {"organisation": organisation, "form": form, "days": days},
    )


@login_required
@require_POST
def invitation_revoke(request, pk, invitation_pk):
    """Withdraw an open invitation (signatory only)."""
    organisation = selectors.organisation_for_member(user=request.user, pk=pk)
    invitation = selectors.invitation_in(organisation=organisation, pk=invitation_pk)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email},
        )
    return _back_to(organisation)


def invitation(request, token):
    """Show an invitation to anyone with its link; a logged-in user with its address accepts.

    Public, so that the person invited learns what it is before logging in or signing up.
    """
    found = selectors.invitation_by_token(token=token)
    user = request.user if request.user.is_authenticated else None
    if request.method == "POST" and user is not None:
        try:
            membership = services.invitation_accept(token=token, user=user)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("You now act for %(organisation)s as %(role)s.")
                % {
                    "organisation": membership.organisation.name,
                    "role": membership.get_role_display().lower(),
                },
            )
            return redirect("organisations:detail", pk=membership.organisation_id)
        found = selectors.invitation_by_token(token=token)
    refusal = services.invitation_refusal(found, user)
    return render(
        request,
        "organisations/invitation.html",
        {
            "invitation": found if refusal is None or refusal.code == "wrong_email" else None,
            "refusal": refusal,
            "next": request.path,
        },
        status=404 if found is None else 200,
    )


# Payout account and documents -------------------------------------------------------------


@login_required
def payout_account(request, pk):
    """Show the payout account and its changes; a signatory enters a new account."""
    organisation = selectors.organisation_for_member(user=request.user, pk=pk)
    is_signatory = organisation.role == Membership.Role.SIGNATORY
    form = PayoutAccountForm(request.POST or None, initial={"holder_name": organisation.name})
    if request.method == "POST":
        _require_signatory(organisation)
        if form.is_valid():
            try:
                services.payout_account_add(
                    organisation=organisation, actor=request.user, **form.cleaned_data
                )
            except WorkflowError as error:
                _add_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "The new account is saved and awaits verification by the region's "
                        "finance officers."
                    ),
                )
                return redirect("organisations:payout_account", pk=organisation.pk)
    return render(
        request,
        "organisations/payout_account.html",
        {
            "organisation": organisation,
            "is_signatory": is_signatory,
            "accounts": selectors.payout_account_status(organisation=organisation),
            "form": form,
        },
    )


@login_required
def documents(request, pk):
    """List the organisation's yearly documents by year and upload a new one."""
    organisation = selectors.organisation_for_member(user=request.user, pk=pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            document = services.organisation_document_add(
                organisation=organisation,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                year=form.cleaned_data["year"],
                file=upload.file,
                original_name=upload.original_name,
                content_type=upload.content_type,
            )
        except WorkflowError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                _("%(document)s is saved.")
                % {"document": f"{document.get_kind_display()} {document.year}"},
            )
            return redirect("organisations:documents", pk=organisation.pk)
    by_year: dict[int, list[OrganisationDocument]] = {}
    newest: set[tuple[int, str]] = set()
    for document in selectors.documents_of(organisation=organisation):  # newest first per kind
        document.replaced = (document.year, document.kind) in newest
        newest.add((document.year, document.kind))
        by_year.setdefault(document.year, []).append(document)
    return render(
        request,
        "organisations/documents.html",
        {"organisation": organisation, "form": form, "by_year": by_year.items()},
    )


@login_required
def document_download(request, pk, document_pk):
    """Send a document to a member of its organisation; 404 to anyone else."""
    document = selectors.document_for_member(user=request.user, organisation_pk=pk, pk=document_pk)
    return private_file_response(document)
