"""What the applicant is told about their case: its state in plain words and its history.

The history is read from the audit trail through an allow-list: only what happened in the open
between the organisation and the region is shown. The officer's assessment, scores, proposal,
internal returns and assignments never are: a decision is not made until it is made.

People: members of the organisation are named. Staff are "the region", except the officer
assigned to the case, who is named, because that is the person the applicant deals with and
whom the decision letter names as the contact.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ObjectDoesNotExist
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.services import entries_for
from grants.workflow import ApplicationState

S = ApplicationState


@dataclass(frozen=True)
class TimelineEvent:
    """One thing that happened in the case, as the applicant reads it."""

    when: datetime
    text: str
    actor_label: str
    detail: str = ""


@dataclass(frozen=True)
class ApplicantStatus:
    """The application's state in plain words; ``attention`` when the applicant must act."""

    text: str
    tone: str = ""  # "", "attention" or "done" (the CSS classes of .status)

    @property
    def needs_action(self) -> bool:
        return self.tone == "attention"


def money(amount) -> str:
    """Return an amount as the pages show it: 25 000 kr."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{floatformat(value, '0g')} kr"


def long_date(value) -> str:
    """Return a date (or an ISO date string from the audit trail) as 3 March 2026."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if value is None:
        return ""
    return date_format(value, "j F Y")


def decision_of(application):
    """Return the application's decision, or None before it is decided."""
    try:
        return application.decision
    except ObjectDoesNotExist:
        return None


def applicant_status(application, *, due_date: date | None = None) -> ApplicantStatus:
    """Return the state in words written for the applicant, not for the officer.

    ``due_date`` is the open completion request's due date, when there is one. Under review and
    proposed read the same: whether a proposal exists, and what it says, is not the applicant's
    to know until the decision.
    """
    state = application.state
    if state == S.DRAFT:
        return ApplicantStatus(_("Draft – not submitted yet"))
    if state == S.SUBMITTED:
        return ApplicantStatus(_("Received – waiting for an officer"))
    if state == S.COMPLETION_REQUESTED:
        if due_date:
            return ApplicantStatus(
                _("The officer asks you to complete the application by %(date)s")
                % {"date": long_date(due_date)},
                "attention",
            )
        return ApplicantStatus(_("The officer asks you to complete the application"), "attention")
    if state in (S.UNDER_REVIEW, S.PROPOSED):
        return ApplicantStatus(_("Being handled – an officer is assessing the application"))
    if state == S.WITHDRAWN:
        return ApplicantStatus(_("Withdrawn – the case is closed"))
    decision = decision_of(application)
    if state == S.REJECTED:
        if decision is not None and decision.outcome == "dismissed":
            return ApplicantStatus(_("Dismissed – see the decision"))
        return ApplicantStatus(_("Not granted – see the decision"))
    granted = money(decision.amount) if decision is not None else ""
    if state == S.APPROVED:
        if granted:
            return ApplicantStatus(_("Granted %(amount)s") % {"amount": granted}, "done")
        return ApplicantStatus(_("Granted"), "done")
    if state == S.REPORT_SUBMITTED:
        return ApplicantStatus(_("Final report received – waiting for the officer"))
    if state == S.REPORT_COMPLETION_REQUESTED:
        if due_date:
            return ApplicantStatus(
                _("The officer asks you to complete the final report by %(date)s")
                % {"date": long_date(due_date)},
                "attention",
            )
        return ApplicantStatus(_("The officer asks you to complete the final report"), "attention")
    if state == S.REPAYMENT_CLAIMED:
        return ApplicantStatus(_("The region claims money back – see the case"), "attention")
    if state == S.CLOSED:
        return ApplicantStatus(_("Closed – nothing left to do"), "done")
    return ApplicantStatus(application.get_state_display())


# The history


def _created(entry, data):
    return _("Application started"), ""


def _submission_requested(entry, data):
    return _("Asked the organisation's signatories to submit the application"), ""


def _submitted(entry, data):
    return (
        _("Application submitted and registered with case number %(case_number)s")
        % {"case_number": data.get("case_number", "")},
        "",
    )


def _review_started(entry, data):
    return _("An officer has started handling the application"), ""


def _completion_requested(entry, data):
    return (
        _("The officer asked you to complete the application by %(date)s")
        % {"date": long_date(data.get("due_date"))},
        data.get("message", ""),
    )


def _completed(entry, data):
    return _("The completed application was sent back to the officer"), data.get("reply", "")


def _message_sent(entry, data):
    if data.get("from_staff"):
        return _("Sent you a message"), ""
    return _("Sent a message to the region"), ""


def _withdrawn(entry, data):
    return _("Application withdrawn"), data.get("reason", "")


def _decided(entry, data):
    outcome = data.get("outcome")
    if outcome == "approved":
        text = _("Decision: granted %(amount)s") % {"amount": money(data.get("amount"))}
    elif outcome == "approved_partly":
        text = _("Decision: granted %(amount)s of the %(requested)s applied for") % {
            "amount": money(data.get("amount")),
            "requested": money(data.get("requested_amount")),
        }
    elif outcome == "dismissed":
        text = _("Decision: the application is dismissed")
    else:
        text = _("Decision: the application is not granted")
    return text, ""


def _report_submitted(entry, data):
    return _("Final report submitted"), ""


def _report_completion_requested(entry, data):
    return (
        _("The officer asked you to complete the final report by %(date)s")
        % {"date": long_date(data.get("due_date"))},
        data.get("message", ""),
    )


def _report_accepted(entry, data):
    return _("Final report accepted"), ""


def _payment_requisitioned(entry, data):
    return (
        _("Payment of instalment %(number)s requested (%(amount)s)")
        % {"number": data.get("instalment", ""), "amount": money(data.get("amount"))},
        "",
    )


def _repayment_claimed(entry, data):
    return (
        _("The region claims %(amount)s back, to be repaid by %(date)s")
        % {"amount": money(data.get("amount")), "date": long_date(data.get("due_date"))},
        data.get("reasons", ""),
    )


def _repayment_settled(entry, data):
    return _("The repayment has been received"), ""


def _repayment_written_off(entry, data):
    return _("The repayment claim has been closed"), ""


#: What the applicant may see, by audit action, and who acted: the organisation or the region.
#: An action not listed here is never shown.
APPLICANT_VISIBLE = {
    "grants.application.created": (_created, "applicant"),
    "grants.application.submission_requested": (_submission_requested, "applicant"),
    "grants.application.submitted": (_submitted, "applicant"),
    "grants.application.review_started": (_review_started, "staff"),
    "grants.application.completion_requested": (_completion_requested, "staff"),
    "grants.application.completed": (_completed, "applicant"),
    "grants.message.sent": (_message_sent, None),  # either side: see data["from_staff"]
    "grants.application.withdrawn": (_withdrawn, "applicant"),
    "grants.application.approved": (_decided, "staff"),
    "grants.application.rejected": (_decided, "staff"),
    "decisions.report.submitted": (_report_submitted, "applicant"),
    "decisions.report.completion_requested": (_report_completion_requested, "staff"),
    "decisions.report.accepted": (_report_accepted, "staff"),
    "decisions.payment.requisitioned": (_payment_requisitioned, "applicant"),
    "decisions.repayment.claimed": (_repayment_claimed, "staff"),
    "decisions.repayment.settled": (_repayment_settled, "staff"),
    "decisions.repayment.written_off": (_repayment_written_off, "staff"),
}


def staff_label(application, user) -> str:
    """Return how a member of staff is named to the applicant: the assigned officer by name."""
    if user is not None and user.pk == application.assigned_officer_id:
        return _("%(name)s, officer") % {"name": user.full_name}
    return _("The region")


def applicant_timeline(application) -> list[TimelineEvent]:
    """Return what happened in the case that the applicant may see, oldest first."""
    entries = entries_for(application).filter(action__in=list(APPLICANT_VISIBLE))
    events = []
    for entry in entries:
        describe, side = APPLICANT_VISIBLE[entry.action]
        data = entry.data or {}
        if side is None:
            side = "staff" if data.get("from_staff") else "applicant"
        text, detail = describe(entry, data)
        if side == "staff":
            actor_label = staff_label(application, entry.actor)
        else:
            actor_label = entry.actor.full_name if entry.actor else ""
        events.append(TimelineEvent(entry.created_at, text, actor_label, detail or ""))
    return events
