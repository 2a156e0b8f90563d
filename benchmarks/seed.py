"""Seed 100,000 applications on PostgreSQL and print the time it took and the rows per table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bidrag_seed_dev python benchmarks/seed.py

Migrates the database first. Besides the wall-clock time it prints the CPU time of this process
and of its PostgreSQL backend (when the server runs on this machine), and the load average:
on a shared machine the wall-clock time says as much about the neighbours as about the seed.
``--verify`` also times ``verify_audit``'s check of the whole audit chain.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder is first on sys.path, and benchmarks/queue.py would hide the
# standard library's queue module from everything imported after it.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != ROOT / "benchmarks"]

import argparse  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


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


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--verify", action="store_true", help="Also time verify_audit.")
    options = parser.parse_args()

    setup_django()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    from audit.services import verify_chain
    from decisions.seeding import seed

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: this benchmark is about PostgreSQL.")
    call_command("migrate", verbosity=0)

    models = [
        model
        for label in ("organisations", "grants", "decisions", "audit")
        for model in apps.get_app_config(label).get_models()
    ]
    before = {model._meta.label: model.objects.count() for model in models}
    load_before = os.getloadavg()
    cpu_before = own_cpu_seconds()
    backend_before = backend_cpu_seconds(connection)
    started = time.monotonic()
    result = seed(
        applications=options.applications,
        batch_size=options.batch,
        random_seed=options.seed,
        progress=lambda message: print(f"  {message}", flush=True),
    )
    wall = time.monotonic() - started
    own = own_cpu_seconds() - cpu_before
    backend_after = backend_cpu_seconds(connection)
    load_after = os.getloadavg()

    print(
        f"\nrows per table (added by this run, and in total) on {connection.settings_dict['NAME']}:"
    )
    with connection.cursor() as cursor:
        for model in models:
            label = model._meta.label
            total = model.objects.count()
            cursor.execute("SELECT pg_total_relation_size(%s)", [model._meta.db_table])
            (size,) = cursor.fetchone()
            if total:
                added = total - before[label]
                print(f"  {label:32} {added:>10,} {total:>11,} {size / 2**20:>9.1f} MB")
    print(f"\nseed of {options.applications:,} applications: {wall:.1f} s wall clock")
    print(f"  CPU of this process:      {own:.1f} s")
    if backend_before is not None and backend_after is not None:
        print(f"  CPU of the PostgreSQL backend: {backend_after - backend_before:.1f} s")
    print(
        f"  load average before/after: {load_before[0]:.1f} / {load_after[0]:.1f} "
        f"on {os.cpu_count()} CPUs"
    )
    print(
        f"  peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    if result.batch is not None:
        print(f"  payment batch {result.batch.pk}")
    if options.verify:
        started = time.monotonic()
        check = verify_chain()
        state = "intact" if check.broken is None else f"broken at #{check.broken.pk}"
        print(
            f"verify_audit: {check.checked:,} entries, {state}, {time.monotonic() - started:.1f} s"
        )


if __name__ == "__main__":
    main()
