"""Writers on many connections at once never fork the chain (PostgreSQL, real connections)."""

import threading
import time

import pytest
from django.db import connection, transaction

from audit.models import GENESIS_HASH, LogEntry
from audit.services import log_action, verify_chain

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers itself")


def run_in_threads(target, count):
    """Run ``target(number)`` in ``count`` threads started together; return their errors."""
    start = threading.Barrier(count)
    errors = []

    def run(number):
        try:
            start.wait()
            target(number)
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_ten_threads_writing_at_once_leave_one_unbroken_chain():
    threads, per_thread = 10, 15

    def write(number):
        for step in range(per_thread):
            with transaction.atomic():
                log_action(None, "audit.test.written", data={"thread": number, "step": step})
                # Hold the transaction open a moment, so the other writers queue behind it.
                time.sleep(0.002)

    assert run_in_threads(write, threads) == []

    assert verify_chain() == (threads * per_thread, None, "")
    entries = list(LogEntry.objects.values_list("prev_hash", "hash"))
    prev_hashes = [prev_hash for prev_hash, _ in entries]
    hashes = [entry_hash for _, entry_hash in entries]
    # No fork: every entry names a different predecessor, and those are exactly the genesis hash
    # and every entry but the last.
    assert len(set(prev_hashes)) == len(entries)
    assert set(prev_hashes) == {GENESIS_HASH, *hashes[:-1]}
    written = list(LogEntry.objects.values_list("data", flat=True))
    for number in range(threads):
        steps = [data["step"] for data in written if data["thread"] == number]
        assert steps == list(range(per_thread))


def test_a_writer_waits_for_the_open_transaction_that_wrote_before_it():
    first_written = threading.Event()
    second_may_finish = threading.Event()
    written = {}
    second_waited = []

    def write(number):
        if number == 0:
            with transaction.atomic():
                written[0] = log_action(None, "audit.test.first")
                first_written.set()
                # The second writer must now be waiting for this transaction to end.
                second_may_finish.wait(timeout=10)
        else:
            first_written.wait(timeout=10)
            with transaction.atomic():
                written[1] = log_action(None, "audit.test.second")

    def release_after_a_while():
        first_written.wait(timeout=10)
        time.sleep(0.5)
        second_waited.append(1 not in written)
        second_may_finish.set()

    releaser = threading.Thread(target=release_after_a_while)
    releaser.start()
    errors = run_in_threads(write, 2)
    releaser.join(timeout=20)

    assert errors == []
    assert second_waited == [True]
    assert written[1].prev_hash == written[0].hash
    assert verify_chain() == (2, None, "")
