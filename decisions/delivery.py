"""Storing and sending letters: each is rendered once after its decision commits, and never changed.

``decision_record`` queues ``decision_letter_send`` after commit; ``repayment_claim_create``
queues ``repayment_letter_send``. Each task renders the letter from the snapshot, stores it with
its SHA-256 (a re-run finds it stored and keeps it), then e-mails it to the organisation. The
letters of a committee decision are one task each, so a database-backed worker pool renders them
in parallel processes and the committee page shows them as they finish.
"""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task

from audit.services import entries_for, log_action
from decisions.letters import DecisionLetter, RepaymentLetter, file_stem
from decisions.models import Decision, RepaymentClaim
from organisations.notifications import render_email

logger = logging.getLogger(__name__)


def letter_filename(decision: Decision) -> str:
    """Return the name the decision letter is offered under, e.g. ``beslut-KUL-2026-0042.pdf``."""
    return f"beslut-{file_stem(decision.application.case_number or str(decision.pk))}.pdf"


def repayment_letter_filename(claim: RepaymentClaim) -> str:
    """Return the name a repayment letter is offered under, e.g. ``aterkrav-KUL-2026-0042-3.pdf``."""
    case_number = claim.decision.application.case_number or str(claim.decision_id)
    return f"aterkrav-{file_stem(case_number)}-{claim.pk}.pdf"


def _store(obj, *, content: bytes, action: str):
    """Store ``content`` as the letter of ``obj`` unless one is stored; return the row as stored.

    The letter is rendered outside the row lock and kept only if no other run stored one
    meanwhile, so the first stored letter is the one that stays.
    """
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        if locked.letter:
            return locked, False
        locked.letter.save(f"{locked.pk}-{digest[:16]}.pdf", ContentFile(content), save=False)
        locked.letter_sha256 = digest
        locked.save(update_fields=["letter", "letter_sha256"])
        log_action(locked, action, actor=None, data={"sha256": digest, "size": len(content)})
    return locked, True


def decision_letter_store(decision: Decision) -> tuple[Decision, bool]:
    """Render and store the decision's letter unless it is stored; return it and if this stored it."""
    if decision.letter:
        return decision, False
    content = DecisionLetter(decision.snapshot).render()
    return _store(decision, content=content, action="decisions.decision.letter_stored")


def repayment_letter_store(claim: RepaymentClaim) -> tuple[RepaymentClaim, bool]:
    """Render and store the claim's letter unless it is stored; return it and if this stored it."""
    if claim.letter:
        return claim, False
    content = RepaymentLetter(claim.snapshot).render()
    return _store(claim, content=content, action="decisions.repayment.letter_stored")


def _send(*, to, template, context, language, attachment=None) -> None:
    recipients = sorted({address for address in to if address})
    if not recipients:
        logger.warning("No one to send %s to (%s)", template, context.get("case_number"))
        return
    subject, body = render_email(
        template, context | {"letter_attached": attachment is not None}, language
    )
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    if attachment is not None:
        name, field = attachment
        with field.open("rb") as letter:
            message.attach(name, letter.read(), "application/pdf")
    message.send()


def _deliver(obj, *, store, filename, to, template, context, language, notice_action) -> str:
    """Store the letter, then e-mail it; the e-mail goes without it if it cannot be stored.

    The e-mail without the letter goes once, however often a failing task is run again; the
    run that finally stores the letter sends it.
    """
    try:
        obj, stored_now = store(obj)
    except Exception:
        logger.exception("The letter of %s could not be stored", context.get("case_number"))
        if _first_notice(obj, notice_action):
            _send(to=to, template=template, context=context, language=language)
        raise
    if stored_now:
        _send(
            to=to,
            template=template,
            context=context,
            language=language,
            attachment=(filename(obj), obj.letter),
        )
    return obj.letter_sha256


def _first_notice(obj, action: str) -> bool:
    """Record that the e-mail without the letter goes out; False if it already went."""
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        if entries_for(locked).filter(action=action).exists():
            return False
        log_action(locked, action, actor=None, data={"letter": False})
    return True


@task()
def decision_letter_send(decision_id: int, to: list[str], context: dict) -> str:
    """Store the decision letter (once) and e-mail the decision with the letter attached."""
    decision = Decision.objects.select_related("application").get(pk=decision_id)
    return _deliver(
        decision,
        store=decision_letter_store,
        filename=letter_filename,
        to=to,
        template="decision_made",
        context=context,
        language=decision.letter_language,
        notice_action="decisions.decision.notice_sent_without_letter",
    )


@task()
def repayment_letter_send(claim_id: int, to: list[str], context: dict) -> str:
    """Store the repayment letter (once) and e-mail the claim with the letter attached."""
    claim = RepaymentClaim.objects.select_related("decision__application").get(pk=claim_id)
    return _deliver(
        claim,
        store=repayment_letter_store,
        filename=repayment_letter_filename,
        to=to,
        template="repayment_claimed",
        context=context,
        language=claim.decision.letter_language,
        notice_action="decisions.repayment.notice_sent_without_letter",
    )
