"""The receipt of a submitted application: the PDF copy of what was submitted, and its e-mail.

``application_submit`` queues ``application_receipt_send`` after commit. The task renders the copy
once, stores it with its SHA-256 (never changed afterwards: a re-run finds it stored and keeps
it), and e-mails the receipt with the stored copy attached to the signatory who submitted and to
the organisation.
"""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from audit.services import entries_for, log_action
from grants.models import Application
from organisations.notifications import render_email

logger = logging.getLogger(__name__)


def _applications():
    return Application.objects.select_related("organisation", "call__programme")


def submitted_copy_name(application: Application) -> str:
    """Return the file name the copy is offered under, e.g. ``KUL_2026-0042.pdf``."""
    number = (application.case_number or str(application.pk)).replace(" ", "_").replace("/", "-")
    return f"{number}.pdf"


def submitted_copy_html(application: Application) -> str:
    """Return the HTML of the copy as submitted, in the application's letter language."""
    with translation.override(application.letter_language):
        return render_to_string(
            "grants/submitted_copy.html",
            {
                "application": application,
                "region": settings.REGION,
                "received_at": timezone.localtime(application.submitted_at)
                if application.submitted_at
                else None,
                "submitted_by": _submitted_by(application),
                "language": application.letter_language,
            },
        )


def render_submitted_copy(application: Application, *, html: str | None = None) -> bytes:
    """Return the copy as submitted as an A4 PDF (WeasyPrint), in the letter language.

    ``html`` is the copy's HTML as written when the application was submitted; without it the
    HTML is written now from the application as it is.
    """
    from weasyprint import HTML  # Loaded only when a copy is rendered: it is a heavy import.

    html = html or submitted_copy_html(application)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_tags=True, pdf_identifier=hashlib.sha256(html.encode()).digest()[:16]
    )


def _submitted_by(application: Application):
    """Return the signatory who submitted the application, read from its audit trail."""
    entry = (
        entries_for(application)
        .filter(action="grants.application.submitted")
        .order_by("-id")
        .first()
    )
    return entry.actor if entry else None


def submitted_copy_store(application: Application, *, html: str | None = None) -> Application:
    """Render and store the copy as submitted, unless it is stored already; return the application.

    The copy is rendered outside the row lock (it takes a moment) and kept only if no other run
    stored one meanwhile, so the first stored copy is the one that stays.
    """
    if application.submitted_copy:
        return application
    content = render_submitted_copy(application, html=html)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        locked = _applications().select_for_update(of=("self",)).get(pk=application.pk)
        if locked.submitted_copy:
            return locked
        locked.submitted_copy.save(
            f"{locked.pk}-{digest[:16]}.pdf", ContentFile(content), save=False
        )
        locked.submitted_copy_sha256 = digest
        locked.save(update_fields=["submitted_copy", "submitted_copy_sha256"])
        log_action(
            locked,
            "grants.application.copy_stored",
            actor=None,
            data={"sha256": digest, "size": len(content)},
        )
    return locked


def receipt_recipients(application: Application) -> list[str]:
    """Return who gets the receipt: the signatory who submitted and the organisation."""
    submitter = _submitted_by(application)
    addresses = [submitter.email if submitter else "", application.organisation.email]
    return sorted({address for address in addresses if address})


def receipt_email(application: Application) -> EmailMessage:
    """Return the receipt e-mail with the stored copy attached, in the letter language."""
    language = application.letter_language
    with translation.override(language):
        link = settings.SITE_URL + reverse("portal:application", args=[application.pk])
        planned = application.call.planned_decision_date
        subject, body = render_email(
            "application_submitted",
            {
                "case_number": application.case_number,
                "title": application.title,
                "organisation": application.organisation.name,
                "call": application.call.title,
                "received_at": timezone.localtime(application.submitted_at),
                "requested_amount": application.requested_amount,
                "planned_decision_date": planned,
                "link": link,
                "copy_attached": bool(application.submitted_copy),
            },
            language,
        )
    message = EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, receipt_recipients(application)
    )
    if application.submitted_copy:
        with application.submitted_copy.open("rb") as copy:
            message.attach(submitted_copy_name(application), copy.read(), "application/pdf")
    return message


@task()
def application_receipt_send(application_id: int, copy_html: str | None = None) -> str:
    """Store the copy as submitted (once) and e-mail the receipt with the copy attached.

    ``copy_html`` is the copy as written in the submitting transaction.
    """
    application = _applications().get(pk=application_id)
    if not application.case_number:
        # Nothing was submitted (the transaction that queued this did not last).
        return ""
    failure = None
    try:
        application = submitted_copy_store(application, html=copy_html)
    except Exception as error:  # The receipt still goes out; the copy can be made again.
        logger.exception("The copy of %s could not be stored", application.case_number)
        failure = error
    message = receipt_email(application)
    if message.to:
        message.send()
    else:
        logger.warning("No one to send the receipt of %s to", application.case_number)
    if failure is not None:
        raise failure
    return application.submitted_copy_sha256
