"""Reads the decision pages need, limited to what the user may see (STYLE rule 2)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from decisions.models import Decision


def decisions_for_applicant(*, user) -> QuerySet[Decision]:
    """Return the decisions on the applications of the organisations the user acts for."""
    if not user.is_authenticated:
        return Decision.objects.none()
    return Decision.objects.filter(
        application__organisation__memberships__user=user
    ).select_related("application")


def decision_for_applicant(*, user, pk: int) -> Decision:
    """Return one decision of the user's organisations; a missing and a forbidden one are 404."""
    return get_object_or_404(decisions_for_applicant(user=user), pk=pk)
