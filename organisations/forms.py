"""Forms of the account pages: log in, sign up, confirm, reset the password, change details."""

import re

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from organisations import services
from organisations.models import User

# Digits, spaces and the signs people write in phone numbers: +46 (0)63-14 75 00.
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()\-]{6,}$")


class TelInput(forms.TextInput):
    input_type = "tel"


def _name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


def _phone_field() -> forms.CharField:
    return forms.CharField(
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        widget=TelInput(attrs={"autocomplete": "tel"}),
        help_text=_("So that an officer can call you about an application."),
    )


def _language_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        help_text=_("The language of these pages and of the e-mails we send you."),
    )


def _email_field(**kwargs) -> forms.EmailField:
    return forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        **kwargs,
    )


def _clean_phone(value: str) -> str:
    value = value.strip()
    if value and (not PHONE_PATTERN.match(value) or sum(c.isdigit() for c in value) < 6):
        raise ValidationError(
            _("Write the phone number with digits, for example 063-14 75 00 or +46 63 14 75 00."),
            code="invalid",
        )
    return value


class EmailAuthenticationForm(AuthenticationForm):
    """Log in with e-mail address and password."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": _(
            "The e-mail address or the password is wrong. Check them and try again; capital "
            "and small letters matter in the password."
        ),
        "inactive": _("This account is inactive."),
    }


class SignUpForm(forms.Form):
    """Create an account: name, e-mail, phone, language and a password typed twice."""

    full_name = _name_field()
    email = _email_field(help_text=_("You log in with it, and we send a confirmation link to it."))
    phone = _phone_field()
    language = _language_field()
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Type the same password again, so we know it is the one you meant."),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self):
        return _clean_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ. Type the same one twice."))
        if password1:
            person = User(
                email=cleaned.get("email", ""),
                full_name=cleaned.get("full_name", ""),
                phone=cleaned.get("phone", ""),
            )
            try:
                password_validation.validate_password(password1, user=person)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ResendActivationForm(forms.Form):
    """Ask for the confirmation e-mail again."""

    email = _email_field()


class AccountForm(forms.Form):
    """The details a person may change on their account page."""

    full_name = _name_field()
    phone = _phone_field()
    language = _language_field()

    def clean_phone(self):
        return _clean_phone(self.cleaned_data["phone"])


class AccountPasswordResetForm(PasswordResetForm):
    """Ask for a password reset link; the e-mail goes through our queue and templates."""

    email = _email_field()

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Queue the e-mail with the reset link in the language of the page it was asked on."""
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        services.user_password_reset_email_send(
            user=context["user"],
            reset_url=f"{context['protocol']}://{context['domain']}{path}",
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
