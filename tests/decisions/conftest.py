"""Fixtures the deciding tests share."""

import pytest

from tests import factories


@pytest.fixture
def organisation_b(applicant_b, finance):
    return factories.organisation(applicant_b, verified_by=finance, name="Krokoms filmklubb")


@pytest.fixture
def proposals(call, officer, organisation, organisation_b):
    """Three proposals of the call, for a committee: approve 150 000 kr, approve 60 000 of
    80 000 kr (organisation B's), reject."""
    return [
        factories.proposal(call, officer, requested="150000", organisation_obj=organisation),
        factories.proposal(
            call,
            officer,
            requested="80000",
            amount="60000",
            recommendation="approve_partly",
            organisation_obj=organisation_b,
        ),
        factories.proposal(call, officer, requested="40000", recommendation="reject"),
    ]
