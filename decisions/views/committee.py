"""Committee decisions (samlingsbeslut) in the officer workspace, under /handlaggning/namnd/.

The committee secretary picks a call, ticks its proposals, records the meeting (committee, date,
§) and, after a confirmation step, decides them in one step with
``decisions.services.committee_decide``. Every caseworker can read a recorded committee
decision, its decision list and its letters as they are produced (``committee_letters`` tells
static/js/letter-progress.js how far they have come); rows of cases the reader has jäv for show
only their case number.
"""

from decimal import Decimal
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from decisions import selectors, services
from decisions.committee import COMMITTEE_BODY, decision_list_filename
from decisions.forms_committee import CommitteeDecisionForm
from decisions.models import Decision
from decisions.selectors import GRANTING_RECOMMENDATIONS, OUTCOME_OF_RECOMMENDATION
from grants import permissions
from grants.selectors import conflict_organisation_ids
from grants.views.casework import caseworker_required
from organisations.errors import WorkflowError

ZERO = Decimal("0.00")


def _require_secretary(user) -> None:
    if not user.has_perm(permissions.RECORD_COMMITTEE):
        raise PermissionDenied(_("Committee decisions are recorded by the committee secretary."))


def _call_pk(request) -> int:
    try:
        return int(request.GET["call"])
    except (KeyError, ValueError) as error:
        raise Http404 from error


def _proposed_amount(assessment) -> Decimal:
    """Return what the proposal grants if it is decided as proposed."""
    if assessment.recommendation in GRANTING_RECOMMENDATIONS:
        return assessment.proposed_amount or ZERO
    return ZERO


def _proposal_row(application, *, conflict: bool, selected: bool) -> SimpleNamespace:
    if conflict:
        # Nothing of a case with jäv but its case number.
        return SimpleNamespace(
            pk=application.pk, case_number=application.case_number, conflict=True
        )
    assessment = application.assessment
    outcome = OUTCOME_OF_RECOMMENDATION.get(assessment.recommendation)
    return SimpleNamespace(
        pk=application.pk,
        case_number=application.case_number,
        conflict=False,
        selected=selected,
        application=application,
        organisation=application.organisation,
        recommendation=assessment.get_recommendation_display(),
        outcome=Decision.Outcome(outcome).label if outcome else "",
        proposed=_proposed_amount(assessment),
        granting=assessment.recommendation in GRANTING_RECOMMENDATIONS,
        requested=application.requested_amount or ZERO,
        presenter=assessment.officer,
    )


def _totals(call, rows) -> SimpleNamespace:
    """Return the call's budget figures and those of the selected proposals."""
    chosen = [row for row in rows if not row.conflict and row.selected]
    proposed = sum((row.proposed for row in chosen), ZERO)
    return SimpleNamespace(
        budget=call.budget,
        decided=call.decided,
        remaining=call.remaining,
        count=len(chosen),
        requested=sum((row.requested for row in chosen), ZERO),
        proposed=proposed,
        remaining_after=call.remaining - proposed,
    )


def _selection_page(request, call, form, *, proposals=None, conflicts=None, status=200):
    if conflicts is None:
        conflicts = conflict_organisation_ids(user=request.user)
    if proposals is None:
        proposals = selectors.proposals_for_committee(call=call)
    selected = form.selected()
    rows = [
        _proposal_row(
            application,
            conflict=application.organisation_id in conflicts,
            selected=str(application.pk) in selected,
        )
        for application in proposals
    ]
    context = {
        "casework_section": "committee",
        "call": call,
        "form": form,
        "rows": rows,
        "selectable": sum(not row.conflict for row in rows),
        "conflicted": sum(row.conflict for row in rows),
        "totals": _totals(call, rows),
        "recorded": list(selectors.committee_decisions_recorded(call=call)),
        # For static/js/committee.js, which keeps the button and the totals up to date.
        "committee_strings": {
            "one": _("Decide 1 proposal"),
            "many": _("Decide %(count)s proposals"),
            "over": _("The selected proposals grant more than remains of the call's budget."),
        },
    }
    return render(request, "casework/committee.html", context, status=status)


def _confirmation_page(request, call, form, meeting):
    applications = sorted(form.cleaned_data["applications"], key=lambda a: a.case_number)
    rows = [
        _proposal_row(application, conflict=False, selected=True) for application in applications
    ]
    context = {
        "casework_section": "committee",
        "call": call,
        "form": form,
        "meeting": meeting,
        "rows": rows,
        "totals": _totals(call, rows),
        "confirming": True,
    }
    return render(request, "casework/committee.html", context)


@caseworker_required
@require_http_methods(["GET", "HEAD", "POST"])
def committee(request):
    """Choose a call; tick its proposals, record the meeting, confirm, and decide them."""
    _require_secretary(request.user)
    if "call" not in request.GET:
        context = {
            "casework_section": "committee",
            "calls": list(selectors.calls_with_proposals()),
            "recorded": list(selectors.committee_decisions_recorded()),
        }
        return render(request, "casework/committee.html", context)
    call = selectors.call_for_committee(pk=_call_pk(request))
    if request.method != "POST":
        proposals = list(selectors.proposals_for_committee(call=call))
        conflicts = conflict_organisation_ids(user=request.user)
        form = CommitteeDecisionForm(
            call=call,
            initial={
                "applications": [
                    application.pk
                    for application in proposals
                    if application.organisation_id not in conflicts
                ],
                "body": COMMITTEE_BODY,
            },
        )
        return _selection_page(request, call, form, proposals=proposals, conflicts=conflicts)
    form = CommitteeDecisionForm(request.POST, call=call)
    step = request.POST.get("step")
    if step == "edit" or not form.is_valid():
        return _selection_page(request, call, form, status=200 if step == "edit" else 400)
    applications = list(form.cleaned_data["applications"])
    try:
        if step == "decide":
            record = services.committee_decide(
                applications=applications, actor=request.user, committee=form.meeting()
            )
        else:
            meeting = services.committee_check(
                applications=applications, actor=request.user, committee=form.meeting()
            )
    except WorkflowError as error:
        form.add_error(None, str(error))
        return _selection_page(request, call, form, status=400)
    if step != "decide":
        return _confirmation_page(request, call, form, meeting)
    count = len(applications)
    messages.success(
        request,
        ngettext(
            "%(count)d proposal was decided at %(meeting)s. The decision letter goes to the "
            "applicant, and the decision list is being produced.",
            "%(count)d proposals were decided at %(meeting)s. The decision letters go to the "
            "applicants, and the decision list is being produced.",
            count,
        )
        % {"count": count, "meeting": _meeting(record)},
    )
    return redirect("deciding:committee_decision", pk=record.pk)


def _meeting(record) -> str:
    return f"{record.body} {date_format(record.meeting_date, 'j F Y')} {record.paragraph}"


def _letter_progress(decisions, conflicts: set[int]) -> SimpleNamespace:
    """Return how far the letters of a committee's decisions have come, a row per case.

    A letter is produced when ``Decision.letter`` is stored. The count takes in the cases the
    reader has jäv for (the number of letters is no case content), their rows never a link.
    """
    rows = []
    for decision in decisions:
        application = decision.application
        conflict = application.organisation_id in conflicts
        produced = bool(decision.letter)
        rows.append(
            SimpleNamespace(
                decision=decision,
                case_number=application.case_number,
                conflict=conflict,
                produced=produced,
                url=(
                    reverse("casework:decision_letter", args=[application.pk])
                    if produced and not conflict
                    else None
                ),
            )
        )
    done = sum(row.produced for row in rows)
    return SimpleNamespace(rows=rows, done=done, total=len(rows), complete=done == len(rows))


def _decision_list_url(record) -> str | None:
    return reverse("deciding:decision_list", args=[record.pk]) if record.decision_list else None


def _letters_label(done: int | str, total: int) -> str:
    return ngettext(
        "%(done)s of %(total)s letter produced", "%(done)s of %(total)s letters produced", total
    ) % {"done": done, "total": total}


def _letter_strings(total: int) -> dict[str, str]:
    """Return the words static/js/letter-progress.js puts on the page, ``%(done)s`` left to it."""
    return {
        "label": _letters_label("%(done)s", total),
        "all_done": ngettext(
            "The letter is produced.", "All %(total)s letters are produced.", total
        )
        % {"total": total},
        "open": _("Open the letter (PDF)"),
        "decision_list": _("Open the decision list (PDF)"),
        "decision_list_done": _("The decision list is produced."),
        "retrying": _("The letters could not be checked just now. Trying again."),
        "stopped": _("The page has stopped checking the letters. Check again to see them."),
    }


@caseworker_required
@require_safe
def committee_decision(request, pk: int):
    """Show a recorded committee decision: the meeting, the decisions, totals, the decision list
    and the letters, which static/js/letter-progress.js follows as they are produced."""
    record = selectors.committee_decision_for_caseworker(user=request.user, pk=pk)
    conflicts = conflict_organisation_ids(user=request.user)
    decisions = list(selectors.decisions_of_committee(record=record))
    for decision in decisions:
        decision.conflict = decision.application.organisation_id in conflicts
    letters = _letter_progress(decisions, conflicts)
    context = {
        "casework_section": "committee",
        "record": record,
        "meeting": _meeting(record),
        "decisions": decisions,
        "count": len(decisions),
        "granted_count": sum(decision.is_grant for decision in decisions),
        "requested": sum((decision.requested_amount for decision in decisions), ZERO),
        "granted": sum((decision.amount for decision in decisions), ZERO),
        "conflicted": sum(decision.conflict for decision in decisions),
        "letters": letters,
        "letters_label": _letters_label(letters.done, letters.total),
        "letter_strings": _letter_strings(letters.total),
        # The letters and the decision list are all there: nothing left for the page to follow.
        "all_produced": letters.complete and bool(record.decision_list),
    }
    return render(request, "casework/committee_decision.html", context)


@caseworker_required
@require_safe
def decision_list(request, pk: int):
    """Send the decision list (PDF) of a committee decision; 404 until it is produced.

    The list is the appendix to the minutes, a public document once they are approved, and the
    same for every reader: a caseworker with jäv for one of its cases may read it too.
    """
    record = selectors.committee_decision_for_caseworker(user=request.user, pk=pk)
    if not record.decision_list:
        raise Http404
    try:
        handle = record.decision_list.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=False,
        filename=decision_list_filename(record),
        content_type="application/pdf",
    )
    # Our own rendered PDF, never an upload: shown inline by the browser's PDF viewer.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@caseworker_required
@require_safe
def committee_letters(request, pk: int):
    """Return how far the committee decision's letters have come, as JSON, for the page to poll.

    ``{"done": 12, "total": 40, "complete": false, "letters": [{"case_number": "KUL 2026/0042",
    "url": "/handlaggning/7/beslutsbrev.pdf" or null}, ...], "decision_list": url or null}``: a
    letter's ``url`` is null until it is produced, and always for a case the reader has jäv for.
    The same readers as the page; the same number of queries whatever the number of cases.
    """
    record = selectors.committee_decision_for_caseworker(user=request.user, pk=pk)
    conflicts = conflict_organisation_ids(user=request.user)
    letters = _letter_progress(selectors.letters_of_committee(record=record), conflicts)
    return JsonResponse(
        {
            "done": letters.done,
            "total": letters.total,
            "complete": letters.complete,
            "letters": [{"case_number": row.case_number, "url": row.url} for row in letters.rows],
            "decision_list": _decision_list_url(record),
        }
    )
