"""Choosing English in the header: the pages follow, and the choice stays with the account."""

import pytest
from playwright.sync_api import Page, expect

from organisations.models import User
from tests import factories
from tests.e2e.browsing import follow, visit

pytestmark = pytest.mark.e2e


def log_in(page: Page, email: str) -> None:
    page.locator("main form [name=username]").fill(email)
    page.locator("main form [name=password]").fill(factories.PASSWORD)
    follow(page, page.locator("main form button[type=submit]"))


def test_english_chosen_in_the_header_sticks_through_logout_and_login(open_page, call):
    person = factories.user("anna-en@example.org", full_name="Anna Engelska")
    page = open_page()

    visit(page, "/konto/logga-in/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    log_in(page, person.email)
    assert page.url.endswith("/mina-sidor/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")

    follow(page, page.locator("header button[name=language][value=en]"), name="dashboard-en")
    assert "/en/mina-sidor/" in page.url
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("My pages")
    assert User.objects.get(pk=person.pk).language == "en"

    # Logging out keeps the visitor in English (the language cookie) ...
    follow(page, page.locator("header form[action*='logga-ut'] button"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Apply for a grant")
    follow(page, page.locator("header a[href*='/logga-in/']"))
    assert "/en/konto/logga-in/" in page.url
    log_in(page, person.email)
    assert page.url.endswith("/en/mina-sidor/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # ... and the account keeps it: on another device, logging in on a Swedish page gives English.
    elsewhere = open_page(device="phone")
    visit(elsewhere, "/konto/logga-in/")
    expect(elsewhere.locator("html")).to_have_attribute("lang", "sv")
    log_in(elsewhere, person.email)
    assert elsewhere.url.endswith("/en/mina-sidor/")
    expect(elsewhere.locator("html")).to_have_attribute("lang", "en")
    expect(elsewhere.locator("h1")).to_have_text("My pages")

    # Back to Swedish, from the header again.
    follow(elsewhere, elsewhere.locator("header button[name=language][value=sv]"))
    expect(elsewhere.locator("html")).to_have_attribute("lang", "sv")
    assert "/en/" not in elsewhere.url
    assert User.objects.get(pk=person.pk).language == "sv"
