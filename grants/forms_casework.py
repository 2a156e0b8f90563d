"""Forms of the officer workspace's handling actions: assign, request completion, jäv, assess.

Forms validate and say what to change; the views hand what they cleaned to the services in
``grants.services.handling``, which check everything again and save.
"""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from decisions.letter_texts import standard_conditions
from grants import selectors
from grants.forms import DateInput, MoneyField, PerspectivesForm
from grants.models import Application, ApplicationPart, Assessment, Perspective
from grants.services import CASE_MESSAGE_MAX_LENGTH
from organisations.models import User

#: How long the applicant has to complete an application, unless the officer says otherwise.
COMPLETION_DAYS = 14

NO_AMOUNT = {Assessment.Recommendation.REJECT, Assessment.Recommendation.DISMISS}


def _amount(amount: Decimal) -> str:
    """Return an amount in whole kronor as the page shows it (grouped the locale's way)."""
    return formats.number_format(amount, 0, force_grouping=True)


def _same_text(first: str, second: str) -> bool:
    return " ".join(first.split()) == " ".join(second.split())


# Taking and assigning


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class AssignForm(forms.Form):
    """Give the case to a culture officer who has no jäv for the organisation."""

    officer = OfficerChoiceField(
        label=_("Give the case to"),
        queryset=User.objects.none(),
        empty_label=_("Choose an officer"),
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["officer"]
        field.queryset = selectors.officers_for_case(application=application)
        message = gettext(
            "Choose an officer from the list. Only culture officers without a conflict of "
            "interest (jäv) for %(organisation)s can be given the case."
        ) % {"organisation": application.organisation.name}
        field.error_messages = field.error_messages | {
            "required": message,
            "invalid_choice": message,
        }


# Completion


class CompletionRequestForm(forms.Form):
    """Ask the applicant to complete named parts of the application by a due date."""

    message = forms.CharField(
        label=_("Message to the applicant"),
        help_text=_(
            "Say what is missing or unclear and what the applicant should do. The applicant "
            "gets it by e-mail and on My pages."
        ),
        max_length=CASE_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write what the applicant must complete.")},
    )
    due_date = forms.DateField(
        label=_("Complete by"),
        help_text=_("The last day for the applicant's answer; usually two weeks from today."),
        widget=DateInput,
        error_messages={
            "required": _("Give the date by which the applicant must answer."),
            "invalid": _("Write the date as year-month-day, for example 2026-05-31."),
        },
    )
    parts = forms.MultipleChoiceField(
        label=_("The parts the applicant may change"),
        help_text=_(
            "Only the parts you tick can be changed; the rest stays as submitted. The applicant "
            "can always write a reply. To ask a question without opening the application, "
            "write a message on the case page instead."
        ),
        choices=ApplicationPart.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one part.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial", {"due_date": timezone.localdate() + timedelta(days=COMPLETION_DAYS)}
        )
        super().__init__(*args, **kwargs)

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        if due_date <= timezone.localdate():
            raise forms.ValidationError(_("The due date must be after today."))
        return due_date


# Jäv


class ConflictDeclarationForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you have a conflict of interest?"),
        help_text=_(
            "For example: you sit on the organisation's board, a close relative works there, or "
            "you gain or lose from the outcome."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reason for the conflict of interest.")},
    )


# The assessment


SCORES = [(score, str(score)) for score in range(1, 6)]


def _weight(criterion) -> str:
    weight = criterion.weight
    return formats.number_format(weight, 0 if weight == weight.to_integral_value() else 2)


class AssessmentForm(forms.Form):
    """The assessment of DESIGN §4.2: scores, perspectives, goals and the proposal.

    Everything may be left open while the officer works; what contradicts itself (an approval
    of another amount than applied for, an amount for a rejection) is refused. Whether the
    assessment is complete enough to propose is ``Assessment.missing_parts()``.
    """

    agenda_goals = forms.TypedMultipleChoiceField(
        label=_("The Agenda 2030 goals the project serves"),
        help_text=_(
            "Tick the goals you judge the project serves. Until the assessment is first saved, "
            "the applicant's choices are ticked."
        ),
        required=False,
        coerce=int,
        choices=PerspectivesForm.base_fields["agenda_goals"].choices,
        widget=forms.CheckboxSelectMultiple,
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        required=False,
        choices=Assessment.Recommendation.choices,
        widget=forms.RadioSelect,
    )
    proposed_amount = MoneyField(label=_("Proposed amount (kr)"), required=False)
    reasons = forms.CharField(
        label=_("Reasons"),
        help_text=_(
            "The reasons for the decision, as the letter states them: the rules applied and the "
            "circumstances that decided it."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        help_text=_(
            "The conditions the letter states for a grant. The region's standard conditions are "
            "suggested; leave empty for a rejection or dismissal."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, data=None, *, application: Application, assessment: Assessment | None):
        self.application = application
        self.assessment = assessment
        self.criteria = list(application.call.programme.criteria.all())
        self.standard_conditions = standard_conditions(
            programme=application.call.programme, language=application.letter_language
        )
        super().__init__(data, initial=self.initial_from(assessment))
        added = {}
        for criterion in self.criteria:
            added[self.score_name(criterion)] = forms.TypedChoiceField(
                label=gettext("Score for “%(name)s” (weight %(weight)s)")
                % {"name": criterion.name, "weight": _weight(criterion)},
                help_text=_("From 1 (weak) to 5 (excellent)."),
                choices=SCORES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            added[self.comment_name(criterion)] = forms.CharField(
                label=gettext("Comment on “%(name)s”") % {"name": criterion.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        for code, label in Perspective.choices:
            added[self.rating_name(code)] = forms.ChoiceField(
                label=gettext("Rating of the perspective “%(name)s”") % {"name": label},
                choices=Assessment.Rating.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            added[self.perspective_comment_name(code)] = forms.CharField(
                label=gettext("Comment on the perspective “%(name)s”") % {"name": label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        # In the order of the page: criteria, perspectives, goals, the proposal.
        self.fields = added | self.fields
        requested = application.requested_amount
        if requested is not None:
            self.fields["proposed_amount"].help_text = gettext(
                "Applied for: %(amount)s kr. To approve in full, leave it empty or write the "
                "amount applied for; to approve in part, a smaller amount. A rejection or "
                "dismissal has no amount."
            ) % {"amount": _amount(requested)}

    @staticmethod
    def score_name(criterion) -> str:
        return f"score_{criterion.pk}"

    @staticmethod
    def comment_name(criterion) -> str:
        return f"comment_{criterion.pk}"

    @staticmethod
    def rating_name(code: str) -> str:
        return f"rating_{code}"

    @staticmethod
    def perspective_comment_name(code: str) -> str:
        return f"perspective_comment_{code}"

    def initial_from(self, assessment: Assessment | None) -> dict:
        if assessment is None:
            return {
                "agenda_goals": list(self.application.agenda_goals),
                "conditions": self.standard_conditions,
            }
        initial = {
            "agenda_goals": list(assessment.agenda_goals),
            "recommendation": assessment.recommendation,
            "proposed_amount": assessment.proposed_amount,
            "reasons": assessment.reasons,
            "conditions": assessment.conditions,
        }
        if not assessment.conditions and assessment.recommendation not in NO_AMOUNT:
            initial["conditions"] = self.standard_conditions
        for score in assessment.scores.all():
            initial[f"score_{score.criterion_id}"] = score.score
            initial[f"comment_{score.criterion_id}"] = score.comment
        for code in Perspective.values:
            rated = assessment.perspectives.get(code) or {}
            initial[self.rating_name(code)] = rated.get("rating", "")
            initial[self.perspective_comment_name(code)] = rated.get("comment", "")
        return initial

    def criterion_rows(self) -> list[dict]:
        """Return each criterion with its score and comment fields, for the template."""
        return [
            {
                "criterion": criterion,
                "score": self[self.score_name(criterion)],
                "comment": self[self.comment_name(criterion)],
            }
            for criterion in self.criteria
        ]

    def perspective_rows(self) -> list[dict]:
        """Return each perspective with the applicant's own account and the officer's fields."""
        accounts = self.application.perspectives or {}
        return [
            {
                "code": code,
                "label": label,
                "account": accounts.get(code, ""),
                "rating": self[self.rating_name(code)],
                "comment": self[self.perspective_comment_name(code)],
            }
            for code, label in Perspective.choices
        ]

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            score, comment = self.score_name(criterion), self.comment_name(criterion)
            if cleaned.get(score) is None and (cleaned.get(comment) or "").strip():
                self.add_error(
                    score, _("Choose a score: a comment is saved together with its score.")
                )
        self._clean_amount(cleaned)
        if cleaned.get("recommendation") in NO_AMOUNT and _same_text(
            cleaned.get("conditions") or "", self.standard_conditions
        ):
            # The untouched suggestion is no condition of a rejection.
            cleaned["conditions"] = ""
        return cleaned

    def _clean_amount(self, cleaned: dict) -> None:
        recommendation = cleaned.get("recommendation")
        amount = cleaned.get("proposed_amount")
        requested = self.application.requested_amount
        if "proposed_amount" not in cleaned or requested is None:
            return
        applied_for = {"amount": _amount(requested)}
        if amount is not None and amount > requested:
            self.add_error(
                "proposed_amount",
                gettext("The proposed amount cannot be more than the %(amount)s kr applied for.")
                % applied_for,
            )
        elif recommendation == Assessment.Recommendation.APPROVE:
            if amount is None:
                cleaned["proposed_amount"] = requested
            elif amount != requested:
                self.add_error(
                    "proposed_amount",
                    gettext(
                        "To approve in full, propose the %(amount)s kr applied for. For less, "
                        "choose “Approve in part”."
                    )
                    % applied_for,
                )
        elif recommendation == Assessment.Recommendation.APPROVE_PARTLY:
            if amount is not None and amount >= requested:
                self.add_error(
                    "proposed_amount",
                    gettext(
                        "Approving in part means less than the %(amount)s kr applied for. For "
                        "the full amount, choose “Approve”."
                    )
                    % applied_for,
                )
        elif recommendation in NO_AMOUNT and amount is not None:
            self.add_error(
                "proposed_amount",
                _(
                    "A rejection or dismissal has no amount: clear the proposed amount, or "
                    "choose another recommendation."
                ),
            )

    def assessment_changes(self) -> dict:
        """Return the keyword arguments of ``assessment_save`` from the cleaned form."""
        cleaned = self.cleaned_data
        scores = {
            criterion.pk: (
                cleaned[self.score_name(criterion)],
                cleaned[self.comment_name(criterion)].strip(),
            )
            for criterion in self.criteria
            if cleaned[self.score_name(criterion)] is not None
        }
        perspectives = {}
        for code in Perspective.values:
            rating = cleaned[self.rating_name(code)]
            comment = cleaned[self.perspective_comment_name(code)].strip()
            if rating or comment:
                perspectives[code] = {"rating": rating, "comment": comment}
        return {
            "scores": scores,
            "perspectives": perspectives,
            "agenda_goals": cleaned["agenda_goals"],
            "recommendation": cleaned["recommendation"],
            "proposed_amount": cleaned["proposed_amount"],
            "reasons": cleaned["reasons"].strip(),
            "conditions": cleaned["conditions"].strip(),
        }
