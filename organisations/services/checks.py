"""Check and lock what the organisation services share."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from organisations.errors import WorkflowError
from organisations.models import Membership, Organisation, User


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


def _lock_organisation(organisation: Organisation) -> Organisation:
    """Lock the organisation's row, so that memberships change one at a time.

    Two signatories removing each other at the same moment must not leave none.
    """
    return Organisation.objects.select_for_update().get(pk=organisation.pk)
