"""Repayment claims for invoicing: a django-import-export resource, written as CSV or XLSX with
what an invoicing clerk needs (DESIGN §6: "exportable for invoicing")."""

from django.db.models import Case, CharField, F, Value, When
from django.db.models.functions import Concat, Trim, TruncDate
from django.utils.translation import gettext_lazy as _

from decisions.exports.tabular import StreamingResource, date_field, money_field, text_field
from decisions.models import RepaymentClaim
from decisions.workflow import RepaymentState

_ORGANISATION = "decision__application__organisation__"


class RepaymentClaimResource(StreamingResource):
    """One row per claim: whom to invoice, where, how much, by when and why."""

    case_number = text_field("decision__application__case_number", _("Case number"))
    organisation = text_field(f"{_ORGANISATION}name", _("Organisation"))
    org_number = text_field(f"{_ORGANISATION}org_number", _("Org. no."))
    street_address = text_field(f"{_ORGANISATION}street_address", _("Street address"))
    postal_address = text_field("postal_address", _("Postal code and city"))
    email = text_field(f"{_ORGANISATION}email", _("E-mail"))
    amount = money_field("amount", _("Amount (SEK)"))
    due_date = date_field("due_date", _("Due date"))
    reasons = text_field("reasons", _("Reasons"))
    decision_date = date_field("decision__decision_date", _("Decision date"))
    claimed_on = date_field("claimed_on", _("Claimed on"))
    claimed_by = text_field("claimed_by__full_name", _("Claimed by"))
    state = text_field("state_label", _("State"))

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
