"""The postings' words for the text filters (core.words): two columns, filled from each posting's title,
department and locations, carried by the open-postings list index; the trigram indexes move from the raw columns
(0002) to these two (PostgreSQL only; SQLite has no such index)."""

from django.db import migrations, models

from jobs.models import search_columns


def fill(apps, schema_editor):
    Posting = apps.get_model("jobs", "Posting")
    batch, last = 2000, 0
    while True:
        rows = list(
            Posting.objects.filter(pk__gt=last).order_by("pk").only("pk", "title", "department", "locations")[:batch]
        )
        if not rows:
            return
        for posting in rows:
            for name, value in search_columns(posting.title, posting.department, posting.locations).items():
                setattr(posting, name, value)
        Posting.objects.bulk_update(rows, ["search_text", "location_words"], batch_size=batch)
        last = rows[-1].pk


def trigram_indexes(old, new):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in old:
            schema_editor.execute(f"DROP INDEX IF EXISTS posting_{column}_trgm")
        for column in new:
            expression = f"UPPER({column}::text)" if column in OLD_COLUMNS else column
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS posting_{column}_trgm ON jobs_posting USING gin ({expression} gin_trgm_ops)"
            )

    return run


OLD_COLUMNS = ["title", "location_text", "department"]
NEW_COLUMNS = ["search_text", "location_words"]


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0007_company_text_trigram_indexes"),
        ("jobs", "0007_posting_list_indexes_cover_company"),
    ]

    operations = [
        migrations.AddField(
            model_name="posting",
            name="location_words",
            field=models.TextField(blank=True, editable=False, help_text="The words of the locations."),
        ),
        migrations.AddField(
            model_name="posting",
            name="search_text",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The words of the title, department and locations: the q filter's.",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(trigram_indexes(OLD_COLUMNS, NEW_COLUMNS), trigram_indexes(NEW_COLUMNS, OLD_COLUMNS)),
        migrations.RemoveIndex(
            model_name="posting",
            name="posting_open_newest",
        ),
        migrations.RemoveIndex(
            model_name="posting",
            name="posting_open_role",
        ),
        migrations.AddIndex(
            model_name="posting",
            index=models.Index(
                models.OrderBy(models.F("posted_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(("closed_at__isnull", True)),
                include=("company", "search_text", "location_words"),
                name="posting_open_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="posting",
            index=models.Index(
                models.F("role"),
                models.OrderBy(models.F("posted_at"), descending=True),
                condition=models.Q(("closed_at__isnull", True)),
                include=("company", "level", "workplace", "pay_min"),
                name="posting_open_role",
            ),
        ),
    ]
