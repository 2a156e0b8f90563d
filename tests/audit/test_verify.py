"""Checking the chain: verify_chain and the verify_audit command find tampering."""

import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection

from audit.management.commands.verify_audit import Command as VerifyAudit
from audit.models import LogEntry
from audit.services import CONTENT_MISMATCH, LINK_MISMATCH, log_action, verify_chain


@pytest.fixture
def entries(db):
    """Return five chained entries."""
    group = Group.objects.create(name="Kulturrådet")
    return [
        log_action(group, "auth.group.created"),
        log_action(group, "auth.group.budgeted", data={"amount": "100000.00"}),
        log_action(group, "auth.group.renamed", data={"old": "Kultur", "new": "Kulturrådet"}),
        log_action(None, "system.cache.cleared"),
        log_action(group, "auth.group.archived"),
    ]


def as_dba(sql, params):
    """Run SQL as a database administrator who first switches the append-only triggers off.

    The switch is undone when the test's transaction rolls back.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The test's inserts left deferred foreign-key checks pending, which ALTER TABLE
            # will not run over; check them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_logentry DISABLE TRIGGER audit_logentry_append_only")
        else:
            cursor.execute("DROP TRIGGER audit_logentry_refuse_update")
            cursor.execute("DROP TRIGGER audit_logentry_refuse_delete")
        cursor.execute(sql, params)


def verify_audit():
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_an_intact_chain_verifies(entries):
    assert verify_chain() == (5, None, "")
    assert verify_chain(chunk_size=2) == (5, None, "")


def test_an_empty_trail_verifies(db):
    assert verify_chain() == (0, None, "")
    output = verify_audit()
    assert "empty" in output
    assert output.splitlines()[-1] == "Audit chain intact: 0 entries checked."


def test_verify_audit_reports_an_intact_chain(entries):
    output = verify_audit()

    lines = output.splitlines()
    assert lines[0].startswith(f"Checking audit entries #{entries[0].pk} to #{entries[4].pk}")
    assert f"the last is #{entries[4].pk}" in output
    assert entries[4].hash in output
    assert lines[-1] == "Audit chain intact: 5 entries checked."


def test_verify_audit_shows_progress_when_verbose(entries):
    out = io.StringIO()
    call_command("verify_audit", chunk_size=2, verbosity=2, stdout=out)
    assert "4 entries checked, up to" in out.getvalue()


def test_changed_data_is_found(entries):
    as_dba(
        "UPDATE audit_logentry SET data = %s WHERE id = %s",
        [json.dumps({"amount": "999999.00"}), entries[1].pk],
    )

    checked, broken, reason = verify_chain()

    assert (checked, broken, reason) == (2, entries[1], CONTENT_MISMATCH)
    with pytest.raises(CommandError) as error:
        verify_audit()
    message = str(error.value)
    assert message.startswith(f"Audit chain broken at entry #{entries[1].pk} (auth.group.budgeted,")
    assert CONTENT_MISMATCH in message


def test_a_deleted_middle_entry_is_found(entries):
    as_dba("DELETE FROM audit_logentry WHERE id = %s", [entries[2].pk])

    checked, broken, reason = verify_chain()

    assert (checked, broken, reason) == (3, entries[3], LINK_MISMATCH)
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("verify_audit", stdout=out)
    assert str(error.value).startswith(
        f"Audit chain broken at entry #{entries[3].pk} (system.cache.cleared,"
    )
    assert LINK_MISMATCH in str(error.value)
    assert f"2 entries intact, up to #{entries[1].pk}." in out.getvalue()


def test_a_resealed_entry_breaks_the_link_to_the_next(entries):
    # A careful forger changes the data and recomputes the entry's own hash too.
    forged = LogEntry.objects.get(pk=entries[1].pk)
    forged.data = {"amount": "999999.00"}
    as_dba(
        "UPDATE audit_logentry SET data = %s, hash = %s WHERE id = %s",
        [json.dumps(forged.data), forged.compute_hash(), forged.pk],
    )

    assert verify_chain() == (3, entries[2], LINK_MISMATCH)


def test_a_changed_time_is_found(entries):
    as_dba(
        "UPDATE audit_logentry SET created_at = %s WHERE id = %s",
        [entries[0].created_at.replace(year=2020), entries[0].pk],
    )

    assert verify_chain() == (1, entries[0], CONTENT_MISMATCH)


def test_verify_audit_exits_with_an_error_from_the_shell(entries):
    as_dba("DELETE FROM audit_logentry WHERE id = %s", [entries[3].pk])
    stderr = io.StringIO()

    with pytest.raises(SystemExit) as exit_status:
        VerifyAudit(stdout=io.StringIO(), stderr=stderr).run_from_argv(
            ["manage.py", "verify_audit"]
        )

    assert exit_status.value.code == 1
    assert f"Audit chain broken at entry #{entries[4].pk}" in stderr.getvalue()
