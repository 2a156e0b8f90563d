"""Write messages in a case between the applicant's organisation and its officers."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import log_action
from grants import permissions
from grants.models import Application, CaseMessage
from grants.services.checks import _application_facts, _signatory_emails, lock_application
from grants.workflow import ApplicationState
from organisations.errors import WorkflowError
from organisations.models import User
from organisations.notifications import email_on_commit

S = ApplicationState


#: The longest message either side may write in the case.
CASE_MESSAGE_MAX_LENGTH = 5000


def _case_link(application: Application, language: str) -> str:
    """Return the absolute address of the applicant's case page, in the recipient's language."""
    with translation.override(language):
        return settings.SITE_URL + reverse("portal:application", args=[application.pk])


def _officer_case_link(application: Application, language: str) -> str:
    """Return the absolute address of the officer's case page, in the officer's language."""
    with translation.override(language):
        return settings.SITE_URL + reverse("casework:case", args=[application.pk])


def messages_open(application: Application) -> bool:
    """Return whether messages can be written in the case: submitted, and neither withdrawn nor
    closed."""
    return application.case_number is not None and application.state not in {
        S.WITHDRAWN,
        S.CLOSED,
    }


@transaction.atomic
def case_message_send(*, application: Application, actor: User, body: str) -> CaseMessage:
    """Write a message in the case: from the applicant's organisation, or from its officer.

    Members of the organisation write once the application is submitted; staff who may handle it
    (without jäv) write from the region. The other side is told by e-mail, without the text: the
    message is read on the case page, behind the login.
    """
    application = lock_application(application)
    body = body.strip()
    if permissions.is_member(actor, application.organisation):
        from_staff = False
    elif permissions.can_handle(application, actor):
        from_staff = True
    else:
        raise WorkflowError(
            _("Only members of %(organisation)s and the officers handling the case can write here.")
            % {"organisation": application.organisation.name},
            code="denied",
        )
    if application.case_number is None:
        raise WorkflowError(
            _("Messages can be sent once the application has been submitted."),
            code="wrong_state",
        )
    if not messages_open(application):
        raise WorkflowError(
            _(
                "The case is closed, so no more messages can be written here. Write to the "
                "region by e-mail and give the case number."
            ),
            code="wrong_state",
        )
    if not body:
        raise WorkflowError(_("Write a message before sending."), code="invalid")
    if len(body) > CASE_MESSAGE_MAX_LENGTH:
        raise WorkflowError(
            _("A message can be at most %(max)s characters long.")
            % {"max": CASE_MESSAGE_MAX_LENGTH},
            code="invalid",
        )
    message = CaseMessage.objects.create(
        application=application, sender=actor, from_staff=from_staff, body=body
    )
    log_action(
        application,
        "grants.message.sent",
        actor=actor,
        data={"message": message.pk, "from_staff": from_staff},
    )
    facts = _application_facts(application) | {"sender": actor.full_name}
    if from_staff:
        language = application.letter_language
        email_on_commit(
            to=_signatory_emails(application.organisation) + [application.author.email],
            template="case_message_to_applicant",
            context=facts | {"link": _case_link(application, language)},
            language=language,
        )
    elif application.assigned_officer is not None:
        officer = application.assigned_officer
        email_on_commit(
            to=[officer.email],
            template="case_message_to_officer",
            context=facts | {"link": _officer_case_link(application, officer.language)},
            language=officer.language,
        )
    return message


@transaction.atomic
def case_messages_mark_read(*, application: Application, reader: User) -> int:
    """Mark the other side's unread messages read, when ``reader`` views the case; return how many.

    A member of the organisation reads the region's messages; an officer who may handle the case
    reads the organisation's. Anyone else reads nothing.
    """
    if permissions.is_member(reader, application.organisation):
        from_staff = True
    elif permissions.can_handle(application, reader):
        from_staff = False
    else:
        return 0
    return CaseMessage.objects.filter(
        application=application, from_staff=from_staff, read_at__isnull=True
    ).update(read_at=timezone.now())
