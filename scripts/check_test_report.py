"""Read pytest's JUnit XML report and fail on no tests run or on a skip nobody allowed.

CI runs the suite on PostgreSQL, where nothing should be skipped: a test that skips there is a
test that silently stopped testing. Each ``--allow`` is a regular expression; a skipped test
passes the check only when its reason matches one of them. Expected failures (xfail) did run:
they are listed with their reasons, so known bugs stay in sight, but do not fail the check.

Prints the outcome as one plain line, ``pytest: N passed, N failed, N skipped``, and exits 1
when the report is missing, no test ran, or a skip is not allowed.
"""

import argparse
import ast
import re
import sys
import xml.etree.ElementTree as ET  # noqa: S405 - our own pytest's report, not untrusted input
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Outcome:
    test: str
    reason: str


@dataclass
class Report:
    passed: int = 0
    failed: int = 0
    skipped: list[Outcome] = field(default_factory=list)
    xfailed: list[Outcome] = field(default_factory=list)


def skip_reason(skipped: ET.Element) -> str:
    """Return why a test was skipped, also for a module skipped while it was collected."""
    message = skipped.get("message") or ""
    text = (skipped.text or "").strip()
    if message != "collection skipped":
        return message or text
    # The text is the repr of (path, line, "Skipped: <reason>").
    try:
        _path, _line, reason = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError):
        return text or message
    return str(reason).removeprefix("Skipped: ")


def read_report(path: Path) -> Report:
    """Return the outcomes of the test cases in a JUnit XML report."""
    report = Report()
    for case in ET.parse(path).getroot().iter("testcase"):  # noqa: S314
        name = "::".join(part for part in (case.get("classname"), case.get("name")) if part)
        skipped = case.find("skipped")
        if case.find("failure") is not None or case.find("error") is not None:
            report.failed += 1
        elif skipped is None:
            report.passed += 1
        elif skipped.get("type") == "pytest.xfail":
            report.xfailed.append(Outcome(test=name, reason=skip_reason(skipped)))
        else:
            report.skipped.append(Outcome(test=name, reason=skip_reason(skipped)))
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("--allow", action="append", default=[], metavar="REGEX")
    args = parser.parse_args()

    if not args.report.is_file():
        print(f"test report: {args.report} was not written (pytest did not get to run?)")
        return 1
    report = read_report(args.report)
    allowed = [re.compile(pattern) for pattern in args.allow]
    refused = [s for s in report.skipped if not any(p.search(s.reason) for p in allowed)]

    for skip in report.skipped:
        verdict = "NOT ALLOWED" if skip in refused else "allowed"
        print(f"  skipped ({verdict}): {skip.test}: {skip.reason}")
    for xfail in report.xfailed:
        print(f"  xfailed (a known failure, still run): {xfail.test}: {xfail.reason}")
    if report.xfailed:
        print(f"xfailed: {len(report.xfailed)}")
    print(f"pytest: {report.passed} passed, {report.failed} failed, {len(report.skipped)} skipped")

    if report.passed + report.failed + len(report.xfailed) == 0:
        print("test report: no test ran")
        return 1
    if refused:
        print(
            f"test report: {len(refused)} test(s) skipped for a reason not in .ci/run's"
            " ALLOWED_SKIPS; on PostgreSQL every test must run"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
