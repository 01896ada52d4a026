"""Indexes for the inbox's sorts and filters on PostgreSQL (a no-op elsewhere).

Measured on 1 million petitions (`generate_petitions --count 1000000`):
- "due date, soonest first" for everyone: `(due_on, id)` — 2.1 s → 0.09 s for a superuser;
- the same for one ward: `(unit_id, due_on, id)` — without it the planner walks the due-date
  index and filters one ward's 2,000 rows out of a million (4 s);
- a status filter across many units (supervisors): `(status, submitted_at, id)`.
Kept outside `Petition.Meta.indexes` because this migration may add indexes only; moving them
into the model (and dropping these) is a later, equivalent change.
"""

from django.db import migrations

CREATE = [
    "CREATE INDEX IF NOT EXISTS petition_due_id ON petitions_petition (due_on, id)",
    "CREATE INDEX IF NOT EXISTS petition_unit_due_id ON petitions_petition (unit_id, due_on, id)",
    "CREATE INDEX IF NOT EXISTS petition_status_sub_id ON petitions_petition (status, submitted_at, id)",
]
DROP = [
    "DROP INDEX IF EXISTS petition_due_id",
    "DROP INDEX IF EXISTS petition_unit_due_id",
    "DROP INDEX IF EXISTS petition_status_sub_id",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("petitions", "0003_inbox_indexes")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
