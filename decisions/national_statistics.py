"""The national cultural statistics export (DESIGN §7): per grant, what its accepted follow-up
report says it reached — participants by age group and gender, activities, target groups and
municipalities — as a CSV the region hands on to the national statistics.

Only reports an officer has accepted are counted: a submitted report may still be sent back for
completion, an accepted one has been checked. The year is the year of the decision (the grant's
year), as the register of granted support counts it.

The columns are fixed, whatever a report holds: one per age group and gender of
``PARTICIPANT_AGE_GROUPS`` × ``PARTICIPANT_GENDERS``, then the totals by gender and in all. A
count a report leaves out is 0; an age group or gender outside the fixed set is not counted, so
the totals are always the sums of their row's columns.
"""

import codecs
import csv
import io
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count, F, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from decisions.exports.tabular import neutralise
from decisions.models import (
    PARTICIPANT_AGE_GROUPS,
    PARTICIPANT_GENDERS,
    Decision,
    FollowUpReport,
)
from decisions.open_data import municipality_labels, programme_name, public_name
from grants.models import TargetGroup
from organisations.models import Organisation

CHUNK_SIZE = 2000
_APPLICATION = "decision__application__"


def _key(age: str) -> str:
    """Return an age group as it reads in a column key: "0-12" → "0_12", "65+" → "65_plus"."""
    return age.replace("-", "_").replace("+", "_plus")


#: The participant columns: (key, age group, gender).
PARTICIPANT_COLUMNS = [
    (f"participants_{_key(age)}_{gender}", age, gender)
    for age, _age_label in PARTICIPANT_AGE_GROUPS
    for gender, _gender_label in PARTICIPANT_GENDERS
]
GENDER_TOTALS = [(f"participants_{gender}", gender) for gender, _label in PARTICIPANT_GENDERS]

#: The CSV's columns, in order, by stable English key.
COLUMNS = [
    "case_number",
    "decision_year",
    "programme",
    "organisation",
    "organisation_type",
    "organisation_municipality_code",
    "amount",
    "activities",
    "municipalities_reached_codes",
    "municipalities_reached",
    "municipalities_reached_count",
    "target_groups_reached",
    *[key for key, _age, _gender in PARTICIPANT_COLUMNS],
    *[key for key, _gender in GENDER_TOTALS],
    "participants_total",
]


def column_descriptions() -> list[tuple[str, str]]:
    """Return each column with what it holds, for the page (in the reader's language)."""
    fixed = {
        "case_number": _("The case number of the grant."),
        "decision_year": _("The year of the decision."),
        "programme": _("The form of grant."),
        "organisation": _("The grantee (a sole trader's name only with consent)."),
        "organisation_type": _("The kind of organisation."),
        "organisation_municipality_code": _("The SCB code of the organisation's municipality."),
        "amount": _("The granted amount in kronor."),
        "activities": _("The number of activities the report gives (empty if not given)."),
        "municipalities_reached_codes": _(
            "The SCB codes of the municipalities reached, separated by spaces."
        ),
        "municipalities_reached": _("The names of the municipalities reached."),
        "municipalities_reached_count": _("How many municipalities were reached."),
        "target_groups_reached": _("The target groups reached."),
        "participants_total": _("All participants: the sum of the participant columns."),
    }
    described = [(key, fixed[key]) for key in COLUMNS[: COLUMNS.index("target_groups_reached") + 1]]
    ages, genders = dict(PARTICIPANT_AGE_GROUPS), dict(PARTICIPANT_GENDERS)
    for key, age, gender in PARTICIPANT_COLUMNS:
        text = _("Participants, %(age)s: %(gender)s") % {
            "age": ages[age],
            "gender": genders[gender],
        }
        described.append((key, text))
    for key, gender in GENDER_TOTALS:
        described.append(
            (key, _("Participants of every age: %(gender)s") % {"gender": genders[gender]})
        )
    described.append(("participants_total", fixed["participants_total"]))
    return described


def accepted_reports(*, year: int | None = None) -> QuerySet[FollowUpReport]:
    """Return the accepted follow-up reports of grants, of the decision year given or all."""
    reports = FollowUpReport.objects.filter(
        accepted_at__isnull=False, decision__outcome__in=Decision.GRANTING
    )
    if year:
        reports = reports.filter(decision__decision_date__year=year)
    return reports


def report_years() -> list[dict]:
    """Return per decision year, newest first, how many grants have an accepted report."""
    return list(
        accepted_reports()
        .annotate(year=ExtractYear("decision__decision_date"))
        .values("year")
        .annotate(reports=Count("pk"))
        .order_by("-year")
    )


def _count(value) -> int:
    """Return a participant count as reported, or 0 for one left out or not a whole number."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return max(value, 0)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return 0


def participant_cells(participants) -> list[int]:
    """Return the participant columns of one report: each age group × gender, the totals by
    gender, and the total."""
    participants = participants if isinstance(participants, dict) else {}
    cells = []
    by_gender = dict.fromkeys((gender for _key, gender in GENDER_TOTALS), 0)
    for _column, age, gender in PARTICIPANT_COLUMNS:
        group = participants.get(age)
        count = _count(group.get(gender)) if isinstance(group, dict) else 0
        by_gender[gender] += count
        cells.append(count)
    totals = [by_gender[gender] for _key, gender in GENDER_TOTALS]
    return cells + totals + [sum(totals)]


def _rows(year: int | None) -> QuerySet:
    """Return the values the CSV reads, in the site's language, in case-number order."""
    with translation.override(settings.LANGUAGE_CODE):
        return (
            accepted_reports(year=year)
            .annotate(
                case_number=F("decision__application__case_number"),
                decision_year=ExtractYear("decision__decision_date"),
                programme=programme_name(_APPLICATION),
                organisation=public_name(_APPLICATION),
                organisation_type=F("decision__application__organisation__org_type"),
                organisation_municipality_code=F(
                    "decision__application__organisation__municipality"
                ),
                amount=F("decision__amount"),
                activities=F("activities_count"),
                reached=F("municipalities"),
                reached_groups=F("target_groups"),
                counted=F("participants"),
            )
            .order_by("decision__decision_date", "decision__application__case_number")
            .values(
                "case_number",
                "decision_year",
                "programme",
                "organisation",
                "organisation_type",
                "organisation_municipality_code",
                "amount",
                "activities",
                "reached",
                "reached_groups",
                "counted",
            )
        )


def csv_chunks(*, year: int | None = None) -> Iterator[bytes]:
    """Yield the statistics as CSV: UTF-8 with a byte-order mark, semicolons, CRLF, the keys of
    ``COLUMNS`` as the heading row, one row per grant with an accepted report."""
    with translation.override(settings.LANGUAGE_CODE):
        places = municipality_labels()
        groups = {code: str(label) for code, label in TargetGroup.choices}
        org_types = {code: str(label) for code, label in Organisation.Type.choices}
    rows = _rows(year)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    yield codecs.BOM_UTF8 + buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    for number, row in enumerate(rows.iterator(chunk_size=CHUNK_SIZE), start=1):
        reached = [code for code in (row["reached"] or []) if isinstance(code, str)]
        reached_groups = [code for code in (row["reached_groups"] or []) if isinstance(code, str)]
        writer.writerow(
            [
                neutralise(row["case_number"] or ""),
                row["decision_year"],
                neutralise(row["programme"]),
                neutralise(row["organisation"]),
                org_types.get(row["organisation_type"], row["organisation_type"]),
                row["organisation_municipality_code"],
                str(row["amount"]).replace(".", ","),
                "" if row["activities"] is None else row["activities"],
                " ".join(reached),
                ", ".join(places.get(code, neutralise(code)) for code in reached),
                len(reached),
                ", ".join(groups.get(code, neutralise(code)) for code in reached_groups),
                *participant_cells(row["counted"]),
            ]
        )
        if number % CHUNK_SIZE == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()
