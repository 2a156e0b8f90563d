"""axe-core on every page of the officer workspace, at desktop and at phone width.

The case pages are checked in each main state (submitted, under review with a part of the
assessment saved, proposed, approved), the queue plain, filtered and searched, the handling
pages (request completion, declare jäv, assess), the deciding pages (to decide, decide, return),
the committee's three steps and a recorded committee decision, and the calls with the overview
of one. Each page is photographed (test-results/screenshots/casework-*-<width>.png).
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grants import services
from tests import factories
from tests.e2e.browsing import follow, overflowing, swedish, url, visit

pytestmark = pytest.mark.e2e

DEVICES = ["desktop", "phone"]


class Fit:
    """Note each page wider than the window, to fail once with every page named."""

    def __init__(self):
        self.problems: list[str] = []

    def __call__(self, page) -> None:
        wide = overflowing(page)
        if wide:
            self.problems.append(f"{page.url}: " + "; ".join(wide[:5]))

    def check(self) -> None:
        assert not self.problems, "wider than the window:\n" + "\n".join(self.problems)


def submitted_case(organisation, call, signatory, requested=Decimal("50000")):
    draft = factories.draft(organisation, call, signatory, requested=requested)
    return services.application_submit(application=draft, actor=signatory)


def partly_assessed(application, officer):
    """Take the case and save an assessment with one criterion scored and one perspective."""
    services.application_start_review(application=application, actor=officer)
    criterion = application.call.programme.criteria.first()
    services.assessment_save(
        application=application,
        actor=officer,
        scores={criterion.pk: (3, "Delvis beskrivet.")},
        perspectives={"accessibility": {"rating": "neutral", "comment": "Oklart om hörslinga."}},
        recommendation="approve_partly",
        proposed_amount=Decimal("30000"),
        reasons="Utkast till motivering.",
    )
    return application


@pytest.fixture
def cases(organisation, call, applicant, applicant_b, officer, decider, delegation):
    """A case in each main state, two of them for the committee, one overdue for completion,
    and a call whose proposals exceed its budget."""
    other = factories.organisation(applicant_b, name="Bräcke spelmanslag")
    submitted = submitted_case(organisation, call, applicant)
    under_review = partly_assessed(submitted_case(organisation, call, applicant), officer)
    proposed = submitted_case(organisation, call, applicant)
    services.application_start_review(application=proposed, actor=officer)
    factories.assess(proposed, officer, amount=Decimal("40000"), recommendation="approve_partly")
    approved = submitted_case(other, call, applicant_b)
    services.application_start_review(application=approved, actor=officer)
    factories.assess(approved, officer)
    factories.decide(approved, decider)
    committee = []
    for requested in (Decimal("150000"), Decimal("250000")):
        case = submitted_case(other, call, applicant_b, requested=requested)
        services.application_start_review(application=case, actor=officer)
        committee.append(factories.assess(case, officer))
    overdue = submitted_case(other, call, applicant_b)
    services.application_request_completion(
        application=overdue,
        actor=officer,
        message="Skicka med ert senaste årsbokslut.",
        due_date=timezone.localdate() + timedelta(days=1),
        parts=["attachments"],
    )
    # The due date has passed: the request was made a while ago.
    overdue.completion_requests.update(due_date=timezone.localdate() - timedelta(days=3))
    # A small call whose one proposal is more than its budget: the overview warns.
    small_call = factories.call(
        call.programme, budget=Decimal("100000"), title_sv="Arrangemangsbidrag hösten 2026"
    )
    over_budget = submitted_case(other, small_call, applicant_b, requested=Decimal("120000"))
    services.application_start_review(application=over_budget, actor=officer)
    factories.assess(over_budget, officer)
    return {
        "small_call": small_call,
        "submitted": submitted,
        "under_review": under_review,
        "proposed": proposed,
        "approved": approved,
        "committee": committee,
        "overdue": overdue,
    }


@pytest.mark.parametrize("device", DEVICES)
def test_officer_pages(open_page, cases, call, programme, officer, device):
    fit = Fit()
    page = open_page(user=officer, device=device)
    queue = url("casework:queue")
    for name, path in [
        ("casework-queue", queue),
        ("casework-queue-filtered", f"{queue}?state=under_review&call={call.pk}&officer=me"),
        (
            "casework-queue-more-filters",
            f"{queue}?programme={programme.pk}&municipality=2380&org_type=association"
            f"&amount_min=10000&amount_max=100000&overdue=on&sort=-amount&per_page=25",
        ),
        ("casework-queue-overdue-reports", f"{queue}?report_overdue=on"),
        ("casework-follow-up", url("deciding:follow_up", cases["approved"].pk)),
        ("casework-queue-search", f"{queue}?q=Bräcke"),
        ("casework-queue-nothing-found", f"{queue}?q=finns-inte"),
        ("casework-queue-invalid", f"{queue}?amount_min=90000&amount_max=100"),
        ("casework-case-submitted", url("casework:case", cases["submitted"].pk)),
        ("casework-case-under-review", url("casework:case", cases["under_review"].pk)),
        ("casework-case-proposed", url("casework:case", cases["proposed"].pk)),
        ("casework-case-approved", url("casework:case", cases["approved"].pk)),
        ("casework-case-completion", url("casework:case", cases["overdue"].pk)),
        (
            "casework-request-completion",
            url("casework:request_completion", cases["submitted"].pk),
        ),
        ("casework-declare-jav", url("casework:declare_conflict", cases["submitted"].pk)),
        ("casework-assess", url("casework:assess", cases["under_review"].pk)),
        ("casework-calls", url("deciding:calls")),
        ("casework-call", url("deciding:call", call.pk)),
    ]:
        visit(page, path, name=f"{name}")
        fit(page)

    visit(page, url("deciding:call", cases["small_call"].pk), name="casework-call-over-budget")
    fit(page)
    expect(page.locator("main")).to_contain_text(
        swedish("Warning: the proposals exceed the budget.")
    )

    # The forms with their errors shown.
    visit(page, url("casework:request_completion", cases["submitted"].pk))
    form = page.locator("main form.form")
    form.locator("[name=due_date]").fill("")
    follow(page, form.locator("button[type=submit]"), name="casework-request-completion-errors")
    fit(page)
    visit(page, url("casework:assess", cases["under_review"].pk))
    form = page.locator("main form.assess-form")
    form.locator("[name=proposed_amount]").fill("999999")
    follow(
        page,
        form.locator("button[name=action][value=propose]"),
        name="casework-assess-errors",
    )
    fit(page)
    visit(page, url("casework:declare_conflict", cases["submitted"].pk))
    follow(
        page,
        page.locator("main form.form button[type=submit]"),
        name="casework-declare-jav-errors",
    )
    fit(page)
    fit.check()


@pytest.mark.parametrize("device", DEVICES)
def test_deciding_pages(open_page, cases, decider, device):
    fit = Fit()
    page = open_page(user=decider, device=device)
    proposed = cases["proposed"]
    for name, path in [
        ("casework-to-decide", url("deciding:proposals")),
        ("casework-decide", url("deciding:decide", proposed.pk)),
        ("casework-decide-above-delegation", url("deciding:decide", cases["committee"][1].pk)),
        ("casework-decide-decided", url("deciding:decide", cases["approved"].pk)),
        ("casework-return", url("deciding:return", proposed.pk)),
    ]:
        visit(page, path, name=name)
        fit(page)

    # Errors on both forms: nothing chosen, nothing written.
    visit(page, url("deciding:decide", proposed.pk))
    form = page.locator("main .decide-form form")
    form.locator("[name=reasons]").fill("")
    form.locator("[name=amount]").fill("")
    follow(page, form.locator("button[type=submit]"), name="casework-decide-errors")
    fit(page)
    visit(page, url("deciding:return", proposed.pk))
    follow(
        page,
        page.locator("main form.form button[type=submit]"),
        name="casework-return-errors",
    )
    fit(page)
    fit.check()


@pytest.mark.parametrize("device", DEVICES)
def test_committee_pages(open_page, cases, call, secretary, device):
    fit = Fit()
    page = open_page(user=secretary, device=device)
    visit(page, url("deciding:committee"), name="casework-committee-calls")
    fit(page)
    follow(
        page,
        page.locator(f"main a[href$='{url('deciding:committee')}?call={call.pk}']"),
        name="casework-committee-select",
    )
    fit(page)
    form = page.locator("main form.committee-form")
    # Only the two large proposals; the other stays for the decision maker.
    form.locator(f"input[name=applications][value='{cases['proposed'].pk}']").uncheck()
    form.locator("[name=paragraph]").fill("")
    follow(
        page,
        form.locator("button[name=step][value=review]"),
        name="casework-committee-select-errors",
    )
    fit(page)
    form = page.locator("main form.committee-form")
    form.locator("[name=meeting_date]").fill((timezone.localdate() - timedelta(days=1)).isoformat())
    form.locator("[name=paragraph]").fill("§ 112")
    follow(page, form.locator("button[name=step][value=review]"), name="casework-committee-confirm")
    fit(page)
    follow(
        page,
        page.locator("main form button[name=step][value=decide]"),
        name="casework-committee-decision",
    )
    fit(page)
    assert "/namnd/" in page.url
    visit(page, url("casework:case", cases["committee"][0].pk), name="casework-case-committee")
    fit(page)
    fit.check()
