"""PostgreSQL: trigram indexes for the postings' text filters (``q`` and ``location``), which Django writes as
``UPPER(column) LIKE UPPER('%word%')``; each index is on that expression. SQLite has no such index."""

from django.db import migrations

COLUMNS = ["title", "location_text", "department"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS posting_{column}_trgm ON jobs_posting "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS posting_{column}_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('jobs', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
