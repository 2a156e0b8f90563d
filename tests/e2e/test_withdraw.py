"""Withdrawing a submitted application from its case page, after a confirmation page."""

import pytest
from playwright.sync_api import expect

from grants.models import Application
from grants.workflow import ApplicationState
from tests.e2e.browsing import follow, swedish, url, visit

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_signatory_withdraws_after_confirming(open_page, submitted, applicant, device):
    page = open_page(user=applicant, device=device)
    case_page = url("portal:application", submitted.pk)
    withdraw_page = url("portal:withdraw", submitted.pk)
    visit(page, case_page, name="case-submitted")
    history = page.locator("#history li")
    entries_before = history.count()

    follow(page, page.locator(f"main a[href$='{withdraw_page}']"), name="withdraw-confirmation")
    assert page.url.endswith(withdraw_page)
    expect(page.locator("main form button.danger")).to_be_visible()
    # Leaving without confirming changes nothing.
    follow(page, page.locator(f"main form a[href$='{case_page}']"))
    assert Application.objects.get(pk=submitted.pk).state == ApplicationState.SUBMITTED

    follow(page, page.locator(f"main a[href$='{withdraw_page}']"))
    page.locator("main form [name=reason]").fill("Projektet blir inte av i år.")
    follow(page, page.locator("main form button[type=submit]"), name="case-withdrawn")

    assert page.url.endswith(case_page)
    assert Application.objects.get(pk=submitted.pk).state == ApplicationState.WITHDRAWN
    expect(page.locator("[role=status]")).to_contain_text(
        swedish("The application has been withdrawn.")
    )
    expect(page.locator(".case-facts")).to_contain_text(swedish("Withdrawn – the case is closed"))
    expect(history).to_have_count(entries_before + 1)
    expect(page.locator("#history")).to_contain_text(swedish("Application withdrawn"))
    expect(page.locator("#history")).to_contain_text("Projektet blir inte av i år.")
    # Nothing is left to withdraw.
    expect(page.locator(f"main a[href$='{withdraw_page}']")).to_have_count(0)
