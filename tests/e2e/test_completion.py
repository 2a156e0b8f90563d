"""A completion round-trip: the officer asks about the budget, the applicant changes it and answers."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grants import services
from grants.models import Application
from grants.workflow import ApplicationState
from tests.e2e.browsing import follow, swedish, url, visit

pytestmark = pytest.mark.e2e

QUESTION = "Resekostnaderna verkar låga för tio föreställningar. Se över budgeten."


@pytest.fixture
def completion_requested(submitted, officer):
    services.application_request_completion(
        application=submitted,
        actor=officer,
        message=QUESTION,
        due_date=timezone.localdate() + timedelta(days=14),
        parts=["budget"],
    )
    submitted.refresh_from_db()
    return submitted


def test_applicant_changes_the_budget_and_sends_it_back(
    open_page, completion_requested, applicant, officer, mailoutbox
):
    application = completion_requested
    case_page = url("portal:application", application.pk)
    budget_step = url("apply:step", application.pk, "budget")
    project_step = url("apply:step", application.pk, "project")
    page = open_page(user=applicant)

    visit(page, url("portal:dashboard"), name="dashboard-completion")
    expect(page.locator("main .case-list .status.attention").first).to_be_visible()
    follow(page, page.locator(f"main a[href$='{case_page}#completion']"))
    assert page.url.endswith(case_page + "#completion")
    expect(page.locator("#completion")).to_contain_text(QUESTION)
    follow(page, page.locator(f"#completion a[href$='{budget_step}']"), name="completion-budget")

    # Only the budget may change: the project step is shown read-only, without a form.
    steps_nav = page.locator("nav .steps")
    expect(steps_nav.locator(f"a[href$='{project_step}']")).to_have_class(re.compile(r"\blocked\b"))
    expect(steps_nav.locator(f"a[href$='{budget_step}']")).not_to_have_class(
        re.compile(r"\blocked\b")
    )
    follow(page, steps_nav.locator(f"a[href$='{project_step}']"), name="completion-project-locked")
    expect(page.locator("main form.step-form")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(application.title)
    follow(page, page.locator(f"nav .steps a[href$='{budget_step}']"))

    budget = page.locator("main [data-budget]")
    expect(budget.locator("[name='cost-1-category']")).to_have_value("travel")
    budget.locator("[name='cost-1-amount']").fill("8 000")
    expect(budget.locator("[data-total=requested]")).to_have_text(re.compile(r"^53\s000$"))
    follow(page, page.locator("main form button[name=action][value=save]"))
    application.refresh_from_db()
    assert application.requested_amount == 53000
    assert application.state == ApplicationState.COMPLETION_REQUESTED

    visit(page, case_page, name="case-completion-requested")
    messages = page.locator("main form[action$='meddelanden/']")
    messages.locator("[name=body]").fill("Vi har räknat om resorna med aktuella priser.")
    follow(page, messages.locator("button[type=submit]"))
    expect(page.locator("#messages .thread")).to_contain_text("räknat om resorna")

    reply = page.locator(f"#completion form[action$='{url('portal:complete', application.pk)}']")
    reply.locator("[name=reply]").fill("Resorna är nu 8 000 kr; det sökta beloppet är 53 000 kr.")
    follow(page, reply.locator("button[type=submit]"), name="case-completion-sent")

    application.refresh_from_db()
    assert application.state == ApplicationState.UNDER_REVIEW
    assert Application.objects.get(pk=application.pk).completion_requests.get().answered_at
    expect(page.locator("#completion")).to_have_count(0)
    expect(page.locator("#history")).to_contain_text(
        swedish("The completed application was sent back to the officer")
    )
    expect(page.locator("#history")).to_contain_text("det sökta beloppet är 53 000 kr")
    assert any(officer.email in message.to for message in mailoutbox)
