"""The finance workspace in the browser: from a changed bank account and a payable grant to a
confirmed payment batch, and a repayment recorded; axe-core on every page at both widths.

finance@ verifies the account a signatory changed, builds a batch (a Saturday is refused with the
next banking day named), and cannot attest it herself; finance-2@ attests; finance@ exports and
downloads the bank file, which is the stored file byte for byte, and confirms the batch paid.
An applicant reaching for /ekonomi/ gets 403.
"""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from decisions import banking
from decisions.models import BatchExport, PaymentBatch
from decisions.workflow import BatchState, PaymentState
from organisations.services import payout_account_add
from tests import factories
from tests.e2e.browsing import follow, overflowing, swedish, url, visit

pytestmark = pytest.mark.e2e


def next_saturday():
    today = timezone.localdate()
    return today + timedelta(days=(5 - today.weekday()) % 7 or 7)


@pytest.fixture
def work(approved, organisation, applicant, applicant_b, finance, finance_2, decider):
    """A payable grant, a changed account awaiting verification and an open repayment claim."""
    other = factories.organisation(applicant_b, verified_by=finance_2, name="Bräcke spelmanslag")
    change = payout_account_add(
        organisation=other,
        actor=applicant_b,
        kind="plusgiro",
        number="410 54 68-5",
        holder_name="Bräcke spelmanslag",
    )
    claimed = factories.decide(
        factories.proposal(approved.call, factories.user("officer-9@example.org", "officer"),
                           organisation_obj=other),
        decider,
    )  # fmt: skip
    factories.pay_out(claimed.payments.filter(state=PaymentState.PAYABLE), finance, finance_2)
    claim = factories.repayment_claim(claimed, decider, amount=Decimal("5000"))
    payment = approved.decision.payments.get(instalment=1)
    return {"change": change, "payment": payment, "claim": claim}


def verify_the_changed_account(page: Page, change) -> None:
    visit(page, url("finance:overview"), name="finance-overview")
    follow(page, page.locator("main .casework-nav, nav.casework-nav").get_by_role(
        "link", name=swedish("Bank details")), name="finance-accounts")  # fmt: skip
    row = page.locator("main table tbody tr", has_text="Bräcke spelmanslag")
    expect(row).to_contain_text("4105468-5")
    expect(row).to_contain_text(swedish("Change of a verified account"))
    follow(page, row.get_by_role("link"), name="finance-account")
    expect(page.locator("main")).to_contain_text(
        swedish("Every payout account of the organisation")
    )
    follow(page, page.get_by_role("button", name=swedish("Verify the account")))
    expect(page.locator("main .messages")).to_contain_text("Bräcke spelmanslag")
    change.refresh_from_db()
    assert change.verified_at is not None


def build_a_batch(page: Page, payment) -> PaymentBatch:
    visit(page, url("finance:payable"), name="finance-payable")
    case = payment.decision.application.case_number
    row = page.locator("main table.payable-table tbody tr", has_text=case)
    row.locator("input[type=checkbox]").check()
    form = page.locator("main form[method=post]")
    form.locator("[name=payment_date]").fill(next_saturday().isoformat())
    form.locator("[name=note]").fill("Vecka 48")
    follow(page, form.get_by_role("button", name=swedish("Create the payment batch")),
           name="finance-payable-error")  # fmt: skip
    expect(page.locator("main .error-summary")).to_contain_text(
        banking.next_banking_day(next_saturday()).isoformat()
    )
    # What was chosen and typed is still there.
    expect(row.locator("input[type=checkbox]")).to_be_checked()
    expect(form.locator("[name=note]")).to_have_value("Vecka 48")
    day = banking.next_banking_day(timezone.localdate() + timedelta(days=1))
    form.locator("[name=payment_date]").fill(day.isoformat())
    follow(page, form.get_by_role("button", name=swedish("Create the payment batch")),
           name="finance-batch-draft")  # fmt: skip
    batch = PaymentBatch.objects.get(items__payment=payment, items__active=True)
    assert (batch.state, batch.payment_date, batch.note) == (BatchState.DRAFT, day, "Vecka 48")
    expect(page.locator("main")).to_contain_text(
        swedish("You created this batch: another finance officer must attest it (four-eyes).")
    )
    expect(page.get_by_role("button", name=swedish("Attest the batch"))).to_have_count(0)
    return batch


def attest(page: Page, batch) -> None:
    visit(page, url("finance:batch", batch.pk))
    follow(page, page.get_by_role("button", name=swedish("Attest the batch")),
           name="finance-batch-attested")  # fmt: skip
    batch.refresh_from_db()
    assert batch.state == BatchState.ATTESTED


def export_download_and_confirm(page: Page, batch) -> None:
    visit(page, url("finance:batch", batch.pk))
    follow(page, page.get_by_role("button", name=swedish("Export the batch")),
           name="finance-batch-exported")  # fmt: skip
    stored = BatchExport.objects.get(batch=batch, format="pain001")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=swedish("Bank file (ISO 20022 pain.001)")).click()
    body = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    assert hashlib.sha256(body).hexdigest() == stored.sha256
    expect(page.locator("main")).to_contain_text(stored.sha256)
    form = page.locator(f"main form[action$='{url('finance:confirm', batch.pk)}']")
    form.locator("[name=paid_on]").fill(timezone.localdate().isoformat())
    follow(page, form.get_by_role("button", name=swedish("Confirm as paid")),
           name="finance-batch-confirmed")  # fmt: skip
    batch.refresh_from_db()
    assert batch.state == BatchState.CONFIRMED
    assert {item.payment.state for item in batch.items.all()} == {PaymentState.PAID}


def settle_the_claim(page: Page, claim) -> None:
    visit(page, url("finance:repayments"), name="finance-repayments")
    follow(page, page.get_by_role("link", name=claim.decision.application.case_number))
    form = page.locator(f"main form[action$='{url('finance:settle_repayment', claim.pk)}']")
    form.locator("[name=note]").fill("Faktura 2026-118 betald")
    follow(page, form.get_by_role("button", name=swedish("Record as repaid")),
           name="finance-repayment-settled")  # fmt: skip
    claim.refresh_from_db()
    assert claim.state == "settled"


def test_finance_takes_a_payable_grant_to_a_confirmed_batch(open_page, work, finance, finance_2):
    first = open_page(user=finance)
    verify_the_changed_account(first, work["change"])
    batch = build_a_batch(first, work["payment"])
    attest(open_page(user=finance_2), batch)
    export_download_and_confirm(first, batch)
    settle_the_claim(first, work["claim"])


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_every_finance_page_passes_axe_and_fits(open_page, work, finance, finance_2, device):
    payment = work["payment"]
    batch = factories.pay_out([payment], finance, finance_2)
    page = open_page(user=finance, device=device)
    wide = []
    for name, args in [
        ("finance:overview", ()),
        ("finance:accounts", ()),
        ("finance:account", (work["change"].pk,)),
        ("finance:payable", ()),
        ("finance:batches", ()),
        ("finance:batch", (batch.pk,)),
        ("finance:payment_fail", (payment.pk,)),
        ("finance:repayments", ()),
        ("finance:repayment", (work["claim"].pk,)),
    ]:
        visit(page, url(name, *args), name=f"finance-{name.split(':')[1]}-all")
        wide += [f"{name}: {problem}" for problem in overflowing(page)]
    assert not wide, wide
    visit(page, url("finance:accounts") + "?view=decided")


def test_an_applicant_gets_403_on_the_finance_pages(open_page, applicant):
    page = open_page(user=applicant)
    visit(page, url("finance:overview"), status=403)
    visit(page, url("finance:payable"), status=403)
