"""Measure a payment batch's files on 100,000 payments against PostgreSQL's COPY of the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bidrag_exports_bench python benchmarks/exports.py
    DATABASE_URL=... python benchmarks/exports.py --reuse     # use an attested batch already there

Creates the database if it does not exist, migrates it, and seeds an attested batch of
``--payments`` payable payments with ``manage.py seed --applications N --batch M`` unless
``--reuse`` finds one. Then each format (the payment list as CSV and XLSX, the pain.001 bank file,
the SIE ledger file) is written ``--runs`` times to a scratch file, each run in a fresh Python
process so that its peak memory (the process's maximum resident set) is its own; printed are the
median wall-clock time, the time against ``COPY (the payment list's query) TO STDOUT WITH CSV``
(goal for CSV: at most 3 ×), the file's size, and the peak memory (goal: under 300 MB) and how
much of it the export added to the process as it was before the export began.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder is first on sys.path, and benchmarks/queue.py would hide the
# standard library's queue module from everything imported after it.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != ROOT / "benchmarks"]

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

CSV_RATIO_GOAL = 3.0
MEMORY_GOAL_MB = 300
FORMATS = ("csv", "xlsx", "pain001", "sie")


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()


def rss_mb() -> float:
    """Return this process's current resident set size in MB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def attested_batch(payments: int, applications: int, reuse: bool):
    from django.core.management import call_command
    from django.db.models import Count, Q

    from decisions.models import PaymentBatch
    from decisions.workflow import BatchState

    batch = (
        PaymentBatch.objects.filter(state=BatchState.ATTESTED)
        .annotate(size=Count("items", filter=Q(items__active=True)))
        .filter(size__gte=payments)
        .order_by("-pk")
        .first()
    )
    if batch is not None and reuse:
        print(f"reusing attested payment batch {batch.pk} of {batch.size:,} payments")
        return batch
    started = time.monotonic()
    call_command("seed", applications=applications, batch=payments, verbosity=0)
    batch = PaymentBatch.objects.filter(state=BatchState.ATTESTED).order_by("-pk").first()
    print(f"seeded a batch of {payments:,} payments in {time.monotonic() - started:.0f} s")
    return batch


def child(format: str, batch_id: int) -> None:
    """Write one file of the batch in this process and print time and memory as JSON."""
    setup_django()
    from decisions.exports.store import exporters
    from decisions.models import PaymentBatch

    batch = PaymentBatch.objects.select_related("attested_by").get(pk=batch_id)
    exporter = exporters()[format](batch)
    before = rss_mb()
    with tempfile.TemporaryFile() as scratch:
        started, cpu = time.perf_counter(), time.process_time()
        exporter.write(scratch)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        size = scratch.tell()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
    print(
        json.dumps({"seconds": seconds, "cpu": cpu, "bytes": size, "peak": peak, "before": before})
    )


def copy_csv(batch) -> tuple[float, int]:
    """Return the time and size of PostgreSQL's COPY of the payment list's rows to CSV."""
    from django.db import connection

    from decisions.exports.payment_list import PaymentListCsv, PaymentListResource

    resource_ = PaymentListResource(batch)
    lookups = [field.attribute for field in resource_.get_export_fields()]
    queryset = resource_.annotate(PaymentListCsv(batch).payments_for_list()).values_list(*lookups)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        select = cursor.mogrify(sql, params).decode()
        with tempfile.TemporaryFile() as scratch:
            started = time.perf_counter()
            cursor.copy_expert(
                f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER, DELIMITER ';')", scratch
            )
            return time.perf_counter() - started, scratch.tell()


def run_child(format: str, batch_id: int) -> dict:
    output = subprocess.run(  # noqa: S603 - this script, with arguments it built itself
        [sys.executable, __file__, "--child", format, "--batch", str(batch_id)],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=100_000)
    parser.add_argument("--applications", type=int, default=2_000)
    parser.add_argument("--reuse", action="store_true", help="Use an attested batch if there.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=FORMATS, help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child, options.batch)
        return

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the baseline is PostgreSQL's COPY.")
    from benchmarks.database import ensure_database

    ensure_database()
    call_command("migrate", verbosity=0)
    batch = attested_batch(options.payments, options.applications, options.reuse)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    count = batch.items.filter(active=True).count()

    copies = [copy_csv(batch) for _ in range(options.runs + 1)][1:]
    copy_seconds = statistics.median(seconds for seconds, _ in copies)
    load_before = os.getloadavg()
    print(
        f"\npayment batch {batch.pk}: {count:,} payments on {connection.settings_dict['NAME']}, "
        f"median of {options.runs} runs, each in a new process"
    )
    print(
        f"  {'file':10} {'median':>9} {'CPU':>9} {'× COPY':>7} {'size':>9} {'peak':>8} {'added':>8}"
    )
    print(
        f"  {'COPY csv':10} {copy_seconds:>8.2f}s {'':>9} {1:>6.2f}× "
        f"{copies[0][1] / 1e6:>7.1f}MB {'':>8} {'':>8}"
    )
    verdicts = []
    for format in FORMATS:
        runs = [run_child(format, batch.pk) for _ in range(options.runs)]
        seconds = statistics.median(run["seconds"] for run in runs)
        cpu = statistics.median(run["cpu"] for run in runs)
        peak = max(run["peak"] for run in runs)
        added = max(run["peak"] - run["before"] for run in runs)
        ratio = seconds / copy_seconds
        print(
            f"  {format:10} {seconds:>8.2f}s {cpu:>8.2f}s {ratio:>6.2f}× "
            f"{runs[0]['bytes'] / 1e6:>7.1f}MB {peak:>6.0f}MB {added:>6.0f}MB"
        )
        if format == "csv" and ratio > CSV_RATIO_GOAL:
            verdicts.append(f"CSV {ratio:.2f}× COPY (goal ≤ {CSV_RATIO_GOAL}×)")
        if peak >= MEMORY_GOAL_MB:
            verdicts.append(f"{format} peak {peak:.0f} MB (goal < {MEMORY_GOAL_MB} MB)")
    load_after = os.getloadavg()
    print(
        f"  load average before/after: {load_before[0]:.1f} / {load_after[0]:.1f} "
        f"on {os.cpu_count()} CPUs"
    )
    print(f"exports benchmark: {'; '.join(verdicts) if verdicts else 'every goal met'}")


if __name__ == "__main__":
    main()
