"""Forms of the follow-up report (slutredovisning): the grantee's report, its actual budget and
attachments, and the officer's answers to it (DESIGN §7).

The report form saves every field that validates, like the application form, so a draft is never
lost to one wrong figure; what it still lacks is said when it is submitted
(``FollowUpReport.missing_parts``).
"""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from decisions.models import PARTICIPANT_AGE_GROUPS, PARTICIPANT_GENDERS, FollowUpReport
from grants.forms import BudgetLineFormsets, DateInput, MoneyField
from grants.forms_submit import CheckedFilesField
from grants.models import Perspective, TargetGroup
from organisations.models import Municipality

ZERO = Decimal("0")


def participant_field(age: str, gender: str) -> str:
    return f"participants_{age.replace('+', 'plus').replace('-', '_')}_{gender}"


def perspective_field(code: str) -> str:
    return f"perspective_{code}"


class ReportForm(forms.Form):
    """The report's own fields; the actual budget is ``ReportBudgetForm``."""

    what_was_done = forms.CharField(
        label=_("What was done"),
        help_text=_(
            "Describe the activity as it was carried out: what, when, where, and what it led to. "
            "Say what differed from the application, and why."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    activities_count = forms.IntegerField(
        label=_("Number of activities"),
        help_text=_("Events, workshops, performances, meetings and the like."),
        required=False,
        min_value=0,
        max_value=100000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    municipalities = forms.MultipleChoiceField(
        label=_("Municipalities reached"),
        choices=Municipality.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups reached"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    used_amount = MoneyField(
        label=_("Grant used (kr)"),
        help_text=_("How much of the grant the activity used. What was not used is repaid."),
        required=False,
        min_value=ZERO,
    )

    def __init__(self, data=None, *, report: FollowUpReport, **kwargs):
        self.report = report
        super().__init__(data, initial=self.initial_from(report), **kwargs)
        for age, age_label in PARTICIPANT_AGE_GROUPS:
            for gender, gender_label in PARTICIPANT_GENDERS:
                self.fields[participant_field(age, gender)] = forms.IntegerField(
                    label=f"{gender_label}, {age_label}",
                    required=False,
                    min_value=0,
                    max_value=10_000_000,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count"}),
                )
        for code, label in Perspective.choices:
            self.fields[perspective_field(code)] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.fields["used_amount"].error_messages["min_value"] = _("The amount cannot be negative.")
        granted = number_format(report.decision.amount, 0, force_grouping=True)
        self.fields["used_amount"].help_text = _(
            "How much of the %(granted)s kr granted the activity used. What was not used is repaid."
        ) % {"granted": granted}

    @staticmethod
    def initial_from(report: FollowUpReport) -> dict:
        initial = {
            "what_was_done": report.what_was_done,
            "activities_count": report.activities_count,
            "municipalities": report.municipalities,
            "target_groups": report.target_groups,
            "used_amount": report.used_amount,
        }
        for age, _label in PARTICIPANT_AGE_GROUPS:
            counts = (report.participants or {}).get(age, {})
            for gender, _label in PARTICIPANT_GENDERS:
                initial[participant_field(age, gender)] = counts.get(gender)
        for code in Perspective.values:
            initial[perspective_field(code)] = (report.perspectives or {}).get(code, "")
        return initial

    def clean_used_amount(self):
        amount = self.cleaned_data["used_amount"]
        granted = self.report.decision.amount
        if amount is not None and amount > granted:
            raise forms.ValidationError(
                _("The amount used cannot be more than the %(amount)s kr granted."),
                code="too_much",
                params={"amount": number_format(granted, 0, force_grouping=True)},
            )
        return amount

    def participant_rows(self) -> list[dict]:
        """Return the participant fields as rows by age group, for the table."""
        return [
            {
                "label": age_label,
                "fields": [
                    self[participant_field(age, gender)] for gender, _g in PARTICIPANT_GENDERS
                ],
            }
            for age, age_label in PARTICIPANT_AGE_GROUPS
        ]

    def gender_labels(self) -> list:
        return [label for _code, label in PARTICIPANT_GENDERS]

    def perspective_fields(self) -> list:
        return [self[perspective_field(code)] for code in Perspective.values]

    def valid_fields(self) -> list[str]:
        self.is_valid()
        return [name for name in self.fields if name not in self.errors]

    def changes(self) -> dict:
        """Return the report fields whose every input validated, as the model keeps them."""
        valid = set(self.valid_fields())
        data = self.cleaned_data
        changes = {
            name: data[name]
            for name in ("what_was_done", "activities_count", "municipalities", "target_groups")
            if name in valid
        }
        if "used_amount" in valid:
            changes["used_amount"] = data["used_amount"]
        counts = [
            participant_field(age, gender)
            for age, _a in PARTICIPANT_AGE_GROUPS
            for gender, _g in PARTICIPANT_GENDERS
        ]
        if all(name in valid for name in counts):
            participants = {
                age: {
                    gender: data[participant_field(age, gender)] or 0
                    for gender, _g in PARTICIPANT_GENDERS
                }
                for age, _a in PARTICIPANT_AGE_GROUPS
            }
            has_any = any(n for group in participants.values() for n in group.values())
            changes["participants"] = participants if has_any else {}
        if all(perspective_field(code) in valid for code in Perspective.values):
            changes["perspectives"] = {
                code: data[perspective_field(code)].strip()
                for code in Perspective.values
                if data[perspective_field(code)].strip()
            }
        return changes


class ReportBudgetForm(BudgetLineFormsets):
    """The actual costs and income by line, the formsets of the application's budget step."""

    def __init__(self, data=None, *, report: FollowUpReport):
        lines = {kind: [] for kind in self.prefixes}
        for line in report.actual_budget or []:
            if line.get("kind") in lines:
                lines[line["kind"]].append(
                    {
                        "category": line.get("category", ""),
                        "description": line.get("description", ""),
                        "amount": Decimal(str(line.get("amount") or 0)),
                    }
                )
        super().__init__(data, lines=lines)

    def is_valid(self) -> bool:
        return self.lines_valid()

    def lines(self) -> list[dict]:
        """Return the lines as the report keeps them (amounts as strings); blank ones left out."""
        lines = []
        for kind, formset in self.formsets.items():
            for form in formset.forms:
                if formset._should_delete_form(form) or not form.cleaned_data.get("amount"):
                    continue
                lines.append(
                    {
                        "kind": kind,
                        "category": form.cleaned_data["category"],
                        "description": form.cleaned_data.get("description", ""),
                        "amount": str(form.cleaned_data["amount"]),
                    }
                )
        return lines

    def changes(self) -> dict:
        return {"actual_budget": self.lines()} if self.is_valid() else {}

    @property
    def errors(self) -> dict[str, list[str]]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.line_errors()


class ReportAttachmentForm(forms.Form):
    files = CheckedFilesField(label=_("Attach files"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _(
            "For example the programme, posters, photos or the accounts. PDF, DOCX, XLSX, ODT, "
            "JPG or PNG, at most %(limit)s MB each."
        ) % {"limit": settings.FILE_UPLOAD_MAX_BYTES // (1024 * 1024)}


# The officer's answers


def _in_days(days: int):
    return timezone.localdate() + timedelta(days=days)


class ReportCompletionForm(forms.Form):
    message = forms.CharField(
        label=_("What must the grantee complete?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_date"].initial = _in_days(21)

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due <= timezone.localdate():
            raise forms.ValidationError(_("The due date must be after today."), code="past")
        return due


class RepaymentClaimForm(forms.Form):
    amount = MoneyField(label=_("Amount to repay (kr)"))
    reasons = forms.CharField(
        label=_("Reasons"),
        help_text=_(
            "They are quoted in the repayment letter: say which condition was not met or how "
            "much of the grant was not used."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )
    due_date = forms.DateField(label=_("Pay by"), widget=DateInput())

    def __init__(self, *args, suggested_amount=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_date"].initial = _in_days(30)
        if suggested_amount:
            self.fields["amount"].initial = suggested_amount

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due <= timezone.localdate():
            raise forms.ValidationError(_("The due date must be after today."), code="past")
        return due
