"""Register an organisation, change its details and store its yearly documents."""

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import log_action
from organisations import validators
from organisations.errors import WorkflowError
from organisations.files import store_upload
from organisations.models import Membership, Organisation, OrganisationDocument, User
from organisations.services.checks import (
    _lock_organisation,
    _require_signatory,
    _validation_problem,
)


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
    document = store_upload(
        OrganisationDocument(organisation=organisation, kind=kind, year=year),
        file,
        original_name=original_name,
        content_type=content_type,
        actor=actor,
    )
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
