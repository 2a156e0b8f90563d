"""The letters of a committee decision arrive on its page as they are produced.

The tasks that render the letters and the decision list are held back here (Django's
DummyBackend only records them), as if the workers had not got to them yet: the page opens at
"0 of 3", the test then stores the letters and the list itself, and static/js/letter-progress.js,
polling deciding:committee_letters, fills in the progress, each case's letter link and the list's
link without a reload; the status announces that every letter is produced. axe-core checks the
page while it waits and when it is complete, at desktop and at phone width.
"""

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from decisions import committee as decision_lists
from decisions import services as decision_services
from decisions.delivery import decision_letter_store
from decisions.models import Decision
from decisions.services import CommitteeMeeting
from grants import services
from tests import factories
from tests.e2e.browsing import assert_accessible, screenshot, url, visit

pytestmark = pytest.mark.e2e

#: Long enough for a poll (every 2 s) after the last letter is stored, with room to spare.
ARRIVAL_MS = 15_000


def swedish_plural(singular: str, plural: str, count: int, **values) -> str:
    with translation.override("sv"):
        return translation.ngettext(singular, plural, count) % values


@pytest.fixture
def held_back_tasks(settings):
    """Record the tasks queued after commit without running them (no worker is running)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def record(held_back_tasks, call, officer, secretary, organisation, applicant_b, finance):
    """Three proposals decided at a committee meeting, their letters and list not yet produced."""
    organisation_b = factories.organisation(
        applicant_b, verified_by=finance, name="Krokoms filmklubb"
    )
    applications = [
        factories.proposal(call, officer, requested="150000", organisation_obj=organisation),
        factories.proposal(call, officer, requested="80000", organisation_obj=organisation_b),
        factories.proposal(call, officer, requested="40000", recommendation="reject"),
    ]
    return decision_services.committee_decide(
        applications=applications,
        actor=secretary,
        committee=CommitteeMeeting(
            body="Regionala utvecklingsnämnden",
            meeting_date=timezone.localdate(),
            paragraph="§ 87",
        ),
    )


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_letters_arrive_on_the_page_without_a_reload(open_page, record, secretary, device):
    decisions = list(
        Decision.objects.filter(committee_decision=record).select_related("application")
    )
    assert not any(decision.letter for decision in decisions)
    page = open_page(user=secretary, device=device)
    visit(page, url("deciding:committee_decision", record.pk))

    section = page.locator("main #letters")
    progress = section.locator("progress")
    expect(progress).to_have_attribute("value", "0")
    expect(progress).to_have_attribute("max", "3")
    expect(section.locator("label[for=letters-progress]")).to_have_text(
        swedish_plural(
            "%(done)s of %(total)s letter produced",
            "%(done)s of %(total)s letters produced",
            3,
            done=0,
            total=3,
        )
    )
    expect(section.locator("td[data-letter-case] a")).to_have_count(0)
    # The script follows the letters, so the page's own "Check again" is put away.
    expect(page.locator("#letters-check-again")).to_be_hidden()
    screenshot(page, "letters-waiting")
    # A mark on this document: a reload would lose it.
    page.evaluate("window.openedByTheTest = true")

    decision_letter_store(decisions[0])
    expect(progress).to_have_attribute("value", "1", timeout=ARRIVAL_MS)
    first = section.locator(f"td[data-letter-case='{decisions[0].application.case_number}'] a")
    expect(first).to_have_attribute(
        "href", url("casework:decision_letter", decisions[0].application.pk)
    )
    expect(section.locator("td[data-letter-case] a")).to_have_count(1)
    screenshot(page, "letters-arriving")

    for decision in decisions[1:]:
        decision_letter_store(decision)
    decision_lists.decision_list_store(record)

    expect(progress).to_have_attribute("value", "3", timeout=ARRIVAL_MS)
    links = section.locator("td[data-letter-case] a")
    expect(links).to_have_count(3)
    for index, decision in enumerate(sorted(decisions, key=lambda d: d.application.case_number)):
        expect(links.nth(index)).to_have_attribute(
            "href", url("casework:decision_letter", decision.application.pk)
        )
    expect(section.locator("label[for=letters-progress]")).to_have_text(
        swedish_plural(
            "%(done)s of %(total)s letter produced",
            "%(done)s of %(total)s letters produced",
            3,
            done=3,
            total=3,
        )
    )
    # Announced once, with the decision list when it came in the same poll.
    expect(page.locator("#letters-status")).to_contain_text(
        swedish_plural(
            "The letter is produced.", "All %(total)s letters are produced.", 3, total=3
        ),
        use_inner_text=False,
    )
    expect(page.locator("#decision-list-state a")).to_have_attribute(
        "href", url("deciding:decision_list", record.pk)
    )
    expect(page.locator("#letters-check-again")).to_have_count(0)
    # All of it without a reload: still the one document the test opened.
    assert page.evaluate("window.openedByTheTest === true")
    assert_accessible(page)
    screenshot(page, "letters-produced")


def test_a_reader_with_jav_never_gets_that_letter(open_page, record, officer_2):
    decisions = list(
        Decision.objects.filter(committee_decision=record)
        .select_related("application__organisation")
        .order_by("application__case_number")
    )
    conflicted = decisions[1].application
    services.conflict_declare(
        user=officer_2, organisation=conflicted.organisation, reason="Jäv.", actor=officer_2
    )
    page = open_page(user=officer_2)
    visit(page, url("deciding:committee_decision", record.pk))

    for decision in decisions:
        decision_letter_store(decision)

    section = page.locator("main #letters")
    expect(section.locator("progress")).to_have_attribute("value", "3", timeout=ARRIVAL_MS)
    expect(section.locator("td[data-letter-case] a")).to_have_count(2)
    expect(section).to_contain_text(conflicted.case_number)
    expect(section).not_to_contain_text(conflicted.organisation.name)
    assert url("casework:decision_letter", conflicted.pk) not in page.content()
    assert_accessible(page)
