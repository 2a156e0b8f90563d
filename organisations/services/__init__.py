"""Every write a user can cause to organisations, memberships, payout accounts and documents.

The services live in submodules by what they change: ``organisations`` (registration, details,
documents), ``payout_accounts``, ``members`` (memberships and requests to join), ``invitations``
and ``accounts`` (sign-up, activation, details, passwords); ``checks`` holds what they share.
Import them from here.
"""

from organisations.errors import WorkflowError
from organisations.services.accounts import (
    USER_EDITABLE_FIELDS,
    AccountActivationTokenGenerator,
    account_activation_token,
    link_valid_days,
    user_activate,
    user_activation_email_send,
    user_exists_email_send,
    user_is_pending,
    user_password_reset_email_send,
    user_password_set,
    user_sign_up,
    user_update,
)
from organisations.services.invitations import (
    _token_sha256,
    invitation_accept,
    invitation_create,
    invitation_refusal,
    invitation_revoke,
)
from organisations.services.members import (
    join_request_create,
    join_request_decide,
    membership_add,
    membership_change_role,
    membership_remove,
)
from organisations.services.organisations import (
    ORGANISATION_EDITABLE_FIELDS,
    organisation_document_add,
    organisation_register,
    organisation_update,
)
from organisations.services.payout_accounts import (
    VERIFY_ACCOUNT,
    payout_account_add,
    payout_account_reject,
    payout_account_verify,
)

__all__ = [
    "ORGANISATION_EDITABLE_FIELDS",
    "USER_EDITABLE_FIELDS",
    "VERIFY_ACCOUNT",
    "AccountActivationTokenGenerator",
    "WorkflowError",
    "_token_sha256",
    "account_activation_token",
    "invitation_accept",
    "invitation_create",
    "invitation_refusal",
    "invitation_revoke",
    "join_request_create",
    "join_request_decide",
    "link_valid_days",
    "membership_add",
    "membership_change_role",
    "membership_remove",
    "organisation_document_add",
    "organisation_register",
    "organisation_update",
    "payout_account_add",
    "payout_account_reject",
    "payout_account_verify",
    "user_activate",
    "user_activation_email_send",
    "user_exists_email_send",
    "user_is_pending",
    "user_password_reset_email_send",
    "user_password_set",
    "user_sign_up",
    "user_update",
]
