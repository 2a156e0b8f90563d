"""What every file made from a payment batch has in common (DESIGN §6).

An exporter has one job: write one file of one attested batch to a binary stream. It reads the
batch's payments, whose payee was copied onto them when they were batched, never the
organisation's current details, so a file made later says what was attested.
"""

from abc import ABC, abstractmethod
from datetime import datetime
from typing import BinaryIO, ClassVar

from django.db.models import QuerySet
from django.utils import timezone

from decisions.models import Payment, PaymentBatch


class BatchExporter(ABC):
    """Write one file of a payment batch. Subclasses set the class attributes and ``write``."""

    #: The format's name in URLs, in ``export_batch --format`` and in ``BatchExport.format``.
    identifier: ClassVar[str]
    #: What the format is called on the pages (translatable).
    name: ClassVar[str]
    extension: ClassVar[str]
    content_type: ClassVar[str]

    def __init__(self, batch: PaymentBatch):
        self.batch = batch

    def made_at(self) -> datetime:
        """Return when the file is made, as its contents say: the batch's export, so that
        writing it again gives the same bytes."""
        batch = self.batch
        moment = batch.exported_at or batch.attested_at or batch.created_at
        return timezone.localtime(moment).replace(microsecond=0)

    def filename(self) -> str:
        """Return the name the file is downloaded as."""
        return f"utbetalningsunderlag-{self.batch.pk}.{self.extension}"

    def payments(self) -> QuerySet[Payment]:
        """Return the batch's payments in a stable order, with what every file needs."""
        return (
            Payment.objects.filter(batch_items__batch=self.batch, batch_items__active=True)
            .select_related("decision__application__call__programme")
            .order_by("pk")
        )

    @abstractmethod
    def write(self, stream: BinaryIO) -> None:
        """Write the whole file to ``stream``, row by row: a batch may hold 100,000 payments."""
