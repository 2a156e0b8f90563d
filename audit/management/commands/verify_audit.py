"""Check the audit trail's hash chain from its first entry to its last."""

from datetime import UTC

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max, Min

from audit.models import LogEntry
from audit.services import verify_chain


def _when(entry: LogEntry) -> str:
    return entry.created_at.astimezone(UTC).isoformat(timespec="seconds")


class Command(BaseCommand):
    help = (
        "Check every audit entry in id order: that its hash seals its content and that it "
        "links to the entry before it. Exits with an error naming the first broken entry."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=2000,
            help="Entries read from the database at a time (default 2000).",
        )

    def handle(self, *args, chunk_size, verbosity, **options):
        span = LogEntry.objects.order_by().aggregate(first=Min("id"), last=Max("id"))
        if span["first"] is None:
            self.stdout.write("The audit trail is empty; there is nothing to check.")
        else:
            self.stdout.write(
                f"Checking audit entries #{span['first']} to #{span['last']} in id order "
                "(hash of each entry's content, link to the entry before)."
            )

        last_checked = []

        def progress(checked, last_id):
            last_checked[:] = [last_id]
            if verbosity >= 2:
                self.stdout.write(f"  {checked} entries checked, up to #{last_id}")

        checked, broken, reason = verify_chain(chunk_size=chunk_size, progress=progress)
        if broken is not None:
            previous = LogEntry.objects.filter(id__lt=broken.id).order_by("-id").first()
            if previous is not None:
                self.stdout.write(f"{checked - 1} entries intact, up to #{previous.id}.")
            raise CommandError(
                f"Audit chain broken at entry #{broken.id} ({broken.action}, "
                f"{_when(broken)}): {reason}. {checked} entries checked."
            )
        if last_checked:
            # The last entry checked, not the newest now: entries may have been added meanwhile.
            head = LogEntry.objects.only("id", "hash", "created_at").get(pk=last_checked[0])
            self.stdout.write(
                f"{checked} entries checked; the last is #{head.id} ({_when(head)}), "
                f"hash {head.hash}."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} entries checked."))
