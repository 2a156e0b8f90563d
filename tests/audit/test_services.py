"""Writing the audit trail: log_action, log_bulk and entries_for."""

import datetime
import time
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from audit.models import GENESIS_HASH, LogEntry
from audit.services import entries_for, log_action, log_bulk, verify_chain


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        email="staff@example.org", full_name="Olle Officer"
    )


@pytest.fixture
def group(db):
    return Group.objects.create(name="Kulturrådet")


def test_log_action_records_who_did_what_to_which_object(staff_user, group):
    entry = log_action(
        group, "auth.group.renamed", actor=staff_user, data={"old": "Kultur", "new": "Kulturrådet"}
    )

    entry = LogEntry.objects.get(pk=entry.pk)
    assert entry.actor == staff_user
    assert entry.action == "auth.group.renamed"
    assert entry.content_type == ContentType.objects.get_for_model(Group)
    assert entry.object_id == str(group.pk)
    assert entry.object_repr == "Kulturrådet"
    assert entry.data == {"old": "Kultur", "new": "Kulturrådet"}
    assert timezone.now() - entry.created_at < datetime.timedelta(seconds=5)


def test_log_action_for_the_system_and_a_system_wide_action(db):
    entry = log_action(None, "system.reminders.sent", actor=AnonymousUser(), data={"sent": 3})

    assert entry.actor is None
    assert entry.content_type is None
    assert (entry.object_id, entry.object_repr) == ("", "")


def test_entries_chain_each_to_the_one_before(staff_user, group):
    written = [
        log_action(group, "auth.group.created", actor=staff_user),
        log_action(group, "auth.group.renamed", actor=staff_user, data={"new": "Kultur"}),
        log_action(None, "system.cache.cleared"),
        log_action(group, "auth.group.archived"),
    ]

    stored = list(LogEntry.objects.all())
    assert [entry.pk for entry in stored] == [entry.pk for entry in written]
    assert stored[0].prev_hash == GENESIS_HASH
    for before, entry in zip(stored, stored[1:], strict=False):
        assert entry.prev_hash == before.hash
    for entry in stored:
        assert len(entry.hash) == 64
        assert entry.hash == entry.compute_hash()
    assert len({entry.hash for entry in stored}) == 4


def test_the_hash_covers_every_field(group):
    entry = log_action(group, "auth.group.renamed", data={"new": "Kultur"})
    original = entry.hash

    for field, value in [
        ("action", "auth.group.deleted"),
        ("object_id", "999"),
        ("object_repr", "Något annat"),
        ("data", {"new": "Annat"}),
        ("created_at", entry.created_at + datetime.timedelta(microseconds=1)),
        ("prev_hash", "1" * 64),
        ("actor_id", 1),
    ]:
        changed = LogEntry.objects.get(pk=entry.pk)
        setattr(changed, field, value)
        assert changed.compute_hash() != original, field


def test_data_is_stored_and_hashed_as_json_reads_it_back(group):
    entry = log_action(
        group,
        "auth.group.budgeted",
        data={
            "amount": Decimal("125000.50"),
            "decided_on": datetime.date(2026, 3, 1),
            "share": 0.25,
            "large": 1e16,  # reads back from PostgreSQL's jsonb as an int
            "tiny": 1e-7,
            "name": "Östersunds föreningsråd",
        },
    )

    assert entry.data["amount"] == "125000.50"
    assert entry.data["decided_on"] == "2026-03-01"
    stored = LogEntry.objects.get(pk=entry.pk)
    assert stored.data["amount"] == "125000.50"
    assert stored.compute_hash() == entry.hash
    assert verify_chain() == (1, None, "")


@pytest.mark.parametrize("action", ["approved", "Grants.Application.Approved", "grants..x", ""])
def test_log_action_refuses_an_action_that_is_not_a_dotted_name(group, action):
    with pytest.raises(ValueError, match="dotted name"):
        log_action(group, action)
    assert not LogEntry.objects.exists()


def test_log_action_refuses_an_unsaved_object(db):
    with pytest.raises(ValueError, match="Save the Group"):
        log_action(Group(name="Unsaved"), "auth.group.created")


def test_log_action_joins_the_callers_transaction(group):
    with pytest.raises(RuntimeError), transaction.atomic():
        group.name = "Ändrad"
        group.save()
        log_action(group, "auth.group.renamed")
        raise RuntimeError("the change fails after the entry was written")

    assert not LogEntry.objects.exists()
    assert log_action(group, "auth.group.renamed").prev_hash == GENESIS_HASH


def test_entries_for_returns_one_objects_entries_in_order(staff_user, group):
    other = Group.objects.create(name="Annan")
    first = log_action(group, "auth.group.created", actor=staff_user)
    log_action(other, "auth.group.created")
    log_action(None, "system.cache.cleared")
    second = log_action(group, "auth.group.renamed", actor=staff_user)

    assert list(entries_for(group)) == [first, second]
    assert entries_for(group)[1].actor == staff_user


def test_log_bulk_writes_a_chain_that_verifies(staff_user, group):
    log_action(group, "auth.group.created")
    start = timezone.now() - datetime.timedelta(days=400)
    content_type = ContentType.objects.get_for_model(Group)

    def specs():
        for number in range(2500):
            if number % 3 == 0:
                yield {"obj": group, "action": "auth.group.imported", "actor": staff_user}
            elif number % 3 == 1:
                yield {
                    "content_type": content_type,
                    "object_id": 42,
                    "object_repr": "Gammal grupp",
                    "action": "auth.group.imported",
                    "actor_id": staff_user.pk,
                    "data": {"amount": Decimal("10.00"), "row": number},
                    "created_at": start + datetime.timedelta(minutes=number),
                }
            else:
                yield LogEntry(action="system.import.row", data={"row": number})

    assert log_bulk(specs(), batch_size=1000) == 2500

    assert LogEntry.objects.count() == 2501
    assert verify_chain(chunk_size=700) == (2501, None, "")
    imported = LogEntry.objects.filter(object_id="42").first()
    assert imported.object_repr == "Gammal grupp"
    assert imported.data == {"amount": "10.00", "row": 1}
    assert imported.created_at == start + datetime.timedelta(minutes=1)
    assert len(entries_for(group)) == 1 + 834
    # Writing one by one goes on from where the bulk load ended.
    assert log_action(None, "system.import.done").prev_hash == LogEntry.objects.all()[2500].hash


def test_log_bulk_refuses_a_naive_time(db):
    naive = datetime.datetime(2026, 1, 1)
    with pytest.raises(ValueError, match="timezone-aware"), transaction.atomic():
        log_bulk(
            [{"action": "system.import.row"}, {"action": "system.import.row", "created_at": naive}]
        )
    assert not LogEntry.objects.exists()


def test_log_bulk_refuses_an_unknown_field(db):
    with pytest.raises(TypeError, match="amount"), transaction.atomic():
        log_bulk([{"action": "system.import.row", "amount": 10}])
    assert not LogEntry.objects.exists()


def test_log_bulk_is_fast(group):
    entries = 20_000
    started = time.perf_counter()
    log_bulk(
        {"obj": group, "action": "auth.group.imported", "data": {"row": row}}
        for row in range(entries)
    )
    elapsed = time.perf_counter() - started

    # About 3 s here (200,000 entries take 10-15 s); the bound only catches a gross regression,
    # such as a query or a full chain read per entry, without failing on a busy CI runner.
    assert elapsed < 30, f"{entries} entries took {elapsed:.1f} s"
    assert verify_chain() == (entries, None, "")
