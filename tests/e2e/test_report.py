"""The follow-up report in the browser: the grantee writes it (saved as they type), attaches a
file, submits it; the officer asks for completion, the grantee completes it, the officer accepts
it and the case is closed."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from decisions.models import Payment
from decisions.workflow import PaymentState
from grants.workflow import ApplicationState
from tests.e2e.browsing import assert_fits, follow, url, visit
from tests.uploads import PDF

pytestmark = pytest.mark.e2e


def test_grantee_reports_and_officer_accepts(open_page, approved, applicant, officer, tmp_path):
    application = approved
    report = application.decision.follow_up_report
    page = open_page(user=applicant)

    visit(page, url("portal:application", application.pk), name="report-case-page")
    follow(page, page.locator("#report a.button"), name="report-empty")
    assert page.url.endswith(url("portal:report", application.pk))

    form = page.locator("main form.report-form")
    form.locator("[name=what_was_done]").fill("Tolv föreställningar i fem byar runt Storsjön.")
    # Saved as the grantee types, before any button is pressed.
    expect(form.locator("[data-autosave-status]")).to_contain_text(
        re.compile("Saved|Sparat"), timeout=10000
    )
    report.refresh_from_db()
    assert report.what_was_done.startswith("Tolv föreställningar")

    form.locator("[name=activities_count]").fill("12")
    form.locator("[name=participants_0_12_women]").fill("40")
    form.locator("[name=participants_0_12_men]").fill("35")
    form.locator("[name=participants_20_64_women]").fill("18")
    form.get_by_label("Östersund").check()
    form.locator("[name=perspective_accessibility]").fill("Teckentolkning vid två föreställningar.")
    form.locator("[name='cost-0-category']").select_option("fees")
    form.locator("[name='cost-0-amount']").fill("60 000")
    form.locator("[name='income-0-category']").select_option("other_funder")
    form.locator("[name='income-0-amount']").fill("50 000")
    expect(form.locator("[data-total=cost]")).to_have_text(re.compile(r"^60\s000$"))
    # A wrong amount: the page says what is wrong and keeps everything typed.
    form.locator("[name=used_amount]").fill("70 000")
    follow(page, form.locator("button[value=save]"), name="report-error")
    expect(page.locator("#error-summary")).to_contain_text(re.compile(r"50\s000"))
    expect(form.locator("[name=used_amount]")).to_have_value("70 000")
    expect(form.locator("[name=participants_20_64_women]")).to_have_value("18")
    form.locator("[name=used_amount]").fill("50 000")
    follow(page, form.locator("button[value=save]"))
    expect(page.locator("aside.eligibility .status.done")).to_be_visible()

    poster = tmp_path / "affisch.pdf"
    poster.write_bytes(PDF)
    attach = page.locator("#attachments form[enctype]")
    attach.locator("input[type=file]").set_input_files(str(poster))
    follow(page, attach.locator("button[type=submit]"))
    expect(page.locator("#attachments .file-list")).to_contain_text("affisch.pdf")
    assert_fits(page)

    follow(page, page.locator("main form.report-form button[value=submit]"), name="report-sent")
    application.refresh_from_db()
    assert application.state == ApplicationState.REPORT_SUBMITTED

    # The officer asks for the participants of the other ages.
    staff = open_page(user=officer)
    visit(staff, url("casework:case", application.pk))
    follow(
        staff,
        staff.get_by_role(
            "link", name=re.compile("Review the final report|Granska slutredovisningen")
        ),
    )
    expect(staff.locator("main")).to_contain_text("Tolv föreställningar")
    expect(staff.locator("main")).to_contain_text("affisch.pdf")
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    ask = staff.locator(f"form[action$='{url('deciding:report_completion', application.pk)}']")
    ask.locator("[name=message]").fill("Redovisa även deltagarna över 65 år.")
    ask.locator("[name=due_date]").fill(due)
    follow(staff, ask.locator("button[type=submit]"))
    application.refresh_from_db()
    assert application.state == ApplicationState.REPORT_COMPLETION_REQUESTED

    # The grantee completes it and submits it again.
    visit(page, url("portal:report", application.pk), name="report-completion")
    expect(page.locator("main")).to_contain_text("Redovisa även deltagarna över 65 år.")
    page.locator("[name=participants_65plus_women]").fill("9")
    follow(page, page.locator("main form.report-form button[value=submit]"))
    application.refresh_from_db()
    assert application.state == ApplicationState.REPORT_SUBMITTED

    # The officer accepts: the case is closed and the last instalment is payable.
    visit(staff, url("deciding:follow_up", application.pk), name="report-review")
    expect(staff.locator("main .participants-table tfoot")).to_contain_text("102")
    follow(staff, staff.locator("form[action$='godkann/'] button"))
    application.refresh_from_db()
    assert application.state == ApplicationState.CLOSED
    last = Payment.objects.filter(
        decision=application.decision, trigger=Payment.Trigger.ON_REPORT_ACCEPTED
    )
    assert all(payment.state == PaymentState.PAYABLE for payment in last)

    visit(page, url("portal:report", application.pk), name="report-accepted")
    expect(page.locator("main")).to_contain_text(re.compile("accepted|godkänt"))


def test_report_page_fits_a_phone(open_page, approved, applicant):
    page = open_page(user=applicant, device="phone")
    visit(page, url("portal:report", approved.pk), name="report-phone")
    assert_fits(page)
