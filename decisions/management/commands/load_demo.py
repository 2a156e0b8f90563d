"""Load the demo: users and programmes from fixtures/, the rest built through the services."""

import logging
import time
from collections import Counter
from contextlib import contextmanager

from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import timezone

from decisions import demo
from decisions import services as decision_services
from decisions.delivery import decision_letter_store, repayment_letter_store
from decisions.models import Decision, Payment, PaymentBatch, RepaymentClaim
from decisions.reminders import reminder_send, reminders_due
from decisions.seeding import seed
from decisions.workflow import PaymentState
from grants.models import Application
from grants.workflow import ApplicationState
from organisations.models import Organisation, PayoutAccount, User

# The services e-mail receipts and decisions to the demo's invented addresses; while the demo
# loads, those messages are kept in memory instead of filling the console.
QUIET_MAIL = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@contextmanager
def quiet_tasks():
    """Keep the task backend's lines about each e-mail task out of the output while loading."""
    task_logger = logging.getLogger("django.tasks")
    level = task_logger.level
    task_logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        task_logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Load the demo data: the demo users, programmes and delegation rules from fixtures/, "
        "then organisations, calls, applications in every state, decisions, payments and "
        "batches built through the real services. Does nothing if the demo is already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--history",
            type=int,
            default=0,
            metavar="N",
            help=(
                "Also add N generated applications of earlier years (manage.py seed), with "
                "their decision letters, so the statistics and the register of granted support "
                "span several years; then run the day's reminders."
            ),
        )
        parser.add_argument(
            "--send-email",
            action="store_true",
            help="Send the e-mails the services queue while loading (kept back by default).",
        )

    def handle(self, *args, send_email, history, verbosity, **options):
        if demo.is_loaded():
            self.stdout.write(
                f"The demo is already loaded ({demo.DEMO_USERS[0]} has applications); "
                "nothing to do."
            )
            self.stdout.write(f"demo already loaded: {self._summary()}")
            return
        if demo.holds_other_data():
            raise CommandError(
                "The database already holds programmes or organisations that are not the "
                "demo's. Load the demo into a freshly migrated database (make clean-demo)."
            )

        def say(line: str) -> None:
            if verbosity >= 1:
                self.stdout.write(line)

        started = time.monotonic()
        outbox_before = len(getattr(mail, "outbox", []))

        def build():
            built = demo.load(say=say)
            if history:
                self._history(history, say)
            return built

        if send_email:
            built = build()
        else:
            with override_settings(MAILERS=QUIET_MAIL), quiet_tasks():
                built = build()
                kept_back = len(getattr(mail, "outbox", [])) - outbox_before
            say(f"E-mails the services sent while loading, kept back: {kept_back}")
        self._report(built, say)
        say(f"Demo users (password {demo.DEMO_PASSWORD}): {', '.join(demo.DEMO_USERS)}")
        say(f"Took {time.monotonic() - started:.1f} s")
        self.stdout.write(f"demo loaded: {self._summary()}")

    def _history(self, applications: int, say) -> None:
        """Add earlier years' cases by the seed, store their letters and run today's reminders."""
        started = time.monotonic()
        result = seed(applications=applications, random_seed=2026, progress=lambda line: None)
        decisions = Decision.objects.filter(letter="")
        for decision in decisions.iterator():
            decision_letter_store(decision)
        for claim in RepaymentClaim.objects.filter(letter="").select_related(
            "decision__application__organisation", "decision__application__call__programme"
        ):
            if not claim.snapshot:
                # The seed writes no letter values for its claims: taken from the claim now.
                payments = list(claim.decision.payments.all())
                claim.snapshot = decision_services.repayment_snapshot(
                    claim,
                    paid=sum((p.amount for p in payments if p.state == PaymentState.PAID), 0),
                    cancelled=sum(
                        (p.amount for p in payments if p.state == PaymentState.CANCELLED), 0
                    ),
                )
                claim.snapshot["claim_date"] = timezone.localdate(claim.claimed_at).isoformat()
                claim.save(update_fields=["snapshot"])
            repayment_letter_store(claim)
        say(
            f"History: {applications} generated applications of earlier years, "
            f"{result.rows.get('decisions.Decision', 0)} decisions with their letters "
            f"({time.monotonic() - started:.0f} s)"
        )
        today = timezone.localdate()
        sent = sum(
            reminder_send(report=due.report, today=today) is not None
            for due in reminders_due(today=today)
        )
        say(f"Reminders of follow-up reports sent today: {sent}")

    def _report(self, built, say) -> None:
        accounts = PayoutAccount.objects.all()
        say(
            f"Payout accounts: {accounts.verified().count()} verified and in use, "
            f"{accounts.pending().count()} awaiting verification, "
            f"{accounts.filter(rejected_at__isnull=False).count()} rejected"
        )
        states = Counter(Application.objects.values_list("state", flat=True))
        say(
            "Applications by state: "
            + ", ".join(f"{state} {states[state]}" for state in ApplicationState.values)
        )
        payments = Counter(Payment.objects.values_list("state", flat=True))
        say("Payments by state: " + ", ".join(f"{s} {n}" for s, n in sorted(payments.items())))
        for batch in built.batches:
            batch.refresh_from_db()
            kinds = sorted(
                set(
                    Payment.objects.filter(
                        batch_items__batch=batch, batch_items__active=True
                    ).values_list("payee_account_kind", flat=True)
                )
            )
            say(
                f"Payment batch #{batch.pk}: {batch.get_state_display()}, payment date "
                f"{batch.payment_date}, created by {batch.created_by.email}, attested by "
                f"{batch.attested_by.email}; payees by {', '.join(kinds)}"
            )
        claims = Counter(RepaymentClaim.objects.values_list("state", flat=True))
        say("Repayment claims: " + ", ".join(f"{s} {n}" for s, n in sorted(claims.items())))
        decisions, claims = Decision.objects.all(), RepaymentClaim.objects.all()
        say(
            f"Letters stored: {decisions.exclude(letter='').count()} of {decisions.count()} "
            f"decision letters, {claims.exclude(letter='').count()} of {claims.count()} "
            "repayment letters"
        )

    def _summary(self) -> str:
        return (
            f"{User.objects.count()} users, {Organisation.objects.count()} organisations, "
            f"{Application.objects.count()} applications, {Decision.objects.count()} decisions, "
            f"{Payment.objects.count()} payments, {PaymentBatch.objects.count()} batches"
        )
