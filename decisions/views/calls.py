"""The call overview of the officer workspace: each call's budget against what is applied for,
proposed and decided, and its cases by state.

The figures include cases some caseworkers have jäv for: they are budget figures, not case
content, and the links lead to the queue, which hides those cases' content.
"""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from decisions import selectors
from grants import permissions
from grants.views.casework import caseworker_required
from grants.workflow import ApplicationState

OPEN, UPCOMING, CLOSED = "open", "upcoming", "closed"
CALL_STATUS_LABELS = {OPEN: _("Open"), UPCOMING: _("Not yet open"), CLOSED: _("Closed")}


def call_status(call, now) -> str:
    """Return whether the call is open, not yet open or closed at ``now``."""
    if now < call.opens_at:
        return UPCOMING
    return OPEN if now < call.closes_at else CLOSED


def _with_status(call, now):
    call.status = call_status(call, now)
    call.status_label = CALL_STATUS_LABELS[call.status]
    call.over_budget = call.remaining_after_proposals < 0
    call.over_by = -call.remaining_after_proposals if call.over_budget else 0
    call.decided_over_by = -call.remaining if call.remaining < 0 else 0
    return call


@caseworker_required
@require_safe
def calls(request):
    """List every call with its budget, what is applied for, proposed, decided and left."""
    now = timezone.now()
    calls = [_with_status(call, now) for call in selectors.calls_with_budget_figures()]
    return render(
        request,
        "casework/calls.html",
        {"casework_section": "calls", "calls": calls},
    )


@caseworker_required
@require_safe
def call(request, pk):
    """Show one call's budget figures and its cases by state, each linked to the queue."""
    call = _with_status(selectors.call_with_budget_figures(pk=pk), timezone.now())
    queue = reverse("casework:queue")
    labels = dict(ApplicationState.choices)
    states = [
        {
            "state": state,
            "label": labels[state],
            "count": getattr(call, f"count_{state}"),
            "url": f"{queue}?{urlencode({'call': call.pk, 'state': state})}",
        }
        for state in selectors.COUNTED_STATES
    ]
    return render(
        request,
        "casework/call.html",
        {
            "casework_section": "calls",
            "call": call,
            "states": states,
            "queue_url": f"{queue}?{urlencode({'call': call.pk})}",
            "can_record_committee": request.user.has_perm(permissions.RECORD_COMMITTEE),
            "committee_url": f"{reverse('deciding:committee')}?{urlencode({'call': call.pk})}",
        },
    )
