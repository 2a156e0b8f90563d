"""Fixtures the officer workspace's tests share."""

import pytest

from grants import services
from organisations.services import membership_add
from tests import factories


@pytest.fixture
def conflicted(officer_2, organisation):
    """officer-2, who has declared jäv for the organisation."""
    services.conflict_declare(
        user=officer_2, organisation=organisation, reason="Styrelseledamot", actor=officer_2
    )
    return officer_2


@pytest.fixture
def staff_member(organisation):
    """An officer who is also a member of the organisation: jäv without a declaration."""
    person = factories.user("officer-3@example.org", "officer", full_name="Olle Medlem")
    membership_add(organisation=organisation, user=person, role="member", actor=None)
    return person
