"""The national cultural statistics export (/statistik/kulturstatistik/): a page to choose the
year and the CSV download. For the region's staff who work with grants: culture officers,
decision makers, committee secretaries and administrators."""

from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from decisions import national_statistics
from grants import permissions

#: The administrators' permission that lets them in besides the caseworkers.
ADMINISTER_PROGRAMMES = "grants.change_programme"


def statistics_staff_required(view):
    """Let in caseworkers and administrators; anyone else logged in gets 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (permissions.is_caseworker(user) or user.has_perm(ADMINISTER_PROGRAMMES)):
            raise PermissionDenied(_("This page is for the region's staff who work with grants."))
        return view(request, *args, **kwargs)

    return wrapper


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Year of decision"),
        required=False,
        min_value=1900,
        max_value=9999,
        widget=forms.Select,
    )

    def __init__(self, data=None, *, years=()):
        super().__init__(data, label_suffix="")
        self.fields["year"].widget.choices = [
            ("", gettext_lazy("Every year")),
            *[(year, year) for year in years],
        ]

    def chosen_year(self) -> int | None:
        return self.cleaned_data.get("year") if self.is_valid() else None


@require_safe
@statistics_staff_required
def page(request):
    """Show the years with accepted reports, the year choice and what the columns hold."""
    years = national_statistics.report_years()
    form = YearForm(years=[entry["year"] for entry in years])
    return render(
        request,
        "open_data/national_statistics.html",
        {
            "form": form,
            "years": years,
            "columns": national_statistics.column_descriptions(),
        },
    )


@require_safe
@statistics_staff_required
def download(request):
    """Send the statistics of the chosen decision year (or of every year) as CSV."""
    year = YearForm(request.GET).chosen_year()
    response = StreamingHttpResponse(
        national_statistics.csv_chunks(year=year), content_type="text/csv; charset=utf-8"
    )
    filename = f"kulturstatistik-{year or 'alla-ar'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
