"""The postings' list indexes carry company_id (INCLUDE, on PostgreSQL), so capped counts are index-only scans."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('companies', '0007_company_text_trigram_indexes'),
        ('jobs', '0006_posting_source_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='posting',
            name='posting_newest',
        ),
        migrations.RemoveIndex(
            model_name='posting',
            name='posting_open_newest',
        ),
        migrations.RemoveIndex(
            model_name='posting',
            name='posting_open_level',
        ),
        migrations.RemoveIndex(
            model_name='posting',
            name='posting_open_role',
        ),
        migrations.RemoveIndex(
            model_name='posting',
            name='posting_open_workplace',
        ),
        migrations.RemoveIndex(
            model_name='posting',
            name='posting_open_paid',
        ),
        migrations.AddIndex(
            model_name='posting',
            index=models.Index(models.OrderBy(models.F('posted_at'), descending=True), models.OrderBy(models.F('id'), descending=True), include=('company',), name='posting_newest'),
        ),
        migrations.AddIndex(
            model_name='posting',
            index=models.Index(models.OrderBy(models.F('posted_at'), descending=True), models.OrderBy(models.F('id'), descending=True), condition=models.Q(('closed_at__isnull', True)), include=('company',), name='posting_open_newest'),
        ),
        migrations.AddIndex(
            model_name='posting',
            index=models.Index(models.F('level'), models.OrderBy(models.F('posted_at'), descending=True), condition=models.Q(('closed_at__isnull', True)), include=('company',), name='posting_open_level'),
        ),
        migrations.AddIndex(
            model_name='posting',
            index=models.Index(models.F('role'), models.OrderBy(models.F('posted_at'), descending=True), condition=models.Q(('closed_at__isnull', True)), include=('company',), name='posting_open_role'),
        ),
        migrations.AddIndex(
            model_name='posting',
            index=models.Index(models.F('workplace'), models.OrderBy(models.F('posted_at'), descending=True), condition=models.Q(('closed_at__isnull', True)), include=('company',), name='posting_open_workplace'),
        ),
        migrations.AddIndex(
            model_name='posting',
            index=models.Index(models.OrderBy(models.F('posted_at'), descending=True), condition=models.Q(('closed_at__isnull', True), ('pay_min__isnull', False)), include=('company',), name='posting_open_paid'),
        ),
    ]
