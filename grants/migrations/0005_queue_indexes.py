"""Indexes for the case queue (/handlaggning/) on PostgreSQL: 100,000 cases under 150 ms.

Each serves one thing the queue does (``grants.selectors.applications_for_queue``):

* counting the cases per state, read from the index alone (the INCLUDE columns are the filters
  that need no join);
* sorting by submission date, requested amount, case number, organisation and state, so that a
  page is read from an index and stops after its rows instead of sorting every case (the
  submission date with NULLs first, as ``QUEUE_SORT_NULLS_FIRST`` sorts it); the ids of a page
  far into the list come from the index alone (``INCLUDE``);
* searching (``?q=``) titles, case numbers, organisation names and numbers with ``icontains``,
  which Django writes as ``UPPER(column::text) LIKE UPPER('%…%')``: trigram GIN indexes on
  exactly that expression (pg_trgm).

The b-tree indexes hold registered cases only (``case_number IS NOT NULL``), as the queue lists
them. The state sort's index repeats the CASE expression of ``QUEUE_SORT_COLUMNS["state"]`` (the
states in the order of ``ApplicationState``); if that order changes, change it here too.

The organisation indexes are here, not in the organisations app, because only the queue needs
them. SQLite (tests, the demo) gets none of this: it is a no-op there. These indexes are not in
the models' ``Meta.indexes`` (Django cannot declare INCLUDE, expression and operator-class
indexes portably), so ``makemigrations`` does not see them.
"""

from django.db import migrations

STATE_ORDER = [
    "draft",
    "submitted",
    "completion_requested",
    "under_review",
    "proposed",
    "approved",
    "rejected",
    "withdrawn",
    "report_submitted",
    "report_completion_requested",
    "repayment_claimed",
    "closed",
]
STATE_RANK = (
    "(CASE "
    + " ".join(f"WHEN state = '{state}' THEN {rank}" for rank, state in enumerate(STATE_ORDER))
    + " ELSE NULL END)"
)
REGISTERED = "WHERE case_number IS NOT NULL"

#: What every queue filters by, besides the sort: the sort indexes carry it, so that a page's
#: ids are read from the index alone however far into the list the page is.
QUEUE_COLUMNS = "INCLUDE (state, organisation_id)"

INDEXES = {
    "grants_app_queue_states": (
        "grants_application (state, organisation_id) "
        f"INCLUDE (call_id, assigned_officer_id, requested_amount) {REGISTERED}"
    ),
    "grants_app_queue_submitted": (
        f"grants_application (submitted_at NULLS FIRST, id) {QUEUE_COLUMNS} {REGISTERED}"
    ),
    "grants_app_queue_amount": (
        f"grants_application (requested_amount, id) {QUEUE_COLUMNS} {REGISTERED}"
    ),
    "grants_app_queue_state_rank": (
        f"grants_application ({STATE_RANK}, id) {QUEUE_COLUMNS} {REGISTERED}"
    ),
    "grants_app_queue_case_number": (
        f"grants_application (case_number) INCLUDE (id, state, organisation_id) {REGISTERED}"
    ),
    "grants_app_title_trgm": "grants_application USING gin (UPPER(title::text) gin_trgm_ops)",
    "grants_app_case_number_trgm": (
        "grants_application USING gin (UPPER(case_number::text) gin_trgm_ops)"
    ),
    "organisations_org_name_queue": "organisations_organisation (name, id)",
    "organisations_org_name_trgm": (
        "organisations_organisation USING gin (UPPER(name::text) gin_trgm_ops)"
    ),
    "organisations_org_number_trgm": (
        "organisations_organisation USING gin (UPPER(org_number::text) gin_trgm_ops)"
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # A trusted extension since PostgreSQL 13: the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0004_internalnote"),
        ("organisations", "0002_invitation_joinrequest"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
