"""The append-only audit trail: one hash-chained LogEntry per thing that happened."""

import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The prev_hash of the first entry in the chain.
GENESIS_HASH = "0" * 64

# Encoders are reusable; making one per call is a measurable share of a bulk load.
STORED_JSON = DjangoJSONEncoder()
_CANONICAL_JSON = DjangoJSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit entry."""


def normalise_data(data):
    """Return ``data`` as it reads back from the JSON column (Decimals, dates become strings)."""
    return json.loads(STORED_JSON.encode(data))


def _integral_floats_as_ints(value):
    # PostgreSQL's jsonb stores numbers as numeric, so a float such as 1e16 reads back as the
    # int 10000000000000000. Hashing integral floats as ints gives the same hash before and
    # after the round trip; every other JSON value survives it unchanged.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _integral_floats_as_ints(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_integral_floats_as_ints(item) for item in value]
    return value


def entry_hash(
    *,
    prev_hash: str,
    actor_id,
    action: str,
    content_type_label: str | None,
    object_id: str,
    object_repr: str,
    data,
    created_at,
) -> str:
    """Return the SHA-256 hex digest that seals one entry and links it to the previous one.

    ``data`` must already be normalised (see ``normalise_data``); ``created_at`` must be aware.
    """
    payload = {
        "prev_hash": prev_hash,
        "actor_id": actor_id,
        "action": action,
        "content_type": content_type_label,
        "object_id": object_id,
        "object_repr": object_repr,
        "data": _integral_floats_as_ints(data),
        "created_at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
    }
    canonical = _CANONICAL_JSON.encode(payload)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def content_type_label(content_type_id: int | None) -> str | None:
    """Return "app_label.model" for a content type id (cached), or None."""
    if content_type_id is None:
        return None
    content_type = ContentType.objects.get_for_id(content_type_id)
    return f"{content_type.app_label}.{content_type.model}"


class LogEntryQuerySet(models.QuerySet):
    """Entries can be added and read; a bulk update or delete is refused."""

    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries are append-only; they cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Audit entries are append-only; they cannot be deleted.")

    delete.queryset_only = True


class LogEntry(models.Model):
    """One thing that happened: who did what to which object, with old and new values.

    Entries form a hash chain: ``hash`` seals the entry's content together with ``prev_hash``,
    the hash of the entry before it. Write entries with ``audit.services.log_action`` (or
    ``log_bulk``); ``audit.services.verify_chain`` checks the chain. The model, its queryset
    and database triggers (migration 0001) refuse updates and deletes.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
        help_text=_("Empty when the system acted."),
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    # PROTECT: the history of an object outlives its model; a stale content type stays.
    # No index of its own: audit_logentry_object_idx starts with it.
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("content type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
        db_index=False,
    )
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # Not auto_now_add: bulk loaders set the time of what they load.
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log entries")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_logentry_object_idx"),
        ]
        # Constraints rather than unique=True, which on PostgreSQL adds a LIKE index per field.
        constraints = [
            models.UniqueConstraint(fields=["hash"], name="audit_logentry_hash_unique"),
            # Two entries naming the same predecessor would be a fork in the chain.
            models.UniqueConstraint(fields=["prev_hash"], name="audit_logentry_prev_hash_unique"),
        ]

    def __str__(self):
        target = f" {self.object_repr}" if self.object_repr else ""
        return f"#{self.pk} {self.action}{target}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"Audit entry #{self.pk} is append-only; it cannot be changed.")
        if not self.hash or self.hash != self.compute_hash():
            raise AppendOnlyError(
                "Audit entry is not sealed; write it with audit.services.log_action()."
            )
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"Audit entry #{self.pk} is append-only; it cannot be deleted.")

    @property
    def content_type_label(self) -> str | None:
        """Return the object's type as "app_label.model", or None for a system-wide entry."""
        return content_type_label(self.content_type_id)

    def compute_hash(self) -> str:
        """Return the hash this entry's content and prev_hash call for."""
        return entry_hash(
            prev_hash=self.prev_hash,
            actor_id=self.actor_id,
            action=self.action,
            content_type_label=self.content_type_label,
            object_id=self.object_id,
            object_repr=self.object_repr,
            data=normalise_data(self.data),
            created_at=self.created_at,
        )
