"""``manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]`` (DESIGN §7, §9), run daily.

E-mails the grantees whose follow-up reports are coming due or are overdue, each reminder once
(``decisions.reminders``), one line per reminder; the last line is ``sent N reminders``.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from decisions.reminders import reminder_send, reminders_due


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date {value!r} is not a date like 2026-03-31") from error


class Command(BaseCommand):
    help = (
        "E-mail reminders about follow-up reports before, on and after their due date; each "
        "is sent once however often this runs. Meant to run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help="Act as on this day (default: today).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the reminders that would be sent, and send and record nothing.",
        )

    def handle(self, *args, **options):
        today = _day(options["date"]) if options["date"] else timezone.localdate()
        dry_run = options["dry_run"]
        sent = 0
        for due in reminders_due(today=today):
            case_number = due.application.case_number
            if dry_run:
                self.stdout.write(
                    f"would send {case_number}: {due.step.kind} reminder, report due {due.due_date}"
                )
                sent += 1
                continue
            reminder = reminder_send(report=due.report, today=today)
            if reminder is None:
                # Submitted, or reminded by another run, since the list was read.
                continue
            self.stdout.write(
                f"{case_number}: {reminder.kind} reminder, report due {reminder.due_date}, "
                f"to {len(reminder.recipients)} recipients"
            )
            sent += 1
        if dry_run:
            self.stdout.write(f"would send {sent} reminders (dry run: nothing sent)")
        else:
            self.stdout.write(f"sent {sent} reminders")
