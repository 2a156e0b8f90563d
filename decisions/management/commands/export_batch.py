"""``manage.py export_batch ID --format csv|xlsx|pain001|sie -o FILE`` (DESIGN §9).

Writes a stored file of an exported batch: the same bytes the finance pages send. An attested
batch is exported first, as the finance officer named by ``--user`` (the audit trail says who);
the command never makes a second, different file of a batch.
"""

import shutil
import sys

from django.core.management.base import BaseCommand, CommandError

from decisions import payments as services
from decisions.exports.store import batch_file_digest
from decisions.models import BatchExport, PaymentBatch
from decisions.workflow import BatchState
from organisations.errors import WorkflowError
from organisations.models import User


class Command(BaseCommand):
    help = (
        "Write a file of a payment batch: the payment list (csv, xlsx), the bank file (pain001) "
        "or the ledger file (sie). An attested batch is exported first, as --user."
    )

    def add_arguments(self, parser):
        parser.add_argument("batch_id", type=int, metavar="ID", help="The payment batch's id.")
        parser.add_argument(
            "--format", required=True, choices=BatchExport.Format.values, help="Which file."
        )
        parser.add_argument(
            "-o", "--output", required=True, metavar="FILE", help="Where to write it ('-': stdout)."
        )
        parser.add_argument(
            "--user",
            metavar="EMAIL",
            help="The finance officer who exports an attested batch (needed only then).",
        )

    def handle(self, *args, batch_id, format, output, user, **options):
        try:
            batch = PaymentBatch.objects.get(pk=batch_id)
        except PaymentBatch.DoesNotExist as error:
            raise CommandError(f"payment batch {batch_id} does not exist") from error
        if batch.state == BatchState.ATTESTED:
            batch = self._export(batch, user)
        elif batch.state not in (BatchState.EXPORTED, BatchState.CONFIRMED):
            raise CommandError(
                f"payment batch {batch_id} is {batch.state}: only an attested batch is exported"
            )
        export = BatchExport.objects.filter(batch=batch, format=format).first()
        if export is None:
            raise CommandError(f"payment batch {batch_id} has no stored {format} file")
        if batch_file_digest(export) != export.sha256:
            raise CommandError(
                f"the stored {format} file of payment batch {batch_id} does not match its SHA-256"
            )
        with export.file.open("rb") as source:
            if output == "-":
                # The file itself is the output: no summary line after it.
                shutil.copyfileobj(source, sys.stdout.buffer)
                sys.stdout.buffer.flush()
                return
            with open(output, "wb") as target:
                shutil.copyfileobj(source, target)
        self.stdout.write(
            f"wrote {output}: payment batch {batch.pk}, {format}, {export.size} bytes, "
            f"sha256 {export.sha256}"
        )

    def _export(self, batch: PaymentBatch, email: str | None) -> PaymentBatch:
        if not email:
            raise CommandError(
                f"payment batch {batch.pk} is attested but not exported: name the finance "
                "officer who exports it with --user EMAIL"
            )
        try:
            actor = User.objects.get(email__iexact=email, is_active=True)
        except User.DoesNotExist as error:
            raise CommandError(f"no active user {email}") from error
        try:
            batch = services.batch_export(batch=batch, actor=actor)
        except WorkflowError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"exported payment batch {batch.pk} as {actor.email}")
        return batch
