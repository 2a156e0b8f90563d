"""The public register of granted support, /beviljade-bidrag/: a page with search and filters,
and the same rows as open data (``?format=csv`` or ``?format=json``). No login; a logged-in
reader sees the same."""

from django import forms
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from decisions import open_data
from organisations.models import Municipality

PAGE_SIZE = 50
DOWNLOADS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


class RegisterForm(forms.Form):
    """The register's search and filters; a value that is not one of the choices is ignored."""

    q = forms.CharField(
        label=_("Search"),
        help_text=_("Case number, organisation or programme."),
        required=False,
        max_length=100,
    )
    # Numbers chosen from lists: the lists are filled in for the page only, so that a file
    # download costs no query for them.
    year = forms.IntegerField(
        label=_("Year of decision"),
        required=False,
        min_value=1900,
        max_value=9999,
        widget=forms.Select,
    )
    programme = forms.IntegerField(
        label=_("Programme"), required=False, min_value=1, widget=forms.Select
    )
    municipality = forms.ChoiceField(
        label=_("Municipality of the organisation"),
        required=False,
        choices=[("", _("All municipalities")), *Municipality.choices],
    )

    def __init__(self, data, *, years=(), programmes=()):
        super().__init__(data, label_suffix="")
        self.fields["year"].widget.choices = [("", _("All years")), *[(y, y) for y in years]]
        self.fields["programme"].widget.choices = [
            ("", _("All programmes")),
            *[(programme.pk, programme.name) for programme in programmes],
        ]

    def filters(self) -> open_data.RegisterFilters:
        """Return the filters the reader chose; an invalid one counts as not chosen."""
        self.is_valid()
        data = self.cleaned_data
        return open_data.RegisterFilters(
            search=(data.get("q") or "").strip(),
            year=data.get("year") or None,
            programme=data.get("programme") or None,
            municipality=data.get("municipality") or "",
        )


def _download(request, format: str, filters: open_data.RegisterFilters) -> StreamingHttpResponse:
    """Stream the matching rows, every one of them, as CSV or JSON."""
    if format == "csv":
        chunks = open_data.csv_chunks(filters)
    else:
        source = request.build_absolute_uri(request.path)
        chunks = open_data.json_chunks(filters, source=source)
    response = StreamingHttpResponse(chunks, content_type=DOWNLOADS[format])
    filename = f"beviljade-bidrag-{timezone.localdate().isoformat()}.{format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    # Open data: anyone may fetch it from anywhere.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def register(request):
    """List the granted support, searchable and filtered, or send it as open data."""
    format = request.GET.get("format")
    if format in DOWNLOADS:
        return _download(request, format, RegisterForm(request.GET).filters())
    form = RegisterForm(
        request.GET,
        years=open_data.decision_years(),
        programmes=open_data.publishing_programmes(),
    )
    filters = form.filters()
    page = Paginator(open_data.granted_support(filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(
        open_data.with_activity_labels(page.object_list, open_data.municipality_labels())
    )
    return render(
        request,
        "open_data/register.html",
        {
            "form": form,
            "page": page,
            "filtered": filters != open_data.RegisterFilters(),
            "fields": [(key, open_data.FIELD_DESCRIPTIONS[key]) for key in open_data.FIELDS],
            "licence_name": open_data.LICENCE_NAME,
            "licence_url": open_data.LICENCE_URL,
        },
    )
