"""Repayment claims for invoicing: a django-import-export resource, written as CSV or XLSX with
what an invoicing clerk needs (DESIGN §6: "exportable for invoicing")."""

from django.db.models import Case, CharField, F, Value, When
from django.db.models.functions import Concat, Trim, TruncDate
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from decisions.exports.tabular import StreamingResource
from decisions.models import RepaymentClaim
from decisions.workflow import RepaymentState

_ORGANISATION = "decision__application__organisation__"


def _text(attribute: str, heading) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=heading, readonly=True)


def _date(attribute: str, heading) -> fields.Field:
    return fields.Field(
        attribute=attribute,
        column_name=heading,
        widget=widgets.DateWidget(coerce_to_string=False),
        readonly=True,
    )


class RepaymentClaimResource(StreamingResource):
    """One row per claim: whom to invoice, where, how much, by when and why."""

    case_number = _text("decision__application__case_number", _("Case number"))
    organisation = _text(f"{_ORGANISATION}name", _("Organisation"))
    org_number = _text(f"{_ORGANISATION}org_number", _("Org. no."))
    street_address = _text(f"{_ORGANISATION}street_address", _("Street address"))
    postal_address = _text("postal_address", _("Postal code and city"))
    email = _text(f"{_ORGANISATION}email", _("E-mail"))
    amount = fields.Field(
        attribute="amount",
        column_name=_("Amount (SEK)"),
        widget=widgets.DecimalWidget(coerce_to_string=False),
        readonly=True,
    )
    due_date = _date("due_date", _("Due date"))
    reasons = _text("reasons", _("Reasons"))
    decision_date = _date("decision__decision_date", _("Decision date"))
    claimed_on = _date("claimed_on", _("Claimed on"))
    claimed_by = _text("claimed_by__full_name", _("Claimed by"))
    state = _text("state_label", _("State"))

    class Meta:
        model = RepaymentClaim
        fields = (
            "case_number",
            "organisation",
            "org_number",
            "street_address",
            "postal_address",
            "email",
            "amount",
            "due_date",
            "reasons",
            "decision_date",
            "claimed_on",
            "claimed_by",
            "state",
        )
        export_order = fields

    def annotate(self, queryset):
        return queryset.annotate(
            postal_address=Trim(
                Concat(
                    F(f"{_ORGANISATION}postal_code"),
                    Value(" "),
                    F(f"{_ORGANISATION}city"),
                    output_field=CharField(),
                )
            ),
            claimed_on=TruncDate("claimed_at"),
            state_label=Case(
                *[
                    When(state=value, then=Value(str(label)))
                    for value, label in RepaymentState.choices
                ],
                output_field=CharField(),
            ),
        )
