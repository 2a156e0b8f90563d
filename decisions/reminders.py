"""Reminders about follow-up reports (DESIGN §7), sent by ``manage.py send_reminders`` daily.

A grantee owes the region a report while its case is approved (the report not yet submitted)
or while the officer has asked for the report to be completed; the due date is then the
completion request's. Closed, withdrawn and repayment-claimed cases get no reminders.

When each reminder is sent is declared once, in ``STEPS``: fourteen days before the due date, on
it, seven days after and thirty days after. Each is sent once per report and due date (a
completion request's new due date gets reminders of its own), however often the command runs and
even when two runs overlap: the row of ``decisions.Reminder`` is written before the e-mail is
queued, under a unique constraint, and the e-mail goes only when that row commits.

A run sends only the latest step whose day has come; earlier ones it missed (the command did not
run, or the report was decided late) are not caught up: a grantee whose report is already
overdue is told that, not that it will soon be due. Nor is a step sent whose day came before the
grantee was told of the due date (a completion request with a short due date gets no "before"
reminder). Nothing is recorded for a skipped step.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.urls import reverse
from django.utils import timezone, translation

from audit.services import log_action
from decisions.models import FollowUpReport, Reminder
from grants.models import Application, CompletionRequest
from grants.services import _application_facts, lock_application
from grants.workflow import ApplicationState
from organisations.models import Membership
from organisations.notifications import email_on_commit

S = ApplicationState
Kind = Reminder.Kind


@dataclass(frozen=True)
class Step:
    """A reminder: its kind, the day it is sent (days after the due date, negative before) and
    its e-mail template (``templates/email/<template>.txt``)."""

    kind: str
    days: int
    template: str


#: The reminders about a due date, in the order they are sent.
STEPS = (
    Step(Kind.BEFORE, -14, "report_reminder_before"),
    Step(Kind.DUE, 0, "report_reminder_due"),
    Step(Kind.OVERDUE, 7, "report_reminder_overdue"),
    Step(Kind.OVERDUE_AGAIN, 30, "report_reminder_overdue"),
)
STEP_ORDER = {step.kind: index for index, step in enumerate(STEPS)}

#: The states in which the grantee owes the region its report.
AWAITING_REPORT = (S.APPROVED, S.REPORT_COMPLETION_REQUESTED)


@dataclass(frozen=True)
class DueReminder:
    """A reminder that a run would send today."""

    report: FollowUpReport
    step: Step
    due_date: date

    @property
    def application(self) -> Application:
        return self.report.decision.application


def _report_link(application, language: str) -> str:
    """Return the absolute address of the grantee's report page, in the recipient's language."""
    with translation.override(language):
        return settings.SITE_URL + reverse("portal:report", args=[application.pk])


def step_for(*, due_date: date, told_on: date, today: date) -> Step | None:
    """Return the latest step whose day has come by ``today``; None before the first, or when
    that day came before the grantee was told of the due date (``told_on``)."""
    for step in reversed(STEPS):
        day = due_date + timedelta(days=step.days)
        if day <= today:
            return step if day >= told_on else None
    return None


def _open_report_request(application_ref) -> QuerySet[CompletionRequest]:
    return CompletionRequest.objects.filter(
        application=application_ref,
        subject=CompletionRequest.Subject.REPORT,
        answered_at__isnull=True,
    )


def reports_awaiting(*, today: date) -> QuerySet[FollowUpReport]:
    """Return the reports owed to the region that may need a reminder by ``today``, oldest
    first, each with the due date reminded of (``reminder_due``), the open completion request's
    time (``requested_at``, None without one) and the reminders already sent.

    Reports whose last step has been sent for their due date are left out, so a run reads only
    the reports near their due date, however many long overdue ones there are.
    """
    open_request = _open_report_request(OuterRef("decision__application_id"))
    last = STEPS[-1]
    return (
        FollowUpReport.objects.filter(decision__application__state__in=AWAITING_REPORT)
        .annotate(
            requested_at=Subquery(open_request.values("requested_at")[:1]),
            reminder_due=Case(
                When(
                    decision__application__state=S.REPORT_COMPLETION_REQUESTED,
                    then=Subquery(open_request.values("due_date")[:1]),
                ),
                default=F("due_date"),
                output_field=DateField(),
            ),
        )
        .filter(reminder_due__lte=today - timedelta(days=STEPS[0].days))
        .exclude(
            Exists(
                Reminder.objects.filter(
                    report=OuterRef("pk"), kind=last.kind, due_date=OuterRef("reminder_due")
                )
            )
        )
        .select_related("decision__application")
        .prefetch_related(
            Prefetch("reminders", queryset=Reminder.objects.only("report_id", "kind", "due_date"))
        )
        .order_by("reminder_due", "pk")
    )


def _told_on(report: FollowUpReport, requested_at) -> date:
    """Return the day the grantee learnt the due date: of the decision, or of the request."""
    if requested_at is not None:
        return timezone.localdate(requested_at)
    return report.decision.decision_date


def _already_sent(reminders, *, due_date: date, step: Step) -> bool:
    """Return whether this step, or a later one, was sent about this due date."""
    return any(
        reminder.due_date == due_date and STEP_ORDER[reminder.kind] >= STEP_ORDER[step.kind]
        for reminder in reminders
    )


def reminders_due(*, today: date) -> list[DueReminder]:
    """Return the reminders a run on ``today`` sends, in order of due date."""
    due = []
    for report in reports_awaiting(today=today):
        if report.reminder_due is None:
            continue  # completion requested, but no open request: nothing to remind of
        step = step_for(
            due_date=report.reminder_due,
            told_on=_told_on(report, report.requested_at),
            today=today,
        )
        if step is None or _already_sent(
            report.reminders.all(), due_date=report.reminder_due, step=step
        ):
            continue
        due.append(DueReminder(report, step, report.reminder_due))
    return due


def reminder_recipients(application: Application) -> list[str]:
    """Return the addresses a reminder goes to: the organisation's signatories, and the
    application's author while still acting for the organisation."""
    return sorted(
        set(
            Membership.objects.filter(
                organisation_id=application.organisation_id, user__is_active=True
            )
            .filter(Q(role=Membership.Role.SIGNATORY) | Q(user_id=application.author_id))
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


@transaction.atomic
def reminder_send(*, report: FollowUpReport, today: date) -> Reminder | None:
    """Record and e-mail the reminder the report needs on ``today``; None when it needs none,
    because it is no longer owed, or another run has just sent it.

    The case is locked and everything checked again first, so a report submitted meanwhile
    gets no reminder. The reminder's row is written before the e-mail is queued: a concurrent
    run that gets here second waits for the lock, then finds it (the unique constraint is the
    last line of defence), and the e-mail is sent only when this transaction commits.
    """
    application = lock_application(report.decision.application)
    if application.state not in AWAITING_REPORT:
        return None
    report = FollowUpReport.objects.select_related("decision").get(pk=report.pk)
    if application.state == S.REPORT_COMPLETION_REQUESTED:
        request = _open_report_request(application).order_by("-requested_at").first()
        if request is None:
            return None
        due_date, told_on = request.due_date, timezone.localdate(request.requested_at)
    else:
        due_date, told_on = report.due_date, report.decision.decision_date
    step = step_for(due_date=due_date, told_on=told_on, today=today)
    if step is None or _already_sent(report.reminders.all(), due_date=due_date, step=step):
        return None
    recipients = reminder_recipients(application)
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                report=report, kind=step.kind, due_date=due_date, recipients=recipients
            )
    except IntegrityError:
        return None
    log_action(
        application,
        "decisions.report.reminder_sent",
        data={
            "report": report.pk,
            "kind": step.kind,
            "due_date": due_date,
            "recipients": len(recipients),
        },
    )
    language = application.letter_language
    email_on_commit(
        to=recipients,
        template=step.template,
        context=_application_facts(application)
        | {
            "kind": step.kind,
            "completion": application.state == S.REPORT_COMPLETION_REQUESTED,
            "due_date": due_date.isoformat(),
            "days_overdue": (today - due_date).days,
            "link": _report_link(application, language),
        },
        language=language,
    )
    return reminder
