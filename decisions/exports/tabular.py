"""Stream the rows of a django-import-export resource into CSV or XLSX.

``Resource.export()`` builds a whole ``tablib.Dataset`` in memory, which a batch of 100,000
payments cannot afford. A ``StreamingResource`` declares its columns as import-export fields whose
attributes are lookups of one ``values_list`` query; ``write_csv`` and ``write_xlsx`` read that
query in chunks and write each row as it comes. The admin's import-export buttons use the same
resource the ordinary way, so both give the same columns.

Text that a spreadsheet would run as a formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) is prefixed with an apostrophe in both formats (OWASP, "CSV injection").
"""

import csv
import io
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.encoding import force_str
from import_export import resources, widgets

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000


def neutralise(text: str) -> str:
    """Return ``text`` so that a spreadsheet shows it as text and never runs it as a formula."""
    if text and text.startswith(FORMULA_START):
        return "'" + text
    return text


def _csv_text(value: Any) -> str:
    return "" if value is None else neutralise(str(value))


def _csv_money(value: Decimal | None) -> str:
    # Swedish spreadsheets read a decimal comma; the amount is never negative here.
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _csv_date(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def _csv_plain(value: Any) -> str:
    return "" if value is None else str(value)


def _xlsx_text(value: Any) -> Any:
    return None if value is None else neutralise(str(value))


def _xlsx_value(value: Any) -> Any:
    return value


class StreamingResource(resources.ModelResource):
    """A resource whose every export field is a lookup of ``values_list`` on ``annotate(qs)``."""

    def annotate(self, queryset: QuerySet) -> QuerySet:
        """Return ``queryset`` with the computed columns this resource's fields read."""
        return queryset

    def filter_export(self, queryset, **kwargs):
        return self.annotate(super().filter_export(queryset, **kwargs))

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return neutralise(value) if isinstance(value, str) else value

    def headers(self) -> list[str]:
        """Return the column headings in the site's language, whoever exports."""
        with translation.override(settings.LANGUAGE_CODE):
            return [force_str(field.column_name) for field in self.get_export_fields()]

    def rows(self, queryset: QuerySet, formatters: list[Callable]) -> Iterator[list[Any]]:
        """Yield each row of ``queryset`` as the list of its columns, each through its formatter."""
        lookups = [field.attribute for field in self.get_export_fields()]
        pairs = list(enumerate(formatters))
        # Labels computed in SQL (a choice's name, say) are in the site's language too.
        with translation.override(settings.LANGUAGE_CODE):
            queryset = self.annotate(queryset).values_list(*lookups)
        for row in queryset.iterator(chunk_size=CHUNK_SIZE):
            yield [format_(row[index]) for index, format_ in pairs]

    def _formatters(self, text, money, day, plain) -> list[Callable]:
        chosen = []
        for field in self.get_export_fields():
            if isinstance(field.widget, widgets.DecimalWidget):
                chosen.append(money)
            elif isinstance(field.widget, widgets.DateWidget | widgets.DateTimeWidget):
                chosen.append(day)
            elif isinstance(field.widget, widgets.IntegerWidget):
                chosen.append(plain)
            else:
                chosen.append(text)
        return chosen

    def csv_formatters(self) -> list[Callable]:
        return self._formatters(_csv_text, _csv_money, _csv_date, _csv_plain)

    def xlsx_formatters(self) -> list[Callable]:
        return self._formatters(_xlsx_text, _xlsx_value, _xlsx_value, _xlsx_value)


def write_csv(resource: StreamingResource, queryset: QuerySet, stream: BinaryIO) -> None:
    """Write the rows as CSV: UTF-8 with a byte-order mark (so Excel reads å, ä, ö), semicolons
    and a decimal comma as Swedish spreadsheets expect, CRLF line ends (RFC 4180)."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=False)
    try:
        writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
        writer.writerow(resource.headers())
        writer.writerows(resource.rows(queryset, resource.csv_formatters()))
        text.flush()
    finally:
        text.detach()


def write_xlsx(
    resource: StreamingResource,
    queryset: QuerySet,
    stream: BinaryIO,
    *,
    title: str,
    created: datetime | None = None,
) -> None:
    """Write the rows as an Excel workbook, streamed (openpyxl's write-only mode): amounts and
    dates as numbers and dates, the heading row frozen."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    if created is not None:
        # The file's own dates say when the batch was exported, not when the file was written.
        naive = created.replace(tzinfo=None)
        workbook.properties.created = workbook.properties.modified = naive
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    money_columns = []
    for index, field in enumerate(resource.get_export_fields()):
        if isinstance(field.widget, widgets.DecimalWidget):
            money_columns.append(index)
    headings = []
    for heading in resource.headers():
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = bold
        headings.append(cell)
    sheet.append(headings)
    for row in resource.rows(queryset, resource.xlsx_formatters()):
        for index in money_columns:
            if row[index] is not None:
                cell = WriteOnlyCell(sheet, value=row[index])
                cell.number_format = "#,##0.00"
                row[index] = cell
        sheet.append(row)
    workbook.save(stream)
