"""The applicant's whole way in Swedish: from creating an account to the receipt of a submitted
application, at desktop and at phone width.

Sign up, confirm the address from the e-mail, register the organisation, give its payout account
(a wrong Bankgiro number first), open a call from the start page, apply, fill in the steps (the
amount applied for follows the budget as it is typed), leave and come back to the draft, attach
a PDF, review and submit. A pending payout account is enough to submit
(``grants.workflow.has_payout_account`` counts the account awaiting verification).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from grants.models import Application, BudgetLine
from grants.workflow import ApplicationState
from organisations.models import Organisation, PayoutAccount
from tests.e2e import samples
from tests.e2e.browsing import follow, swedish, url, visit

pytestmark = pytest.mark.e2e

PASSWORD = "Kulturbidrag-i-Jamtland-2026"


def amount_text(locator) -> str:
    """Return the amount a page shows, without its spaces (Swedish groups with a no-break space)."""
    return re.sub(r"\s", "", locator.inner_text())


def sign_up_and_confirm(page: Page, email: str, mailoutbox) -> None:
    visit(page, url("accounts:signup"), name="signup")
    form = page.locator("main form")
    form.locator("[name=full_name]").fill("Sara Sökande")
    form.locator("[name=email]").fill(email)
    form.locator("[name=phone]").fill("063-14 75 00")
    form.locator("[name=password1]").fill(PASSWORD)
    form.locator("[name=password2]").fill(PASSWORD)
    follow(page, form.locator("button[type=submit]"), name="signup-done")
    assert url("accounts:signup_done") in page.url

    sent = [message for message in mailoutbox if email in message.to]
    assert len(sent) == 1, f"expected one confirmation e-mail to {email}, got {len(sent)}"
    link = re.search(r"https?://\S+/konto/aktivera/\S+", sent[0].body)
    assert link, f"no confirmation link in the e-mail:\n{sent[0].body}"
    visit(page, link.group(0), name="activate")
    follow(page, page.locator("main form button[type=submit]"))
    assert page.url.endswith(url("portal:dashboard"))
    expect(page.locator("header")).to_contain_text("Sara Sökande")


def register_organisation(page: Page) -> Organisation:
    org_number = samples.org_number()
    follow(page, page.locator(f"main a[href$='{url('organisations:register')}']").first)
    form = page.locator("main form")
    form.locator("[name=name]").fill("Teaterföreningen Storsjöscenen")
    form.locator("[name=org_number]").fill(org_number)
    form.locator("[name=org_type]").select_option("association")
    form.locator("[name=municipality]").select_option("2380")
    form.locator("[name=street_address]").fill("Storgatan 12")
    form.locator("[name=postal_code]").fill("831 30")
    form.locator("[name=city]").fill("Östersund")
    form.locator("[name=email]").fill("info@storsjoscenen.example.org")
    follow(page, form.locator("button[type=submit]"))
    organisation = Organisation.objects.get(org_number=org_number)
    assert page.url.endswith(url("organisations:detail", organisation.pk))
    expect(page.locator("main")).to_contain_text(organisation.display_org_number)
    return organisation


def add_payout_account(page: Page, organisation: Organisation) -> None:
    follow(
        page,
        page.locator(f"main a[href$='{url('organisations:payout_account', organisation.pk)}']"),
    )
    valid = samples.bankgiro()
    wrong = samples.wrong_bankgiro(valid)
    form = page.locator("main form.form")
    form.locator("[name=kind][value=bankgiro]").check()
    form.locator("[name=number]").fill(wrong)
    form.locator("[name=holder_name]").fill(organisation.name)
    follow(page, form.locator("button[type=submit]"), name="payout-account-error")
    # The wrong number is refused with a message next to it, and stays in the field to correct.
    number = page.locator("main form.form [name=number]")
    expect(number).to_have_value(wrong)
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("main form.form .field.has-error")).to_contain_text(
        swedish("Number"), ignore_case=True
    )
    expect(page.locator("main form.form [name=kind][value=bankgiro]")).to_be_checked()
    assert not PayoutAccount.objects.filter(organisation=organisation).exists()

    number.fill(valid)
    follow(page, page.locator("main form.form button[type=submit]"), name="payout-account")
    account = PayoutAccount.objects.get(organisation=organisation)
    assert account.kind == "bankgiro" and account.verified_at is None
    expect(page.locator("main")).to_contain_text(account.number)


def start_application(page: Page, call) -> Application:
    visit(page, url("start"))
    follow(page, page.locator(f"main a[href$='{url('calls:detail', call.pk)}']").first, name="call")
    follow(page, page.locator(f"main a[href$='{url('apply:start', call.pk)}']").first)
    page.locator("main form [name=title]").fill("Sommarteater på Frösön")
    follow(page, page.locator("main form button[type=submit]"), name="step-project")
    application = Application.objects.get(title="Sommarteater på Frösön")
    assert page.url.endswith(url("apply:step", application.pk, "project"))
    return application


def save_and_continue(page: Page, name: str) -> None:
    follow(page, page.locator("main form button[name=action][value=continue]"), name=name)


def fill_project_activity_perspectives(page: Page) -> None:
    form = page.locator("main form.step-form")
    form.locator("[name=summary]").fill("Utomhusteater för barn och unga på Frösön i sommar.")
    form.locator("[name=description]").fill(
        "Vi sätter upp en nyskriven pjäs med unga skådespelare och spelar tio föreställningar."
    )
    form.locator("[name=letter_language][value=sv]").check()
    save_and_continue(page, "step-activity")

    form = page.locator("main form.step-form")
    form.locator("[name=activity_starts]").fill("2027-06-01")
    form.locator("[name=activity_ends]").fill("2027-08-31")
    form.locator("[name=target_groups][value=children_youth]").check()
    form.locator("[name=municipalities][value='2380']").check()
    form.locator("[name=municipalities][value='2309']").check()
    save_and_continue(page, "step-perspectives")

    form = page.locator("main form.step-form")
    form.locator("[name=perspective_accessibility]").fill("Scenen och publikytan nås utan trappor.")
    form.locator("[name=perspective_children_youth]").fill("Unga skriver och spelar pjäsen.")
    form.locator("[name=agenda_goals][value='4']").check()
    form.locator("[name=agenda_goals][value='10']").check()
    save_and_continue(page, "step-budget")


def fill_budget_watching_the_amount(page: Page) -> None:
    budget = page.locator("main [data-budget]")
    requested = budget.locator("[data-total=requested]")
    costs = budget.locator("[data-total=cost]")

    budget.locator("[name='cost-0-category']").select_option("fees")
    budget.locator("[name='cost-0-description']").fill("Arvoden till skådespelare")
    budget.locator("[name='cost-0-amount']").fill("60 000")
    expect(requested).to_have_text(re.compile(r"^60\s000$"))

    budget.locator("[name='cost-1-category']").select_option("travel")
    budget.locator("[name='cost-1-amount']").fill("15000")
    expect(costs).to_have_text(re.compile(r"^75\s000$"))
    expect(requested).to_have_text(re.compile(r"^75\s000$"))

    budget.locator("[name='income-0-category']").select_option("own_contribution")
    budget.locator("[name='income-0-amount']").fill("25 000")
    expect(requested).to_have_text(re.compile(r"^50\s000$"))
    expect(budget.locator("[data-limit-warning]")).to_be_hidden()
    expect(budget.locator("[data-cofinancing-warning]")).to_be_hidden()


def wait_for_autosave(page: Page, application: Application) -> None:
    """Wait until what was typed is saved, without a button: a few seconds after typing stops."""
    for _attempt in range(100):
        application.refresh_from_db(fields=["requested_amount"])
        if application.requested_amount == 50000 and application.budget_lines.count() == 3:
            break
        page.wait_for_timeout(200)
    else:
        pytest.fail(f"the budget was not autosaved: {list(application.budget_lines.values())}")
    # The page has its answer too (so it does not warn about unsaved changes on leaving).
    # Written in a template, so the catalogue holds it with its % doubled.
    saved = swedish("Saved %%(time)s").split("%")[0].strip()
    expect(page.locator("[data-autosave-status]")).to_contain_text(saved)


def come_back_to_the_draft(page: Page, application: Application) -> None:
    visit(page, url("start"))
    follow(page, page.locator(f"header a[href$='{url('portal:dashboard')}']"), name="dashboard")
    follow(page, page.locator(f"main a[href$='{url('portal:application', application.pk)}']").first)
    follow(
        page, page.locator(f"main a[href$='{url('apply:step', application.pk, 'project')}']").first
    )
    expect(page.locator("main form [name=title]")).to_have_value("Sommarteater på Frösön")
    expect(page.locator("main form [name=summary]")).to_have_value(
        "Utomhusteater för barn och unga på Frösön i sommar."
    )
    follow(page, page.locator(f"nav a[href$='{url('apply:step', application.pk, 'budget')}']"))
    budget = page.locator("main [data-budget]")
    expect(budget.locator("[name='cost-0-amount']")).to_have_value(re.compile(r"^60\s?000$"))
    expect(budget.locator("[name='income-0-category']")).to_have_value("own_contribution")
    assert amount_text(budget.locator("[data-total=requested]")) == "50000"


def attach_project_plan(page: Page, application: Application) -> None:
    follow(
        page,
        page.locator(f"nav a[href$='{url('apply:step', application.pk, 'attachments')}']"),
        name="step-attachments",
    )
    form = page.locator("main form[enctype='multipart/form-data']")
    form.locator("[name=kind]").select_option("project_plan")
    form.locator("[name=files]").set_input_files(
        files=[
            {
                "name": "Projektplan Sommarteater.pdf",
                "mimeType": "application/pdf",
                "buffer": samples.pdf("Projektplan Sommarteater pa Froson"),
            }
        ]
    )
    follow(page, form.locator("button[type=submit]"), name="step-attachments-uploaded")
    expect(page.locator("main table")).to_contain_text("Projektplan Sommarteater.pdf")
    assert application.attachments.get().kind == "project_plan"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_from_sign_up_to_receipt(open_page, call, mailoutbox, device):
    page = open_page(device=device)
    email = f"sara-{device}@example.org"

    sign_up_and_confirm(page, email, mailoutbox)
    organisation = register_organisation(page)
    add_payout_account(page, organisation)

    application = start_application(page, call)
    fill_project_activity_perspectives(page)
    fill_budget_watching_the_amount(page)
    wait_for_autosave(page, application)
    application.refresh_from_db()
    assert sorted(application.budget_lines.values_list("kind", "amount")) == [
        (BudgetLine.Kind.COST, 15000),
        (BudgetLine.Kind.COST, 60000),
        (BudgetLine.Kind.INCOME, 25000),
    ]

    come_back_to_the_draft(page, application)
    attach_project_plan(page, application)

    follow(
        page,
        page.locator(f"nav a[href$='{url('apply:step', application.pk, 'review')}']"),
        name="step-review",
    )
    expect(page.locator("main .submission-problems")).to_have_count(0)
    follow(
        page,
        page.locator(f"main form[action$='{url('apply:submit', application.pk)}'] button"),
        name="receipt",
    )

    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert re.fullmatch(r"KUL \d{4}/\d{4}", application.case_number)
    assert page.url.endswith(url("apply:receipt", application.pk))
    expect(page.locator("main .receipt-number")).to_contain_text(application.case_number)

    receipts = [message for message in mailoutbox if application.case_number in message.subject]
    assert len(receipts) == 1
    assert email in receipts[0].to

    follow(page, page.locator(f"main a[href$='{url('portal:application', application.pk)}']"))
    expect(page.locator("main .case-facts")).to_contain_text(application.case_number)
    expect(page.locator("main .case-facts")).to_contain_text(
        swedish("Received – waiting for an officer")
    )
