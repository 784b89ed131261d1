"""The companies' words for the text match (core.words, ``CompanyQuerySet.matching``): three columns, filled from each
company's name, focus and wants, and notes; the trigram indexes move from the raw columns (0007) to these three
(PostgreSQL only; SQLite has no such index)."""

from django.db import migrations, models

from companies.models import TEXT_COLUMNS, search_columns

OLD_COLUMNS = ["name", "focus", "wants", "outlook_note", "comp_note"]
SOURCE_FIELDS = ["name", "focus", "wants", "outlook_note", "comp_note"]


def fill(apps, schema_editor):
    Company = apps.get_model("companies", "Company")
    batch, last = 2000, 0
    while True:
        rows = list(Company.objects.filter(pk__gt=last).order_by("pk").only("pk", *SOURCE_FIELDS)[:batch])
        if not rows:
            return
        for company in rows:
            values = search_columns(*(getattr(company, name) for name in SOURCE_FIELDS))
            for name, value in values.items():
                setattr(company, name, value)
        Company.objects.bulk_update(rows, list(TEXT_COLUMNS), batch_size=batch)
        last = rows[-1].pk


def trigram_indexes(old, new):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in old:
            schema_editor.execute(f"DROP INDEX IF EXISTS company_{column}_trgm")
        for column in new:
            expression = f"UPPER({column}::text)" if column in OLD_COLUMNS else column
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS company_{column}_trgm ON companies_company "
                f"USING gin ({expression} gin_trgm_ops)"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0007_company_text_trigram_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="company",
            name="name_words",
            field=models.TextField(blank=True, editable=False, help_text="The words of the name (core.words)."),
        ),
        migrations.AddField(
            model_name="company",
            name="note_words",
            field=models.TextField(blank=True, editable=False, help_text="The words of the watch-list and pay notes."),
        ),
        migrations.AddField(
            model_name="company",
            name="topic_words",
            field=models.TextField(blank=True, editable=False, help_text="The words of the focus and wants."),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(
            trigram_indexes(OLD_COLUMNS, list(TEXT_COLUMNS)), trigram_indexes(list(TEXT_COLUMNS), OLD_COLUMNS)
        ),
    ]
