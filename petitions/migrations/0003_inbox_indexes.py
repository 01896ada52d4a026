"""Indexes for the petitions inbox search on PostgreSQL (a no-op elsewhere).

The inbox searches titles with `title__icontains`, which PostgreSQL runs as
`UPPER(title) LIKE UPPER('%…%')`: a trigram GIN index on `UPPER(title)` serves it without a
sequential scan of a million rows. Tracking codes are searched exactly on their unique index.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS petition_title_upper_trgm ON petitions_petition USING gin (UPPER(title) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS petition_title_upper_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("petitions", "0002_categories")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
