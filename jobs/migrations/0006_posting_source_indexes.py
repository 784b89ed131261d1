"""The postings' keys without indexes of their own (the unique (source, external_id), posting_open_by_source and
posting_company_newest serve them), and an index for a board's open postings, which a sync counts and closes."""

import django.db.models.deletion
from django.db import migrations, models


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
    ]
