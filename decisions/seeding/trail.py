"""The audit entries of seeded history, written in time order by ``audit.services.log_bulk``."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from audit.services import log_bulk
from organisations.models import Membership, PayoutAccount
from organisations.validators import is_personal_number


class Trail:
    """Collect what happened to seeded rows, then append it to the audit chain in one go.

    Entries name their object by model, primary key and text (``object_repr``), since seeded
    rows are not model instances.
    """

    def __init__(self):
        self._events: list[tuple] = []
        self._content_types: dict[type[models.Model], int] = {}

    def __len__(self) -> int:
        return len(self._events)

    def add(
        self,
        when: datetime,
        target: tuple[type[models.Model], int, str] | None,
        action: str,
        actor_id: int | None,
        data: dict[str, Any] | None = None,
    ) -> None:
        """Record ``action`` on ``target`` (model, pk, text) by ``actor_id`` at ``when``."""
        # The running number keeps events of the same moment in the order they were added.
        self._events.append((when, len(self._events), target, action, actor_id, data or {}))

    def write(self) -> int:
        """Append the collected entries, oldest first, and forget them; return how many."""
        self._events.sort(key=lambda event: (event[0], event[1]))
        written = log_bulk(self._entries())
        self._events = []
        return written

    def _content_type_id(self, model: type[models.Model]) -> int:
        if model not in self._content_types:
            self._content_types[model] = ContentType.objects.get_for_model(model).pk
        return self._content_types[model]

    def _entries(self) -> Iterator[dict[str, Any]]:
        for when, _order, target, action, actor_id, data in self._events:
            entry = {"action": action, "actor_id": actor_id, "created_at": when, "data": data}
            if target is not None:
                model, pk, text = target
                entry["content_type_id"] = self._content_type_id(model)
                entry["object_id"] = pk
                entry["object_repr"] = text
            yield entry


# The objects' texts, as their models' __str__ gives them (seeded rows are not instances).


def application_text(case_number: str | None, title: str) -> str:
    return f"{case_number or _('Draft')} – {title}"


def organisation_text(name: str, org_number: str) -> str:
    shown = f"{org_number[:6]}-****" if is_personal_number(org_number) else org_number
    return f"{name} ({shown})"


def account_text(kind: str, number: str) -> str:
    return f"{PayoutAccount.Kind(kind).label} {number}"


def membership_text(person: str, organisation_name: str, role: str) -> str:
    return f"{person} – {organisation_name} ({Membership.Role(role).label})"


def batch_text(pk: int, payment_date) -> str:
    return _("Payment batch %(id)s, %(date)s") % {"id": pk, "date": payment_date}
