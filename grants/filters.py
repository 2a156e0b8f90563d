"""The case queue's filters (/handlaggning/): what the officer narrows the list by, and how.

``QueueFilter`` is a django-filter FilterSet over the cases a caseworker may see. Its form also
carries the sort order and the page size, which are not filters: the queue selector reads them
from ``cleaned_data``. The choices that come from the database (calls and programmes, officers)
are read once per request and used both to validate and to render.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

import django_filters
from django import forms
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants import permissions
from grants.models import Application, Call, CompletionRequest
from grants.selectors import report_overdue
from grants.workflow import ApplicationState
from organisations.models import Municipality, Organisation, User

#: Page sizes an officer may choose (``?per_page=``).
PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 50
#: ``?sort=`` values; a leading minus is descending. The default is newest submitted first.
DEFAULT_SORT = "-submitted"
SORTS = {
    "-submitted": _("Submitted, newest first"),
    "submitted": _("Submitted, oldest first"),
    "case_number": _("Case number, ascending"),
    "-case_number": _("Case number, descending"),
    "organisation": _("Organisation, A–Z"),
    "-organisation": _("Organisation, Z–A"),
    "-amount": _("Requested amount, largest first"),
    "amount": _("Requested amount, smallest first"),
    "state": _("State, workflow order"),
    "-state": _("State, reverse workflow order"),
}
#: The states a case in the queue can be in: every state but draft.
QUEUE_STATES = [(value, label) for value, label in ApplicationState.choices if value != "draft"]
#: ``?officer=`` values besides an officer's id.
ME = "me"
UNASSIGNED = "unassigned"
ORG_NUMBER_DIGITS = re.compile(r"^\d{10}$")


@dataclass(frozen=True)
class Search:
    """A search (``?q=``) in its two parts: the case's own fields, and its organisation's.

    The queue's selector uses them apart, so that each can be read from its own indexes: the
    one across the join to the organisation cannot be combined with the others in one index.
    """

    #: The case number or the title contains the text.
    own: Q
    #: The organisations whose name or number contains it (a subquery of their ids).
    organisations: QuerySet


class QueueSelect(forms.Select):
    """A select that writes its options inline. Django's own includes a template per option,
    and the queue's selects have many (every call, every officer)."""

    template_name = "casework/includes/queue_select.html"


def overdue_completion(*, today=None) -> Exists:
    """Return the condition "an open completion request is past its due date" for a case."""
    return Exists(
        CompletionRequest.objects.filter(
            application=OuterRef("pk"),
            answered_at__isnull=True,
            due_date__lt=today or timezone.localdate(),
        )
    )


def handling_officers():
    """Return the active users who may handle cases (by group or by their own permission)."""
    app_label, codename = permissions.HANDLE.split(".")
    permission = {"codename": codename, "content_type__app_label": app_label}
    by_group = User.groups.through.objects.filter(
        group__permissions__in=Permission.objects.filter(**permission)
    )
    by_user = User.user_permissions.through.objects.filter(
        permission__in=Permission.objects.filter(**permission)
    )
    granted = by_group.values("user_id").union(by_user.values("user_id"))
    return (
        User.objects.filter(pk__in=granted, is_active=True)
        .order_by("full_name", "pk")
        .only("pk", "full_name")
    )


class QueueForm(forms.Form):
    """The queue's form: the filters are added by ``QueueFilter``; sorting and paging are here."""

    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=list(SORTS.items()),
        required=False,
        initial=DEFAULT_SORT,
        widget=QueueSelect,
    )
    per_page = forms.TypedChoiceField(
        label=_("Cases per page"),
        choices=[(size, size) for size in PAGE_SIZES],
        coerce=int,
        required=False,
        empty_value=DEFAULT_PAGE_SIZE,
        initial=DEFAULT_PAGE_SIZE,
        widget=QueueSelect,
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            # Without a choice, the default is shown chosen (a bound form shows only its data).
            data = data.copy()
            for name in ("sort", "per_page"):
                if not data.get(name):
                    data[name] = self.base_fields[name].initial
        super().__init__(data, *args, **kwargs)

    def clean(self):
        cleaned_data = super().clean()
        low, high = cleaned_data.get("amount_min"), cleaned_data.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "amount_max", _("The highest amount cannot be lower than the lowest amount.")
            )
        return cleaned_data


class QueueFilter(django_filters.FilterSet):
    """Filter the queue's cases; build it with ``data=request.GET`` and ``request=request``."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=100,
        help_text=_("Case number, organisation name, organisation number or title."),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=QUEUE_STATES, empty_label=_("All states"), widget=QueueSelect
    )
    call = django_filters.ChoiceFilter(
        label=_("Call"),
        field_name="call_id",
        choices=[],
        empty_label=_("All calls"),
        widget=QueueSelect,
    )
    programme = django_filters.ChoiceFilter(
        label=_("Programme"),
        field_name="call__programme_id",
        choices=[],
        empty_label=_("All programmes"),
        widget=QueueSelect,
    )
    municipality = django_filters.ChoiceFilter(
        label=_("The organisation's municipality"),
        field_name="organisation__municipality",
        choices=Municipality.choices,
        empty_label=_("All municipalities"),
        widget=QueueSelect,
    )
    org_type = django_filters.ChoiceFilter(
        label=_("Organisation type"),
        field_name="organisation__org_type",
        choices=Organisation.Type.choices,
        empty_label=_("All types"),
        widget=QueueSelect,
    )
    officer = django_filters.ChoiceFilter(
        label=_("Assigned officer"),
        method="assigned_to",
        choices=[],
        empty_label=_("Anyone"),
        widget=QueueSelect,
    )
    amount_min = django_filters.NumberFilter(
        label=_("Requested amount from (kr)"),
        field_name="requested_amount",
        lookup_expr="gte",
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
    )
    amount_max = django_filters.NumberFilter(
        label=_("Requested amount up to (kr)"),
        field_name="requested_amount",
        lookup_expr="lte",
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
    )
    overdue = django_filters.BooleanFilter(
        label=_("Only cases with an overdue completion request"),
        method="overdue_only",
        widget=forms.CheckboxInput,
        label_suffix="",
    )
    report_overdue = django_filters.BooleanFilter(
        label=_("Only granted cases whose final report is overdue"),
        method="report_overdue_only",
        widget=forms.CheckboxInput,
        label_suffix="",
    )

    class Meta:
        model = Application
        form = QueueForm
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        calls = list(
            Call.objects.select_related("programme")
            .only("title_sv", "title_en", "programme__name_sv", "programme__name_en")
            .order_by("-opens_at", "pk")
        )
        programmes = {call.programme_id: call.programme for call in calls}
        by_programme: dict[int, list] = {}
        for call in calls:
            by_programme.setdefault(call.programme_id, []).append((str(call.pk), call.title))
        self.filters["call"].extra["choices"] = [
            (programmes[programme_id].name, choices)
            for programme_id, choices in by_programme.items()
        ]
        self.filters["programme"].extra["choices"] = sorted(
            ((str(pk), programme.name) for pk, programme in programmes.items()),
            key=lambda choice: choice[1],
        )
        self.filters["officer"].extra["choices"] = [
            (ME, _("Me")),
            (UNASSIGNED, _("Unassigned")),
            *((str(officer.pk), officer.full_name) for officer in handling_officers()),
        ]

    def filter_queryset(self, queryset, *, exclude=()):
        """Filter by every valid value in the form, except the filters named in ``exclude``."""
        self.is_valid()
        for name, value in self.form.cleaned_data.items():
            if name in self.filters and name not in exclude:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def value(self, name):
        """Return the cleaned value of a field, or None when it is empty or invalid."""
        self.is_valid()
        value = self.form.cleaned_data.get(name)
        return None if value is False or value in ("", []) else value

    @property
    def sort(self) -> str:
        return self.value("sort") or DEFAULT_SORT

    @property
    def per_page(self) -> int:
        return self.value("per_page") or DEFAULT_PAGE_SIZE

    @property
    def has_more_filters(self) -> bool:
        """Return whether a filter of the "More filters" group is in use (to show it open)."""
        names = ("programme", "municipality", "org_type", "officer", "amount_min", "amount_max")
        return any(self.value(name) is not None for name in (*names, "overdue", "report_overdue"))

    # Methods of the filters that are more than a lookup.

    def search(self, queryset, name, value):
        """Match the case number, the title, the organisation's name or its number."""
        search = self.search_parts()
        if search is None:
            return queryset
        return queryset.filter(search.own | Q(organisation_id__in=search.organisations))

    def search_parts(self) -> "Search | None":
        """Return the valid ``?q=`` as the two parts it matches, or None without a search."""
        text = (self.value("q") or "").strip()
        if not text:
            return None
        organisations = Q(name__icontains=text) | Q(org_number__icontains=text)
        if ORG_NUMBER_DIGITS.match(text):
            # Typed without the hyphen: 8020001234 finds 802000-1234.
            organisations |= Q(org_number=f"{text[:6]}-{text[6:]}")
        return Search(
            own=Q(case_number__icontains=text) | Q(title__icontains=text),
            organisations=Organisation.objects.filter(organisations).order_by().values("pk"),
        )

    def assigned_to(self, queryset, name, value):
        if value == ME:
            return queryset.filter(assigned_officer=self.request.user)
        if value == UNASSIGNED:
            return queryset.filter(assigned_officer__isnull=True)
        return queryset.filter(assigned_officer_id=value)

    def overdue_only(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(overdue_completion())

    def report_overdue_only(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(report_overdue(today=timezone.localdate()))
