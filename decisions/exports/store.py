"""Make every file of a batch once, and keep it with its SHA-256 (DESIGN §6).

``batch_files_write`` runs inside ``batch_export``'s transaction, under the batch's row lock, so
two officers exporting at once cannot both write files; every later download, and
``export_batch``, reads the stored bytes.
"""

import hashlib
import tempfile

from django.core.files import File

from decisions.exports.base import BatchExporter
from decisions.models import BatchExport, PaymentBatch
from organisations.models import User


def exporters() -> dict[str, type[BatchExporter]]:
    """Return every file a batch is exported as, by ``BatchExport.format``, in page order."""
    from decisions.exports.pain001 import Pain001Exporter
    from decisions.exports.payment_list import PaymentListCsv, PaymentListXlsx
    from decisions.exports.sie import SieExporter

    return {
        exporter.identifier: exporter
        for exporter in (Pain001Exporter, PaymentListCsv, PaymentListXlsx, SieExporter)
    }


def batch_files_write(*, batch: PaymentBatch, actor: User) -> list[BatchExport]:
    """Write and store each file of the batch with its SHA-256 and size; return them."""
    stored: list[BatchExport] = []
    try:
        for identifier, exporter_class in exporters().items():
            exporter = exporter_class(batch)
            with tempfile.TemporaryFile() as scratch:
                exporter.write(scratch)
                size = scratch.tell()
                scratch.seek(0)
                digest = hashlib.file_digest(scratch, "sha256").hexdigest()
                scratch.seek(0)
                export = BatchExport(
                    batch=batch, format=identifier, sha256=digest, size=size, created_by=actor
                )
                export.file.save(exporter.filename(), File(scratch), save=False)
                stored.append(export)
                export.save()
    except BaseException:
        # The transaction rolls back the rows; the files written so far go too.
        for export in stored:
            export.file.delete(save=False)
        raise
    return stored


def batch_file_digest(export: BatchExport) -> str:
    """Return the SHA-256 of the stored file as it is now, to check it against the record."""
    with export.file.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
