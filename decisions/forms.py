"""Forms of the deciding pages: the decision by delegation and the return of a proposal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from decisions.models import Decision
from decisions.selectors import OUTCOME_OF_RECOMMENDATION
from grants.forms import MoneyField

#: The decisions a decision maker may make, in the words of the one who makes them.
OUTCOME_CHOICES = [
    (Decision.Outcome.APPROVED, _("Approve: grant the amount applied for")),
    (Decision.Outcome.APPROVED_PARTLY, _("Approve in part: grant less than applied for")),
    (Decision.Outcome.REJECTED, _("Reject")),
    (Decision.Outcome.DISMISSED, _("Dismiss: do not examine the application")),
]
#: The longest reasons, conditions or return reason a decision maker may write.
TEXT_MAX_LENGTH = 10000


class DecisionForm(forms.Form):
    """The decision on a proposal; ``decisions.services.decision_record`` checks the rest."""

    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=OUTCOME_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the decision.")},
    )
    amount = MoneyField(
        label=_("Granted amount (kr)"),
        required=False,
        help_text=_(
            "Only when you approve. Approval in full grants the amount applied for; approval in "
            "part grants less."
        ),
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        help_text=_(
            "The rules applied and the circumstances that decided the case. The letter quotes them."
        ),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Give the reasons for the decision.")},
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        help_text=_("Only for a grant: what the grantee must do. The letter quotes them."),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @classmethod
    def initial_from(cls, assessment) -> dict:
        """Return the form's values as the assessment proposes them."""
        if assessment is None:
            return {}
        outcome = OUTCOME_OF_RECOMMENDATION.get(assessment.recommendation)
        return {
            "outcome": outcome,
            "amount": assessment.proposed_amount if outcome in Decision.GRANTING else None,
            "reasons": assessment.reasons,
            "conditions": assessment.conditions,
        }

    def clean(self):
        cleaned = super().clean()
        granting = cleaned.get("outcome") in Decision.GRANTING
        if granting and cleaned.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Give the amount granted."))
        return cleaned

    def decision(self) -> dict:
        """Return the arguments of ``decision_record`` the form gives."""
        granting = self.cleaned_data["outcome"] in Decision.GRANTING
        return {
            "outcome": self.cleaned_data["outcome"],
            "amount": self.cleaned_data["amount"] if granting else None,
            "reasons": self.cleaned_data["reasons"],
            "conditions": self.cleaned_data["conditions"] if granting else "",
        }


class ReturnForm(forms.Form):
    """The reason a decision maker sends a proposal back to the officer."""

    reason = forms.CharField(
        label=_("Why is the case returned?"),
        help_text=_("The officer gets it by e-mail and it stays in the case's history."),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Give the reason for returning the case.")},
    )
