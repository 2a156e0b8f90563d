"""The register of granted support and the national statistics page in the browser: a search
and a filter as a visitor makes them, axe-core on every page at both widths, nothing wider than a
phone, and a screenshot of each (test-results/screenshots/open-data-*.png)."""

import pytest
from playwright.sync_api import expect

from decisions import services as decision_services
from organisations.models import Organisation
from tests import factories
from tests.e2e.browsing import assert_fits, follow, swedish, url, visit

pytestmark = pytest.mark.e2e

DEVICES = ["desktop", "phone"]


@pytest.fixture
def grants(approved, call, officer, decider, delegation):
    """Three grants: Storsjöteatern's, a sole trader's without consent, and one with an accepted
    follow-up report; and a rejected case."""
    trader = factories.organisation(
        factories.user(),
        name="Nils Nilsson Bildkonst",
        org_number="850101-1236",
        org_type=Organisation.Type.SOLE_TRADER,
        municipality="2309",
    )
    factories.decide(factories.proposal(call, officer, organisation_obj=trader), decider)
    reported = factories.decide(factories.proposal(call, officer, requested="75000"), decider)
    signatory = reported.application.organisation.memberships.get().user
    report = reported.follow_up_report
    decision_services.report_save(
        report=report,
        actor=signatory,
        what_was_done="Sex konserter.",
        participants={"0-12": {"women": 10, "men": 8, "other": 1}},
        municipalities=["2380"],
        activities_count=6,
        actual_budget=[{"kind": "cost", "category": "fees", "amount": "80000"}],
        used_amount=reported.amount,
    )
    decision_services.report_submit(report=report, actor=signatory)
    decision_services.report_accept(report=report, actor=officer)
    factories.decide(
        factories.proposal(call, officer, recommendation="reject"), decider, outcome="rejected"
    )
    return approved


@pytest.mark.parametrize("device", DEVICES)
def test_a_visitor_searches_the_register(open_page, grants, device):
    page = open_page(device=device)
    visit(page, url("open_data:register"), name="open-data-register")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(3)
    main = page.locator("main").inner_text()
    assert "Nils Nilsson" not in main
    assert "850101" not in main
    assert swedish("Sole trader (name not published)") in main
    assert_fits(page)

    page.locator("main [name=q]").fill("Storsjöteatern")
    follow(page, page.locator("main form[role=search] button[type=submit]"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(grants.case_number)

    page.locator("main [name=q]").fill("Nilsson")
    follow(page, page.locator("main form[role=search] button[type=submit]"))
    expect(rows).to_have_count(0)

    visit(page, url("open_data:register") + "?municipality=2309", name="open-data-filtered")
    expect(rows).to_have_count(1)
    assert_fits(page)


@pytest.mark.parametrize("device", DEVICES)
def test_staff_open_the_national_statistics(open_page, grants, officer, device):
    page = open_page(user=officer, device=device)
    visit(page, url("national_statistics:page"), name="open-data-national-statistics")
    assert_fits(page)
    with page.expect_download() as download:
        page.locator("main form button[type=submit]").click()
    content = download.value.path().read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    assert content.startswith("case_number;decision_year;")
    assert content.count("\n") == 2  # the heading and the one grant with an accepted report
