"""An index for the statistics page (/statistik/) on PostgreSQL: 100,000 cases under 300 ms.

The statistics join the year's decisions to their applications for the call, the organisation,
the submission date and the lists the figures are grouped by (``grants.statistics``). The
application's row is wide (its texts), so reading a year's 12,000 applications from the table
reads most of it; this index carries those columns (``INCLUDE``), and the join reads the index
alone. The applicant's perspectives are not in it: their texts are free and long, and an index
entry has a size limit; the statistics read them from the table.

SQLite (tests, the demo) gets none of this: it is a no-op there. The index is not in the model's
``Meta.indexes`` (Django cannot declare INCLUDE indexes portably), so ``makemigrations`` does not
see it.
"""

from django.db import migrations

INDEXES = {
    "grants_app_statistics": (
        "grants_application (id) "
        "INCLUDE (call_id, organisation_id, submitted_at, target_groups, municipalities, "
        "agenda_goals)"
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("grants", "0005_queue_indexes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
