"""Forms of the finance workspace's payment pages: which payable payments to show, and what to
do with a batch. They validate input; the services in ``decisions.payments`` make the changes."""

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from decisions import banking
from decisions.models import Payment
from grants.models import Call, Programme


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PayableFilter(django_filters.FilterSet):
    """Narrow the payable payments by programme, call, decision date and a search."""

    q = django_filters.CharFilter(
        label=_("Case number or organisation"), method="search", max_length=100
    )
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        field_name="decision__application__call__programme",
        queryset=Programme.objects.order_by("name_sv"),
        empty_label=_("All programmes"),
    )
    call = django_filters.ModelChoiceFilter(
        label=_("Call"),
        field_name="decision__application__call",
        queryset=Call.objects.select_related("programme").order_by("-opens_at"),
        empty_label=_("All calls"),
    )
    decided_from = django_filters.DateFilter(
        label=_("Decided on or after"),
        field_name="decision__decision_date",
        lookup_expr="gte",
        widget=_date_input(),
    )
    decided_until = django_filters.DateFilter(
        label=_("Decided on or before"),
        field_name="decision__decision_date",
        lookup_expr="lte",
        widget=_date_input(),
    )

    class Meta:
        model = Payment
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(decision__application__case_number__icontains=value)
            | Q(decision__application__organisation__name__icontains=value)
            | Q(decision__application__organisation__org_number__contains=value)
        )


class BatchCreateForm(forms.Form):
    CHOSEN, ALL = "chosen", "all"

    selection = forms.ChoiceField(
        label=_("Payments"),
        choices=[
            (CHOSEN, _("The payments I ticked")),
            (ALL, _("Every payment the filter shows")),
        ],
        initial=CHOSEN,
        widget=forms.RadioSelect,
    )
    payment = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.MultipleHiddenInput
    )
    payment_date = forms.DateField(
        label=_("Payment date"),
        help_text=_("A Swedish banking day: not a weekend or a public holiday."),
        widget=_date_input(),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any ticked id is accepted here; the service checks each one.
        ticked = self.data.getlist("payment") if hasattr(self.data, "getlist") else []
        self.fields["payment"].choices = [(value, value) for value in ticked]
        self.fields["payment_date"].initial = banking.next_banking_day(
            timezone.localdate() + timedelta(days=1)
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("selection") == self.CHOSEN and not cleaned.get("payment"):
            raise forms.ValidationError(_("Tick at least one payment, or choose every payment."))
        return cleaned


class BatchCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the batch cancelled?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BatchConfirmForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Paid on"),
        help_text=_("The day the bank paid the batch, as its statement shows."),
        widget=_date_input(),
    )


class PaymentFailForm(forms.Form):
    reason = forms.CharField(
        label=_("Why did the payment fail?"),
        help_text=_("For example the bank's return reason. The payment becomes payable again."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
