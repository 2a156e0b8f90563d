"""Time the register of granted support on a large database: the first page, a search, a year,
and every grant as CSV and as JSON (streamed), read only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bidrag_stats_bench python benchmarks/open_data.py

The database must already be seeded (``manage.py seed --applications 100000``); nothing is
written to it. Printed per request: the median wall-clock time of ``--runs`` runs, the number of
queries, the size of the response, and the process's peak memory after the run.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder is first on sys.path; keep benchmarks/queue.py from hiding
# the standard library's queue module.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != ROOT / "benchmarks"]

import argparse  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def fetch(params: dict) -> tuple[float, int, int]:
    """Return the seconds, queries and bytes of one request to the register."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection, reset_queries
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from decisions.views.open_data import register

    request = RequestFactory().get("/beviljade-bidrag/", params)
    request.user = AnonymousUser()
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = register(request)
        if response.streaming:
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
        elapsed = time.perf_counter() - started
    return elapsed, len(queries), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    setup_django()
    from decisions.open_data import decision_years, published_decisions

    years = decision_years()
    print(f"{published_decisions().count():,} grants in the register, years {years}")
    cases = [
        ("page 1", {}),
        ("page 40", {"page": "40"}),
        ("search 'förening'", {"q": "förening"}),
        (f"year {years[0] if years else ''}", {"year": years[0] if years else ""}),
        ("CSV, every grant", {"format": "csv"}),
        ("JSON, every grant", {"format": "json"}),
    ]
    for name, params in cases:
        timings = []
        for _run in range(arguments.runs):
            seconds, queries, size = fetch(params)
            timings.append(seconds)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{name:<22} {statistics.median(timings) * 1000:8.0f} ms  {queries} queries  "
            f"{size / 1024:9.0f} KiB  peak {peak:.0f} MB"
        )
    print(f"measured {len(cases)} requests × {arguments.runs} runs")


if __name__ == "__main__":
    main()
