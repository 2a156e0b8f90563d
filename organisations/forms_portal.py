"""Forms of the organisation pages. They validate what was typed; services make the changes."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations import validators
from organisations.models import (
    Membership,
    Municipality,
    Organisation,
    OrganisationDocument,
    PayoutAccount,
)
from organisations.uploads import CheckedFileField

_POSTAL_CODE = re.compile(r"(\d{3})\s?(\d{2})")


def _choose(choices) -> list[tuple[str, str]]:
    return [("", _("Choose…")), *choices]


class OrganisationDetailsForm(forms.Form):
    """The organisation's name, municipality and contact details: what a signatory may change."""

    name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    municipality = forms.ChoiceField(
        label=_("Municipality"),
        choices=_choose(Municipality.choices),
        help_text=_("Where the organisation has its seat."),
    )
    street_address = forms.CharField(
        label=_("Street address or PO box"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    city = forms.CharField(
        label=_("City"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The organisation's address; decisions are also sent here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    website = forms.URLField(
        label=_("Website (optional)"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    publish_consent = forms.BooleanField(
        label=_("The name may be published in the register of granted support"),
        required=False,
        help_text=_(
            "A sole trader's name is personal data: without consent the register says “sole "
            "trader” instead of the name. Other organisations' names are always published "
            "when they are granted support."
        ),
    )

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"].strip()
        match = _POSTAL_CODE.fullmatch(value)
        if not match:
            raise ValidationError(
                _("Write the postal code as five digits, for example 831 27."),
                code="invalid_postal_code",
            )
        return f"{match[1]} {match[2]}"


class OrganisationRegisterForm(OrganisationDetailsForm):
    """Register an organisation: its details and its number, which is checked here."""

    org_number = forms.CharField(
        label=_("Organisation number"),
        max_length=20,
        help_text=_(
            "Ten digits, for example 802345-6789. A sole trader may give their personal "
            "identity number."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    org_type = forms.ChoiceField(
        label=_("Type of organisation"), choices=_choose(Organisation.Type.choices)
    )

    field_order = [
        "name",
        "org_number",
        "org_type",
        "municipality",
        "street_address",
        "postal_code",
        "city",
        "email",
        "phone",
        "website",
        "publish_consent",
    ]

    def clean(self):
        cleaned = super().clean()
        number, org_type = cleaned.get("org_number"), cleaned.get("org_type")
        if number:
            try:
                cleaned["org_number"] = validators.normalise_org_number(
                    number, allow_personal=org_type == Organisation.Type.SOLE_TRADER
                )
            except ValidationError as error:
                self.add_error("org_number", error)
        return cleaned


class JoinRequestForm(forms.Form):
    """Ask to act for an organisation already registered (the number is kept in the session)."""

    message = forms.CharField(
        label=_("Message to the signatories (optional)"),
        required=False,
        max_length=2000,
        help_text=_("Say who you are and why you act for the organisation."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class JoinRequestDecisionForm(forms.Form):
    """A signatory's answer to a request to join: approve with a role, or decline."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        required=False,
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The invitation can only be accepted by someone logged in with this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
        help_text=_(
            "A contact person writes applications and reports. A signatory can also submit "
            "them, change the payout account and decide who acts for the organisation."
        ),
    )


class PayoutAccountForm(forms.Form):
    """A new payout account; each mistake in the number gets its own message."""

    kind = forms.ChoiceField(
        label=_("How the grant is paid"),
        choices=PayoutAccount.Kind.choices,
        widget=forms.RadioSelect,
    )
    number = forms.CharField(
        label=_("Number"),
        max_length=60,
        help_text=_(
            "Bankgiro 123-4567, Plusgiro 4105468-5, a bank account as clearing number and "
            "account number (8327-9, 123 456 789-0) or an IBAN (SE45 5000 0000 0583 9825 7466)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    holder_name = forms.CharField(
        label=_("Account holder"),
        max_length=200,
        help_text=_(
            "The account must belong to the organisation, not to a person in it. Write the "
            "name the bank has for the account holder."
        ),
    )
    bic = forms.CharField(
        label=_("BIC (only for IBAN)"),
        max_length=20,
        required=False,
        help_text=_("The bank's SWIFT code, for example ESSESESS. Leave empty for other kinds."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean(self):
        cleaned = super().clean()
        kind, number = cleaned.get("kind"), cleaned.get("number")
        if kind and number:
            try:
                cleaned["number"] = validators.normalise_payout_number(kind, number)
            except ValidationError as error:
                self.add_error("number", error)
        bic = (cleaned.get("bic") or "").strip()
        if kind != PayoutAccount.Kind.IBAN:
            cleaned["bic"] = ""
        elif bic:
            try:
                cleaned["bic"] = validators.normalise_bic(bic)
            except ValidationError as error:
                self.add_error("bic", error)
        return cleaned


def document_years() -> list[int]:
    """Return the years a document may be given for: this year and the four before it."""
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - 5, -1))


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of document"), choices=_choose(OrganisationDocument.Kind.choices)
    )
    year = forms.TypedChoiceField(
        label=_("Year"),
        coerce=int,
        help_text=_("The year the document is used for in applications."),
    )
    file = CheckedFileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = document_years()
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.fields["year"].initial = years[0]
