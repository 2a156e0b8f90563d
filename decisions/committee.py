"""The decision list of a committee decision (beslutslista, the appendix to the minutes).

``committee_decide``, and a committee decision recorded alone, queue ``decision_list_render``
after commit. The task renders the list once as a tagged A4 PDF (WeasyPrint) in Swedish, the
committee's language, and stores it with its SHA-256; a re-run finds it stored and keeps it. The
rows are read from the decisions' snapshots, so the list shows what was decided.
"""

import hashlib
import logging
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.tasks import task
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import override

from audit.services import log_action
from decisions.models import CommitteeDecision, Decision

logger = logging.getLogger(__name__)

#: The committee that decides above every delegation, offered on the committee page.
COMMITTEE_BODY = "Regionala utvecklingsnämnden"
#: The language of the minutes and so of the decision list.
LANGUAGE = "sv"
#: How often a list is rendered again when a case joins its § while it is being rendered.
RENDER_ATTEMPTS = 3


def decision_list_filename(record: CommitteeDecision) -> str:
    """Return the name the list is offered under, e.g. ``beslutslista-2026-11-23-87.pdf``."""
    paragraph = slugify(record.paragraph.replace("§", " ")) or str(record.pk)
    return f"beslutslista-{record.meeting_date.isoformat()}-{paragraph}.pdf"


def _decisions(record: CommitteeDecision) -> list[Decision]:
    return list(
        Decision.objects.filter(committee_decision=record).order_by(
            "application__case_number", "pk"
        )
    )


def decision_list_context(record: CommitteeDecision) -> dict:
    """Return what the list shows: the meeting, the call, a row per case, totals and budget."""
    decisions = _decisions(record)
    rows = []
    presenters = {}
    for decision in decisions:
        snapshot = decision.snapshot
        rows.append(
            {
                "case_number": snapshot["case_number"],
                "organisation": snapshot["organisation"]["name"],
                # Copied as it may be shown: a sole trader's personnummer is masked.
                "org_number": snapshot["organisation"]["org_number"],
                "title": snapshot["application"]["title"],
                "requested": Decimal(snapshot["requested_amount"]),
                "outcome": snapshot["outcome"],
                "outcome_label": Decision.Outcome(snapshot["outcome"]).label,
                "granted": Decimal(snapshot["amount"]),
            }
        )
        presenter = snapshot["presenter"]
        presenters.setdefault(presenter["name"], presenter)
    call = record.call
    granted = sum((row["granted"] for row in rows), Decimal("0"))
    # What the call had granted when this meeting's decisions were made, these included.
    granted_in_call = Decision.objects.filter(
        application__call=call, pk__lte=max((d.pk for d in decisions), default=0)
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return {
        "record": record,
        "region": settings.REGION,
        "language": LANGUAGE,
        "call": call,
        "programme": call.programme,
        "rows": rows,
        "presenters": list(presenters.values()),
        "count": len(rows),
        "granted_count": sum(row["outcome"] in Decision.GRANTING for row in rows),
        "requested": sum((row["requested"] for row in rows), Decimal("0")),
        "granted": granted,
        "budget": call.budget,
        "granted_before": granted_in_call - granted,
        "remaining": call.budget - granted_in_call,
    }


def decision_list_html(record: CommitteeDecision) -> str:
    """Return the HTML of the decision list, in the committee's language."""
    with override(LANGUAGE):
        return render_to_string("letters/decision_list.html", decision_list_context(record))


def render_decision_list(record: CommitteeDecision) -> bytes:
    """Return the decision list as a tagged A4 PDF."""
    from weasyprint import HTML  # Loaded only when a list is rendered: it is a heavy import.

    html = decision_list_html(record)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_tags=True, pdf_identifier=hashlib.sha256(html.encode()).digest()[:16]
    )


def _decision_ids(record: CommitteeDecision) -> list[int]:
    return sorted(Decision.objects.filter(committee_decision=record).values_list("pk", flat=True))


def decision_list_store(record: CommitteeDecision) -> CommitteeDecision:
    """Render and store the decision list unless it is stored already; return the record.

    The list is rendered outside the row lock and kept only if no other run stored one
    meanwhile and no case joined the § meanwhile (then it is rendered again), so the stored list
    is complete and, once stored, never replaced.
    """
    for _attempt in range(RENDER_ATTEMPTS):
        if record.decision_list:
            return record
        rendered_ids = _decision_ids(record)
        content = render_decision_list(record)
        digest = hashlib.sha256(content).hexdigest()
        with transaction.atomic():
            locked = (
                CommitteeDecision.objects.select_for_update(of=("self",))
                .select_related("call__programme", "recorded_by")
                .get(pk=record.pk)
            )
            if locked.decision_list:
                return locked
            if _decision_ids(locked) != rendered_ids:
                record = locked
                continue
            locked.decision_list.save(
                f"{locked.pk}-{digest[:16]}.pdf", ContentFile(content), save=False
            )
            locked.decision_list_sha256 = digest
            locked.save(update_fields=["decision_list", "decision_list_sha256"])
            log_action(
                locked,
                "decisions.committee.decision_list_stored",
                actor=None,
                data={"sha256": digest, "size": len(content), "decisions": rendered_ids},
            )
            return locked
    raise RuntimeError(f"The decision list of {record} kept changing while it was rendered.")


@task()
def decision_list_render(committee_decision_id: int) -> str:
    """Store the committee decision's decision list (once); return its SHA-256."""
    record = CommitteeDecision.objects.select_related("call__programme", "recorded_by").get(
        pk=committee_decision_id
    )
    try:
        record = decision_list_store(record)
    except Exception:
        logger.exception("The decision list of %s could not be stored", record)
        raise
    return record.decision_list_sha256
