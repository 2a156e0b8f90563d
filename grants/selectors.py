"""Reads the pages need, limited to what the user may see (STYLE rule 2)."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from grants.models import Application, Call, CaseMessage, CompletionRequest


def calls_open(*, at=None) -> QuerySet[Call]:
    """Return the calls that accept applications now, soonest closing first."""
    at = at or timezone.now()
    return (
        Call.objects.filter(opens_at__lte=at, closes_at__gt=at, programme__is_active=True)
        .select_related("programme")
        .order_by("closes_at")
    )


def applications_for_applicant(*, user) -> QuerySet[Application]:
    """Return the applications of the organisations the user acts for, newest first."""
    if not user.is_authenticated:
        return Application.objects.none()
    return (
        Application.objects.filter(organisation__memberships__user=user)
        .select_related("organisation", "call__programme")
        .order_by("-updated_at")
    )


def application_for_applicant(*, user, pk: int) -> Application:
    """Return one application of the user's organisations; a missing and a forbidden one are 404."""
    return get_object_or_404(applications_for_applicant(user=user), pk=pk)


def applications_for_dashboard(*, user) -> QuerySet[Application]:
    """Return the user's applications with their decision, the open completion request's due
    date (``open_request_due``) and the region's unread messages (``unread_messages``)."""
    open_request_due = CompletionRequest.objects.filter(
        application=OuterRef("pk"), answered_at__isnull=True
    ).values("due_date")[:1]
    unread = (
        CaseMessage.objects.filter(
            application=OuterRef("pk"), from_staff=True, read_at__isnull=True
        )
        .order_by()
        .values("application")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        applications_for_applicant(user=user)
        .select_related("decision")
        .annotate(
            open_request_due=Subquery(open_request_due),
            unread_messages=Coalesce(Subquery(unread), Value(0), output_field=IntegerField()),
        )
    )
