"""What a person may not reach by typing or posting an address: the pages answer 404 or the login.

Applicant B (signatory of another organisation) gets "not found" for everything of applicant A's
organisation, GET and POST alike; a member who is not a signatory sees no submit button, and a
hand-made POST to the submit address submits nothing; an anonymous visitor is sent to log in.
"""

import pytest
from playwright.sync_api import Page, expect

from grants.models import Application, Attachment
from grants.workflow import ApplicationState
from tests import factories
from tests.e2e.browsing import follow, swedish, url, visit

pytestmark = pytest.mark.e2e


def csrf_token(page: Page) -> str:
    """Return the CSRF token of the page's first form (the header's logout form at least)."""
    return page.locator("input[name=csrfmiddlewaretoken]").first.input_value()


def post_by_hand(page: Page, action: str, fields: dict[str, str]) -> None:
    """Submit a form the page does not have, as someone editing the page would, and follow it."""
    fields = {"csrfmiddlewaretoken": csrf_token(page)} | fields

    def submit():
        page.evaluate(
            """([action, fields]) => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = action;
                for (const [name, value] of Object.entries(fields)) {
                    const input = document.createElement("input");
                    input.type = "hidden";
                    input.name = name;
                    input.value = value;
                    form.appendChild(input);
                }
                document.body.appendChild(form);
                form.submit();
            }""",
            [action, fields],
        )

    follow(page, submit)


def test_another_organisation_gets_not_found_everywhere(
    open_page, live_server, draft, organisation, applicant, applicant_b
):
    factories.organisation(applicant_b, name="Bo:s kulturförening")
    attachment = draft.attachments.get()
    page = open_page(user=applicant_b, device="phone")

    for path in [
        url("portal:application", draft.pk),
        url("portal:withdraw", draft.pk),
        url("apply:step", draft.pk, "project"),
        url("apply:step", draft.pk, "budget"),
        url("apply:step", draft.pk, "attachments"),
        url("apply:step", draft.pk, "review"),
        url("apply:attachment", draft.pk, attachment.pk),
        url("apply:receipt", draft.pk),
        url("organisations:detail", organisation.pk),
        url("organisations:payout_account", organisation.pk),
        url("organisations:documents", organisation.pk),
        url("organisations:invite", organisation.pk),
    ]:
        visit(page, path, status=404, name="not-found" if "utbetalningskonto" in path else None)

    visit(page, url("portal:dashboard"))
    expect(page.locator(f"main a[href$='{url('portal:application', draft.pk)}']")).to_have_count(0)
    token = csrf_token(page)
    for path, fields in [
        (url("apply:autosave", draft.pk, "project"), {"title": "Kapad", "summary": "Kapad"}),
        (url("apply:step", draft.pk, "project"), {"title": "Kapad", "action": "save"}),
        (url("apply:submit", draft.pk), {}),
        (url("apply:request_submission", draft.pk), {}),
        (url("apply:attachment_remove", draft.pk, attachment.pk), {}),
        (url("portal:withdraw", draft.pk), {"reason": "Kapad"}),
        (url("portal:message", draft.pk), {"body": "Kapad"}),
        (url("portal:complete", draft.pk), {"reply": "Kapad"}),
        (url("organisations:payout_account", organisation.pk), {"kind": "bankgiro"}),
    ]:
        response = page.request.post(
            live_server.url + path, form=fields, headers={"X-CSRFToken": token}, max_redirects=0
        )
        assert response.status == 404, f"POST {path} answered {response.status}"

    draft.refresh_from_db()
    assert draft.title == "Sommarteater i Storsjöbygden"
    assert draft.state == ApplicationState.DRAFT
    assert Attachment.objects.filter(pk=attachment.pk).exists()

    # The organisation's own signatory reaches the same addresses.
    own = open_page(user=applicant)
    response = own.request.get(live_server.url + url("apply:attachment", draft.pk, attachment.pk))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    visit(own, url("organisations:payout_account", organisation.pk))


def test_member_cannot_submit_but_can_ask_a_signatory(open_page, draft, member, mailoutbox):
    page = open_page(user=member)
    review = url("apply:step", draft.pk, "review")
    visit(page, review, name="review-member")
    expect(page.locator(f"form[action$='{url('apply:submit', draft.pk)}']")).to_have_count(0)
    asking = page.locator(f"main form[action$='{url('apply:request_submission', draft.pk)}']")
    expect(asking).to_have_count(1)

    post_by_hand(page, url("apply:submit", draft.pk), {})
    stored = Application.objects.get(pk=draft.pk)
    assert stored.state == ApplicationState.DRAFT
    assert stored.case_number is None
    assert page.url.endswith(review)
    expect(page.locator("main .messages")).to_contain_text(
        swedish(
            "Only a signatory of %(organisation)s can do this.",
            organisation=draft.organisation.name,
        )
    )

    follow(page, asking.locator("button[type=submit]"))
    assert Application.objects.get(pk=draft.pk).submission_requested_by == member
    assert any("applicant-a@example.org" in message.to for message in mailoutbox)


def test_anonymous_visitor_is_sent_to_log_in(page, draft):
    for path in [
        url("portal:dashboard"),
        url("apply:step", draft.pk, "project"),
        url("portal:application", draft.pk),
        url("organisations:detail", draft.organisation_id),
    ]:
        visit(page, path)
        assert page.url.endswith(f"{url('accounts:login')}?next={path}"), page.url
        expect(page.locator("main form [name=username]")).to_be_visible()
