"""What a browser test does to a page: open it, check it with axe-core, photograph it.

Every document a test's browser loads must be checked with axe before the test ends: ``visit``
and ``follow`` check the page they arrive at, ``assert_accessible`` checks the current one, and
the ``open_page`` fixture (conftest.py) fails a test that left a loaded page unchecked.
"""

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Locator, Page, Response

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
AXE_LOG = Path(__file__).resolve().parents[2] / "test-results" / "axe"

#: WCAG 2.0 and 2.1, levels A and AA (the Swedish accessibility law), and Deque's best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}

#: Rule ids to leave out while a known violation is being fixed elsewhere, e.g.
#: BIDRAG_AXE_IGNORE=listitem,aria-allowed-role. Empty (every rule counts) unless set by hand.
IGNORED_RULES = {rule for rule in os.environ.get("BIDRAG_AXE_IGNORE", "").split(",") if rule}

_axe = Axe()


def url(name: str, *args) -> str:
    """Return the Swedish (unprefixed) path of a URL name; the test thread itself reads English."""
    with translation.override("sv"):
        return reverse(name, args=args)


def swedish(message: str, **values) -> str:
    """Return ``message`` as a Swedish page shows it (English while it has no translation)."""
    with translation.override("sv"):
        text = translation.gettext(message)
    return text % values if values else text


@dataclass
class PageRecord:
    """What a test's page has loaded, what of it axe has checked, and the scripts' errors."""

    loads: list[str] = field(default_factory=list)
    checked: set[int] = field(default_factory=set)
    script_errors: list[str] = field(default_factory=list)

    def unchecked(self) -> list[str]:
        """Return the addresses of the documents loaded and never checked with axe."""
        return [url for index, url in enumerate(self.loads) if index not in self.checked]


_records: dict[int, PageRecord] = {}


def track(page: Page) -> PageRecord:
    """Start recording the documents ``page`` loads and the errors its scripts throw."""
    record = _records.setdefault(id(page), PageRecord())
    page.on("load", lambda loaded: record.loads.append(loaded.url))
    page.on("pageerror", lambda error: record.script_errors.append(f"{page.url}: {error}"))
    return record


def untrack(page: Page) -> PageRecord:
    """Stop recording for ``page`` and return what it recorded."""
    return _records.pop(id(page), PageRecord())


def record_of(page: Page) -> PageRecord:
    return _records.setdefault(id(page), PageRecord())


def width_of(page: Page) -> int:
    return (page.viewport_size or {"width": 0})["width"]


def _format_violation(violation: dict) -> str:
    lines = [
        f"- {violation['id']} ({violation.get('impact') or 'no impact given'}): "
        f"{violation['help']} <{violation.get('helpUrl', '')}>"
    ]
    for node in violation["nodes"]:
        target = " ".join(str(part) for part in node.get("target", []))
        lines.append(f"    at {target}: {node.get('html', '').strip()[:200]}")
        summary = (node.get("failureSummary") or "").strip().replace("\n", " / ")
        if summary:
            lines.append(f"      {summary[:400]}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Run axe-core (WCAG 2.0/2.1 A and AA, best practices) on the page; fail on any violation."""
    page.wait_for_load_state("load")
    results = _axe.run(page, options=AXE_OPTIONS)
    violations = [v for v in results.response["violations"] if v["id"] not in IGNORED_RULES]
    record = record_of(page)
    if record.loads:
        record.checked.add(len(record.loads) - 1)
    _log_checked(page, len(violations))
    if violations:
        report = "\n".join(_format_violation(violation) for violation in violations)
        pytest.fail(
            f"axe-core found {len(violations)} accessibility violation(s) on {page.url} "
            f"at width {width_of(page)}:\n{report}",
            pytrace=False,
        )


def _log_checked(page: Page, violations: int) -> None:
    """Note which page axe checked at which width, for the summary of what the run covered."""
    AXE_LOG.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0]
    with (AXE_LOG / f"{worker}.log").open("a", encoding="utf-8") as log:
        log.write(f"{width_of(page)}\t{violations}\t{page.url}\t{test}\n")


def write_axe_summary() -> Path | None:
    """Merge the processes' logs into test-results/axe/: every check, and a line per page.

    ``checked.tsv`` lists each check (width, violations, address, test); ``summary.txt`` each
    page once, ids and tokens written as <n>, <uid> and <token>, with the widths it was checked
    at. The per-process logs are removed, so that the next run starts afresh.
    """
    logs = sorted(AXE_LOG.glob("*.log"))
    if not logs:
        return None
    checks = [line for log in logs for line in log.read_text(encoding="utf-8").splitlines()]
    widths: dict[str, set[str]] = {}
    failed: set[str] = set()
    for line in checks:
        width, violations, address, _test = line.split("\t")
        path = re.sub(r"^https?://[^/]+", "", address).split("?")[0].split("#")[0]
        path = re.sub(r"/[\w-]{20,}(?=/)", "/<token>", path)
        path = re.sub(r"(?<=/aktivera/)[\w-]+|(?<=/glomt-losenord/)[\w-]+(?=/set-)", "<uid>", path)
        path = re.sub(r"/\d+(?=/|$)", "/<n>", path)
        widths.setdefault(path, set()).add(width)
        if violations != "0":
            failed.add(path)
    (AXE_LOG / "checked.tsv").write_text("\n".join(checks) + "\n", encoding="utf-8")
    summary = AXE_LOG / "summary.txt"
    summary.write_text(
        "".join(
            f"{path}\t{','.join(sorted(widths[path], key=int))}"
            + ("\tVIOLATIONS" if path in failed else "")
            + "\n"
            for path in sorted(widths)
        ),
        encoding="utf-8",
    )
    for log in logs:
        log.unlink()
    return summary


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG as test-results/screenshots/<name>-<width>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{width_of(page)}.png"
    page.screenshot(path=path, full_page=True)
    return path


def visit(page: Page, path: str, *, status: int = 200, name: str | None = None) -> Response:
    """Open ``path`` (relative to the live server), check the status and accessibility.

    ``name`` also saves a screenshot under that name.
    """
    response = page.goto(path)
    assert response is not None, f"no response for {path}"
    assert response.status == status, (
        f"{path} answered {response.status}, expected {status} (now at {page.url})"
    )
    assert_accessible(page)
    if name:
        screenshot(page, name)
    return response


def follow(page: Page, action: Locator | Callable[[], object], *, name: str | None = None) -> None:
    """Click a link or button (or run ``action``) that loads a new page; check that page."""
    with page.expect_navigation():
        if isinstance(action, Locator):
            action.click()
        else:
            action()
    assert_accessible(page)
    if name:
        screenshot(page, name)


def overflowing(page: Page) -> list[str]:
    """Return the innermost elements that stick out to the right of the window (a page wider
    than the phone); empty when the page fits. Content inside a scrolling region (a
    wide table in ``.table-scroll``) is not counted: it scrolls within its region."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            const found = [];
            for (const element of document.querySelectorAll("body *")) {
                const box = element.getBoundingClientRect();
                // An element's own box, or its text running out of it (a long word).
                const right = Math.max(box.right, box.left + element.scrollWidth);
                if (box.width === 0 || right <= width) continue;
                let inside = false;
                for (let parent = element.parentElement; parent; parent = parent.parentElement) {
                    const style = getComputedStyle(parent);
                    if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX)) {
                        inside = true;
                        break;
                    }
                }
                if (!inside) found.push(element);
            }
            // Name the innermost: what sticks out, not every box around it.
            const innermost = found.filter(
                (element) => !found.some((other) => other !== element && element.contains(other))
            );
            if (!innermost.length) {
                return [`the page (${document.documentElement.scrollWidth} px wide)`];
            }
            return innermost.map((element) => {
                const box = element.getBoundingClientRect();
                const right = Math.max(box.right, box.left + element.scrollWidth);
                const name = element.tagName.toLowerCase()
                    + (element.id ? "#" + element.id : "")
                    + (element.className && typeof element.className === "string"
                        ? "." + element.className.trim().split(/\\s+/).join(".") : "");
                return `${name} (right edge at ${Math.ceil(right)} px of ${width})`;
            });
        }"""
    )


def assert_fits(page: Page) -> None:
    """Fail when the page is wider than the window, naming what sticks out."""
    wide = overflowing(page)
    assert not wide, (
        f"{page.url} is wider than the window at width {width_of(page)}:\n  " + "\n  ".join(wide)
    )
