"""Forms of the applicant's case page: reply to a completion request, write, withdraw."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.services import CASE_MESSAGE_MAX_LENGTH


class CompletionReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Your reply to the officer"),
        help_text=_(
            "Say what you have changed, or answer the officer's questions. Optional if you have "
            "changed the parts the officer asked about."
        ),
        required=False,
        max_length=CASE_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class CaseMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message to the officer"),
        help_text=_("The officer handling the case reads it here and answers on this page."),
        max_length=CASE_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw the application? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
