"""The statistics page in Chromium: anonymous and staff, at desktop and phone width; axe-core
finds nothing, nothing sticks out of the window, and each is photographed."""

import pytest

from tests import factories
from tests.e2e.browsing import assert_fits, url, visit

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_statistics_page(open_page, approved, officer, decider, call, device):
    # A rejection as well, so that staff see a rejected application.
    rejected = factories.proposal(call, officer, recommendation="reject")
    factories.decide(rejected, decider, outcome="rejected")
    for name, user in [("statistics-public", None), ("statistics-staff", officer)]:
        page = open_page(user=user, device=device)
        visit(page, url("statistics:page"), name=name)
        assert_fits(page)
        assert page.get_by_role("heading", level=1).is_visible()
        assert page.locator("table").count() == 11
