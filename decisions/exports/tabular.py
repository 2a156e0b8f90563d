"""Stream the rows of a django-import-export resource into CSV or XLSX.

``Resource.export()`` builds a whole ``tablib.Dataset`` in memory, which a batch of 100,000
payments cannot afford. A ``StreamingResource`` declares its columns as import-export fields whose
attributes are lookups of one ``values_list`` query; ``write_csv`` and ``write_xlsx`` read that
query in chunks and write each row as it comes. The admin's import-export buttons use the same
resource the ordinary way, so both give the same columns.

Text that a spreadsheet would run as a formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) is prefixed with an apostrophe in both formats (OWASP, "CSV injection").
"""

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any, BinaryIO

from django.conf import settings
from django.db import connections
from django.db.models import QuerySet
from django.utils import translation
from django.utils.encoding import force_str
from import_export import fields, resources, widgets

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST = frozenset(FORMULA_START)
CHUNK_SIZE = 10_000
MONEY_WIDGETS = (widgets.DecimalWidget,)
TYPED_WIDGETS = (widgets.DecimalWidget, widgets.IntegerWidget, widgets.DateWidget)


def neutralise(text: str) -> str:
    """Return ``text`` so that a spreadsheet shows it as text and never runs it as a formula."""
    if text and text.startswith(FORMULA_START):
        return "'" + text
    return text


def _csv_money(value: Decimal) -> str:
    # Swedish spreadsheets read a decimal comma. The database gives amounts with two decimals.
    return str(value).replace(".", ",")


def text_field(attribute: str, heading) -> fields.Field:
    """Return a column of text (neutralised when it looks like a formula)."""
    return fields.Field(attribute=attribute, column_name=heading, readonly=True)


def date_field(attribute: str, heading) -> fields.Field:
    """Return a column of dates: ISO 8601 in CSV, a date in XLSX."""
    widget = widgets.DateWidget(coerce_to_string=False)
    return fields.Field(attribute=attribute, column_name=heading, widget=widget, readonly=True)


def money_field(attribute: str, heading) -> fields.Field:
    """Return a column of amounts in kronor: a decimal comma in CSV, a number in XLSX."""
    widget = widgets.DecimalWidget(coerce_to_string=False)
    return fields.Field(attribute=attribute, column_name=heading, widget=widget, readonly=True)


def integer_field(attribute: str, heading) -> fields.Field:
    widget = widgets.IntegerWidget(coerce_to_string=False)
    return fields.Field(attribute=attribute, column_name=heading, widget=widget, readonly=True)


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

    def _plan(self, queryset: QuerySet) -> tuple[QuerySet, tuple[int, ...], tuple[int, ...]]:
        """Return the ``values_list`` query of the export fields, and where its text cells (to
        neutralise) and its amounts are."""
        fields = self.get_export_fields()
        money_at = tuple(i for i, f in enumerate(fields) if isinstance(f.widget, MONEY_WIDGETS))
        text_at = tuple(i for i, f in enumerate(fields) if not isinstance(f.widget, TYPED_WIDGETS))
        # Labels computed in SQL (a choice's name, say) are in the site's language too.
        with translation.override(settings.LANGUAGE_CODE):
            values = self.annotate(queryset).values_list(*[field.attribute for field in fields])
        return values, text_at, money_at

    def rows(self, queryset: QuerySet, *, money: Callable | None = None) -> Iterator[list[Any]]:
        """Yield each row of ``queryset`` as the list of its columns: text neutralised, amounts
        through ``money`` (or as fetched), dates, numbers and empty cells as fetched.

        The loop touches only the cells that need it: it runs 100,000 times for a large batch.
        """
        values, text_at, money_at = self._plan(queryset)
        if money is None:
            money_at = ()
        for row in values.iterator(chunk_size=CHUNK_SIZE):
            cells = list(row)
            for index in text_at:
                text = cells[index]
                if text and text[0] in FORMULA_FIRST:
                    cells[index] = "'" + text
            for index in money_at:
                if cells[index] is not None:
                    cells[index] = money(cells[index])
            yield cells

    def copy_rows(
        self, queryset: QuerySet, emit: Callable[[list[str]], Any], every: Callable
    ) -> None:
        """On PostgreSQL: pass each row to ``emit`` as the list of its cells as CSV text (text
        neutralised, amounts with a decimal comma, NULL empty), reading the rows with ``COPY``,
        the fastest way out of the database; call ``every`` after each chunk of rows.

        The same rows as ``rows(queryset, money=...)`` gives, as ``write_csv`` writes them; a
        test on PostgreSQL compares the two byte for byte.
        """
        values, text_at, money_at = self._plan(queryset)
        sql, params = values.query.sql_with_params()
        with connections[values.db].cursor() as cursor:
            select = cursor.mogrify(sql, params).decode()
            sink = _CopyRows(emit, every, text_at, money_at)
            cursor.copy_expert(f"COPY ({select}) TO STDOUT", sink)  # noqa: S608 - mogrified
        sink.close()


_COPY_ESCAPE = re.compile(r"\\(.)")
_COPY_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v"}


def _copy_cell(cell: str) -> str:
    """Return a cell of COPY's text format as its value: "\\N" (NULL) empty, escapes undone."""
    if cell == "\\N":
        return ""
    return _COPY_ESCAPE.sub(lambda match: _COPY_ESCAPES.get(match[1], match[1]), cell)


class _CopyRows:
    """A file for ``copy_expert`` to write COPY's text output to: it splits the output into rows
    and cells and hands each row on."""

    def __init__(self, emit, every, text_at, money_at):
        self.emit, self.every = emit, every
        self.text_at, self.money_at = text_at, money_at
        self.partial = b""
        self.count = 0

    def write(self, data: bytes) -> None:
        lines = (self.partial + bytes(data)).split(b"\n")
        self.partial = lines.pop()
        for line in lines:
            text = line.decode()
            cells = text.split("\t")
            if "\\" in text:
                cells = [_copy_cell(cell) for cell in cells]
            for index in self.text_at:
                cell = cells[index]
                if cell and cell[0] in FORMULA_FIRST:
                    cells[index] = "'" + cell
            for index in self.money_at:
                cells[index] = cells[index].replace(".", ",")
            self.emit(cells)
            self.count += 1
            if self.count % CHUNK_SIZE == 0:
                self.every()

    def close(self) -> None:
        if self.partial:
            raise ValueError("COPY ended in the middle of a row")


def write_csv(resource: StreamingResource, queryset: QuerySet, stream: BinaryIO) -> None:
    """Write the rows as CSV: UTF-8 with a byte-order mark (so Excel reads å, ä, ö), semicolons
    and a decimal comma as Swedish spreadsheets expect, CRLF line ends (RFC 4180).

    Rows are written to a text buffer and encoded a chunk at a time, which is several times
    cheaper than encoding each row as it is written. On PostgreSQL the rows come by ``COPY``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def flush() -> None:
        stream.write(buffer.getvalue().encode())
        buffer.seek(0)
        buffer.truncate()

    stream.write(codecs.BOM_UTF8)
    writer.writerow(resource.headers())
    if connections[queryset.db].vendor == "postgresql":
        resource.copy_rows(queryset, writer.writerow, flush)
    else:
        for number, row in enumerate(resource.rows(queryset, money=_csv_money), start=1):
            writer.writerow(row)
            if number % CHUNK_SIZE == 0:
                flush()
    flush()


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
    for row in resource.rows(queryset):
        for index in money_columns:
            if row[index] is not None:
                cell = WriteOnlyCell(sheet, value=row[index])
                cell.number_format = "#,##0.00"
                row[index] = cell
        sheet.append(row)
    workbook.save(stream)
