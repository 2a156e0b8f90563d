"""Write the audit trail and check its hash chain.

Every app records what happened with one call, inside the transaction that makes the change::

    log_action(application, "grants.application.approved", actor=user, data={"amount": amount})

Writers are serialised so that the chain never forks: on PostgreSQL by a transaction-level
advisory lock, taken before the last hash is read and held until the caller's transaction ends;
on SQLite by the database itself (the settings open every transaction with BEGIN IMMEDIATE, which
takes the write lock at once). As a last line of defence ``prev_hash`` is unique, so a fork cannot
be stored even if a writer got past the lock.
"""

import json
import re
from collections.abc import Callable, Iterable, Mapping
from contextlib import nullcontext
from typing import Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from audit.models import (
    GENESIS_HASH,
    STORED_JSON,
    AppendOnlyError,
    LogEntry,
    content_type_label,
    entry_hash,
    normalise_data,
)

# Key of the PostgreSQL advisory lock that serialises writers of the chain ("bidrag", 1).
CHAIN_LOCK_KEY = 0x6269_6472_6167_0001

# "app.entity.verb", e.g. "grants.application.approved".
ACTION_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")

OBJECT_ID_MAX = LogEntry._meta.get_field("object_id").max_length
OBJECT_REPR_MAX = LogEntry._meta.get_field("object_repr").max_length

# The columns log_bulk writes, in the order of _BulkSpecs.row's tuples; prev_hash, hash last.
BULK_FIELDS = [
    LogEntry._meta.get_field(name)
    for name in [
        "actor",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "data",
        "created_at",
        "prev_hash",
        "hash",
    ]
]
BULK_SPEC_KEYS = {
    "obj",
    "action",
    "actor",
    "actor_id",
    "content_type",
    "content_type_id",
    "object_id",
    "object_repr",
    "data",
    "created_at",
}

CONTENT_MISMATCH = "its hash does not match its content"
LINK_MISMATCH = "its prev_hash does not match the previous entry's hash"


class ChainCheck(NamedTuple):
    """The outcome of ``verify_chain``: entries checked, the first broken one and why."""

    checked: int
    broken: LogEntry | None
    reason: str


def log_action(
    obj: Model | None,
    action: str,
    *,
    actor: Model | None = None,
    data: Mapping[str, Any] | None = None,
) -> LogEntry:
    """Append one entry to the audit trail in the caller's transaction and return it.

    ``obj`` is the object acted on, or None for a system-wide action; ``actor`` the user who
    acted, or None for the system. Call it after the change's last write: from here until the
    transaction ends, other writers of the trail wait for this one.
    """
    _check_action(action)
    if actor is not None and actor.is_anonymous:
        actor = None
    entry = LogEntry(actor=actor, action=action, data=normalise_data(dict(data or {})))
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_id, entry.object_repr = _object_fields(obj)
    using = router.db_for_write(LogEntry)
    with transaction.atomic(using=using, savepoint=False):
        entry.prev_hash = _lock_chain_head(using)
        # Stamped after the lock, so the chain's order is also the order of its times.
        entry.created_at = timezone.now()
        entry.hash = entry.compute_hash()
        entry.save(using=using)
    return entry


def log_bulk(entries: Iterable[Mapping[str, Any] | LogEntry], *, batch_size: int = 5000) -> int:
    """Append many entries in the order given, as a bulk loader does; return how many.

    Each item is a mapping with ``action`` and any of ``obj`` (or ``content_type`` and
    ``object_id``), ``object_repr``, ``actor`` (or ``actor_id``), ``data`` and ``created_at``
    (aware; now by default), or an unsaved LogEntry with those fields set. The chain is computed
    in Python and the rows written in batches, in one transaction that holds the chain's lock
    throughout; ``entries`` may be a generator of any length.
    """
    using = router.db_for_write(LogEntry)
    specs = _BulkSpecs()
    written = 0
    with transaction.atomic(using=using, savepoint=False):
        prev_hash = _lock_chain_head(using)
        batch = []
        for spec in entries:
            row = specs.row(spec, prev_hash, connections[using])
            prev_hash = row[-1]
            batch.append(row)
            if len(batch) >= batch_size:
                written += _insert_rows(using, batch)
                batch = []
        if batch:
            written += _insert_rows(using, batch)
    return written


def entries_for(obj: Model) -> QuerySet[LogEntry]:
    """Return the object's audit entries, oldest first, with their actors."""
    return (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
        .select_related("actor")
        .order_by("id")
    )


def verify_chain(
    *,
    chunk_size: int = 2000,
    progress: Callable[[int, int], None] | None = None,
) -> ChainCheck:
    """Check every entry in id order: its hash seals its content and links to the one before.

    Streams the table in chunks, so memory stays flat however long the trail is. Stops at the
    first broken entry. ``progress(checked, last_id)`` is called after every ``chunk_size``
    entries, and once more at the end of an intact chain.
    """
    using = router.db_for_read(LogEntry)
    # On PostgreSQL .iterator() streams through a server-side cursor; outside a transaction
    # Django declares it WITH HOLD and the server materialises the whole result first. Not on
    # SQLite: there an open transaction (BEGIN IMMEDIATE) would keep writers out throughout.
    in_transaction = (
        transaction.atomic(using=using)
        if connections[using].vendor == "postgresql"
        else nullcontext()
    )
    labels: dict[int | None, str | None] = {None: None}
    expected_prev = GENESIS_HASH
    checked = 0
    broken_id = None
    problems: list[str] = []
    with in_transaction:
        rows = (
            LogEntry.objects.using(using)
            .order_by("id")
            .values_list(
                "id",
                "prev_hash",
                "hash",
                "actor_id",
                "action",
                "content_type_id",
                "object_id",
                "object_repr",
                "data",
                "created_at",
            )
            .iterator(chunk_size=chunk_size)
        )
        for (
            pk,
            prev_hash,
            stored_hash,
            actor_id,
            action,
            ct_id,
            object_id,
            object_repr,
            data,
            created_at,
        ) in rows:
            checked += 1
            if ct_id not in labels:
                labels[ct_id] = content_type_label(ct_id)
            computed = entry_hash(
                prev_hash=prev_hash,
                actor_id=actor_id,
                action=action,
                content_type_label=labels[ct_id],
                object_id=object_id,
                object_repr=object_repr,
                data=data,
                created_at=created_at,
            )
            if computed != stored_hash:
                problems.append(CONTENT_MISMATCH)
            if prev_hash != expected_prev:
                problems.append(LINK_MISMATCH)
            if problems:
                broken_id = pk
                break
            expected_prev = stored_hash
            if progress is not None and checked % chunk_size == 0:
                progress(checked, pk)
        rows.close()
        if broken_id is None:
            if progress is not None and checked % chunk_size:
                progress(checked, pk)
            return ChainCheck(checked, None, "")
        broken = LogEntry.objects.using(using).select_related("content_type").get(pk=broken_id)
    return ChainCheck(checked, broken, "; ".join(problems))


def _check_action(action: str) -> None:
    if not isinstance(action, str) or not ACTION_PATTERN.fullmatch(action):
        raise ValueError(
            f"Audit action {action!r} is not a dotted name like 'grants.application.approved'."
        )
    if len(action) > LogEntry._meta.get_field("action").max_length:
        raise ValueError(f"Audit action {action!r} is too long.")


def _object_fields(obj: Model, object_repr: str = "") -> tuple[str, str]:
    """Return the object's id and description as the audit trail stores them."""
    if obj.pk is None:
        raise ValueError(f"Save the {type(obj).__name__} before writing an audit entry for it.")
    object_id = str(obj.pk)
    if len(object_id) > OBJECT_ID_MAX:
        raise ValueError(f"Object id {object_id!r} is too long for the audit trail.")
    return object_id, (object_repr or str(obj))[:OBJECT_REPR_MAX]


class _BulkSpecs:
    """Turn log_bulk's specs into sealed rows, looking each content type up only once."""

    def __init__(self):
        self.content_types: dict[type, ContentType] = {}
        self.labels: dict[int | None, str | None] = {None: None}

    def row(self, spec: Mapping[str, Any] | LogEntry, prev_hash: str, connection) -> tuple:
        if isinstance(spec, LogEntry):
            if not spec._state.adding:
                raise AppendOnlyError(f"Audit entry #{spec.pk} is already written.")
            spec = {
                "action": spec.action,
                "actor_id": spec.actor_id,
                "content_type_id": spec.content_type_id,
                "object_id": spec.object_id,
                "object_repr": spec.object_repr,
                "data": spec.data,
                "created_at": spec.created_at,
            }
        if unknown := spec.keys() - BULK_SPEC_KEYS:
            raise TypeError(f"Unknown audit entry fields: {', '.join(sorted(unknown))}.")
        action = spec["action"]
        _check_action(action)
        actor = spec.get("actor")
        actor_id = spec.get("actor_id") if actor is None or actor.is_anonymous else actor.pk
        content_type = spec.get("content_type")
        content_type_id = spec.get("content_type_id") if content_type is None else content_type.pk
        object_id = spec.get("object_id")
        object_id = "" if object_id is None else str(object_id)
        object_repr = spec.get("object_repr") or ""
        if (obj := spec.get("obj")) is not None:
            model = type(obj)
            if model not in self.content_types:
                self.content_types[model] = ContentType.objects.get_for_model(obj)
            content_type_id = self.content_types[model].pk
            object_id, object_repr = _object_fields(obj, object_repr)
        if content_type_id not in self.labels:
            self.labels[content_type_id] = content_type_label(content_type_id)
        object_repr = object_repr[:OBJECT_REPR_MAX]
        # The JSON text is what is stored; what it reads back as is what is hashed.
        data = spec.get("data")
        data_json = STORED_JSON.encode({} if data is None else data)
        created_at = spec.get("created_at") or timezone.now()
        if not timezone.is_aware(created_at):
            raise ValueError(f"Audit entry time {created_at!r} must be timezone-aware.")
        sealed_hash = entry_hash(
            prev_hash=prev_hash,
            actor_id=actor_id,
            action=action,
            content_type_label=self.labels[content_type_id],
            object_id=object_id,
            object_repr=object_repr,
            data=json.loads(data_json),
            created_at=created_at,
        )
        return (
            actor_id,
            action,
            content_type_id,
            object_id,
            object_repr,
            data_json,
            connection.ops.adapt_datetimefield_value(created_at),
            prev_hash,
            sealed_hash,
        )


def _insert_rows(using: str, rows: list[tuple]) -> int:
    """Insert sealed rows with multi-row INSERTs; return how many.

    Not bulk_create: building a model instance per row and compiling it doubled the time of a
    200,000-entry load. The values are already in the form the ORM would send (JSON text,
    adapted datetimes), so what is stored, and read back, is the same.
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(LogEntry._meta.db_table)
    columns = ", ".join(quote(field.column) for field in BULK_FIELDS)
    placeholders = "(" + ", ".join(["%s"] * len(BULK_FIELDS)) + ")"
    per_statement = max(1, connection.ops.bulk_batch_size(BULK_FIELDS, rows))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = ", ".join([placeholders] * len(chunk))
            # Through the driver's cursor, not Django's: with DEBUG on, Django's keeps the text of
            # every statement in connection.queries, megabytes per statement here.
            with connection.wrap_database_errors:
                cursor.cursor.execute(
                    f"INSERT INTO {table} ({columns}) VALUES {values}",  # noqa: S608 -- model's names
                    [value for row in chunk for value in row],
                )
    return len(rows)


def _lock_chain_head(using: str) -> str:
    """Take the chain's writer lock and return the hash of its last entry.

    Call it inside a transaction: the lock is held until that transaction ends.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
    last_hash = LogEntry.objects.using(using).order_by("-id").values_list("hash", flat=True).first()
    return last_hash or GENESIS_HASH
