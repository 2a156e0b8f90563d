"""The statistics of granted support at /statistik/: the page and a CSV of each of its tables.

Everyone sees the grants made, by dimension; caseworkers (``permissions.is_caseworker``) also see
what was decided, rejected and applied for. The filters are a GET form: the year of the decision
(by default the latest year with decisions) and optionally a programme. A filter that is not one
of the choices gives the form back with a message and status 400.
"""

import codecs
import csv
import io
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from decisions.exports.tabular import _csv_money, neutralise
from grants import permissions
from grants.statistics import (
    BUDGET,
    BUDGET_TITLE,
    TABLES,
    Statistics,
    statistics_programmes,
    statistics_years,
)


class StatisticsFilterForm(forms.Form):
    """The year and the programme to count; the choices are the years and programmes there are."""

    year = forms.TypedChoiceField(
        label=gettext_lazy("Year of decision"),
        coerce=int,
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "There are no statistics for “%(value)s”. Choose one of the years in the list."
            )
        },
    )
    programme = forms.TypedChoiceField(
        label=gettext_lazy("Programme"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={
            "invalid_choice": gettext_lazy(
                "There is no programme “%(value)s”. Choose one in the list, or all programmes."
            )
        },
    )

    def __init__(self, data, *, years: list[int], programmes: list):
        super().__init__(data)
        self.programmes = {programme.pk: programme for programme in programmes}
        self.fields["year"].choices = [(year, year) for year in years]
        self.fields["programme"].choices = [("", _("All programmes"))] + [
            (programme.pk, programme.name) for programme in programmes
        ]
        self.latest_year = years[0] if years else None

    def clean_year(self):
        return self.cleaned_data["year"] or self.latest_year

    def clean_programme(self):
        pk = self.cleaned_data["programme"]
        return None if pk is None else self.programmes[pk]


def _filters(request) -> tuple[StatisticsFilterForm, list[int]]:
    years = statistics_years()
    form = StatisticsFilterForm(request.GET, years=years, programmes=statistics_programmes())
    return form, years


def _query(form: StatisticsFilterForm) -> str:
    """Return the query string of the chosen filters, for the CSV links."""
    values = {"year": form.cleaned_data["year"]}
    if form.cleaned_data["programme"] is not None:
        values["programme"] = form.cleaned_data["programme"].pk
    return urlencode(values)


@require_safe
def statistics_page(request):
    """Show the year's grants by dimension, as tables with bar charts, and the calls' budgets."""
    form, years = _filters(request)
    staff = permissions.is_caseworker(request.user)
    context = {"form": form, "staff": staff, "years": years}
    if not form.is_valid():
        return render(request, "statistics/page.html", context, status=400)
    if not years:
        return render(request, "statistics/page.html", context)
    statistics = Statistics(
        year=form.cleaned_data["year"], programme=form.cleaned_data["programme"], staff=staff
    )
    context |= {
        "statistics": statistics,
        "tables": statistics.tables(),
        "budget": statistics.budget,
        "budget_name": BUDGET,
        "budget_title": BUDGET_TITLE,
        "query": _query(form),
    }
    return render(request, "statistics/page.html", context)


@require_safe
def statistics_csv(request, table: str):
    """Send one table of the page as CSV, with the same filters and the same figures."""
    if table != BUDGET and table not in TABLES:
        raise Http404(_("There is no table of statistics called “%(name)s”.") % {"name": table})
    form, years = _filters(request)
    if not form.is_valid():
        errors = [
            f"{form[name].label}: {error}" for name in form.errors for error in form.errors[name]
        ]
        return HttpResponse(
            "\n".join(errors) + "\n", status=400, content_type="text/plain; charset=utf-8"
        )
    if not years:
        raise Http404(_("There are no decisions yet."))
    statistics = Statistics(
        year=form.cleaned_data["year"],
        programme=form.cleaned_data["programme"],
        staff=permissions.is_caseworker(request.user),
    )
    rows = _budget_rows(statistics) if table == BUDGET else _table_rows(statistics, table)
    name = f"statistik-{table}-{statistics.year}"
    if statistics.programme is not None:
        name += f"-programme-{statistics.programme.pk}"
    response = HttpResponse(_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _percent(value: Decimal | None) -> str:
    return "" if value is None else str(value).replace(".", ",")


def _table_rows(statistics: Statistics, name: str) -> list[list]:
    """Return the table as CSV rows: the heading row, then one row per value of the dimension."""
    table = statistics.table(name)
    if statistics.staff:
        headings = [
            _("Code"),
            table.title,
            _("Decided applications"),
            _("Grants"),
            _("Rejected"),
            _("Approval rate (%)"),
            _("Requested in the decided applications (SEK)"),
            _("Granted (SEK)"),
        ]
        rows = [
            [
                row.key,
                neutralise(row.label),
                row.decided,
                row.grants,
                row.rejected,
                _percent(row.approval_rate),
                _csv_money(row.requested),
                _csv_money(row.granted),
            ]
            for row in table.rows
        ]
    else:
        headings = [_("Code"), table.title, _("Grants"), _("Granted (SEK)")]
        rows = [
            [row.key, neutralise(row.label), row.grants, _csv_money(row.granted)]
            for row in table.rows
        ]
    return [headings, *rows]


def _budget_rows(statistics: Statistics) -> list[list]:
    headings = [
        _("Call"),
        _("Programme"),
        _("Budget (SEK)"),
        _("Granted (SEK)"),
        _("Share of the budget granted (%)"),
        _("Paid (SEK)"),
        _("Remaining (SEK)"),
    ]
    if statistics.staff:
        headings.append(_("Applications received"))
    rows = []
    for call in statistics.budget:
        row = [
            neutralise(call.title),
            neutralise(call.programme),
            _csv_money(call.budget),
            _csv_money(call.granted),
            _percent(call.share),
            _csv_money(call.paid),
            _csv_money(call.remaining),
        ]
        if statistics.staff:
            row.append(call.received)
        rows.append(row)
    return [headings, *rows]


def _csv(rows: list[list]) -> bytes:
    """Return the rows as the project's CSV (decisions.exports.tabular): UTF-8 with a byte-order
    mark, semicolons, a decimal comma and CRLF line ends, as Swedish spreadsheets open it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return codecs.BOM_UTF8 + buffer.getvalue().encode()
