"""Rows written table by table: COPY on PostgreSQL, bulk_create elsewhere.

A seeded row is a plain object with the model's attribute names (``application_id``, not
``application``) and its primary key given when it is made, so rows can point at each other
before any is written. Building a Django model instance per row, and compiling its INSERT, costs
several times more than the rest of the seed together; on PostgreSQL the rows go straight into
``COPY ... FROM STDIN`` instead. On other databases (SQLite in tests) they become model
instances, state set in the constructor, and go through ``bulk_create``.
"""

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router

#: Primary keys fetched from a PostgreSQL sequence at a time.
ID_BLOCK = 5000
BULK_CREATE_BATCH = 2000


class Row:
    """A row to be inserted; its attributes are the model's ``attname``s."""

    def __init__(self, **values):
        self.__dict__.update(values)


@contextmanager
def historical_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let inserted model instances keep the ``auto_now``/``auto_now_add`` times they were given.

    Seeded rows describe years of history; without this every ``created_at`` written through
    ``bulk_create`` would be the moment the seed ran. The fields are changed for the whole
    process until the block ends: only for a management command.
    """
    patched = []
    for model in model_classes:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                patched.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in patched:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class _Table:
    """A model's columns, their defaults, and the rows waiting to be written."""

    def __init__(self, model: type[models.Model], connection):
        fields = model._meta.concrete_fields
        quote = connection.ops.quote_name
        self.model = model
        self.name = quote(model._meta.db_table)
        self.columns = ", ".join(quote(field.column) for field in fields)
        self.attnames = [field.attname for field in fields]
        self.defaults = [None if field.primary_key else field.get_default() for field in fields]
        self.json = [
            (index, field.encoder or DjangoJSONEncoder)
            for index, field in enumerate(fields)
            if isinstance(field, models.JSONField)
        ]
        self.rows: list[Row] = []
        self.next_ids: list[int] = []
        self.last_id: int | None = None


class Tables:
    """Give rows their primary keys and write them, all of one model at a time, in FK order."""

    def __init__(self, order: list[type[models.Model]]):
        self.order = order
        self.connection = connections[router.db_for_write(order[0])]
        self.copy = self.connection.vendor == "postgresql"
        self._tables: dict[type[models.Model], _Table] = {}
        self.counts: Counter[str] = Counter()

    def check_constraints_per_statement(self) -> None:
        """Check foreign keys after each statement rather than all at the commit.

        Django makes PostgreSQL's foreign keys deferred; a seed would queue millions of checks
        in the server's memory until the commit.
        """
        if self.copy:
            with self.connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def _table(self, model: type[models.Model]) -> _Table:
        if model not in self._tables:
            self._tables[model] = _Table(model, self.connection)
        return self._tables[model]

    def new(self, model: type[models.Model], **values) -> Row:
        """Return a new row of ``model`` with its primary key; it is written at the next flush."""
        table = self._table(model)
        row = Row(id=self._next_id(table), **values)
        table.rows.append(row)
        return row

    def _next_id(self, table: _Table) -> int:
        if self.copy:
            if not table.next_ids:
                table.next_ids = self._reserve(table, ID_BLOCK)
            return table.next_ids.pop()
        # Elsewhere the seed's transaction is the only writer: count on from the largest key.
        if table.last_id is None:
            table.last_id = table.model.objects.aggregate(last=models.Max("pk"))["last"] or 0
        table.last_id += 1
        return table.last_id

    def _reserve(self, table: _Table, count: int) -> list[int]:
        """Take ``count`` keys from the table's sequence; return them last first."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table.model._meta.db_table, count],
            )
            return [pk for (pk,) in reversed(cursor.fetchall())]

    def flush(self) -> None:
        """Write every waiting row, parents before children."""
        for model in self.order:
            table = self._tables.get(model)
            if table is None or not table.rows:
                continue
            if self.copy:
                self._copy(table)
            else:
                model.objects.bulk_create(
                    [model(**row.__dict__) for row in table.rows], batch_size=BULK_CREATE_BATCH
                )
            self.counts[model._meta.label] += len(table.rows)
            table.rows = []

    def add(self, label: str, count: int) -> None:
        """Count rows written some other way (the audit trail's own bulk loader)."""
        self.counts[label] += count

    def _copy(self, table: _Table) -> None:
        buffer = io.StringIO()
        # Quoting every value but None lets COPY tell NULL (unquoted, empty) from "".
        writer = csv.writer(buffer, quoting=csv.QUOTE_NOTNULL, lineterminator="\n")
        pairs = list(zip(table.attnames, table.defaults, strict=True))
        for row in table.rows:
            values = row.__dict__
            line = [values.get(attname, default) for attname, default in pairs]
            for index, encoder in table.json:
                line[index] = json.dumps(line[index], cls=encoder)
            writer.writerow(line)
        buffer.seek(0)
        with self.connection.cursor() as cursor:
            # The driver's cursor: Django's would keep the statement's text with DEBUG on.
            cursor.cursor.copy_expert(
                f"COPY {table.name} ({table.columns}) FROM STDIN WITH (FORMAT csv)", buffer
            )
