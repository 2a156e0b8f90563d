"""Reminders about follow-up reports (DESIGN §7): ``manage.py send_reminders``, run daily, sends
each reminder once, before, on and after the due date, and a completion request's new due date
gets reminders of its own."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import LogEntry
from audit.services import entries_for, verify_chain
from decisions import reminders
from decisions import services as decision_services
from decisions.models import FollowUpReport, Reminder
from grants import services
from grants.models import Application
from organisations.services import membership_add
from tests import factories

Kind = Reminder.Kind


def run(day: date | None = None, *args: str) -> list[str]:
    """Run the command as on ``day`` and return the lines it printed."""
    out = StringIO()
    options = ["--date", day.isoformat()] if day else []
    call_command("send_reminders", *options, *args, stdout=out)
    return out.getvalue().splitlines()


def sent(report) -> list[tuple[str, date]]:
    return list(
        Reminder.objects.filter(report=report).order_by("id").values_list("kind", "due_date")
    )


def fill_and_submit(report, actor) -> FollowUpReport:
    decision_services.report_save(
        report=report,
        actor=actor,
        what_was_done="Tolv föreställningar i fem byar runt Storsjön.",
        participants={"0-12": {"women": 40, "men": 35, "other": 2}},
        municipalities=["2380"],
        actual_budget=[{"kind": "cost", "category": "fees", "amount": "70000"}],
        used_amount=Decimal("50000"),
    )
    return decision_services.report_submit(report=report, actor=actor)


@pytest.fixture
def report(approved):
    return approved.decision.follow_up_report


@pytest.fixture
def mail(mailoutbox, django_capture_on_commit_callbacks):
    """Run the command with the e-mails queued on commit really sent; return the outbox."""

    def run_and_send(day, *args):
        with django_capture_on_commit_callbacks(execute=True):
            lines = run(day, *args)
        return lines

    run_and_send.outbox = mailoutbox
    return run_and_send


# When reminders are sent


@pytest.mark.django_db
def test_the_steps_are_declared_once_in_order():
    assert [(step.kind, step.days) for step in reminders.STEPS] == [
        (Kind.BEFORE, -14),
        (Kind.DUE, 0),
        (Kind.OVERDUE, 7),
        (Kind.OVERDUE_AGAIN, 30),
    ]
    assert {step.kind for step in reminders.STEPS} == set(Kind.values)


@pytest.mark.django_db
def test_each_reminder_is_sent_once_however_often_the_command_runs(report, mail):
    due = report.due_date
    sent_on = {}
    for offset in range(-20, 41):
        day = due + timedelta(days=offset)
        for _run in range(2):
            lines = mail(day)
            assert lines[-1].startswith("sent ") and lines[-1].endswith(" reminders")
            if lines[-1] != "sent 0 reminders":
                sent_on.setdefault(day, []).append(lines)

    assert sent(report) == [
        (Kind.BEFORE, due),
        (Kind.DUE, due),
        (Kind.OVERDUE, due),
        (Kind.OVERDUE_AGAIN, due),
    ]
    # Each on its day, on the first run of the day only, and e-mailed once.
    assert list(sent_on) == [
        due - timedelta(days=14),
        due,
        due + timedelta(days=7),
        due + timedelta(days=30),
    ]
    assert all(len(runs) == 1 and runs[0][-1] == "sent 1 reminders" for runs in sent_on.values())
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_a_line_per_reminder_and_the_summary_last(report):
    lines = run(report.due_date)

    assert lines == [
        f"{report.decision.application.case_number}: due reminder, report due "
        f"{report.due_date}, to 1 recipients",
        "sent 1 reminders",
    ]


@pytest.mark.django_db
def test_missed_steps_are_not_caught_up(report):
    """A run after a gap sends only the latest step that has come, once."""
    due = report.due_date

    assert run(due + timedelta(days=10))[-1] == "sent 1 reminders"
    assert run(due + timedelta(days=29))[-1] == "sent 0 reminders"
    assert run(due + timedelta(days=400))[-1] == "sent 1 reminders"

    assert sent(report) == [(Kind.OVERDUE, due), (Kind.OVERDUE_AGAIN, due)]


@pytest.mark.django_db
def test_nothing_before_the_first_step_nor_for_an_earlier_day_once_a_later_one_is_sent(report):
    due = report.due_date

    assert run(due - timedelta(days=15))[-1] == "sent 0 reminders"
    run(due)
    # Run as on an earlier day (a wrong --date): the "before" reminder is past.
    assert run(due - timedelta(days=14))[-1] == "sent 0 reminders"

    assert sent(report) == [(Kind.DUE, due)]


@pytest.mark.django_db
def test_a_submitted_report_gets_no_more_reminders(report, applicant):
    due = report.due_date
    run(due - timedelta(days=14))

    fill_and_submit(report, applicant)

    for offset in (0, 7, 30, 100):
        assert run(due + timedelta(days=offset))[-1] == "sent 0 reminders"
    assert sent(report) == [(Kind.BEFORE, due)]


@pytest.mark.django_db
def test_a_completion_requests_due_date_gets_reminders_of_its_own(report, applicant, officer):
    first_due = report.due_date
    run(first_due - timedelta(days=14))
    fill_and_submit(report, applicant)
    new_due = timezone.localdate() + timedelta(days=30)
    decision_services.report_request_completion(
        report=report, actor=officer, message="Redovisa deltagarna.", due_date=new_due
    )

    for offset in range(-20, 41):
        run(new_due + timedelta(days=offset))

    assert sent(report) == [
        (Kind.BEFORE, first_due),
        (Kind.BEFORE, new_due),
        (Kind.DUE, new_due),
        (Kind.OVERDUE, new_due),
        (Kind.OVERDUE_AGAIN, new_due),
    ]


@pytest.mark.django_db
def test_no_before_reminder_when_the_grantee_was_told_of_the_due_date_after_its_day(
    report, applicant, officer
):
    """A completion request due in ten days: the officer's own e-mail told them just now."""
    fill_and_submit(report, applicant)
    today = timezone.localdate()
    new_due = today + timedelta(days=10)
    decision_services.report_request_completion(
        report=report, actor=officer, message="Redovisa deltagarna.", due_date=new_due
    )

    assert run(today)[-1] == "sent 0 reminders"
    assert run(new_due - timedelta(days=1))[-1] == "sent 0 reminders"
    assert run(new_due)[-1] == "sent 1 reminders"
    assert sent(report) == [(Kind.DUE, new_due)]


@pytest.mark.django_db
def test_a_completed_report_gets_no_more_reminders_about_the_request(report, applicant, officer):
    fill_and_submit(report, applicant)
    new_due = timezone.localdate() + timedelta(days=30)
    decision_services.report_request_completion(
        report=report, actor=officer, message="Redovisa deltagarna.", due_date=new_due
    )
    run(new_due)
    decision_services.report_submit(report=report, actor=applicant)

    assert run(new_due + timedelta(days=7))[-1] == "sent 0 reminders"
    assert sent(report) == [(Kind.DUE, new_due)]


@pytest.mark.django_db
def test_no_reminders_for_a_closed_case(report, applicant, officer):
    fill_and_submit(report, applicant)
    decision_services.report_accept(report=report, actor=officer)

    assert run(report.due_date + timedelta(days=7))[-1] == "sent 0 reminders"


@pytest.mark.django_db
def test_no_reminders_when_repayment_is_claimed(report, approved, decider, finance, finance_2):
    factories.pay_out(approved.decision.payments.filter(state="payable"), finance, finance_2)
    factories.repayment_claim(approved.decision, decider)

    assert Application.objects.get(pk=approved.pk).state == "repayment_claimed"
    assert run(report.due_date + timedelta(days=7))[-1] == "sent 0 reminders"


@pytest.mark.django_db
def test_rejected_and_withdrawn_cases_get_none(
    call, officer, decider, delegation, applicant, organisation
):
    rejected = factories.decide(
        factories.proposal(call, officer, recommendation="reject"), decider, outcome="rejected"
    )
    draft = factories.draft(organisation, call, applicant)
    services.application_withdraw(application=draft, actor=applicant)

    assert rejected.application.state == "rejected"
    assert run(timezone.localdate() + timedelta(days=400))[-1] == "sent 0 reminders"
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_lists_and_neither_sends_nor_records(report, mail):
    lines = mail(report.due_date, "--dry-run")

    assert lines == [
        f"would send {report.decision.application.case_number}: due reminder, report due "
        f"{report.due_date}",
        "would send 1 reminders (dry run: nothing sent)",
    ]
    assert not Reminder.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_date_that_is_not_a_date_is_refused():
    with pytest.raises(CommandError, match="is not a date"):
        run(None, "--date", "31/3/2026")


@pytest.mark.django_db
def test_without_a_date_the_command_acts_as_of_today(report):
    FollowUpReport.objects.filter(pk=report.pk).update(due_date=timezone.localdate())

    assert run()[-1] == "sent 1 reminders"
    assert sent(report) == [(Kind.DUE, timezone.localdate())]


# The e-mail


@pytest.mark.django_db
def test_the_reminder_goes_to_the_signatories_and_the_author_in_the_letter_language(
    report, approved, applicant, member, mail
):
    second = factories.user("signatory-2@example.org", full_name="Sixten Firmatecknare")
    membership_add(organisation=approved.organisation, user=second, role="signatory", actor=None)
    factories.organisation(factories.user("elsewhere@example.org"), name="En annan förening")
    Application.objects.filter(pk=approved.pk).update(author=member, letter_language="en")

    mail(report.due_date + timedelta(days=9))

    [message] = mail.outbox
    assert sorted(message.to) == [
        "applicant-a@example.org",
        "member-a@example.org",
        "signatory-2@example.org",
    ]
    assert message.subject == f"The final report for {approved.case_number} is overdue"
    due = report.due_date
    assert f"was due on {due.day} {due:%B} {due.year}, 9 days ago" in message.body
    assert approved.title in message.body
    link = settings.SITE_URL + reverse("portal:report", args=[approved.pk])
    assert link.endswith(f"/en/mina-sidor/{approved.pk}/redovisning/")
    assert link in message.body
    reminder = Reminder.objects.get()
    assert sorted(reminder.recipients) == sorted(message.to)


@pytest.mark.django_db
def test_the_author_who_left_the_organisation_is_not_reminded(report, approved, member, mail):
    Application.objects.filter(pk=approved.pk).update(author=member)
    approved.organisation.memberships.filter(user=member).delete()

    mail(report.due_date)

    assert mail.outbox[0].to == ["applicant-a@example.org"]


@pytest.mark.django_db
def test_a_swedish_reminder_before_the_due_date(report, approved, mail):
    assert approved.letter_language == "sv"

    mail(report.due_date - timedelta(days=14))

    [message] = mail.outbox
    assert approved.case_number in message.subject
    assert "Ange diarienumret när du kontaktar oss." in message.body
    link = settings.SITE_URL + f"/mina-sidor/{approved.pk}/redovisning/"
    assert link in message.body


@pytest.mark.django_db
def test_each_kind_has_its_own_wording(report, approved, mail):
    Application.objects.filter(pk=approved.pk).update(letter_language="en")
    due = report.due_date

    for offset in (-14, 0, 7, 30):
        mail(due + timedelta(days=offset))

    subjects = [message.subject for message in mail.outbox]
    case = approved.case_number
    assert subjects == [
        f"Reminder: the final report for {case} is due on {due.day} {due:%B} {due.year}",
        f"The final report for {case} is due today",
        f"The final report for {case} is overdue",
        f"The final report for {case} is overdue",
    ]
    assert "30 days ago" in mail.outbox[3].body


@pytest.mark.django_db
def test_a_completion_reminder_says_so(report, approved, applicant, officer, mail):
    Application.objects.filter(pk=approved.pk).update(letter_language="en")
    fill_and_submit(report, applicant)
    new_due = timezone.localdate() + timedelta(days=30)
    decision_services.report_request_completion(
        report=report, actor=officer, message="Redovisa deltagarna.", due_date=new_due
    )
    mail.outbox.clear()

    mail(new_due)

    assert "asked Storsjöteatern ideell förening to complete the final report" in (
        mail.outbox[0].body
    )


@pytest.mark.django_db
def test_each_reminder_is_audited(report, approved):
    run(report.due_date + timedelta(days=7))

    entry = entries_for(approved).get(action="decisions.report.reminder_sent")
    assert entry.actor is None
    assert entry.data == {
        "report": report.pk,
        "kind": "overdue",
        "due_date": report.due_date.isoformat(),
        "recipients": 1,
    }


# Each once, by the database


@pytest.mark.django_db
def test_the_database_refuses_a_second_reminder_of_a_kind_about_a_due_date(report):
    Reminder.objects.create(report=report, kind=Kind.DUE, due_date=report.due_date)
    Reminder.objects.create(
        report=report, kind=Kind.DUE, due_date=report.due_date + timedelta(days=30)
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(report=report, kind=Kind.DUE, due_date=report.due_date)


@pytest.mark.django_db
def test_a_reminder_sent_meanwhile_is_not_sent_again(report, mail):
    """The list was read before another run sent the reminder: this run skips it."""
    [due] = reminders.reminders_due(today=report.due_date)
    assert reminders.reminder_send(report=due.report, today=report.due_date) is not None

    assert reminders.reminder_send(report=due.report, today=report.due_date) is None
    assert Reminder.objects.count() == 1


# Query counts


def grants(count: int, call, officer, decider) -> list[FollowUpReport]:
    return [
        factories.decide(factories.proposal(call, officer), decider).follow_up_report
        for _ in range(count)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_listing_the_reminders_due_takes_two_queries_however_many(
    count, call, officer, decider, delegation, django_assert_num_queries
):
    reports = grants(count, call, officer, decider)
    day = reports[0].due_date
    Reminder.objects.create(report=reports[0], kind=Kind.BEFORE, due_date=day)

    with django_assert_num_queries(2):  # the reports, the reminders already sent
        due = reminders.reminders_due(today=day)
        assert len(due) == count
        assert all(item.application.case_number for item in due)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_reports_whose_last_reminder_is_sent_are_not_read_again(
    count, call, officer, decider, delegation, django_assert_num_queries
):
    reports = grants(count, call, officer, decider)
    day = reports[0].due_date + timedelta(days=30)
    run(day)

    with django_assert_num_queries(1):  # nothing to prefetch
        assert reminders.reminders_due(today=day + timedelta(days=365)) == []


@pytest.mark.django_db
def test_sending_a_reminder_takes_a_fixed_number_of_queries(report, django_assert_max_num_queries):
    # Lock the case, read the report, its reminders and the recipients, write the reminder
    # (in a savepoint) and the audit entry (with the chain's lock on PostgreSQL).
    with django_assert_max_num_queries(12):
        assert reminders.reminder_send(report=report, today=report.due_date) is not None


# Two runs at once (PostgreSQL)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(call, officer, decider, delegation, mailoutbox):
    from tests.test_concurrency import run_together

    reports = grants(3, call, officer, decider)
    day = max(report.due_date for report in reports)
    Reminder.objects.all().delete()
    mailoutbox.clear()

    outcomes = run_together(lambda: run(day), lambda: run(day), lambda: run(day))

    assert [outcome.error for outcome in outcomes] == [None, None, None]
    summaries = [outcome.value[-1] for outcome in outcomes]
    assert sum(int(summary.split()[1]) for summary in summaries) == 3
    assert Reminder.objects.count() == 3
    assert set(Reminder.objects.values_list("report", flat=True)) == {r.pk for r in reports}
    assert len(mailoutbox) == 3  # only the runs whose reminder committed e-mailed
    assert LogEntry.objects.filter(action="decisions.report.reminder_sent").count() == 3
    assert verify_chain().broken is None
