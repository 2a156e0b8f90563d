"""Measure decision letters on PostgreSQL: the time per letter, and parallel workers' throughput.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bidrag_letters_bench python benchmarks/letters.py
    DATABASE_URL=... python benchmarks/letters.py --reuse      # keep the decided cases

Creates the database if it does not exist (its name must contain "bench": the benchmark decides
cases and clears their letters), migrates it, seeds applications with ``manage.py seed`` and
decides ``--letters`` of the proposed ones through ``decisions.services.decision_record``, as
decision makers and the committee secretary would: approvals in full and in part, rejections and
dismissals, by delegation and by the committee, with reasons of three lengths, in the letter
language each applicant chose. For a few grants the programme's payment plan is set to three or
four instalments first, as an administrator would, and set back after. ``--reuse`` keeps the
decisions made here before when there are enough (the seed's own decisions, written in bulk with
no letter queued, are not used).

Per letter: ``--sample`` decisions chosen to cover the mix are each rendered, interleaved and
after a warm-up, ``--runs`` times by ``render_decision_letter`` (the HTML from the snapshot, the
PDF/A-3b, the tags, the attached snapshot) and by WeasyPrint alone rendering the same HTML, made
once beforehand, with its default options as a developer would call it. The ratio of the
medians is held to 1.15. A third line renders the HTML with WeasyPrint alone and the archival
options (PDF/A-3b, tagged): what the options cost, and what reusing the font configuration and
URL fetcher saves.

Throughput: the letters of ``--letters`` decisions are queued as ``decision_letter_send`` tasks
(``TASK_BACKEND=django_tasks_db.DatabaseBackend``, e-mail to Django's in-memory backend) and
rendered, stored and sent by ``manage.py db_worker`` processes, first one, then ``--workers``;
each run is timed from starting the workers until every letter is stored, and the letters are
cleared in between. ``--workers`` processes must reach 1.7 times the throughput of one. Printed
besides: the CPU time the workers used per letter and how busy the machine's CPUs were, and the
load average: on a shared machine the wall clock says as much about the neighbours as about
the letters.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder is first on sys.path, and benchmarks/queue.py would hide the
# standard library's queue module from everything imported after it.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != ROOT / "benchmarks"]

import argparse  # noqa: E402
import hashlib  # noqa: E402
import io  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from decimal import ROUND_DOWN, Decimal  # noqa: E402

#: render_decision_letter may take at most this many times WeasyPrint's own time (issue 5).
TARGET_RATIO = 1.15
#: Two workers must render at least this many times the letters per second of one (issue 5).
TARGET_SPEEDUP = 1.7

TASK_PATH = "decisions.delivery.decision_letter_send"
#: When the queued tasks that are not measured may run: not during the benchmark.
LATER = datetime(9000, 1, 1, tzinfo=UTC)
#: Busy CPUs (of all) under which the machine counts as quiet enough to start measuring.
QUIET_CPUS = 0.3
#: How often the throughput run looks whether every letter is stored, in seconds.
POLL_SECONDS = 0.2

#: The payment plans an administrator may give a programme, beyond the seed's one and two steps.
LONGER_PLANS = {
    3: [
        {"share": "0.5", "trigger": "on_decision"},
        {"share": "0.3", "trigger": "on_request"},
        {"share": "0.2", "trigger": "on_report_accepted"},
    ],
    4: [
        {"share": "0.4", "trigger": "on_decision"},
        {"share": "0.2", "trigger": "on_request"},
        {"share": "0.2", "trigger": "on_request"},
        {"share": "0.2", "trigger": "on_report_accepted"},
    ],
}

#: What the officers write after the one-line reasons of the seed's vocabulary: the rules
#: applied and the circumstances, for medium and long reasons (a line starting "- " is a list
#: item in the letter).
MORE_REASONS = {
    "sv": [
        "Regionen har prövat ansökan mot villkoren för bidraget och mot Regional "
        "kulturplan för Jämtlands län 2024–2027. Vid bedömningen har särskild vikt lagts vid "
        "konstnärlig kvalitet, regional nytta och verksamhetens betydelse för barn och unga, "
        "liksom vid budgetens rimlighet och sökandens förmåga att genomföra verksamheten.",
        "Följande omständigheter har varit avgörande:\n"
        "- verksamheten når deltagare i flera av länets kommuner, även utanför Östersund;\n"
        "- sökanden har tidigare genomfört liknande verksamhet och redovisat den i tid;\n"
        "- budgeten har en egen insats och medfinansiering från kommunen;\n"
        "- tillgänglighet för personer med funktionsnedsättning är planerad från början;\n"
        "- antalet ansökningar i utlysningen var stort i förhållande till tillgängliga medel.\n\n"
        "Regionen har även vägt in att liknande verksamhet redan får stöd i länet och att "
        "medlen ska räcka till så många angelägna ansökningar som möjligt. Bedömningen har "
        "gjorts i konkurrens med övriga ansökningar i samma utlysning.",
    ],
    "en": [
        "The region has examined the application against the conditions of the grant and the "
        "Regional Cultural Plan for Jämtland County 2024–2027. Particular weight has been given "
        "to artistic quality, regional benefit and the activity's importance for children and "
        "young people, as well as to a realistic budget and the applicant's ability to carry "
        "out the activity.",
        "The following circumstances decided the matter:\n"
        "- the activity reaches participants in several of the county's municipalities;\n"
        "- the applicant has carried out similar activities before and reported on time;\n"
        "- the budget includes the applicant's own contribution and municipal co-financing;\n"
        "- accessibility for people with disabilities is planned from the start;\n"
        "- the call received many applications compared with the funds available.\n\n"
        "The region has also considered that similar activities already receive support in the "
        "county and that the funds should reach as many worthwhile applications as possible. "
        "The application has been assessed in competition with the others in the same call.",
    ],
}
#: The seed's conditions of a grant (decisions.seeding.vocabulary.CONDITIONS) in English.
ENGLISH_CONDITIONS = (
    "The grant must be used as described in the application. Major changes must be approved in "
    "writing by the region. Region Jämtland Härjedalen must be credited as a funder in all "
    "communication. Participants must be informed about accessibility."
)
#: The seed's one-line reasons (decisions.seeding.vocabulary.REASONS) in English, for the
#: letters applicants asked for in English.
ENGLISH_REASONS = {
    "approved": "The application meets the purpose of the grant, with a realistic budget and a "
    "clear target group.",
    "approved_partly": "The application is granted in part: the activity is worthwhile, but the "
    "funds available do not cover the whole amount.",
    "rejected": "The application is rejected: in competition with other applications the "
    "project is judged to be of lower regional importance.",
    "dismissed": "The application is dismissed because the applicant is not eligible for the "
    "grant.",
}


def database_name() -> str:
    import dj_database_url

    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("Set DATABASE_URL to a PostgreSQL database whose name contains 'bench'.")
    return dj_database_url.parse(url)["NAME"] or ""


def setup_django(name: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Measure as deployed: no query log, and one connection kept across tasks.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("CONN_MAX_AGE", "60")
    # The letters go through the database queue to the workers started below, and their
    # e-mails to Django's in-memory outbox: nothing printed, nothing sent.
    os.environ["TASK_BACKEND"] = "django_tasks_db.DatabaseBackend"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    # The bench's files (letters, the seed's attachment) apart from the demo's.
    files = ROOT / "var" / "bench" / name
    os.environ.setdefault("MEDIA_ROOT", str(files / "media"))
    os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(files / "private"))
    import django

    django.setup()


# Deciding the cases


def letter_decisions():
    """Return the decisions made here through ``decision_record``, which queued their letters.

    The seed's own decisions are written in bulk, with no letter queued: they are not counted.
    """
    from django_tasks_db.models import DBTaskResult

    from decisions.models import Decision

    queued = DBTaskResult.objects.filter(task_path=TASK_PATH).values_list("args_kwargs", flat=True)
    ids = {args_kwargs["kwargs"]["decision_id"] for args_kwargs in queued.iterator()}
    return Decision.objects.filter(pk__in=ids, snapshot__version__gte=2).order_by("pk")


def applications_to_seed(proposed: int) -> int:
    """Return how many applications ``manage.py seed`` needs for ``proposed`` proposed ones."""
    from decisions.seeding.timeline import STATE_SHARES, state_counts
    from grants.workflow import ApplicationState

    count = math.ceil(proposed * 1000 / STATE_SHARES[ApplicationState.PROPOSED])
    while state_counts(count)[ApplicationState.PROPOSED] < proposed:
        count += 100
    return count


def ensure_decisions(count: int, reuse: bool) -> None:
    """Decide ``count`` proposed cases through the services, seeding proposals if too few."""
    from django.core.management import call_command

    from grants.models import Application
    from grants.workflow import ApplicationState

    present = letter_decisions().count()
    if reuse and present >= count:
        print(f"reusing {present:,} decisions made through decision_record")
        return
    needed = count - present if reuse else count
    proposed = Application.objects.filter(state=ApplicationState.PROPOSED)
    missing = needed - proposed.count()
    if missing > 0:
        applications = applications_to_seed(missing)
        started = time.monotonic()
        call_command(
            "seed",
            applications=applications,
            random_seed=Application.objects.count() + 1,
            stdout=io.StringIO(),
        )
        print(f"seeded {applications:,} applications in {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    decided, committee = decide(list(proposed.order_by("pk")[:needed]))
    print(
        f"decided {decided:,} cases through decision_record ({committee:,} by the committee) "
        f"in {time.monotonic() - started:.0f} s"
    )


def decide(applications) -> tuple[int, int]:
    """Decide each application as a decision maker (or the committee) would; return the counts."""
    from django.contrib.auth.models import Group

    from decisions.models import Decision
    from decisions.seeding.vocabulary import CONDITIONS as SWEDISH_CONDITIONS
    from decisions.seeding.vocabulary import REASONS
    from decisions.services import decision_record
    from grants.permissions import Role
    from organisations.errors import WorkflowError

    deciders = list(Group.objects.get(name=Role.DECISION_MAKER).user_set.filter(is_active=True))
    secretaries = list(Group.objects.get(name=Role.SECRETARY).user_set.filter(is_active=True))
    conditions = {"sv": SWEDISH_CONDITIONS, "en": ENGLISH_CONDITIONS}
    rng = random.Random(5)
    decided = by_committee = 0
    Outcome = Decision.Outcome
    for application in applications:
        outcome = rng.choices(
            [Outcome.APPROVED, Outcome.APPROVED_PARTLY, Outcome.REJECTED, Outcome.DISMISSED],
            [35, 25, 30, 10],
        )[0]
        language = application.letter_language
        first = ENGLISH_REASONS[outcome] if language == "en" else rng.choice(REASONS[outcome])
        reasons = "\n\n".join([first, *MORE_REASONS[language][: rng.choice([0, 1, 2])]])
        requested = application.requested_amount
        amount = None
        if outcome == Outcome.APPROVED:
            amount = requested
        elif outcome == Outcome.APPROVED_PARTLY:
            amount = (requested * Decimal(str(rng.uniform(0.4, 0.9)))).quantize(
                Decimal("100") if requested > 1000 else Decimal("1"), ROUND_DOWN
            )
            if not 0 < amount < requested:
                amount = (requested / 2).quantize(Decimal("1"), ROUND_DOWN)
        instalments = rng.choices([None, 3, 4], [80, 10, 10])[0]
        plan = LONGER_PLANS[instalments] if instalments and outcome in Decision.GRANTING else None
        # A fifth of the cases go to the committee anyway, and every case above delegation.
        committee = rng.random() < 0.2
        arguments = {
            "application": application,
            "outcome": outcome,
            "reasons": reasons,
            "amount": amount,
            "conditions": conditions[language] if outcome in Decision.GRANTING else "",
        }
        with payment_plan(application.call.programme_id, plan):
            done = False
            if not committee:
                for decider in rng.sample(deciders, len(deciders)):
                    try:
                        decision_record(actor=decider, **arguments)
                        done = True
                        break
                    except WorkflowError as error:
                        if error.code == "over_delegation":
                            break
                        # Jäv or four-eyes: another decision maker decides.
            if not done:
                done = record_at_meeting(arguments, secretaries)
                by_committee += done
        decided += done
    return decided, by_committee


def record_at_meeting(arguments: dict, secretaries: list) -> bool:
    """Record the case as decided by today's committee meeting, under its call's §, as the
    committee secretary; return whether it was recorded."""
    from django.utils import timezone

    from decisions.seeding.vocabulary import COMMITTEE_BODY
    from decisions.services import CommitteeMeeting, decision_record
    from organisations.errors import WorkflowError

    call_id = arguments["application"].call_id
    for secretary in secretaries:
        # One § per call; a § whose decision list is produced is closed, so take the next.
        for offset in range(0, 1000, 100):
            committee = CommitteeMeeting(
                body=COMMITTEE_BODY,
                meeting_date=timezone.localdate(),
                paragraph=f"§ {10 + call_id + offset}",
            )
            try:
                decision_record(actor=secretary, committee=committee, **arguments)
                return True
            except WorkflowError as error:
                if error.code != "paragraph_used":
                    break
    return False


@contextmanager
def payment_plan(programme_id: int, plan: list[dict] | None):
    """Give the programme ``plan`` while the block runs, as an administrator would, if any."""
    from grants.models import Programme

    if plan is None:
        yield
        return
    original = Programme.objects.values_list("payment_plan", flat=True).get(pk=programme_id)
    Programme.objects.filter(pk=programme_id).update(payment_plan=plan)
    try:
        yield
    finally:
        Programme.objects.filter(pk=programme_id).update(payment_plan=original)


# Per letter


def sample_mix(decisions, size: int) -> list:
    """Return ``size`` decisions that together cover the mix: outcome, language, committee,
    instalments and length of the reasons, each value as evenly as the decisions allow."""
    chosen, seen = [], {}
    candidates = list(decisions)
    while candidates and len(chosen) < size:
        best = max(
            candidates,
            key=lambda decision: (
                sum(1 / (1 + seen.get(feature, 0)) for feature in features(decision)),
                -decision.pk,
            ),
        )
        chosen.append(best)
        candidates.remove(best)
        for feature in features(best):
            seen[feature] = seen.get(feature, 0) + 1
    return chosen


def features(decision) -> list[tuple[str, object]]:
    snapshot = decision.snapshot
    length = len(snapshot["reasons"])
    return [
        ("outcome", snapshot["outcome"]),
        ("language", snapshot["language"]),
        ("committee", snapshot["committee"] is not None),
        ("instalments", len(snapshot["payment_plan"]) or "none"),
        ("reasons", "short" if length < 300 else "medium" if length < 800 else "long"),
    ]


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def per_letter(options) -> float:
    """Time the letters of a sample of decisions; print the figures and return the ratio."""
    import weasyprint
    from django.conf import settings

    from decisions.letters import PDF_OPTIONS, decision_letter_html, render_decision_letter

    decisions = sample_mix(letter_decisions(), options.sample)
    if not decisions:
        sys.exit("No decisions made here: run without --reuse.")
    base_url = str(settings.BASE_DIR)
    html = {decision.pk: decision_letter_html(decision) for decision in decisions}

    def ours(decision):
        return render_decision_letter(decision)

    def weasyprint_default(decision):
        return weasyprint.HTML(string=html[decision.pk], base_url=base_url).write_pdf()

    def weasyprint_archival(decision):
        return weasyprint.HTML(string=html[decision.pk], base_url=base_url).write_pdf(**PDF_OPTIONS)

    def template(decision):
        return decision_letter_html(decision)

    methods = [ours, weasyprint_default, weasyprint_archival, template]
    for decision in decisions[: options.warmup]:
        for method in methods:
            method(decision)
    wall = {method: [] for method in methods}
    cpu = {method: [] for method in methods}
    by_decision = {method: {decision.pk: [] for decision in decisions} for method in methods}
    digests = {decision.pk: set() for decision in decisions}
    sizes, default_sizes = {}, {}
    busy_before = wait_for_quiet(options.wait_quiet)
    load_before = os.getloadavg()
    total_before, idle_before = cpu_jiffies()
    for run in range(options.runs):
        for index, decision in enumerate(decisions):
            # Each method goes first as often as the others: no one gets the warm caches.
            shift = (run + index) % len(methods)
            for method in methods[shift:] + methods[:shift]:
                cpu_started, started = time.process_time(), time.perf_counter()
                result = method(decision)
                elapsed = time.perf_counter() - started
                cpu[method].append(time.process_time() - cpu_started)
                wall[method].append(elapsed)
                by_decision[method][decision.pk].append(elapsed)
                if method is ours:
                    digests[decision.pk].add(hashlib.sha256(result).hexdigest())
                    sizes[decision.pk] = len(result)
                elif method is weasyprint_default:
                    default_sizes[decision.pk] = len(result)
    load_after = os.getloadavg()
    total_after, idle_after = cpu_jiffies()
    busy = (1 - (idle_after - idle_before) / max(1, total_after - total_before)) * os.cpu_count()
    pages = [
        len(weasyprint.HTML(string=html[decision.pk], base_url=base_url).render().pages)
        for decision in decisions
    ]

    ratio = median_ms(wall[ours]) / median_ms(wall[weasyprint_default])
    cpu_ratio = median_ms(cpu[ours]) / median_ms(cpu[weasyprint_default])
    per_decision = sorted(
        statistics.median(by_decision[ours][pk])
        / statistics.median(by_decision[weasyprint_default][pk])
        for pk in by_decision[ours]
    )
    mix = Counter()
    for decision in decisions:
        for feature in features(decision):
            mix[feature] += 1

    print(
        f"\nper letter: {len(decisions)} decisions, {options.runs} runs each, interleaved, after "
        f"a warm-up of {min(options.warmup, len(decisions))}"
    )
    for name in ("outcome", "language", "committee", "instalments", "reasons"):
        values = ", ".join(
            f"{value} {count}"
            for (key, value), count in sorted(mix.items(), key=str)
            if key == name
        )
        print(f"  {name:12} {values}")
    print(
        f"  pages {min(pages)}–{max(pages)} (median {statistics.median(pages):g}); PDF "
        f"{min(sizes.values()) / 1024:.0f}–{max(sizes.values()) / 1024:.0f} KB archival, "
        f"{min(default_sizes.values()) / 1024:.0f}–{max(default_sizes.values()) / 1024:.0f} KB "
        f"WeasyPrint's default"
    )
    print(f"  {'':58} {'median':>8} {'p95':>8} {'CPU':>8}")
    rows = [
        ("render_decision_letter (HTML + PDF/A-3b + tags + JSON)", ours),
        ("WeasyPrint alone, same HTML, default options", weasyprint_default),
        ("WeasyPrint alone, same HTML, pdf/a-3b + pdf_tags", weasyprint_archival),
        ("decision_letter_html alone (template from snapshot)", template),
    ]
    for label, method in rows:
        print(
            f"  {label:58} {median_ms(wall[method]):>6.1f}ms "
            f"{percentile(wall[method], 0.95) * 1000:>6.1f}ms {median_ms(cpu[method]):>6.1f}ms"
        )
    print(
        f"  ratio of medians, render_decision_letter / WeasyPrint alone: {ratio:.3f} "
        f"(goal ≤ {TARGET_RATIO})"
    )
    print(
        f"    per decision {per_decision[0]:.2f}–{per_decision[-1]:.2f} (median "
        f"{statistics.median(per_decision):.3f}); of the CPU-time medians {cpu_ratio:.3f}"
    )
    deterministic = all(len(found) == 1 for found in digests.values())
    print(
        f"  render_decision_letter gave the same bytes each run: {'yes' if deterministic else 'NO'}"
    )
    print(
        f"  load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f}; CPUs busy "
        f"before/during: {busy_before:.2f} / {busy:.2f} of {os.cpu_count()} (this process: 1)"
    )
    return ratio


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# Throughput


def cpu_jiffies() -> tuple[int, int]:
    """Return the machine's CPU time so far, all and idle, in clock ticks (from /proc/stat)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return sum(fields[:8]), idle


def cpus_busy(seconds: float) -> float:
    """Return how many of the machine's CPUs were busy, on average, over the next ``seconds``."""
    total_before, idle_before = cpu_jiffies()
    time.sleep(seconds)
    total_after, idle_after = cpu_jiffies()
    return (1 - (idle_after - idle_before) / max(1, total_after - total_before)) * os.cpu_count()


def wait_for_quiet(limit: float) -> float:
    """Wait up to ``limit`` seconds for the neighbours to leave the CPUs alone; return how busy
    they were over the last three seconds."""
    deadline = time.monotonic() + limit
    busy = cpus_busy(3)
    if busy > QUIET_CPUS and limit > 0:
        print(
            f"  waiting up to {limit:.0f} s for a quiet machine ({busy:.2f} CPUs busy)", flush=True
        )
        while busy > QUIET_CPUS and time.monotonic() < deadline:
            busy = cpus_busy(3)
    return busy


def process_cpu_seconds(pid: int) -> float | None:
    """Return a process's CPU time so far, if it runs on this host and still exists."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime are fields 14 and 15 of /proc/PID/stat (1-based), in clock ticks.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def note_backends(seen: dict[int, float], *, ignore: set[int]) -> None:
    """Note the CPU time so far of the other PostgreSQL backends serving this database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        for (pid,) in cursor.fetchall():
            cpu = process_cpu_seconds(pid) if pid not in ignore else None
            if cpu is not None:
                seen[pid] = max(seen.get(pid, 0.0), cpu)


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def clear_letters(ids: list[int]) -> None:
    """Delete the stored letters of these decisions, on a bench database only."""
    from django.db import connection

    from decisions.models import Decision
    from organisations.files import private_storage

    if "bench" not in connection.settings_dict["NAME"]:
        sys.exit("Refusing to clear letters outside a database whose name contains 'bench'.")
    storage = private_storage()
    stored = Decision.objects.filter(pk__in=ids).exclude(letter="")
    for name in stored.values_list("letter", flat=True):
        storage.delete(name)
    stored.update(letter="", letter_sha256="")


def queue_letters(ids: list[int]) -> None:
    """Queue each decision's letter again, with the arguments ``decision_record`` gave it."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from decisions.delivery import decision_letter_send

    earlier = DBTaskResult.objects.filter(
        task_path=TASK_PATH, args_kwargs__kwargs__decision_id__in=ids
    )
    arguments = {}
    for args_kwargs in earlier.order_by("enqueued_at").values_list("args_kwargs", flat=True):
        arguments[args_kwargs["kwargs"]["decision_id"]] = args_kwargs["kwargs"]
    missing = sorted(set(ids) - set(arguments))
    if missing:
        sys.exit(
            f"No queued letter task to repeat for {len(missing)} decisions (e.g. {missing[:3]}): "
            "the queue was pruned. Run without --reuse to decide new cases."
        )
    with transaction.atomic():
        earlier.delete()
        queued = [decision_letter_send.enqueue(**arguments[pk]).id for pk in ids]
        # What else waits in the queue (the letters of the decisions not measured, the
        # committee's decision lists) is put off, so that the workers run these letters only.
        postponed = DBTaskResult.objects.ready().exclude(pk__in=queued).update(run_after=LATER)
    if postponed:
        print(f"  put off {postponed:,} other queued tasks (run_after {LATER:%Y-%m-%d})")


def throughput(ids: list[int], workers: int, log: Path, quiet: float) -> dict:
    """Run ``workers`` db_worker processes until every letter is stored; return the figures."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from decisions.models import Decision

    clear_letters(ids)
    queue_letters(ids)
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "db_worker",
        # Exit when the queue is empty, start at once, never sleep while there are tasks.
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "--interval",
        "0",
        "--verbosity",
        "0",
    ]
    busy_before = wait_for_quiet(quiet)
    load = os.getloadavg()
    # The workers' PostgreSQL backends are the ones that appear from now on.
    backends, earlier = {}, {}
    note_backends(earlier, ignore=set())
    children_before = children_cpu_seconds()
    total_before, idle_before = cpu_jiffies()
    started = time.perf_counter()
    first = None
    with log.open("ab") as output:
        processes = [
            subprocess.Popen(  # noqa: S603
                [*command, "--worker-id", f"letters-bench-{workers}-{number}"],
                cwd=ROOT,
                env=os.environ,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
            for number in range(workers)
        ]
        try:
            stored = 0
            while stored < len(ids):
                time.sleep(POLL_SECONDS)
                stored = Decision.objects.filter(pk__in=ids).exclude(letter="").count()
                note_backends(backends, ignore=set(earlier))
                if stored and first is None:
                    first = time.perf_counter() - started
                if stored < len(ids) and all(p.poll() is not None for p in processes):
                    break
            elapsed = time.perf_counter() - started
            total_after, idle_after = cpu_jiffies()
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.terminate()
                    process.wait(timeout=30)
        finally:
            for process in processes:
                if process.poll() is None:
                    process.kill()
                    process.wait()
    statuses = dict(
        DBTaskResult.objects.filter(task_path=TASK_PATH, args_kwargs__kwargs__decision_id__in=ids)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    if stored < len(ids):
        failed = DBTaskResult.objects.filter(task_path=TASK_PATH, status="FAILED").first()
        detail = failed.traceback[-2000:] if failed else f"see {log}"
        sys.exit(f"{workers} workers stored {stored} of {len(ids)} letters:\n{detail}")
    busy = 1 - (idle_after - idle_before) / max(1, total_after - total_before)
    digests = dict(Decision.objects.filter(pk__in=ids).values_list("pk", "letter_sha256"))
    return {
        "workers": workers,
        "seconds": elapsed,
        "first": first,
        "rate": len(ids) / elapsed,
        "worker_cpu": children_cpu_seconds() - children_before,
        "busy": busy,
        "load": load,
        "backend_cpu": sum(backends.values()),
        "busy_before": busy_before,
        "statuses": statuses,
        "digests": digests,
    }


def parallel(options) -> float:
    """Time the queued letters with one worker and with ``--workers``; return the speed-up."""
    from django.db import connection

    ids = list(letter_decisions().order_by("-pk").values_list("pk", flat=True)[: options.letters])
    if len(ids) < options.letters:
        sys.exit(f"Only {len(ids)} decisions made here: run without --reuse.")
    ids.sort()
    log = ROOT / "var" / "bench" / connection.settings_dict["NAME"] / "db_worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    print(
        f"\nthroughput: {len(ids):,} letters queued as {TASK_PATH.rsplit('.', 1)[1]} and run by "
        f"manage.py db_worker (log: {log.relative_to(ROOT)})"
    )
    cpus = os.cpu_count()
    print(
        f"  {'workers':>7} {'wall':>8} {'letters/s':>10} {'first':>7} {'CPU/letter':>11} "
        f"{'PostgreSQL':>10} {'CPUs busy before/during':>24} {'load before':>12}  tasks"
    )
    results = []
    for workers in (1, options.workers):
        result = throughput(ids, workers, log, options.wait_quiet)
        results.append(result)
        states = ", ".join(
            f"{count} {status.lower()}" for status, count in result["statuses"].items()
        )
        print(
            f"  {workers:>7} {result['seconds']:>7.1f}s {result['rate']:>10.2f} "
            f"{result['first']:>6.1f}s {result['worker_cpu'] * 1000 / len(ids):>9.0f}ms "
            f"{result['backend_cpu'] * 1000 / len(ids):>8.1f}ms "
            f"{result['busy_before']:>13.2f} / {result['busy'] * cpus:.2f} of {cpus} "
            f"{result['load'][0]:>12.2f}  {states}",
            flush=True,
        )
    one, many = results
    speedup = many["rate"] / one["rate"]
    same = one["digests"] == many["digests"]
    print(
        f"  {options.workers} workers / 1 worker: {speedup:.2f} × the letters per second "
        f"(goal ≥ {TARGET_SPEEDUP}); the same letters both runs: {'yes' if same else 'NO'}"
    )
    print(
        "  first: seconds until the first letter was stored; CPU/letter: CPU time of the worker "
        "processes per letter; PostgreSQL: CPU time of their database backends per letter; "
        "CPUs busy: the machine's, over the 3 s before the run and during it, everything included"
    )
    return speedup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000, help="Letters for the throughput.")
    parser.add_argument("--reuse", action="store_true", help="Use the decided cases if enough.")
    parser.add_argument("--workers", type=int, default=2, help="Workers to compare with one.")
    parser.add_argument("--runs", type=int, default=5, help="Renders of each sampled letter.")
    parser.add_argument("--warmup", type=int, default=5, help="Letters rendered to warm up.")
    parser.add_argument("--sample", type=int, default=40, help="Decisions timed per letter.")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=300,
        metavar="SECONDS",
        help=f"Wait up to this long before each part for fewer than {QUIET_CPUS} CPUs busy.",
    )
    parser.add_argument(
        "--part",
        choices=["all", "per-letter", "throughput"],
        default="all",
        help="Measure both (default) or one part.",
    )
    options = parser.parse_args()

    name = database_name()
    if "bench" not in name:
        sys.exit(
            f"The database {name!r} is not a bench database: this benchmark decides cases and "
            "deletes letters. Name one with 'bench' in it."
        )
    setup_django(name)
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: this benchmark is about PostgreSQL.")
    from benchmarks.database import ensure_database

    ensure_database()
    call_command("migrate", verbosity=0)
    ensure_decisions(max(options.letters, options.sample), options.reuse)
    with connection.cursor() as cursor:
        # What autovacuum does after a bulk load: statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE")
    sources = letter_sources()
    newest = max(sources, key=sources.get)
    changed_at = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(sources[newest]))
    print(
        f"letter code last changed {changed_at} ({newest.relative_to(ROOT)}); load average "
        f"{' '.join(f'{value:.2f}' for value in os.getloadavg())} on {os.cpu_count()} CPUs"
    )

    verdicts = []
    if options.part in ("all", "per-letter"):
        ratio = per_letter(options)
        verdicts.append(
            f"per letter {ratio:.2f} × WeasyPrint alone (≤ {TARGET_RATIO}: "
            f"{'PASS' if ratio <= TARGET_RATIO else 'FAIL'})"
        )
    if options.part in ("all", "throughput"):
        speedup = parallel(options)
        verdicts.append(
            f"{options.workers} workers {speedup:.2f} × one (≥ {TARGET_SPEEDUP}: "
            f"{'PASS' if speedup >= TARGET_SPEEDUP else 'FAIL'})"
        )
    changed = [path for path, mtime in letter_sources().items() if sources.get(path) != mtime]
    if changed:
        print(
            "WARNING: changed while measuring, so the figures mix two versions: "
            + ", ".join(str(path.relative_to(ROOT)) for path in changed)
        )
    print(f"letters benchmark: {'; '.join(verdicts)}")


def letter_sources() -> dict[Path, float]:
    """Return when each file a letter is made from was last changed."""
    paths = [
        *sorted((ROOT / "templates" / "letters").glob("*.html")),
        ROOT / "templates" / "email" / "decision_made.txt",
        ROOT / "decisions" / "letters.py",
        ROOT / "decisions" / "delivery.py",
    ]
    return {path: path.stat().st_mtime for path in paths if path.exists()}


if __name__ == "__main__":
    main()
