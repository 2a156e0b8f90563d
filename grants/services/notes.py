"""Write internal notes in a case (tjänsteanteckningar): staff only, never shown to applicants."""

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import log_action
from grants import permissions
from grants.models import Application, InternalNote
from grants.services.checks import lock_application
from organisations.errors import WorkflowError
from organisations.models import User

#: The longest internal note.
INTERNAL_NOTE_MAX_LENGTH = 10000


@transaction.atomic
def internal_note_add(*, application: Application, actor: User, body: str) -> InternalNote:
    """Add a note to the case for the region's staff; a note is never changed afterwards."""
    application = lock_application(application)
    if not permissions.can_view_case(application, actor):
        if permissions.is_caseworker(actor):
            raise WorkflowError(
                _("You have a conflict of interest (jäv) for %(organisation)s.")
                % {"organisation": application.organisation.name},
                code="conflict",
            )
        raise WorkflowError(_("Only the region's caseworkers can write notes."), code="denied")
    body = body.strip()
    if not body:
        raise WorkflowError(_("Write the note before saving it."), code="invalid")
    if len(body) > INTERNAL_NOTE_MAX_LENGTH:
        raise WorkflowError(
            _("A note can be at most %(max)s characters long.") % {"max": INTERNAL_NOTE_MAX_LENGTH},
            code="invalid",
        )
    note = InternalNote.objects.create(application=application, author=actor, body=body)
    log_action(application, "grants.note.added", actor=actor, data={"note": note.pk})
    return note
