"""The payment list of a batch (DESIGN §6) as a django-import-export resource, written as CSV
and XLSX: one row per payment with what the ledger and the attesting officer check."""

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from decisions.exports.base import BatchExporter
from decisions.exports.tabular import (
    StreamingResource,
    date_field,
    integer_field,
    money_field,
    text_field,
    write_csv,
    write_xlsx,
)
from decisions.models import BatchExport, Payment, PaymentBatch, PaymentBatchItem
from organisations.models import PayoutAccount

_APPLICATION = "decision__application__"
_PROGRAMME = "decision__application__call__programme__"


class PaymentListResource(StreamingResource):
    """One row per payment: case, decision, payee as copied when batched, amount and ledger
    codes, the batch's payment date and who attested it."""

    case_number = text_field(f"{_APPLICATION}case_number", _("Case number"))
    decision_date = date_field("decision__decision_date", _("Decision date"))
    decided_under = text_field("decided_under", _("Delegation or committee reference"))
    payee = text_field("payee_name", _("Payee"))
    payee_org_number = text_field("payee_org_number", _("Org. no."))
    account_kind = text_field("account_kind_label", _("Account kind"))
    account_number = text_field("payee_account_number", _("Account number"))
    amount = money_field("amount", _("Amount (SEK)"))
    instalment = integer_field("instalment", _("Instalment"))
    account = text_field(f"{_PROGRAMME}account", _("Account"))
    cost_centre = text_field(f"{_PROGRAMME}cost_centre", _("Cost centre"))
    project = text_field(f"{_PROGRAMME}project_code", _("Project"))
    payment_date = date_field("batch_payment_date", _("Payment date"))
    reference = text_field("reference", _("Payment reference"))
    attested_by = text_field("batch_attested_by", _("Attested by"))

    class Meta:
        model = Payment
        fields = (
            "case_number",
            "decision_date",
            "decided_under",
            "payee",
            "payee_org_number",
            "account_kind",
            "account_number",
            "amount",
            "instalment",
            "account",
            "cost_centre",
            "project",
            "payment_date",
            "reference",
            "attested_by",
        )
        export_order = fields

    def __init__(self, batch: PaymentBatch | None = None, **kwargs):
        super().__init__(**kwargs)
        self.batch = batch

    def annotate(self, queryset: QuerySet) -> QuerySet:
        committee = Concat(
            F("decision__committee_body"),
            Value(" "),
            Cast("decision__committee_meeting_date", CharField()),
            Value(" "),
            F("decision__committee_paragraph"),  # stored with its sign: "§ 87"
            output_field=CharField(),
        )
        queryset = queryset.annotate(
            decided_under=Case(
                When(~Q(decision__committee_paragraph=""), then=committee),
                default=F("decision__delegation_reference"),
                output_field=CharField(),
            ),
            account_kind_label=Case(
                *[
                    When(payee_account_kind=kind, then=Value(str(label)))
                    for kind, label in PayoutAccount.Kind.choices
                ],
                default=F("payee_account_kind"),
                output_field=CharField(),
            ),
        )
        if self.batch is not None:
            # Every row of one batch has its date and attester: no need to look them up per row.
            attester = self.batch.attested_by
            return queryset.annotate(
                batch_payment_date=Value(self.batch.payment_date),
                batch_attested_by=Value(attester.full_name if attester else ""),
            )
        active = PaymentBatchItem.objects.filter(payment=OuterRef("pk"), active=True)
        return queryset.annotate(
            batch_payment_date=Subquery(active.values("batch__payment_date")[:1]),
            batch_attested_by=Subquery(active.values("batch__attested_by__full_name")[:1]),
        )


class PaymentListCsv(BatchExporter):
    identifier = BatchExport.Format.CSV
    name = _("Payment list (CSV)")
    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    def write(self, stream):
        write_csv(PaymentListResource(self.batch), self.payments_for_list(), stream)

    def payments_for_list(self) -> QuerySet[Payment]:
        return Payment.objects.filter(
            batch_items__batch=self.batch, batch_items__active=True
        ).order_by("pk")


class PaymentListXlsx(PaymentListCsv):
    identifier = BatchExport.Format.XLSX
    name = _("Payment list (Excel)")
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def write(self, stream):
        with translation.override(settings.LANGUAGE_CODE):
            title = str(_("Payment batch %(id)s") % {"id": self.batch.pk})
        write_xlsx(
            PaymentListResource(self.batch),
            self.payments_for_list(),
            stream,
            title=title,
            created=self.made_at(),
        )
