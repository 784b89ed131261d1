"""The postings' keys without indexes of their own (others serve them), an index for a board's open postings, and on
PostgreSQL rows kept narrow: a description (about 1.5 kB) is stored apart from its row (``toast_tuple_target``), so
the lists' index scans, which filter row by row, read a few hundred bytes a posting instead of two kilobytes. Rows
already written keep their layout until next written."""

import django.db.models.deletion
from django.db import migrations, models


def toast_target(value):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE jobs_posting SET (toast_tuple_target = {value})")

    return apply


class Migration(migrations.Migration):

    dependencies = [
        ('companies', '0007_company_text_trigram_indexes'),
        ('jobs', '0005_posting_last_sighting'),
    ]

    operations = [
        migrations.AlterField(
            model_name='posting',
            name='company',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='postings', to='companies.company'),
        ),
        migrations.AlterField(
            model_name='posting',
            name='source',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='postings', to='jobs.jobsource'),
        ),
        migrations.AddIndex(
            model_name='posting',
            index=models.Index(models.F('source'), condition=models.Q(('closed_at__isnull', True)), name='posting_open_by_source'),
        ),
        migrations.RunPython(toast_target(128), toast_target(2032)),
    ]
