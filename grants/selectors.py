"""Reads the pages need, limited to what the user may see (STYLE rule 2)."""

from django.db.models import QuerySet
from django.utils import timezone

from grants.models import Call


def calls_open(*, at=None) -> QuerySet[Call]:
    """Return the calls that accept applications now, soonest closing first."""
    at = at or timezone.now()
    return (
        Call.objects.filter(opens_at__lte=at, closes_at__gt=at, programme__is_active=True)
        .select_related("programme")
        .order_by("closes_at")
    )
