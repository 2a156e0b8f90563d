"""Write a draft application, its budget and its attachments, or complete them when asked."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import log_action
from grants import permissions, steps
from grants.models import (
    Application,
    ApplicationPart,
    Attachment,
    AttachmentKind,
    BudgetLine,
    Call,
)
from grants.services.checks import lock_application
from grants.workflow import ApplicationState
from organisations.errors import WorkflowError
from organisations.files import store_upload
from organisations.models import Organisation, User

S = ApplicationState


@transaction.atomic
def application_create(
    *,
    organisation: Organisation,
    call: Call,
    actor: User,
    title: str,
    **fields,
) -> Application:
    """Start a draft application for the organisation; any member may."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    if not permissions.is_member(actor, organisation):
        raise WorkflowError(
            _("Only members of %(organisation)s can apply for it.")
            % {"organisation": organisation.name},
            code="not_member",
        )
    application = Application(
        organisation=organisation,
        call=call,
        author=actor,
        title=title.strip(),
        letter_language=fields.pop("letter_language", actor.language or "sv"),
        **fields,
    )
    application.save()
    log_action(
        application,
        "grants.application.created",
        actor=actor,
        data={"title": application.title, "call": call.pk},
    )
    return application


def _require_editable(
    application: Application, actor: User, parts: list[str] | set[str] | tuple = ()
) -> None:
    """Raise unless the actor may change the application, and each of ``parts`` of it, now.

    During a completion only the parts the officer named may change (``grants.steps``).
    """
    if not permissions.is_member(actor, application.organisation):
        raise WorkflowError(
            _("Only members of %(organisation)s can change this application.")
            % {"organisation": application.organisation.name},
            code="not_member",
        )
    if application.state not in {S.DRAFT, S.COMPLETION_REQUESTED}:
        raise WorkflowError(
            _("The application can no longer be changed: it is “%(state)s”.")
            % {"state": application.get_state_display()},
            code="wrong_state",
        )
    if not parts or application.state == S.DRAFT:
        return
    editable = steps.editable_parts(application)
    locked = [part for part in ApplicationPart.values if part in parts and part not in editable]
    if locked:
        labels = dict(ApplicationPart.choices)
        raise WorkflowError(
            _(
                "The officer asked you to complete only: %(editable)s. “%(locked)s” cannot be "
                "changed now; write to the officer if it needs to."
            )
            % {
                "editable": ", ".join(str(labels[part]) for part in editable),
                "locked": ", ".join(str(labels[part]) for part in locked),
            },
            code="part_locked",
        )


#: The audit actions by which an applicant changes an application.
APPLICANT_CHANGES = [
    "grants.application.changed",
    "grants.application.budget_changed",
    "grants.application.attachment_added",
]


EDITABLE_FIELDS = {
    "title",
    "summary",
    "description",
    "activity_starts",
    "activity_ends",
    "target_groups",
    "municipalities",
    "perspectives",
    "agenda_goals",
    "requested_amount",
    "letter_language",
}


@transaction.atomic
def application_update(*, application: Application, actor: User, **fields) -> Application:
    """Save changes to a draft, or to the parts of an application an officer asked to complete.

    A field of a part the open completion request does not name may be sent unchanged, not
    changed.
    """
    application = lock_application(application)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    changed = {
        name: {"old": getattr(application, name), "new": value}
        for name, value in fields.items()
        if getattr(application, name) != value
    }
    _require_editable(application, actor, parts={steps.FIELD_PART[name] for name in changed})
    for name, change in changed.items():
        setattr(application, name, change["new"])
    try:
        application.full_clean(exclude=["state", "organisation", "call", "author"])
    except ValidationError as error:
        raise WorkflowError(" ".join(error.messages), problems=error.messages) from error
    application.save(update_fields=[*fields, "updated_at"])
    if changed and application.state != S.DRAFT:
        log_action(application, "grants.application.changed", actor=actor, data=changed)
    return application


@transaction.atomic
def budget_set(*, application: Application, actor: User, lines: list[dict]) -> list[BudgetLine]:
    """Replace the budget lines; each line is {kind, category, description, amount}."""
    application = lock_application(application)
    _require_editable(application, actor, parts=[ApplicationPart.BUDGET])
    new_lines = []
    for order, line in enumerate(lines):
        budget_line = BudgetLine(
            application=application,
            kind=line["kind"],
            category=line["category"],
            description=line.get("description", ""),
            amount=Decimal(line["amount"]),
            order=order,
        )
        try:
            budget_line.full_clean(exclude=["application"])
        except ValidationError as error:
            raise WorkflowError(" ".join(error.messages), problems=error.messages) from error
        new_lines.append(budget_line)
    application.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(new_lines)
    application.save(update_fields=["updated_at"])
    if application.state != S.DRAFT:
        log_action(
            application,
            "grants.application.budget_changed",
            actor=actor,
            data={"lines": [line | {"amount": str(line["amount"])} for line in lines]},
        )
    return new_lines


@transaction.atomic
def attachment_add(
    *,
    application: Application,
    actor: User,
    kind: str,
    file: File,
    original_name: str,
    content_type: str,
) -> Attachment:
    """Attach a file (already checked by content and size by the form) to the application."""
    application = lock_application(application)
    _require_editable(application, actor, parts=[ApplicationPart.ATTACHMENTS])
    if kind not in AttachmentKind.values:
        raise WorkflowError(_("Choose what kind of attachment the file is."), code="invalid")
    attachment = store_upload(
        Attachment(application=application, kind=kind),
        file,
        original_name=original_name,
        content_type=content_type,
        actor=actor,
    )
    application.save(update_fields=["updated_at"])
    log_action(
        application,
        "grants.application.attachment_added",
        actor=actor,
        data={"kind": kind, "name": attachment.original_name, "sha256": attachment.sha256},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: User) -> None:
    """Remove an attachment from an application that may still be changed.

    What the region has received is kept: during a completion, only the files added since the
    officer asked can be removed again.
    """
    application = lock_application(attachment.application)
    _require_editable(application, actor, parts=[ApplicationPart.ATTACHMENTS])
    attachment = Attachment.objects.filter(pk=attachment.pk, application=application).first()
    if attachment is None:
        raise WorkflowError(_("The attachment has already been removed."), code="gone")
    received_until = None
    if application.state != S.DRAFT:
        request = steps.open_completion_request(application)
        received_until = request.requested_at if request else application.submitted_at
    if received_until and attachment.uploaded_at <= received_until:
        raise WorkflowError(
            _(
                "“%(name)s” was received with the application and stays in the case. Upload a "
                "new file if it needs to be replaced."
            )
            % {"name": attachment.original_name},
            code="received",
        )
    data = {
        "kind": attachment.kind,
        "name": attachment.original_name,
        "sha256": attachment.sha256,
    }
    stored_name = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    application.save(update_fields=["updated_at"])
    log_action(application, "grants.application.attachment_removed", actor=actor, data=data)
    # The file goes only once the row is surely gone; a rollback keeps both.
    transaction.on_commit(lambda: storage.delete(stored_name))
