"""The audit trail is append-only: in the model, its queryset and the database's triggers."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from audit.models import GENESIS_HASH, AppendOnlyError, LogEntry
from audit.services import LINK_MISMATCH, log_action, verify_chain


@pytest.fixture
def entries(db):
    """Return three chained entries about one group."""
    group = Group.objects.create(name="Kulturrådet")
    return [
        log_action(group, "auth.group.created"),
        log_action(group, "auth.group.renamed", data={"old": "Kultur", "new": "Kulturrådet"}),
        log_action(group, "auth.group.archived"),
    ]


def raw_sql(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_str_names_the_entry_and_its_object(entries):
    assert str(entries[1]) == f"#{entries[1].pk} auth.group.renamed Kulturrådet"
    assert str(log_action(None, "system.cache.cleared")).endswith("system.cache.cleared")


def test_save_refuses_to_change_a_written_entry(entries):
    entry = LogEntry.objects.get(pk=entries[1].pk)
    entry.data = {"old": "Kultur", "new": "Något annat"}

    with pytest.raises(AppendOnlyError, match="append-only"):
        entry.save()

    entry.refresh_from_db()
    assert entry.data["new"] == "Kulturrådet"


def test_delete_is_refused(entries):
    with pytest.raises(AppendOnlyError, match="append-only"):
        entries[1].delete()
    assert LogEntry.objects.count() == 3


def test_queryset_update_and_delete_are_refused(entries):
    with pytest.raises(AppendOnlyError):
        LogEntry.objects.filter(pk=entries[0].pk).update(action="auth.group.deleted")
    with pytest.raises(AppendOnlyError):
        LogEntry.objects.update(action="auth.group.deleted")
    with pytest.raises(AppendOnlyError):
        LogEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        LogEntry.objects.bulk_update(entries, ["action"])
    assert list(LogEntry.objects.values_list("action", flat=True)) == [
        "auth.group.created",
        "auth.group.renamed",
        "auth.group.archived",
    ]


@pytest.mark.django_db
def test_an_entry_written_past_log_action_is_refused():
    with pytest.raises(AppendOnlyError, match="log_action"):
        LogEntry.objects.create(action="auth.group.created", prev_hash=GENESIS_HASH)
    assert not LogEntry.objects.exists()


def test_a_fork_in_the_chain_cannot_be_stored(entries):
    # A second entry claiming the same predecessor as entries[2], sealed correctly.
    fork = LogEntry(action="auth.group.forked", prev_hash=entries[1].hash)
    fork.hash = fork.compute_hash()

    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save()


def test_database_refuses_a_raw_update(entries):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        raw_sql(
            "UPDATE audit_logentry SET action = %s WHERE id = %s",
            ["auth.group.deleted", entries[1].pk],
        )
    assert LogEntry.objects.get(pk=entries[1].pk).action == "auth.group.renamed"


@pytest.mark.parametrize("which", [1, 2], ids=["middle", "newest"])
def test_database_refuses_a_raw_delete_of_a_middle_or_newest_entry(entries, which):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        raw_sql("DELETE FROM audit_logentry WHERE id = %s", [entries[which].pk])
    assert LogEntry.objects.count() == 3


def test_database_delete_of_everything_depends_on_the_vendor(entries):
    # PostgreSQL refuses every row DELETE (its flush uses TRUNCATE). SQLite's flush empties
    # tables with DELETE, so there deleting from the oldest end is let through: see migration
    # 0001 for why that stays sound.
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            raw_sql("DELETE FROM audit_logentry")
        assert LogEntry.objects.count() == 3
    else:
        raw_sql("DELETE FROM audit_logentry")
        assert LogEntry.objects.count() == 0


def test_deleting_the_oldest_entry_is_refused_or_caught_by_verify(entries):
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            raw_sql("DELETE FROM audit_logentry WHERE id = %s", [entries[0].pk])
        assert verify_chain() == (3, None, "")
    else:
        raw_sql("DELETE FROM audit_logentry WHERE id = %s", [entries[0].pk])
        checked, broken, reason = verify_chain()
        assert (checked, broken, reason) == (1, entries[1], LINK_MISMATCH)


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_trail_for_transactional_tests():
    group = Group.objects.create(name="Kulturrådet")
    for step in range(5):
        log_action(group, "auth.group.touched", data={"step": step})

    call_command("flush", interactive=False, verbosity=0)

    assert not LogEntry.objects.exists()
    # A new chain starts from the genesis hash; pytest-django's own flush then runs again.
    assert log_action(None, "system.trail.started").prev_hash == GENESIS_HASH
