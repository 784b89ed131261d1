"""PostgreSQL: trigram indexes for the company text match (``CompanyQuerySet.matching``), which Django writes as
``UPPER(column) LIKE UPPER('%word%')``; each index is on that expression. SQLite has no such index and reads the rows
(the edition is small)."""

from django.db import migrations

COLUMNS = ["name", "focus", "wants", "outlook_note", "comp_note"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS company_{column}_trgm ON companies_company "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS company_{column}_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('companies', '0006_watch_list_order_index'),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
