"""The case queue (/handlaggning/): every case the caseworker may open, filtered, sorted, paged.

A GET form narrows the list (``grants.filters.QueueFilter``); the selector reads one page and the
counts per state, and of the granted cases whose final report is overdue (a tab of their own).
Cases the user has jäv for are listed apart by case number only.
"""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from grants import selectors
from grants.filters import QueueFilter
from grants.views.casework import caseworker_required
from grants.workflow import ApplicationState
from organisations.models import Organisation

#: The sortable columns, with the direction a first click sorts in ("-": descending first).
SORTABLE_COLUMNS = {
    "case_number": "",
    "organisation": "",
    "amount": "-",
    "state": "",
    "submitted": "-",
}


def sort_headers(current: str) -> dict[str, dict]:
    """Return, per sortable column, the ``?sort=`` its header links to and its ``aria-sort``."""
    headers = {}
    for column, first in SORTABLE_COLUMNS.items():
        if current.removeprefix("-") == column:
            descending = current.startswith("-")
            headers[column] = {
                "aria_sort": "descending" if descending else "ascending",
                "sort": column if descending else f"-{column}",
                "action": _("sort ascending") if descending else _("sort descending"),
            }
        else:
            headers[column] = {
                "aria_sort": None,
                "sort": f"{first}{column}",
                "action": _("sort descending") if first else _("sort ascending"),
            }
    return headers


@require_safe
@caseworker_required
def queue(request):
    """List the cases the user may see, with filters, search, sorting and counts per state."""
    filters = QueueFilter(request.GET, request=request)
    page = selectors.applications_for_queue(
        user=request.user, filters=filters, page=request.GET.get("page")
    )
    state_labels = dict(ApplicationState.choices)
    org_type_labels = dict(Organisation.Type.choices)
    for application in page.cases:
        application.casework_url = reverse("casework:case", args=[application.pk])
        application.state_label = state_labels[application.state]
        application.org_type_label = org_type_labels.get(application.organisation.org_type, "")
    return render(
        request,
        "casework/queue.html",
        {
            "casework_section": "queue",
            "filters": filters,
            "form": filters.form,
            "page": page,
            "current_state": filters.value("state"),
            "report_overdue_only": bool(filters.value("report_overdue")),
            "headers": sort_headers(filters.sort),
        },
    )
