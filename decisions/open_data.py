"""The public register of granted support (beviljade bidrag, DESIGN §7 "Open data").

Only decided grants (approved in full or in part) of programmes that publish their grants are
listed, and of each only what the register may show: case number, decision date, organisation,
its municipality, where the activity takes place, programme and granted amount. The selector
reads these as values computed in SQL, so the page and the files never even load a draft, a
note, an assessment or an address. A sole trader's name and number (a personnummer) are left
in the database unless the sole trader consented to publication of the name, and even then the
number is not published; the search looks only at the published name, so a search for a
sole trader's real name finds nothing that would give it away.

The machine formats (CSV and JSON) have stable English keys, ``FIELDS``, and are written in the
site's language whatever language the page is read in, so that a file fetched from /en/ and one
fetched without it are the same. They are streamed row by row: the register may hold 100,000
grants.
"""

import codecs
import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, CharField, F, Max, Min, Q, QuerySet, Value, When
from django.db.models.functions import Substr
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from decisions.exports.tabular import neutralise
from decisions.models import Decision
from grants.models import Programme
from organisations.models import Municipality, Organisation

#: The keys of a row in every format, in the order of the CSV's columns. Never renamed: people
#: build on them.
FIELDS = (
    "case_number",
    "decision_date",
    "organisation",
    "org_number",
    "municipality_code",
    "municipality",
    "activity_municipalities",
    "programme",
    "amount",
)

#: What each key means, as the page explains it (in the reader's language).
FIELD_DESCRIPTIONS = {
    "case_number": _("The case number (diarienummer), e.g. KUL 2026/0042."),
    "decision_date": _("The date of the decision, as YYYY-MM-DD."),
    "organisation": _(
        "The organisation granted the support. A sole trader's name only with their consent; "
        "otherwise “Sole trader (name not published)”."
    ),
    "org_number": _(
        "The organisation number of a legal person, NNNNNN-NNNN. Empty for a sole trader, whose "
        "number is a personal identity number."
    ),
    "municipality_code": _(
        "The SCB code of the organisation's municipality, or outside_county for an organisation "
        "outside Jämtland Härjedalen."
    ),
    "municipality": _("The name of the organisation's municipality."),
    "activity_municipalities": _(
        "The municipalities where the activity takes place: a list in JSON, names separated by "
        "commas in CSV."
    ),
    "programme": _("The form of grant (bidragsform)."),
    "amount": _(
        'The granted amount in kronor with two decimals: a string such as "12500.00" in JSON, '
        "a decimal comma in CSV."
    ),
}

LICENCE_NAME = "CC0 1.0"
LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"

#: Rows per chunk written to the response (and fetched from the database at a time).
CHUNK_SIZE = 2000


@dataclass(frozen=True)
class RegisterFilters:
    """What the reader narrowed the register to: free text, decision year, programme, the
    organisation's municipality."""

    search: str = ""
    year: int | None = None
    programme: int | None = None
    municipality: str = ""


def published_decisions() -> QuerySet[Decision]:
    """Return the decisions the register shows: grants (in full or in part) of programmes that
    publish their grants. Rejected and dismissed decisions and undecided applications never."""
    return Decision.objects.filter(
        outcome__in=Decision.GRANTING,
        application__call__programme__publish_grants=True,
        application__case_number__isnull=False,
    )


def public_name(application: str = "application__") -> Case:
    """Return the organisation's name as the register may show it, computed in SQL from the
    application at the lookup ``application``: the same rule as ``Organisation.public_name``,
    so the real name of a sole trader without consent is never read."""
    organisation = f"{application}organisation__"
    return Case(
        When(
            **{
                f"{organisation}org_type": Organisation.Type.SOLE_TRADER,
                f"{organisation}publish_consent": False,
            },
            # The same words as Organisation.public_name.
            then=Value(gettext("Sole trader (name not published)")),
        ),
        default=F(f"{organisation}name"),
        output_field=CharField(),
    )


def _public_org_number() -> Case:
    """Return the organisation number only for a legal person: never a sole trader's, and never
    one whose third digit says it is a personnummer (below 2), whatever the type says."""
    return Case(
        When(
            ~Q(application__organisation__org_type=Organisation.Type.SOLE_TRADER)
            & Q(third_digit__gte="2"),
            then=F("application__organisation__org_number"),
        ),
        default=Value(""),
        output_field=CharField(),
    )


def _municipality_label() -> Case:
    return Case(
        *[
            When(application__organisation__municipality=code, then=Value(str(label)))
            for code, label in Municipality.choices
        ],
        default=Value(""),
        output_field=CharField(),
    )


def programme_name(application: str = "application__") -> F:
    """Return the programme's name in the active language, read from the application at the
    lookup ``application``."""
    field = "name_en" if translation.get_language() == "en" else "name_sv"
    return F(f"{application}call__programme__{field}")


def granted_support(*, filters: RegisterFilters = RegisterFilters()) -> QuerySet:
    """Return the register's rows matching ``filters``, newest decision first, as dicts of the
    public values only (keys ``FIELDS``; ``activity_municipalities`` as the codes stored).

    Labels (a sole trader's, a municipality's, the programme's name) are in the active language.
    """
    rows = published_decisions().annotate(
        case_number=F("application__case_number"),
        organisation=public_name(),
        third_digit=Substr("application__organisation__org_number", 3, 1),
        municipality_code=F("application__organisation__municipality"),
    )
    rows = rows.annotate(
        org_number=_public_org_number(),
        municipality=_municipality_label(),
        activity_municipalities=F("application__municipalities"),
        programme=programme_name(),
    )
    if filters.search:
        # The published name only: a search for a hidden name must find nothing.
        rows = rows.filter(
            Q(case_number__icontains=filters.search)
            | Q(organisation__icontains=filters.search)
            | Q(application__call__programme__name_sv__icontains=filters.search)
            | Q(application__call__programme__name_en__icontains=filters.search)
        )
    if filters.year:
        rows = rows.filter(decision_date__year=filters.year)
    if filters.programme:
        rows = rows.filter(application__call__programme_id=filters.programme)
    if filters.municipality:
        rows = rows.filter(application__organisation__municipality=filters.municipality)
    return rows.order_by("-decision_date", "-id").values(*FIELDS)


def decision_years() -> list[int]:
    """Return the years from the latest decision back to the earliest, for the year filter.

    Read from the decisions' date index alone (two index look-ups), not from the register's
    join: a year in between without grants merely lists none.
    """
    span = Decision.objects.aggregate(first=Min("decision_date"), last=Max("decision_date"))
    if span["first"] is None:
        return []
    return list(range(span["last"].year, span["first"].year - 1, -1))


def publishing_programmes() -> QuerySet[Programme]:
    """Return the programmes whose grants the register shows, for the programme filter."""
    return Programme.objects.filter(publish_grants=True).only("pk", "name_sv", "name_en")


def municipality_labels() -> dict[str, str]:
    """Return each municipality's name by code, in the active language."""
    return {code: str(label) for code, label in Municipality.choices}


def with_activity_labels(rows: Iterable[dict], labels: dict[str, str]) -> Iterator[dict]:
    """Yield the rows with the activity's municipalities as names instead of codes."""
    for row in rows:
        codes = row["activity_municipalities"] or []
        row["activity_municipalities"] = [labels.get(code, code) for code in codes]
        yield row


# The machine formats


def machine_rows(filters: RegisterFilters) -> tuple[QuerySet, dict[str, str]]:
    """Return the rows query and the municipality names, both in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return granted_support(filters=filters), municipality_labels()


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # Swedish spreadsheets read a decimal comma, as every CSV of Bidrag's.
        return str(value).replace(".", ",")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return neutralise(", ".join(value))
    return neutralise(str(value))


def csv_chunks(filters: RegisterFilters) -> Iterator[bytes]:
    """Yield the register as CSV: UTF-8 with a byte-order mark, semicolons, CRLF, the keys of
    ``FIELDS`` as the heading row; text that looks like a formula is neutralised."""
    rows, labels = machine_rows(filters)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(FIELDS)
    yield codecs.BOM_UTF8 + buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    for number, row in enumerate(
        with_activity_labels(rows.iterator(chunk_size=CHUNK_SIZE), labels), start=1
    ):
        writer.writerow([_csv_cell(row[key]) for key in FIELDS])
        if number % CHUNK_SIZE == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def _json_row(row: dict) -> dict:
    return {
        **row,
        "decision_date": row["decision_date"].isoformat(),
        # A string keeps the exact amount; a JSON number would be read as a float.
        "amount": f"{row['amount']:.2f}",
    }


def json_chunks(filters: RegisterFilters, *, source: str) -> Iterator[bytes]:
    """Yield the register as one JSON object: the licence, the source, the number of grants and
    ``results``, a list of objects with the keys of ``FIELDS``."""
    rows, labels = machine_rows(filters)
    head = {"licence": LICENCE_URL, "source": source, "count": rows.count()}
    # The object is written by hand around the rows so that they can be streamed.
    yield json.dumps(head, ensure_ascii=False)[:-1].encode() + b', "results": ['
    parts = []
    for number, row in enumerate(
        with_activity_labels(rows.iterator(chunk_size=CHUNK_SIZE), labels), start=1
    ):
        parts.append(
            ("\n" if number == 1 else ",\n") + json.dumps(_json_row(row), ensure_ascii=False)
        )
        if number % CHUNK_SIZE == 0:
            yield "".join(parts).encode()
            parts = []
    parts.append("\n]}\n")
    yield "".join(parts).encode()
