"""axe-core on every page an applicant meets, at desktop and at phone width.

The journeys check the pages they pass through, at both widths, in the states they leave them
in: sign-up, confirmation, start page, call, login, dashboard, registering an organisation, the
payout account with an error, every step of a draft, review, receipt, the case page of a draft
and of a submitted application, withdrawal. This sweep adds the pages and states they do not
reach: the password pages, the account, the organisation's other pages, an invitation, and the
case page and steps of a completion request and of a decided application. Each is photographed.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from grants import services
from organisations import services as organisation_services
from tests import factories
from tests.e2e.browsing import follow, url, visit

pytestmark = pytest.mark.e2e

DEVICES = ["desktop", "phone"]


@pytest.mark.parametrize("device", DEVICES)
def test_password_account_and_organisation_pages(open_page, organisation, applicant, device):
    _invitation, token = organisation_services.invitation_create(
        organisation=organisation, actor=applicant, email="ny-medlem@example.org", role="member"
    )
    uid = urlsafe_base64_encode(force_bytes(applicant.pk))
    reset_token = default_token_generator.make_token(applicant)
    anonymous = open_page(device=device)
    for name, path in [
        ("accessibility-statement", url("accessibility")),
        ("resend-activation", url("accounts:resend_activation")),
        ("activate-invalid", url("accounts:activate", uid, "fel-token")),
        ("password-reset", url("accounts:password_reset")),
        ("password-reset-done", url("accounts:password_reset_done")),
        ("password-reset-confirm", url("accounts:password_reset_confirm", uid, reset_token)),
        ("password-reset-complete", url("accounts:password_reset_complete")),
        ("invitation", url("organisations:invitation", token)),
    ]:
        visit(anonymous, path, name=name)

    signed_in = open_page(user=applicant, device=device)
    for name, path in [
        ("account", url("accounts:account")),
        ("password-change", url("accounts:password_change")),
        ("organisation", url("organisations:detail", organisation.pk)),
        ("organisation-edit", url("organisations:edit", organisation.pk)),
        ("documents", url("organisations:documents", organisation.pk)),
        ("invite", url("organisations:invite", organisation.pk)),
    ]:
        visit(signed_in, path, name=name)


@pytest.mark.parametrize("device", DEVICES)
def test_application_pages_in_each_state(
    open_page, approved, organisation, call, applicant, officer, device
):
    asked = services.application_submit(
        application=factories.draft(organisation, call, applicant), actor=applicant
    )
    services.application_request_completion(
        application=asked,
        actor=officer,
        message="Beskriv hur ni når publik i Bräcke.",
        due_date=timezone.localdate() + timedelta(days=14),
        parts=["activity", "attachments"],
    )
    page = open_page(user=applicant, device=device)
    for name, path in [
        ("dashboard-cases", url("portal:dashboard")),
        ("case-completion", url("portal:application", asked.pk)),
        ("completion-step-activity", url("apply:step", asked.pk, "activity")),
        ("completion-step-budget-locked", url("apply:step", asked.pk, "budget")),
        ("completion-step-attachments", url("apply:step", asked.pk, "attachments")),
        ("completion-step-review", url("apply:step", asked.pk, "review")),
        ("case-decided", url("portal:application", approved.pk)),
    ]:
        visit(page, path, name=name)


@pytest.mark.parametrize("device", DEVICES)
def test_asking_to_join_an_organisation_already_registered(
    open_page, organisation, applicant, applicant_b, device
):
    page = open_page(user=applicant_b, device=device)
    visit(page, url("organisations:register"))
    form = page.locator("main form")
    form.locator("[name=name]").fill("Storsjöteatern")
    form.locator("[name=org_number]").fill(organisation.org_number)
    form.locator("[name=org_type]").select_option("association")
    form.locator("[name=municipality]").select_option("2380")
    follow(page, form.locator("button[type=submit]"), name="join-request")
    # The page tells nothing about the organisation but that it is registered.
    assert organisation.name not in page.locator("main").inner_text()
    page.locator("main form textarea").fill("Jag är ny kassör.")
    follow(page, page.locator("main form button[type=submit]"))

    signatory = open_page(user=applicant, device=device)
    visit(signatory, url("organisations:detail", organisation.pk), name="organisation-join-pending")
    assert applicant_b.full_name in signatory.locator("main").inner_text()
