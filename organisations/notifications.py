"""E-mail to people, rendered in their language and sent by a background task after commit."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation


def render_email(template: str, context: dict, language: str = "sv") -> tuple[str, str]:
    """Return the subject and body of ``templates/email/<template>.txt`` (first line the subject)."""
    with translation.override(language):
        rendered = render_to_string(f"email/{template}.txt", context).strip()
    subject, _, body = rendered.partition("\n")
    return subject.strip(), body.strip() + "\n"


@task()
def send_email(*, to: list[str], template: str, context: dict, language: str = "sv") -> int:
    """Render ``templates/email/<template>.txt`` (first line the subject) and send it."""
    subject, body = render_email(template, context, language)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


def email_on_commit(*, to: list[str], template: str, context: dict, language: str = "sv") -> None:
    """Queue an e-mail to be sent once the current transaction commits; nothing if it rolls back.

    The context must be JSON-serialisable: tasks take plain values, not model instances.
    """
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    transaction.on_commit(
        lambda: send_email.enqueue(
            to=recipients, template=template, context=context, language=language
        )
    )
