"""What the read-only summary of an application shows, gathered in a few queries."""

from django import template
from django.utils import timezone

from grants.models import (
    ORGANISATION_DOCUMENT_KINDS,
    Application,
    AttachmentKind,
    BudgetLine,
    Perspective,
    TargetGroup,
)
from grants.steps import AGENDA_2030_GOALS

register = template.Library()


@register.simple_tag
def application_summary_of(application: Application) -> dict:
    """Return every part of the application as the summary shows it, labels resolved."""
    target_groups = dict(TargetGroup.choices)
    goals = dict(AGENDA_2030_GOALS)
    kinds = dict(AttachmentKind.choices)
    lines = list(application.budget_lines.all())
    costs = [line for line in lines if line.kind == BudgetLine.Kind.COST]
    income = [line for line in lines if line.kind == BudgetLine.Kind.INCOME]
    total_costs = sum((line.amount for line in costs), 0)
    total_income = sum((line.amount for line in income), 0)
    requested = application.requested_amount or 0
    required = list(application.call.programme.required_attachments)
    attachments = list(application.attachments.order_by("kind", "uploaded_at"))
    attached_kinds = {attachment.kind for attachment in attachments}
    # Required yearly documents the organisation has on file (this year's or last year's).
    year = (application.submitted_at or timezone.now()).year
    documents = {}
    wanted = [k for k in required if k in ORGANISATION_DOCUMENT_KINDS and k not in attached_kinds]
    if wanted:
        for document in application.organisation.documents.filter(
            kind__in=wanted, year__in=[year, year - 1]
        ).order_by("kind", "-year", "-uploaded_at"):
            documents.setdefault(document.kind, document)
    return {
        "target_groups": [str(target_groups.get(code, code)) for code in application.target_groups],
        "municipalities": application.municipality_labels,
        "perspectives": [
            {"label": label, "text": (application.perspectives or {}).get(code, "")}
            for code, label in Perspective.choices
        ],
        "agenda_goals": [
            {"number": number, "label": goals.get(number, "")}
            for number in sorted(application.agenda_goals or [])
        ],
        "costs": costs,
        "income": income,
        "total_costs": total_costs,
        "total_income": total_income,
        "requested": application.requested_amount,
        "total_financing": total_income + requested,
        "balances": total_costs > 0 and total_costs == total_income + requested,
        "attachments": attachments,
        "required": [
            {
                "label": kinds.get(kind, kind),
                "attached": kind in attached_kinds,
                "document": documents.get(kind),
            }
            for kind in required
        ],
    }
