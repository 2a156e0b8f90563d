"""Deciding by delegation: the proposals a decision maker may decide, the decision itself, and
returning a proposal to the officer.

The pages say whether the user may decide a proposal (delegation, four-eyes); the service
``decisions.services.decision_record`` is what enforces it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from decisions import selectors, services
from decisions.forms import DecisionForm, ReturnForm
from decisions.models import Decision
from grants import permissions
from grants import selectors as grant_selectors
from grants.models import Assessment, Perspective
from grants.services import application_return_for_review
from grants.steps import AGENDA_2030_GOALS
from grants.views.casework import caseworker_required
from grants.workflow import ApplicationState
from organisations.errors import WorkflowError


class CountedPaginator(Paginator):
    """A paginator told how many items there are, when the page has counted them already."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def _require_perm(user, *perms: str) -> None:
    if not any(user.has_perm(perm) for perm in perms):
        raise PermissionDenied(_("This page is for the region's decision makers."))


@caseworker_required
@require_safe
def proposals(request):
    """List the proposals the user may decide by delegation, and count those they may not."""
    _require_perm(request.user, permissions.DECIDE)
    overview = selectors.proposals_for_decider(user=request.user)
    page = CountedPaginator(
        overview.decidable, selectors.PROPOSALS_PER_PAGE, count=overview.counts[selectors.DECIDABLE]
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "casework/proposals.html",
        {
            "casework_section": "proposals",
            "page": page,
            "counts": overview.counts,
        },
    )


def _decide_page(request, application, assessment, form):
    authority = None
    if assessment is not None and application.state == ApplicationState.PROPOSED:
        authority = selectors.decision_authority(
            application=application, assessment=assessment, user=request.user
        )
    context = {
        "casework_section": "proposals",
        "application": application,
        "assessment": assessment,
        "weighted_score": assessment.weighted_score() if assessment else None,
        "perspectives": _perspectives(assessment),
        "agenda_goals": _agenda_goals(assessment),
        "authority": authority,
        "decision": selectors.decision_of(application),
        "is_proposed": application.state == ApplicationState.PROPOSED,
        "form": form,
    }
    return render(request, "casework/decide.html", context)


def _perspectives(assessment) -> list[dict]:
    """Return the five perspectives as the officer rated them, labels resolved."""
    if assessment is None:
        return []
    ratings = dict(Assessment.Rating.choices)
    rows = []
    for key, label in Perspective.choices:
        given = (assessment.perspectives or {}).get(key) or {}
        rows.append(
            {
                "label": label,
                "rating": ratings.get(given.get("rating"), ""),
                "comment": given.get("comment", ""),
            }
        )
    return rows


def _agenda_goals(assessment) -> list[dict]:
    """Return the Agenda 2030 goals the officer found the application serves, with names."""
    if assessment is None:
        return []
    names = dict(AGENDA_2030_GOALS)
    return [
        {"number": number, "label": names.get(number, "")}
        for number in sorted(assessment.agenda_goals or [])
    ]


@caseworker_required
@require_http_methods(["GET", "HEAD", "POST"])
def decide(request, pk):
    """Show the proposal and decide it: approve in full or in part, reject or dismiss."""
    _require_perm(request.user, permissions.DECIDE)
    application = grant_selectors.application_for_caseworker(user=request.user, pk=pk)
    assessment = selectors.proposal_assessment(application=application)
    if request.method != "POST":
        form = DecisionForm(initial=DecisionForm.initial_from(assessment))
        return _decide_page(request, application, assessment, form)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decision = services.decision_record(
                application=application, actor=request.user, **form.decision()
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _decided_message(decision))
            return redirect("casework:case", pk=application.pk)
    return _decide_page(request, application, assessment, form)


def _decided_message(decision: Decision) -> str:
    facts = {
        "case_number": decision.application.case_number,
        "amount": formats.number_format(decision.amount, 0, force_grouping=True),
    }
    if decision.outcome == Decision.Outcome.APPROVED:
        text = _("%(case_number)s is approved: %(amount)s kr granted.")
    elif decision.outcome == Decision.Outcome.APPROVED_PARTLY:
        text = _("%(case_number)s is approved in part: %(amount)s kr granted.")
    elif decision.outcome == Decision.Outcome.DISMISSED:
        text = _("%(case_number)s is dismissed.")
    else:
        text = _("%(case_number)s is rejected.")
    return (
        text % facts
        + " "
        + _("The applicant has been told by e-mail; the decision letter is being produced.")
    )


@caseworker_required
@require_http_methods(["GET", "HEAD", "POST"])
def return_for_review(request, pk):
    """Send the proposal back to the officer for further review, with the reason."""
    _require_perm(request.user, permissions.DECIDE, permissions.RECORD_COMMITTEE)
    application = grant_selectors.application_for_caseworker(user=request.user, pk=pk)
    form = ReturnForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            application_return_for_review(
                application=application, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            if application.assigned_officer:
                text = _("%(case_number)s has been returned to %(officer)s, who has been told.")
            else:
                text = _("%(case_number)s has been returned for further review.")
            messages.success(
                request,
                text
                % {
                    "case_number": application.case_number,
                    "officer": getattr(application.assigned_officer, "full_name", ""),
                },
            )
            return redirect("casework:case", pk=application.pk)
    return render(
        request,
        "casework/return.html",
        {
            "casework_section": "proposals",
            "application": application,
            "is_proposed": application.state == ApplicationState.PROPOSED,
            "form": form,
        },
    )
