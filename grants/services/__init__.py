"""Every write a user can cause to an application before its decision (DESIGN §4, §10).

Each transition service runs the same steps in the same order (STYLE rule 4): open the
transaction, lock the row, check permission and state, call the transition, save, audit, and
queue e-mail on commit. Every refusal is a ``WorkflowError`` with a message for the person.

The services live in submodules by the stage of the case: ``drafts``, ``submission``,
``handling`` (review up to the proposal, withdrawal, jäv) and ``messages``; ``checks`` holds the
locking and the checks they share. Import them from here.
"""

from grants.services.checks import (
    _application_facts,
    _money,
    _signatory_emails,
    lock_application,
    require_transition,
    submission_problems,
)
from grants.services.drafts import (
    APPLICANT_CHANGES,
    EDITABLE_FIELDS,
    application_create,
    application_update,
    attachment_add,
    attachment_remove,
    budget_set,
)
from grants.services.handling import (
    application_assign,
    application_complete,
    application_propose,
    application_request_completion,
    application_return_for_review,
    application_start_review,
    application_withdraw,
    assessment_save,
    conflict_declare,
    require_assessor,
)
from grants.services.messages import (
    CASE_MESSAGE_MAX_LENGTH,
    case_message_send,
    case_messages_mark_read,
    messages_open,
)
from grants.services.notes import INTERNAL_NOTE_MAX_LENGTH, internal_note_add
from grants.services.submission import (
    application_request_submission,
    application_submit,
    case_number_next,
)
from organisations.errors import WorkflowError

__all__ = [
    "APPLICANT_CHANGES",
    "CASE_MESSAGE_MAX_LENGTH",
    "EDITABLE_FIELDS",
    "INTERNAL_NOTE_MAX_LENGTH",
    "WorkflowError",
    "_application_facts",
    "_money",
    "_signatory_emails",
    "application_assign",
    "application_complete",
    "application_create",
    "application_propose",
    "application_request_completion",
    "application_request_submission",
    "application_return_for_review",
    "application_start_review",
    "application_submit",
    "application_update",
    "application_withdraw",
    "assessment_save",
    "attachment_add",
    "attachment_remove",
    "budget_set",
    "case_message_send",
    "case_messages_mark_read",
    "case_number_next",
    "conflict_declare",
    "internal_note_add",
    "lock_application",
    "messages_open",
    "require_assessor",
    "require_transition",
    "submission_problems",
]
