"""The payment and payment-batch lifecycles (DESIGN §6): states and transitions only.

Services in ``decisions.services`` lock, check permission and audit around these.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition


class PaymentState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PAYABLE = "payable", _("Payable")
    BATCHED = "batched", _("In a payment batch")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class BatchState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ATTESTED = "attested", _("Attested")
    EXPORTED = "exported", _("Exported")
    CONFIRMED = "confirmed", _("Confirmed as paid")
    CANCELLED = "cancelled", _("Cancelled")


class RepaymentState(models.TextChoices):
    CLAIMED = "claimed", _("Claimed")
    SETTLED = "settled", _("Repaid")
    WRITTEN_OFF = "written_off", _("Written off")


P = PaymentState
B = BatchState
R = RepaymentState


def batch_has_payments(batch) -> bool:
    """Return whether the batch holds at least one payment."""
    return batch.items.filter(active=True).exists()


class PaymentWorkflow(FSMModelMixin, models.Model):
    state = FSMField(
        _("state"), default=P.PLANNED, choices=PaymentState.choices, protected=True, db_index=True
    )
    payable_at = models.DateTimeField(_("payable since"), null=True, blank=True)
    paid_at = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        abstract = True

    @transition(field=state, source=[P.PLANNED], target=P.PAYABLE)
    def make_payable(self):
        self.payable_at = timezone.now()

    # A failed payment is payable again: it may go into the next batch.
    @transition(field=state, source=[P.PAYABLE, P.FAILED], target=P.BATCHED)
    def add_to_batch(self):
        pass

    @transition(field=state, source=[P.BATCHED], target=P.PAYABLE)
    def remove_from_batch(self):
        pass

    @transition(field=state, source=[P.BATCHED], target=P.PAID)
    def mark_paid(self, paid_on=None):
        self.paid_at = paid_on or timezone.localdate()

    @transition(field=state, source=[P.BATCHED, P.PAID], target=P.FAILED)
    def mark_failed(self):
        self.paid_at = None

    @transition(field=state, source=[P.PLANNED, P.PAYABLE, P.FAILED], target=P.CANCELLED)
    def cancel(self):
        pass


class BatchWorkflow(FSMModelMixin, models.Model):
    state = FSMField(
        _("state"), default=B.DRAFT, choices=BatchState.choices, protected=True, db_index=True
    )
    attested_at = models.DateTimeField(_("attested"), null=True, blank=True)
    exported_at = models.DateTimeField(_("exported"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        abstract = True

    @transition(field=state, source=B.DRAFT, target=B.ATTESTED, conditions=[batch_has_payments])
    def attest(self):
        self.attested_at = timezone.now()

    @transition(field=state, source=B.ATTESTED, target=B.EXPORTED)
    def export(self):
        self.exported_at = timezone.now()

    @transition(field=state, source=B.EXPORTED, target=B.CONFIRMED)
    def confirm(self):
        self.confirmed_at = timezone.now()

    @transition(field=state, source=[B.DRAFT, B.ATTESTED], target=B.CANCELLED)
    def cancel(self):
        self.cancelled_at = timezone.now()


class RepaymentWorkflow(FSMModelMixin, models.Model):
    state = FSMField(_("state"), default=R.CLAIMED, choices=RepaymentState.choices, protected=True)
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)

    class Meta:
        abstract = True

    @transition(field=state, source=R.CLAIMED, target=R.SETTLED)
    def settle(self):
        self.settled_at = timezone.now()

    @transition(field=state, source=R.CLAIMED, target=R.WRITTEN_OFF)
    def write_off(self):
        self.settled_at = timezone.now()
