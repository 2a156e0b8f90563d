"""Measure the case queue (/handlaggning/) with 100,000 applications on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bidrag_queue_bench python benchmarks/queue.py
    DATABASE_URL=... python benchmarks/queue.py --reuse      # keep the seeded database

Creates the database if it does not exist, migrates it and seeds it with ``manage.py seed``
(about two minutes), unless ``--reuse`` finds enough applications there already. Then it logs an
officer in, declares jäv for a few organisations as an officer would, and requests each page of
the queue in this process with Django's test ``Client``: the time printed is the server's time
for the whole request (middleware, queries and template), without a network. Each page is
requested ``--warmup`` times first, then ``--runs`` times; printed are the median and 95th
percentile of the wall-clock time, the CPU time per request of this process and of its
PostgreSQL backend together (not of parallel query workers; on a shared machine the wall clock
says as much about the neighbours as about the page), the queries of one request, the cases
matched and the jäv cases listed apart.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder is first on sys.path, and the file's name would hide the
# standard library's queue module from everything imported after it.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != ROOT / "benchmarks"]

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

#: Under this median every page of the queue must answer (issue 4).
TARGET_MS = 150


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Measure as deployed: no query log, and one connection kept across requests.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("CONN_MAX_AGE", "60")
    import django

    django.setup()


def seed_if_needed(applications: int, reuse: bool) -> None:
    from django.core.management import call_command

    from grants.models import Application

    present = Application.objects.count()
    if reuse and present >= applications:
        print(f"reusing {present:,} applications")
        return
    started = time.monotonic()
    call_command("seed", applications=applications)
    print(f"seeded {applications:,} applications in {time.monotonic() - started:.0f} s")


def officer_with_jav(conflicts: int):
    """Return a culture officer who has declared jäv for ``conflicts`` organisations."""
    from django.db.models import Count

    from grants import permissions, services
    from grants.models import ConflictOfInterest
    from organisations.models import Organisation, User

    officer = (
        User.objects.filter(groups__permissions__codename=permissions.HANDLE.split(".")[1])
        .filter(is_active=True)
        .order_by("pk")
        .first()
    )
    if officer is None:
        sys.exit("No culture officer in the database: seed it first.")
    declared = set(
        ConflictOfInterest.objects.filter(user=officer).values_list("organisation_id", flat=True)
    )
    # The organisations with the most applications: the jäv cases are then many.
    busiest = (
        Organisation.objects.exclude(pk__in=declared)
        .alias(cases=Count("applications"))
        .order_by("-cases", "pk")[: max(0, conflicts - len(declared))]
    )
    for organisation in busiest:
        services.conflict_declare(
            user=officer, organisation=organisation, reason="Benchmark: board member", actor=officer
        )
    return officer


def scenarios(officer) -> list[tuple[str, dict]]:
    """Return the pages to measure, named, with their query parameters."""
    from django.db.models import Count

    from grants import selectors
    from grants.filters import DEFAULT_PAGE_SIZE
    from grants.models import Organisation

    cases = selectors.applications_for_caseworker(user=officer).filter(case_number__isnull=False)
    busiest_call = cases.order_by().values("call").annotate(n=Count("pk")).order_by("-n")[0]["call"]
    # A case number in the middle of the list, and a word of an organisation's name.
    case_number = cases.order_by("case_number").values_list("case_number", flat=True)[
        cases.count() // 2
    ]
    name = (
        Organisation.objects.filter(applications__in=cases)
        .order_by("pk")
        .values_list("name", flat=True)
        .first()
    )
    fragment = max(name.split(), key=len)[:7].lower()
    total = cases.count()
    last_page = -(-total // DEFAULT_PAGE_SIZE)
    return [
        ("default queue", {}),
        ("call + state", {"call": busiest_call, "state": "under_review"}),
        (f"search organisation '{fragment}'", {"q": fragment}),
        (f"search case number '{case_number}'", {"q": case_number}),
        ("sort by amount", {"sort": "-amount"}),
        (f"last page ({last_page})", {"page": last_page}),
        (f"middle page ({last_page // 2}), by amount", {"page": last_page // 2, "sort": "amount"}),
        ("per_page=100", {"per_page": 100}),
        ("sort by organisation", {"sort": "organisation"}),
        ("sort by state", {"sort": "state"}),
        ("overdue completion", {"overdue": "on"}),
        (
            "municipality + type + amount",
            {"municipality": "2380", "org_type": "association", "amount_min": 50000},
        ),
    ]


def queue_page(officer, params: dict):
    """Return what the page shows for these parameters, read through the selector."""
    from types import SimpleNamespace

    from django.http import QueryDict

    from grants import selectors
    from grants.filters import QueueFilter

    filters = QueueFilter(QueryDict(urlencode(params)), request=SimpleNamespace(user=officer))
    return selectors.applications_for_queue(user=officer, filters=filters, page=params.get("page"))


def backend_cpu_seconds(connection) -> float | None:
    """Return the CPU time of this connection's PostgreSQL backend, if it runs on this host."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime are fields 14 and 15 of /proc/PID/stat (1-based), in clock ticks.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(client, url: str, *, runs: int, warmup: int) -> tuple[list[float], int, float | None]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    # Counted now: the next request empties the connection's query log.
    queries = len(captured)
    times = []
    backend_before, cpu_before = backend_cpu_seconds(connection), time.process_time()
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    cpu = time.process_time() - cpu_before
    backend_after = backend_cpu_seconds(connection)
    if backend_before is not None and backend_after is not None:
        cpu += backend_after - backend_before
    else:
        cpu = None
    return times, queries, cpu * 1000 / runs if cpu is not None else None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="Use the seeded data if enough.")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--conflicts", type=int, default=3, help="Organisations with jäv.")
    options = parser.parse_args()

    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: this benchmark is about PostgreSQL.")
    from benchmarks.database import ensure_database

    ensure_database()
    call_command("migrate", verbosity=0)
    seed_if_needed(options.applications, options.reuse)
    with connection.cursor() as cursor:
        # What autovacuum does after a bulk load: statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE")

    officer = officer_with_jav(options.conflicts)
    client = Client()
    client.force_login(officer)
    with translation.override("sv"):
        queue = reverse("casework:queue")

    print(
        f"\nqueue of {officer.full_name} (jäv for {options.conflicts} organisations) on "
        f"{connection.settings_dict['NAME']}, {options.runs} runs after {options.warmup} warm-up"
    )
    print(
        f"  {'page':44} {'median':>8} {'p95':>8} {'CPU':>8} {'queries':>8} {'cases':>8} {'jäv':>5}"
    )
    over = []
    load_before = os.getloadavg()
    for name, params in scenarios(officer):
        url = f"{queue}?{urlencode(params)}" if params else queue
        times, queries, cpu = measure(client, url, runs=options.runs, warmup=options.warmup)
        page = queue_page(officer, params)
        median = statistics.median(times)
        if median >= TARGET_MS:
            over.append(name)
        print(
            f"  {name:44} {median:>6.1f}ms {percentile(times, 0.95):>6.1f}ms "
            f"{cpu if cpu is not None else float('nan'):>6.1f}ms "
            f"{queries:>8} {page.total:>8,} {len(page.conflict_case_numbers):>5}"
        )
    load_after = os.getloadavg()
    print(
        f"  load average before/after: {load_before[0]:.1f} / {load_after[0]:.1f} "
        f"on {os.cpu_count()} CPUs"
    )
    verdict = f"over {TARGET_MS} ms: {', '.join(over)}" if over else f"all under {TARGET_MS} ms"
    print(f"queue benchmark: {verdict}")


if __name__ == "__main__":
    main()
