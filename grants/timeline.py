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
from django.utils.translation import gettext_lazy

from audit.services import entries_for
from grants.models import Assessment
from grants.workflow import ApplicationState
from organisations.models import User

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


# The history for staff (the officer's case page)


@dataclass(frozen=True)
class StaffEvent:
    """One audit entry of the case, as the region's staff read it."""

    when: datetime
    text: str
    actor_label: str
    detail: str = ""
    shown_to_applicant: bool = False


def _person(people: dict[str, str], email) -> str:
    return people.get(email) or email or _("nobody")


def _staff_review_started(entry, data, people):
    officer = data.get("officer")
    if entry.actor is not None and officer == entry.actor.email:
        return _("Took the case and started handling it"), ""
    return (
        _("Started handling the case and assigned it to %(officer)s")
        % {"officer": _person(people, officer)},
        "",
    )


def _staff_assigned(entry, data, people):
    if data.get("old"):
        return (
            _("Reassigned the case from %(old)s to %(new)s")
            % {"old": _person(people, data["old"]), "new": _person(people, data.get("new"))},
            "",
        )
    return _("Assigned the case to %(new)s") % {"new": _person(people, data.get("new"))}, ""


def _staff_completion_requested(entry, data, people):
    return (
        _("Asked the applicant to complete the application by %(date)s")
        % {"date": long_date(data.get("due_date"))},
        data.get("message", ""),
    )


def _staff_completed(entry, data, people):
    return _("Sent the completed application back"), data.get("reply", "")


def _recommendation_words(data) -> str:
    labels = dict(Assessment.Recommendation.choices)
    words = str(labels.get(data.get("recommendation"), _("no recommendation yet")))
    if data.get("proposed_amount") not in (None, ""):
        words += ", " + money(data["proposed_amount"])
    if data.get("weighted_score") not in (None, ""):
        words += ", " + _("weighted score %(score)s") % {"score": data["weighted_score"]}
    return words


def _staff_assessment_saved(entry, data, people):
    return _("Saved the assessment (%(summary)s)") % {"summary": _recommendation_words(data)}, ""


def _staff_proposed(entry, data, people):
    return _("Proposed a decision: %(summary)s") % {"summary": _recommendation_words(data)}, ""


def _staff_returned(entry, data, people):
    return _("Returned the proposal for review"), data.get("reason", "")


def _staff_decided(entry, data, people):
    text, _detail = _decided(entry, data)
    committee = data.get("committee")
    if committee:
        by = _("committee decision: %(body)s, %(date)s, § %(paragraph)s") % {
            "body": committee.get("body", ""),
            "date": long_date(committee.get("meeting_date")),
            "paragraph": committee.get("paragraph", ""),
        }
    elif data.get("delegation_reference"):
        by = _("by delegation: %(reference)s") % {"reference": data["delegation_reference"]}
    else:
        return text, ""
    return f"{text} ({by})", ""


def _staff_attachment_added(entry, data, people):
    return _("Attached the file “%(name)s”") % {"name": data.get("name", "")}, ""


def _staff_attachment_removed(entry, data, people):
    return _("Removed the file “%(name)s”") % {"name": data.get("name", "")}, ""


def _staff_message_sent(entry, data, people):
    if data.get("from_staff"):
        return _("Wrote a message to the applicant"), ""
    return _("The organisation wrote a message"), ""


def _staff_payment_failed(entry, data, people):
    return (
        _("Payment of %(amount)s failed") % {"amount": money(data.get("amount"))},
        data.get("reason", ""),
    )


def _plain(text):
    """Return a describer that gives the same words (a lazy translation) for every entry."""

    def describe(entry, data, people):
        return str(text), ""

    return describe


def _as_applicant_reads_it(describe):
    """Return a describer that words the entry as the applicant's history does."""

    def staff_describe(entry, data, people):
        return describe(entry, data)

    return staff_describe


#: How staff read each audit action of an application; any other action shows its dotted name.
STAFF_LABELS = {
    "grants.application.created": _plain(gettext_lazy("Started the application")),
    "grants.application.changed": _plain(gettext_lazy("Changed the application")),
    "grants.application.budget_changed": _plain(gettext_lazy("Changed the budget")),
    "grants.application.attachment_added": _staff_attachment_added,
    "grants.application.attachment_removed": _staff_attachment_removed,
    "grants.application.submission_requested": _as_applicant_reads_it(_submission_requested),
    "grants.application.submitted": _as_applicant_reads_it(_submitted),
    "grants.application.copy_stored": _plain(
        gettext_lazy("Stored the copy of the application as submitted")
    ),
    "grants.application.review_started": _staff_review_started,
    "grants.application.assigned": _staff_assigned,
    "grants.application.completion_requested": _staff_completion_requested,
    "grants.application.completed": _staff_completed,
    "grants.assessment.saved": _staff_assessment_saved,
    "grants.application.proposed": _staff_proposed,
    "grants.application.returned": _staff_returned,
    "grants.application.approved": _staff_decided,
    "grants.application.rejected": _staff_decided,
    "grants.application.withdrawn": _as_applicant_reads_it(_withdrawn),
    "grants.message.sent": _staff_message_sent,
    "grants.note.added": _plain(gettext_lazy("Wrote an internal note")),
    "decisions.report.submitted": _as_applicant_reads_it(_report_submitted),
    "decisions.report.completion_requested": _as_applicant_reads_it(_report_completion_requested),
    "decisions.report.accepted": _as_applicant_reads_it(_report_accepted),
    "decisions.payment.requisitioned": _as_applicant_reads_it(_payment_requisitioned),
    "decisions.payment.failed": _staff_payment_failed,
    "decisions.repayment.claimed": _as_applicant_reads_it(_repayment_claimed),
    "decisions.repayment.settled": _as_applicant_reads_it(_repayment_settled),
    "decisions.repayment.written_off": _as_applicant_reads_it(_repayment_written_off),
}

#: The entries whose data name members of staff by e-mail, and the keys that hold the addresses.
_PEOPLE_KEYS = {
    "grants.application.review_started": ("officer",),
    "grants.application.assigned": ("old", "new"),
}


def staff_timeline(application) -> list[StaffEvent]:
    """Return every audit entry of the case for the region's staff, oldest first.

    Staff see everything the trail holds for the case; ``shown_to_applicant`` tells which
    entries the applicant's history shows too. Officers named by e-mail in an entry's data are
    named in full, looked up in one query.
    """
    entries = list(entries_for(application))
    emails = {
        (entry.data or {}).get(key)
        for entry in entries
        for key in _PEOPLE_KEYS.get(entry.action, ())
    } - {None, ""}
    people = dict(User.objects.filter(email__in=emails).values_list("email", "full_name"))
    events = []
    for entry in entries:
        data = entry.data or {}
        describe = STAFF_LABELS.get(entry.action)
        text, detail = describe(entry, data, people) if describe else (entry.action, "")
        events.append(
            StaffEvent(
                when=entry.created_at,
                text=str(text),
                actor_label=entry.actor.full_name if entry.actor else _("The system"),
                detail=detail or "",
                shown_to_applicant=entry.action in APPLICANT_VISIBLE,
            )
        )
    return events
