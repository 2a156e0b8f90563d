"""The applicant's forms: starting an application and each step of the application form.

Forms validate and say what to change; the views hand ``changes()`` to the services, which save.
A step form saves every field it holds, so that a step posted in full replaces what was there
(an unticked box is an empty list); ``changes()`` of a form with errors gives only the fields
that validated, which is what the autosave keeps.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils import formats
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from grants.models import (
    MONEY,
    ZERO,
    Application,
    ApplicationPart,
    BudgetLine,
    Perspective,
    TargetGroup,
)
from grants.steps import AGENDA_2030_GOALS
from organisations.models import Municipality, Organisation

# Starting an application


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.display_org_number})"


class StartForm(forms.Form):
    """Choose which of the user's organisations applies (when there is a choice) and a title."""

    organisation = OrganisationChoiceField(
        label=_("Which organisation applies?"),
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    title = forms.CharField(
        label=_("Title of the project"),
        max_length=200,
        help_text=_("A short name for the project; you can change it later."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        if len(self.organisations) == 1:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=[organisation.pk for organisation in self.organisations]
            ).order_by("name")

    def chosen_organisation(self) -> Organisation:
        """Return the organisation that applies."""
        if "organisation" in self.fields:
            return self.cleaned_data["organisation"]
        return self.organisations[0]


# The steps


class StepForm(forms.Form):
    """A step of the application form, filled from the application and turned into changes."""

    part: str

    def __init__(self, data=None, *, application: Application, **kwargs):
        self.application = application
        super().__init__(data, initial=self.initial_from(application), **kwargs)

    def initial_from(self, application: Application) -> dict:
        return {name: getattr(application, name) for name in self.fields_of_model()}

    def fields_of_model(self) -> list[str]:
        return list(self.base_fields)

    def changes(self) -> dict:
        """Return the application fields to save, from the fields that validated."""
        return {name: self.cleaned_data[name] for name in self.valid_fields()}

    def valid_fields(self) -> list[str]:
        """Return the names of the fields that validated (all of them when the form is valid)."""
        return [name for name in self.fields if name in self.cleaned_data]


class ProjectForm(StepForm):
    part = ApplicationPart.PROJECT

    title = forms.CharField(label=_("Title of the project"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Two or three sentences: what you will do, for whom and where. If the grant is "
            "approved, the summary may be published."
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "The project's purpose, what you will do and when, who takes part, and who you "
            "work with."
        ),
    )
    letter_language = forms.ChoiceField(
        label=_("Language of the decision letter"),
        choices=Application.LetterLanguage.choices,
        widget=forms.RadioSelect,
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ActivityForm(StepForm):
    part = ApplicationPart.ACTIVITY

    activity_starts = forms.DateField(
        label=_("The activity starts"), required=False, widget=DateInput
    )
    activity_ends = forms.DateField(label=_("The activity ends"), required=False, widget=DateInput)
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        required=False,
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose every group the activity is for."),
    )
    municipalities = forms.MultipleChoiceField(
        label=_("Municipalities where the activity takes place"),
        required=False,
        choices=Municipality.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("activity_starts"), cleaned.get("activity_ends")
        if starts and ends and ends < starts:
            self.add_error(
                "activity_ends", _("The activity cannot end before it starts. Check the dates.")
            )
        return cleaned


#: The question asked about each perspective of the region's strategy.
PERSPECTIVE_QUESTIONS = {
    Perspective.ACCESSIBILITY: _(
        "How does the project work with accessibility, so that people with disabilities can "
        "take part?"
    ),
    Perspective.CHILDREN_YOUTH: _(
        "How does the project work with the perspective of children and young people?"
    ),
    Perspective.GENDER_EQUALITY: _("How does the project work with gender equality?"),
    Perspective.EQUALITY: _(
        "How does the project work with equality, so that everyone has the same opportunities "
        "to take part?"
    ),
    Perspective.INDIGENOUS_MINORITY: _(
        "How does the project work with the perspective of the Sami as an indigenous people and "
        "of the national minorities?"
    ),
}


class PerspectivesForm(StepForm):
    part = ApplicationPart.PERSPECTIVES

    agenda_goals = forms.TypedMultipleChoiceField(
        label=_("Which Agenda 2030 goals does the project serve?"),
        required=False,
        coerce=int,
        # Lazy, so each request reads the goals in its own language.
        choices=[
            (number, format_lazy(_("Goal {number}: {name}"), number=number, name=name))
            for number, name in AGENDA_2030_GOALS
        ],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data=None, *, application: Application, **kwargs):
        super().__init__(data, application=application, **kwargs)
        perspective_fields = {
            self.field_name(code): forms.CharField(
                label=PERSPECTIVE_QUESTIONS[code],
                help_text=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            for code, label in Perspective.choices
        }
        # The perspectives first, then the goals.
        self.fields = perspective_fields | self.fields

    @staticmethod
    def field_name(code: str) -> str:
        return f"perspective_{code}"

    def initial_from(self, application: Application) -> dict:
        texts = application.perspectives or {}
        return {
            "agenda_goals": application.agenda_goals,
            **{self.field_name(code): texts.get(code, "") for code in Perspective.values},
        }

    def changes(self) -> dict:
        valid = set(self.valid_fields())
        changes = {}
        if "agenda_goals" in valid:
            changes["agenda_goals"] = sorted(set(self.cleaned_data["agenda_goals"]))
        if any(self.field_name(code) in valid for code in Perspective.values):
            texts = dict(self.application.perspectives or {})
            for code in Perspective.values:
                name = self.field_name(code)
                if name in valid:
                    texts[code] = self.cleaned_data[name]
            changes["perspectives"] = {code: text for code, text in texts.items() if text}
        return changes


# The budget


class MoneyField(forms.DecimalField):
    """An amount in kronor with at most two decimals, typed the Swedish or the English way."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", MONEY["max_digits"])
        kwargs.setdefault("decimal_places", MONEY["decimal_places"])
        kwargs.setdefault("min_value", Decimal("0.01"))
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Write the amount in kronor, for example 12 500 or 12 500,50."),
                "min_value": _("The amount must be more than 0 kr."),
                "max_decimal_places": _("Write at most two decimals (öre)."),
            },
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        for space in (" ", "\u00a0", "\u202f", "\u2009"):
            text = text.replace(space, "")
        text = text.removesuffix("kr").strip().replace(",", ".")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            places = 0 if value == value.to_integral_value() else 2
            return formats.number_format(value, places)
        return value


class BudgetLineForm(forms.Form):
    """One line of the budget: a category of its kind, a description and an amount."""

    category = forms.ChoiceField(label=_("Category"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    amount = MoneyField(label=_("Amount (kr)"))

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["category"].choices = [("", _("Choose a category"))] + [
            (code, label)
            for code, label in BudgetLine.Category.choices
            if (code in BudgetLine.COST_CATEGORIES) == (kind == BudgetLine.Kind.COST)
        ]

    def full_clean(self):
        # A line emptied of everything is dropped, like a blank extra line, not an error.
        if self.is_bound and not any(
            (self.data.get(self.add_prefix(name)) or "").strip()
            for name in self.fields
            if name != "DELETE"
        ):
            self.cleaned_data = {}
            self._errors = ErrorDict()
            return
        super().full_clean()


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=2, can_delete=True)


class BudgetLineFormsets:
    """A formset of cost lines and one of income lines: the application's budget step and the
    actual budget of the follow-up report (``decisions.forms_report.ReportBudgetForm``).

    ``lines`` are the saved lines by kind, shown on an unbound form. Bound, the posted lines are
    all there is: compared with the saved lines as initial data, a posted line equal to a saved
    one (saved by the autosave meanwhile, while the page still counts it as new) would count as
    unchanged and be dropped.
    """

    prefixes = {BudgetLine.Kind.COST: "cost", BudgetLine.Kind.INCOME: "income"}

    def __init__(self, data, *, lines: dict[str, list[dict]]):
        self.data = data
        self.is_bound = data is not None
        self.formsets = {
            kind: BudgetLineFormSet(
                data,
                prefix=prefix,
                initial=lines.get(kind, []) if data is None else None,
                form_kwargs={"kind": kind},
            )
            for kind, prefix in self.prefixes.items()
        }
        self.costs = self.formsets[BudgetLine.Kind.COST]
        self.incomes = self.formsets[BudgetLine.Kind.INCOME]

    def lines_valid(self) -> bool:
        # Every formset validated (not all() on a generator), so that each shows its errors.
        results = [formset.is_valid() for formset in self.formsets.values()]
        return all(results)

    def field_names(self) -> list[str]:
        """Return the posted names of the lines' fields, as the autosave reports them saved."""
        return [
            form.add_prefix(name)
            for formset in self.formsets.values()
            for form in formset.forms
            for name in form.fields
            if name != "DELETE"
        ]

    def line_errors(self) -> dict[str, list[str]]:
        """Return the lines' errors keyed by the posted field name (``cost-0-amount``)."""
        errors = {}
        for formset in self.formsets.values():
            for form in formset.forms:
                if formset.can_delete and formset._should_delete_form(form):
                    continue
                for name, field_errors in form.errors.items():
                    errors[form.add_prefix(name)] = list(field_errors)
        return errors

    def error_links(self) -> list[tuple[str, str]]:
        """Return (message, input id) for each field error, for the error summary."""
        links = []
        for kind, formset in self.formsets.items():
            label = _("Cost line") if kind == BudgetLine.Kind.COST else _("Income line")
            for number, form in enumerate(formset.forms, start=1):
                if not self.is_bound or formset._should_delete_form(form):
                    continue
                for name, field_errors in form.errors.items():
                    for error in field_errors:
                        links.append(
                            (
                                f"{label} {number}, {form.fields[name].label}: {error}",
                                form[name].auto_id,
                            )
                        )
        return links


class BudgetForm(BudgetLineFormsets):
    """The budget step: a formset of cost lines and one of income lines.

    The amount applied for is what the costs leave when the other income is taken off; it is
    computed here, never typed, so the budget always balances.
    """

    part = ApplicationPart.BUDGET

    def __init__(self, data=None, *, application: Application):
        self.application = application
        self.saved_lines = list(application.budget_lines.all())
        lines = {kind: [] for kind in self.prefixes}
        for line in self.saved_lines:
            lines[line.kind].append(
                {"category": line.category, "description": line.description, "amount": line.amount}
            )
        super().__init__(data, lines=lines)
        self._non_field_errors = []
        self._checked = None

    def is_valid(self) -> bool:
        if self._checked is None:
            self._checked = self.lines_valid()
            if self._checked:
                totals = self.totals()
                if totals["costs"] and totals["requested"] <= 0:
                    self._non_field_errors.append(
                        _(
                            "Other income (%(income)s kr) covers all the costs (%(costs)s kr), "
                            "so there is nothing to apply for. Check the lines."
                        )
                        % {
                            "income": formats.number_format(
                                totals["income"], 0, force_grouping=True
                            ),
                            "costs": formats.number_format(totals["costs"], 0, force_grouping=True),
                        }
                    )
                    self._checked = False
        return self._checked

    def lines(self) -> list[dict]:
        """Return the lines to save, costs first, in the order typed; blank and removed left out."""
        lines = []
        for kind, formset in self.formsets.items():
            for form in formset.forms:
                if formset._should_delete_form(form) or not form.cleaned_data.get("amount"):
                    continue
                lines.append({"kind": kind} | form.cleaned_data)
        return [
            {key: line[key] for key in ("kind", "category", "description", "amount")}
            for line in lines
        ]

    def totals(self) -> dict[str, Decimal]:
        """Return the total costs, other income and the amount applied for, as typed."""
        sums = dict.fromkeys(self.prefixes, ZERO)
        for line in self.lines():
            sums[line["kind"]] += line["amount"]
        costs, income = sums[BudgetLine.Kind.COST], sums[BudgetLine.Kind.INCOME]
        return {"costs": costs, "income": income, "requested": costs - income}

    def saved_totals(self) -> dict[str, Decimal]:
        """Return the total costs, other income and the amount applied for, as saved."""
        sums = dict.fromkeys(self.prefixes, ZERO)
        for line in self.saved_lines:
            sums[line.kind] += line.amount
        costs, income = sums[BudgetLine.Kind.COST], sums[BudgetLine.Kind.INCOME]
        return {"costs": costs, "income": income, "requested": costs - income}

    def changes(self) -> dict:
        """Return the new lines and the amount applied for (None while there are no costs)."""
        totals = self.totals()
        return {
            "lines": self.lines(),
            "requested_amount": totals["requested"] if totals["requested"] > 0 else None,
        }

    def non_field_errors(self) -> list[str]:
        self.is_valid()
        return [
            *self._non_field_errors,
            *(
                str(error)
                for formset in self.formsets.values()
                for error in formset.non_form_errors()
            ),
        ]

    def add_error(self, field, error) -> None:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        self._non_field_errors.extend(messages)
        self._checked = False

    @property
    def errors(self) -> dict[str, list[str]]:
        """Return the errors keyed by the posted field name (``cost-0-amount``), as JSON can."""
        if not self.is_bound:
            return {}
        self.is_valid()
        errors = self.line_errors()
        if self.non_field_errors():
            errors["__all__"] = self.non_field_errors()
        return errors


STEP_FORMS = {
    ApplicationPart.PROJECT: ProjectForm,
    ApplicationPart.ACTIVITY: ActivityForm,
    ApplicationPart.PERSPECTIVES: PerspectivesForm,
    ApplicationPart.BUDGET: BudgetForm,
}
