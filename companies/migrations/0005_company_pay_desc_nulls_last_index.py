"""PostgreSQL: an index for "Highest pay first" (comp_max DESC NULLS LAST). PostgreSQL puts NULLs first in a
descending index, so the (is_published, -comp_max) one cannot serve that order; SQLite sorts NULLs last in a
descending order already and declares no NULLS LAST in an index, so it keeps the existing one."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS company_pub_comp_max_nl "
    "ON companies_company (is_published, comp_max DESC NULLS LAST, name)"
)
DROP = "DROP INDEX IF EXISTS company_pub_comp_max_nl"


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('companies', '0004_bookmarks_move_to_their_own_app'),
    ]

    operations = [
        migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP)),
    ]
