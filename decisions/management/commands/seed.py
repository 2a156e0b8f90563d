"""``manage.py seed --applications N [--batch N]``: realistic data at scale (DESIGN §9)."""

from django.core.management.base import BaseCommand, CommandError

from decisions.seeding import CHUNK_SIZE, seed


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Seed realistic data at scale: applications in every state over six years of calls, "
        "with organisations, payout accounts, assessments, decisions, payments, batches, "
        "follow-up reports, repayment claims and their audit entries, by bulk inserts. Running "
        "it again adds more."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--applications",
            type=positive,
            required=True,
            metavar="N",
            help="How many applications to seed.",
        )
        parser.add_argument(
            "--batch",
            type=positive,
            metavar="N",
            help=(
                "Also put N payable payments into one attested payment batch (seeding recently "
                "approved applications if too few are payable) and print the batch's id."
            ),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            dest="random_seed",
            help="Seed of the random generator; the same seed gives the same data (default 1).",
        )
        parser.add_argument(
            "--chunk-size",
            type=positive,
            default=CHUNK_SIZE,
            help=f"Applications built in memory at a time (default {CHUNK_SIZE}).",
        )

    def handle(self, *args, applications, batch, random_seed, chunk_size, verbosity, **options):
        def progress(message: str) -> None:
            if verbosity >= 1:
                self.stdout.write(message)

        try:
            result = seed(
                applications=applications,
                batch_size=batch,
                random_seed=random_seed,
                chunk_size=chunk_size,
                progress=progress,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error

        self.stdout.write("applications by state:")
        for state, count in sorted(result.states.items(), key=lambda item: -item[1]):
            self.stdout.write(f"  {state:<28} {count:>8}")
        self.stdout.write("rows written:")
        for label, count in sorted(result.rows.items()):
            self.stdout.write(f"  {label:<28} {count:>8}")
        if result.batch is not None:
            self.stdout.write(
                f"payment batch {result.batch.pk}: {batch} payments, attested, payment date "
                f"{result.batch.payment_date.isoformat()}"
            )
        total = applications + result.extra_applications
        self.stdout.write(
            f"seeded {total} applications, {result.count('decisions.Decision')} decisions, "
            f"{result.count('decisions.Payment')} payments in {result.seconds:.1f} s"
        )
