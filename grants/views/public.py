"""The public pages: the start page, the calls and the accessibility statement."""

from decimal import Decimal

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from grants import selectors
from grants.models import ORGANISATION_DOCUMENT_KINDS, AttachmentKind, Call, Programme
from organisations.models import Organisation


@require_safe
def start(request):
    """Show the start page: the open calls and how to apply."""
    return render(request, "grants/start.html", {"calls": selectors.calls_open()})


@require_safe
def accessibility(request):
    """Show the accessibility statement (lagen om tillgänglighet till digital offentlig service)."""
    return render(request, "accessibility.html")


def percent(share) -> str:
    """Return a share 0–1 as a percentage without needless decimals: 0.8 → "80"."""
    return f"{(Decimal(str(share)) * 100).normalize():f}"


def payment_plan_in_words(programme: Programme) -> str:
    """Return the payment plan as a sentence: "80 % on the decision, 20 % when the final …"."""
    triggers = {
        Programme.PaymentTrigger.ON_DECISION: _("on the decision"),
        Programme.PaymentTrigger.ON_REQUEST: _("when you requisition it"),
        Programme.PaymentTrigger.ON_REPORT_ACCEPTED: _("when the final report is accepted"),
    }
    parts = [
        _("%(share)s %% %(when)s")
        % {
            "share": percent(instalment.get("share", 1)),
            "when": triggers.get(instalment.get("trigger"), instalment.get("trigger", "")),
        }
        for instalment in programme.payment_plan
    ]
    return ", ".join(parts)


@require_safe
def call_detail(request, pk):
    """Show a call with the programme's rules, public; a call of an inactive programme is 404."""
    call = get_object_or_404(
        Call.objects.select_related("programme").filter(programme__is_active=True), pk=pk
    )
    programme = call.programme
    org_types = dict(Organisation.Type.choices)
    attachment_labels = dict(AttachmentKind.choices)
    criteria = list(programme.criteria.all())
    total_weight = sum((criterion.weight for criterion in criteria), Decimal(0))
    for criterion in criteria:
        criterion.share = round(criterion.weight / total_weight * 100) if total_weight else None
    return render(
        request,
        "grants/call_detail.html",
        {
            "call": call,
            "programme": programme,
            "eligible": [str(org_types.get(code, code)) for code in programme.eligible_org_types],
            "attachments": [
                {
                    "label": attachment_labels.get(kind, kind),
                    "yearly": kind in ORGANISATION_DOCUMENT_KINDS,
                }
                for kind in programme.required_attachments
            ],
            "criteria": criteria,
            "cofinancing_percent": percent(programme.cofinancing_share)
            if programme.cofinancing_share
            else "",
            "payment_plan": payment_plan_in_words(programme),
            "is_open": call.is_open(),
            "not_yet_open": call.opens_at > timezone.now(),
        },
    )
