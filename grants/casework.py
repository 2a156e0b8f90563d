"""The officer's case page: what this user may do with the case now, and what it shows beside
the application — the organisation's earlier grants and their reports, and the assessment.

The actions are offered from the state machine. ``get_available_user_state_transitions(user)``
gives the transitions the case's state, guards and permission predicates (jäv included) allow
this user now; each is offered as the page or button that carries it out. The few actions that
are not transitions (assess, reassign, declare jäv) are offered when their service would accept
them. The services check everything again: what the page offers is a courtesy, not the control.
"""

from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grants import permissions, selectors
from grants.models import Application, Assessment, Perspective
from grants.services import CASE_MESSAGE_MAX_LENGTH, INTERNAL_NOTE_MAX_LENGTH
from grants.steps import AGENDA_2030_GOALS
from grants.timeline import decision_of, long_date
from grants.workflow import GRANTED_STATES, ApplicationState

S = ApplicationState

#: Where a case can be given to another officer (as ``services.application_assign`` allows).
REASSIGNABLE_STATES = {
    S.COMPLETION_REQUESTED,
    S.UNDER_REVIEW,
    S.PROPOSED,
    *GRANTED_STATES,
} - {S.CLOSED}
#: Where nothing is left to handle: jäv need not be declared for these cases.
FINISHED_STATES = {S.REJECTED, S.WITHDRAWN, S.CLOSED}
#: Where the case waits for the region and has no decision yet.
OPEN_STATES = {S.SUBMITTED, S.COMPLETION_REQUESTED, S.UNDER_REVIEW, S.PROPOSED}


# What the user may do now


@dataclass(frozen=True)
class CaseAction:
    """One thing the user may do with the case now: a link to its page, or a button (POST)."""

    name: str
    label: str
    url: str
    method: str = "get"  # "get": a link to the page that does it; "post": a button
    style: str = "primary"  # "primary" or "secondary" (the .button classes)
    description: str = ""


def case_actions(application: Application, user) -> list[CaseAction]:
    """Return what ``user`` may do with the case now: the next step of the work first, then the
    other things the user may do, the reassignment and the jäv declaration last.

    Transitions come from django-fsm for this user. The applicant's transitions (submit,
    complete, withdraw, submit_report) are never available to staff; the follow-up ones
    (accept_report, request_report_completion, claim_repayment) are taken on the follow-up page,
    and settle_repayment on the finance officers' claim page.
    """
    available = {t.name for t in application.get_available_user_state_transitions(user)}
    pk = application.pk
    state = application.state
    actions = []
    if "start_review" in available:
        actions.append(
            CaseAction(
                "take",
                _("Take the case"),
                reverse("casework:take", args=[pk]),
                method="post",
                description=_("You become the case's officer and start handling it."),
            )
        )
    if state == S.UNDER_REVIEW and permissions.can_propose(application, user):
        actions.append(
            CaseAction(
                "assess",
                _("Assess the application"),
                reverse("casework:assess", args=[pk]),
                description=_("Score the criteria, rate the perspectives and recommend."),
            )
        )
    if "propose" in available:
        actions.append(
            CaseAction(
                "propose",
                _("Propose the decision"),
                reverse("casework:propose", args=[pk]),
                method="post",
                description=_("The assessment is complete; put the case forward for decision."),
            )
        )
    if "request_completion" in available:
        actions.append(
            CaseAction(
                "request_completion",
                _("Request completion"),
                reverse("casework:request_completion", args=[pk]),
                style="secondary",
                description=_("Ask the applicant to complete named parts by a due date."),
            )
        )
    if "approve" in available or "reject" in available:
        if user.has_perm(permissions.DECIDE):
            actions.append(
                CaseAction(
                    "decide",
                    _("Decide the case"),
                    reverse("deciding:decide", args=[pk]),
                    description=_("Approve, approve in part, reject or dismiss by delegation."),
                )
            )
        if user.has_perm(permissions.RECORD_COMMITTEE):
            actions.append(
                CaseAction(
                    "committee",
                    _("Record a committee decision"),
                    reverse("deciding:committee") + f"?call={application.call_id}",
                    description=_("Decide the call's proposals at a committee meeting."),
                )
            )
    if "return_for_review" in available:
        actions.append(
            CaseAction(
                "return",
                _("Return the case for review"),
                reverse("deciding:return", args=[pk]),
                style="secondary",
                description=_("Send the proposal back to the officer, with the reason."),
            )
        )
    if "accept_report" in available or "request_report_completion" in available:
        actions.append(
            CaseAction(
                "follow_up",
                _("Review the final report"),
                reverse("deciding:follow_up", args=[pk]),
                description=_("Accept it and close the case, or ask for completion."),
            )
        )
    if "claim_repayment" in available:
        actions.append(
            CaseAction(
                "claim_repayment",
                _("Claim repayment"),
                reverse("deciding:follow_up", args=[pk]) + "#claim-heading",
                style="secondary",
                description=_("Claim back what was not used or not used as decided."),
            )
        )
    if (state == S.SUBMITTED and "start_review" in available) or (
        state in REASSIGNABLE_STATES and permissions.can_handle(application, user)
    ):
        actions.append(
            CaseAction(
                "assign",
                _("Assign the case") if state == S.SUBMITTED else _("Reassign the case"),
                reverse("casework:assign", args=[pk]),
                method="post",
                style="secondary",
                description=_("Give the case to a culture officer without jäv."),
            )
        )
    if state not in FINISHED_STATES and permissions.is_caseworker(user):
        actions.append(
            CaseAction(
                "declare_conflict",
                _("Declare a conflict of interest (jäv)"),
                reverse("casework:declare_conflict", args=[pk]),
                style="secondary",
                description=_("You will no longer see or handle the organisation's cases."),
            )
        )
    return actions


def proposal_gaps(application: Application, actions: list[CaseAction]) -> list[str]:
    """Return what the assessment lacks while the user may assess but not yet propose; empty
    when it lacks nothing, or when the user is not the one to assess (``case_actions``)."""
    offered = {action.name for action in actions}
    if "assess" not in offered or "propose" in offered:
        return []
    assessment = getattr(application, "assessment", None)
    if assessment is None:
        return [_("an assessment: none has been saved yet")]
    return assessment.missing_parts()


# The organisation's other cases


@dataclass(frozen=True)
class ReportStatus:
    """Where the follow-up report of a decided case stands, in words."""

    text: str
    tone: str = ""  # "", "attention" or "done" (the CSS classes of .status)
    overdue: bool = False


@dataclass(frozen=True)
class EarlierDecision:
    """One of the organisation's decided cases, with its decision and report status."""

    application: Application
    decision: object  # decisions.Decision, reached through the reverse relation
    report: ReportStatus


def _report_of(decision):
    try:
        return decision.follow_up_report
    except ObjectDoesNotExist:
        return None


def report_status(application: Application, decision, *, today: date) -> ReportStatus:
    """Return where the case's follow-up report stands; overdue when a grant's report was due
    before ``today`` and has not been submitted."""
    if not decision.is_grant:
        return ReportStatus(_("No report: not granted"))
    report = _report_of(decision)
    if report is not None and report.accepted_at:
        return ReportStatus(
            _("Report accepted on %(date)s")
            % {"date": long_date(timezone.localdate(report.accepted_at))},
            "done",
        )
    if application.state == S.REPORT_COMPLETION_REQUESTED:
        # The open request's due date, where the selector gives it (other_applications_of).
        asked_by = getattr(application, "report_request_due", None)
        if asked_by is not None and asked_by < today:
            return ReportStatus(
                _("Overdue: the completed report was due %(date)s") % {"date": long_date(asked_by)},
                "attention",
                overdue=True,
            )
        return ReportStatus(_("Report submitted; the officer asked for completion"))
    if report is not None and report.submitted_at:
        return ReportStatus(
            _("Report submitted on %(date)s, not yet accepted")
            % {"date": long_date(timezone.localdate(report.submitted_at))}
        )
    if application.state == S.CLOSED:
        return ReportStatus(_("Closed without a report"))
    due = report.due_date if report is not None else decision.report_due_date
    if due is None:
        return ReportStatus(_("Not reported; no due date"))
    if due < today:
        return ReportStatus(
            _("Overdue: not reported, due %(date)s") % {"date": long_date(due)},
            "attention",
            overdue=True,
        )
    return ReportStatus(_("Report due on %(date)s") % {"date": long_date(due)})


def other_cases(
    application: Application, *, today: date
) -> tuple[list[EarlierDecision], list[Application]]:
    """Return the organisation's decided cases (with report status) and its other open ones."""
    decided, open_cases = [], []
    for other in selectors.other_applications_of(application=application):
        decision = decision_of(other)
        if decision is not None:
            decided.append(
                EarlierDecision(other, decision, report_status(other, decision, today=today))
            )
        elif other.state in OPEN_STATES:
            open_cases.append(other)
    decided.sort(key=lambda earlier: earlier.decision.decision_date, reverse=True)
    return decided, open_cases


# The assessment, read-only


def assessment_summary(application: Application) -> dict | None:
    """Return the assessment as the case page shows it, labels resolved; None before one."""
    assessment = getattr(application, "assessment", None)
    if assessment is None:
        return None
    scores = {score.criterion_id: score for score in assessment.scores.all()}
    ratings = dict(Assessment.Rating.choices)
    goals = dict(AGENDA_2030_GOALS)
    return {
        "assessment": assessment,
        "criteria": [
            {"criterion": criterion, "score": scores.get(criterion.pk)}
            for criterion in application.call.programme.criteria.all()
        ],
        "weighted_score": assessment.weighted_score(),
        "perspectives": [
            {
                "label": label,
                "rating": ratings.get((assessment.perspectives.get(key) or {}).get("rating"), ""),
                "comment": (assessment.perspectives.get(key) or {}).get("comment", ""),
            }
            for key, label in Perspective.choices
        ],
        "agenda_goals": [
            {"number": number, "label": goals.get(number, "")}
            for number in sorted(assessment.agenda_goals or [])
        ],
    }


# Forms of the case page


class InternalNoteForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Internal note"),
        help_text=gettext_lazy(
            "For the region's staff only: the applicant never sees it. A note cannot be changed "
            "once saved."
        ),
        max_length=INTERNAL_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        # Both forms of the page have a "body": each needs ids of its own.
        super().__init__(*args, auto_id="note_%s", **kwargs)


class OfficerMessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message to the applicant"),
        help_text=gettext_lazy(
            "The organisation's signatories and the application's author are told by e-mail and "
            "read it on their case page."
        ),
        max_length=CASE_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="message_%s", **kwargs)
