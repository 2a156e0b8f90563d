"""The officer workspace in the browser: from the queue to the decision, and what it refuses.

A culture officer finds the case in the queue, takes it, writes an internal note, assesses it
and proposes; a decision maker with a delegation decides it in part from "To decide"; the
applicant gets the decision by e-mail and never sees the note. The committee secretary decides
two proposals above the delegation at one meeting and reaches the meeting's decision list.
Forbidden paths: jäv shows the case only as jäv in the queue and its address answers 403; an
applicant and a finance officer get 403 on the officer pages.
"""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from decisions.models import CommitteeDecision, Decision
from grants import services
from grants.models import Application, Perspective
from grants.workflow import ApplicationState
from organisations.services import membership_add
from tests import factories
from tests.e2e.browsing import follow, swedish, url, visit

pytestmark = pytest.mark.e2e

NOTE = "Ringde föreningen: turnéplanen är bekräftad med fem byar. Kontrollera hyran för scenen."
REASONS = "Projektet når barn och unga i fem byar. Budgeten för resor är något hög."
DECISION_REASONS = "Projektet stärker kulturlivet i länet; resekostnaderna bekostas av annan."


def amount_text(locator) -> str:
    """Return the text without spaces (Swedish groups thousands with a no-break space)."""
    return re.sub(r"\s", "", locator.inner_text())


def submitted_application(signatory, call, *, name: str, requested=Decimal("50000")) -> Application:
    """Register an organisation for ``signatory`` and submit an application of it to ``call``."""
    organisation = factories.organisation(signatory, name=name)
    draft = factories.draft(organisation, call, signatory, requested=requested)
    return services.application_submit(application=draft, actor=signatory)


def proposal(signatory, call, officer, *, name: str, requested: Decimal) -> Application:
    """Return a case of a new organisation, assessed by ``officer`` and proposed in full."""
    application = submitted_application(signatory, call, name=name, requested=requested)
    services.application_start_review(application=application, actor=officer)
    return factories.assess(application, officer)


def find_in_the_queue(page: Page, application: Application, hidden: Application) -> None:
    """Search the queue for the organisation's name among the submitted cases; open the case."""
    visit(page, url("casework:queue"), name="journey-queue")
    rows = page.locator("main table.queue-table tbody tr")
    expect(rows).to_have_count(2)
    form = page.locator("main form.queue-filters")
    form.locator("[name=q]").fill("storsjöteatern")
    form.locator("[name=state]").select_option(ApplicationState.SUBMITTED)
    follow(page, form.locator("button[type=submit]"), name="journey-queue-search")
    assert "q=storsj" in page.url and "state=submitted" in page.url
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(application.case_number)
    expect(rows.first).to_contain_text(application.organisation.name)
    expect(page.locator("main table.queue-table")).not_to_contain_text(hidden.case_number)
    # What was searched for stays in the form.
    expect(form.locator("[name=q]")).to_have_value("storsjöteatern")
    follow(page, rows.first.locator(f"a[href$='{url('casework:case', application.pk)}']"))
    expect(page.locator("h1")).to_contain_text(application.case_number)


def take_the_case(page: Page, application: Application, officer) -> None:
    actions = page.locator("main .case-actions")
    follow(
        page,
        actions.locator(f"form[action$='{url('casework:take', application.pk)}'] button"),
        name="journey-case-taken",
    )
    application.refresh_from_db()
    assert application.state == ApplicationState.UNDER_REVIEW
    assert application.assigned_officer == officer
    expect(page.locator("main .messages")).to_be_visible()
    expect(actions.locator(f"a[href$='{url('casework:assess', application.pk)}']")).to_be_visible()
    expect(
        actions.locator(f"form[action$='{url('casework:take', application.pk)}']")
    ).to_have_count(0)


def write_a_note(page: Page, application: Application) -> None:
    form = page.locator(f"main form[action*='{url('casework:note', application.pk)}']")
    form.locator("[name=body]").fill(NOTE)
    follow(page, form.locator("button[type=submit]"))
    assert page.url.split("#")[0].endswith(url("casework:case", application.pk))
    expect(page.locator("main #notes")).to_contain_text(NOTE)
    assert application.internal_notes.get().body == NOTE


def assess_and_propose(page: Page, application: Application) -> None:
    follow(
        page,
        page.locator(f"main .case-actions a[href$='{url('casework:assess', application.pk)}']"),
    )
    form = page.locator("main form.assess-form")
    for criterion in application.call.programme.criteria.all():
        form.locator(f"[name=score_{criterion.pk}][value='4']").check()
        form.locator(f"[name=comment_{criterion.pk}]").fill("Genomarbetat och realistiskt.")
    for code in Perspective.values:
        rating = "not_applicable" if code == "indigenous_minority" else "strengthens"
        form.locator(f"[name=rating_{code}][value={rating}]").check()
        form.locator(f"[name=perspective_comment_{code}]").fill("Beskrivet i ansökan.")
    form.locator("[name=recommendation][value=approve_partly]").check()
    form.locator("[name=proposed_amount]").fill("45 000")
    form.locator("[name=reasons]").fill(REASONS)
    follow(
        page,
        form.locator("button[name=action][value=propose]"),
        name="journey-proposed",
    )
    application.refresh_from_db()
    assert application.state == ApplicationState.PROPOSED, page.locator("main").inner_text()
    assessment = application.assessment
    assert assessment.recommendation == "approve_partly"
    assert assessment.proposed_amount == Decimal("45000")
    assert assessment.scores.count() == 2
    assert assessment.perspectives["indigenous_minority"]["rating"] == "not_applicable"
    assert assessment.weighted_score() == Decimal("4.00")


def decide_in_part(page: Page, application: Application) -> None:
    visit(page, url("deciding:proposals"), name="journey-to-decide")
    row = page.locator("main table.proposals-table tbody tr", has_text=application.case_number)
    expect(row).to_have_count(1)
    # Opened by keyboard. A click would do as well for a person, but Playwright aims at the
    # link's first box, the visually hidden "Decide" clipped to nothing, and hits the cell.
    row.locator(f"a[href$='{url('deciding:decide', application.pk)}']").focus()
    follow(page, lambda: page.keyboard.press("Enter"))
    expect(page.locator("main #authority")).to_contain_text(swedish("Within your delegation."))
    form = page.locator("main .decide-form form")
    expect(form.locator("[name=outcome][value=approved_partly]")).to_be_checked()
    form.locator("[name=amount]").fill("40000")
    form.locator("[name=reasons]").fill(DECISION_REASONS)
    follow(page, form.locator("button[type=submit]"), name="journey-decided")


def test_officer_proposes_and_decision_maker_decides_in_part(
    open_page, submitted, officer, decider, delegation, applicant, applicant_b, call, mailoutbox
):
    application = submitted
    other = submitted_application(applicant_b, call, name="Hammarstrands bygdegårdsförening")

    page = open_page(user=officer)
    find_in_the_queue(page, application, hidden=other)
    take_the_case(page, application, officer)
    write_a_note(page, application)
    assess_and_propose(page, application)

    deciding = open_page(user=decider)
    decide_in_part(deciding, application)
    decision = Decision.objects.get(application=application)
    assert decision.outcome == Decision.Outcome.APPROVED_PARTLY
    assert decision.amount == Decimal("40000")
    assert decision.decided_by == decider and decision.presenter == officer
    assert decision.delegation_reference == delegation.reference
    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED

    # The case page shows the decision, to the decision maker (who arrives there) and to the
    # officer.
    assert deciding.url.endswith(url("casework:case", application.pk))
    visit(page, url("casework:case", application.pk), name="journey-case-decided")
    for viewer in (deciding, page):
        section = viewer.locator("main #decision")
        expect(section).to_contain_text(swedish("Approved in part"))
        assert "40000kr" in amount_text(section)
        expect(section).to_contain_text(delegation.reference)

    # The applicant is told by e-mail: the amount granted and the reasons.
    decision_mails = [
        message
        for message in mailoutbox
        if application.case_number in message.subject
        and applicant.email in message.to
        and DECISION_REASONS in message.body
    ]
    assert len(decision_mails) == 1, [message.subject for message in mailoutbox]
    assert "40000kr" in re.sub(r"\s", "", decision_mails[0].body)

    # The applicant sees the decision on My pages, and never the internal note.
    own = open_page(user=applicant)
    visit(own, url("portal:application", application.pk), name="journey-applicant-decided")
    expect(own.locator("main")).to_contain_text(DECISION_REASONS)
    assert NOTE not in own.content()
    assert "Ringde föreningen" not in own.content()


def test_secretary_decides_two_proposals_at_a_committee_meeting(
    open_page, call, officer, decider, delegation, secretary, applicant, applicant_b, mailoutbox
):
    first = proposal(applicant, call, officer, name="Storsjöteatern", requested=Decimal("150000"))
    second = proposal(
        applicant_b, call, officer, name="Bräcke spelmanslag", requested=Decimal("220000")
    )
    meeting = timezone.localdate() - timedelta(days=2)

    # Both are above the decision maker's delegation: not offered on "To decide".
    deciding = open_page(user=decider)
    visit(deciding, url("deciding:proposals"))
    expect(deciding.locator("main")).not_to_contain_text(first.case_number)
    expect(deciding.locator("main")).not_to_contain_text(second.case_number)

    page = open_page(user=secretary)
    visit(page, url("deciding:committee"), name="journey-committee-calls")
    follow(
        page,
        page.locator(f"main a[href$='{url('deciding:committee')}?call={call.pk}']"),
        name="journey-committee-select",
    )
    form = page.locator("main form.committee-form")
    for application in (first, second):
        form.locator(f"input[name=applications][value='{application.pk}']").check()
    form.locator("[name=body]").fill("Regionala utvecklingsnämnden")
    form.locator("[name=meeting_date]").fill(meeting.isoformat())
    form.locator("[name=paragraph]").fill("87")
    follow(page, form.locator("button[name=step][value=review]"), name="journey-committee-confirm")
    # The confirmation shows what will be decided; nothing is decided before it.
    assert not CommitteeDecision.objects.exists()
    confirmation = page.locator("main table.committee-table")
    expect(confirmation).to_contain_text(first.case_number)
    expect(confirmation).to_contain_text(second.case_number)
    follow(
        page,
        page.locator("main form button[name=step][value=decide]"),
        name="journey-committee-decided",
    )

    record = CommitteeDecision.objects.get()
    assert (record.call, record.body, record.meeting_date, record.paragraph) == (
        call,
        "Regionala utvecklingsnämnden",
        meeting,
        "§ 87",
    )
    assert page.url.endswith(url("deciding:committee_decision", record.pk))
    for application in (first, second):
        application.refresh_from_db()
        assert application.state == ApplicationState.APPROVED
        decision = application.decision
        assert decision.committee_decision == record
        assert decision.decided_by == secretary
        assert decision.amount == application.requested_amount
        expect(page.locator("main")).to_contain_text(application.case_number)

    link = page.locator(f"main a[href$='{url('deciding:decision_list', record.pk)}']")
    expect(link).to_be_visible()
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.body())).pages
    text = "".join(pdf_page.extract_text() for pdf_page in pages)
    for application in (first, second):
        assert application.case_number in text

    # The case page names the meeting and its § once.
    visit(page, url("casework:case", first.pk), name="journey-case-committee")
    meeting_text = page.locator("main #decision").inner_text()
    assert "Regionala utvecklingsnämnden" in meeting_text and "§ 87" in meeting_text
    assert "§ §" not in meeting_text

    for application in (first, second):
        assert any(application.case_number in message.subject for message in mailoutbox), (
            f"no decision e-mail for {application.case_number}"
        )


def test_officer_with_jav_sees_only_the_case_number(
    open_page, submitted, officer, officer_2, applicant, call
):
    services.conflict_declare(
        user=officer_2,
        organisation=submitted.organisation,
        reason="Min syster sitter i styrelsen.",
        actor=officer_2,
    )
    other = submitted_application(factories.user(), call, name="Hammarstrands bygdegårdsförening")

    page = open_page(user=officer_2)
    visit(page, url("casework:queue"), name="queue-with-jav")
    table = page.locator("main table.queue-table")
    expect(table).to_contain_text(other.case_number)
    expect(table).not_to_contain_text(submitted.case_number)
    conflicts = page.locator("main .queue-conflicts")
    expect(conflicts).to_contain_text(submitted.case_number)
    assert conflicts.inner_text().count(submitted.title) == 0
    assert submitted.organisation.name not in page.locator("main").inner_text()
    expect(page.locator(f"main a[href$='{url('casework:case', submitted.pk)}']")).to_have_count(0)

    # Searching by the organisation's name finds nothing either.
    visit(page, f"{url('casework:queue')}?q=Storsjöteatern")
    expect(page.locator("main table.queue-table")).to_have_count(0)

    for path in [
        url("casework:case", submitted.pk),
        url("casework:assess", submitted.pk),
        url("casework:request_completion", submitted.pk),
    ]:
        visit(
            page, path, status=403, name="case-jav" if path.endswith(f"/{submitted.pk}/") else None
        )
        text = page.locator("main").inner_text()
        assert "jäv" in text, text
        assert submitted.title not in text
        assert submitted.organisation.name not in text

    # An officer who is a member of the organisation has jäv too, without declaring it.
    membership_add(organisation=submitted.organisation, user=officer, role="member", actor=None)
    member_page = open_page(user=officer)
    visit(member_page, url("casework:queue"))
    expect(member_page.locator("main .queue-conflicts")).to_contain_text(submitted.case_number)
    visit(member_page, url("casework:case", submitted.pk), status=403)


def test_applicant_and_finance_get_not_allowed(
    open_page, live_server, submitted, applicant, finance
):
    page = open_page(user=applicant, device="phone")
    for path in [
        url("casework:queue"),
        url("casework:case", submitted.pk),
        url("deciding:proposals"),
        url("casework:assess", submitted.pk),
        url("deciding:committee"),
    ]:
        visit(
            page,
            path,
            status=403,
            name="forbidden-applicant" if path == url("casework:queue") else None,
        )
        expect(page.locator("main h1")).to_have_text(swedish("Not allowed"))
        assert submitted.title not in page.locator("main").inner_text()

    ledger = open_page(user=finance)
    for path in [url("casework:queue"), url("casework:assess", submitted.pk)]:
        visit(ledger, path, status=403)
        assert submitted.title not in ledger.locator("main").inner_text()
    # Nor can finance take the case by posting to it.
    token = ledger.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = ledger.request.post(
        live_server.url + url("casework:take", submitted.pk),
        form={"csrfmiddlewaretoken": token},
        headers={"X-CSRFToken": token},
        max_redirects=0,
    )
    assert response.status == 403
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.SUBMITTED
