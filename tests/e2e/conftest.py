"""Browser tests: Playwright's sync API drives Debian's Chromium against Django's live server.

The live server runs in a thread of the test process, on the test database (a transaction is
committed for it to see, hence ``transactional_db``), with the same settings: e-mail goes to the
locmem outbox that ``mailoutbox`` reads, tasks run at once. Pages are served in Swedish unless the
URL starts with /en/ or the visitor chooses English; the test thread itself reads English (the
autouse fixture in tests/conftest.py).
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.e2e import browsing

CHROMIUM = os.environ.get("BIDRAG_CHROMIUM", "/usr/bin/chromium")

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}

#: How long a click, a fill or an expectation may wait for the page before the test fails.
TIMEOUT_MS = 10_000
#: How long a page may take to load: submitting renders the PDF copy before the receipt shows.
NAVIGATION_TIMEOUT_MS = 30_000

expect.set_options(timeout=TIMEOUT_MS)


def pytest_sessionfinish(session):
    """Write test-results/axe/summary.txt: each page axe checked, and at which widths.

    Only in the controlling process, once every xdist worker has written its log.
    """
    if not hasattr(session.config, "workerinput"):
        browsing.write_axe_summary()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Start Chromium once per test process (per xdist worker); fail, never skip, without it."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM}, and it is not there. Install "
            "Debian's package (`make system-deps`, or `apt-get install chromium`), or set "
            "BIDRAG_CHROMIUM to the browser's path.",
            pytrace=False,
        )
    # Playwright's sync API keeps an asyncio loop running in this thread for as long as it is
    # started; without this flag Django would refuse every ORM call from the test thread
    # (SynchronousOnlyOperation), in the browser tests and in any test run after them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
    except Exception as error:
        playwright.stop()
        pytest.fail(f"Chromium at {CHROMIUM} did not start: {error}", pytrace=False)
    yield launched
    launched.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def log_in_by_cookie(context: BrowserContext, user, base_url: str) -> None:
    """Give the browser a logged-in session for ``user`` without going through the login page."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": base_url, "httpOnly": True}]
    )


@pytest.fixture
def open_page(browser, live_server, settings) -> Iterator[Callable[..., Page]]:
    """Return a function opening a page in a fresh browser context: ``open_page(user=, device=)``.

    ``user`` logs the context in by session cookie; ``device`` is "desktop" (1280×900) or
    "phone" (390×844). At the end of the test every page must have had each document it loaded
    checked with axe, and no script may have thrown.
    """
    settings.SITE_URL = live_server.url
    contexts: list[BrowserContext] = []
    pages: list[Page] = []

    def open_page(*, user=None, device: str = "desktop") -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
            viewport=VIEWPORTS[device],
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        contexts.append(context)
        if user is not None:
            log_in_by_cookie(context, user, live_server.url)
        page = context.new_page()
        browsing.track(page)
        pages.append(page)
        return page

    yield open_page

    problems = []
    for page in pages:
        record = browsing.untrack(page)
        problems += [f"loaded without an axe check: {url}" for url in record.unchecked()]
        problems += [f"script error: {error}" for error in record.script_errors]
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def page(open_page) -> Page:
    """A desktop page (1280×900), not logged in, in Swedish."""
    return open_page()


@pytest.fixture
def phone(open_page) -> Page:
    """A phone-sized page (390×844), not logged in, in Swedish."""
    return open_page(device="phone")
