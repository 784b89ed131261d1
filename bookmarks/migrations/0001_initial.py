"""Bookmarks and alert digests, moved from the companies app: the existing tables are adopted (state only), so
no row moves; their content types follow, so permissions granted on them stay."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MODELS = ["bookmark", "alertdigest"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="companies", model__in=MODELS).update(app_label="bookmarks")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="bookmarks", model__in=MODELS).update(app_label="companies")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('companies', '0004_bookmarks_move_to_their_own_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='AlertDigest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sent_on', models.DateField(help_text='The day the digest went out.')),
                ('sent_at', models.DateTimeField(help_text='Changes up to this moment were in the digest.')),
                ('change_count', models.PositiveIntegerField(default=0)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='alert_digests', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'companies_alertdigest',
                'ordering': ['-sent_at'],
                'constraints': [models.UniqueConstraint(fields=('user', 'sent_on'), name='one_alert_digest_per_user_day')],
            },
        ),
        migrations.CreateModel(
            name='Bookmark',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('note', models.TextField(blank=True, max_length=2000)),
                ('stage', models.CharField(choices=[('researching', 'Researching'), ('applied', 'Applied'), ('interviewing', 'Interviewing'), ('offer', 'Offer'), ('closed', 'Closed')], default='researching', max_length=12)),
                ('is_alert_enabled', models.BooleanField(default=False, help_text='Email the user a daily digest when this profile changes or a new edition is published.', verbose_name='email alerts')),
                ('alert_enabled_at', models.DateTimeField(blank=True, help_text='When alerts were switched on; changes before it are not sent.', null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('company', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bookmarks', to='companies.company')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bookmarks', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'companies_bookmark',
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['user', '-created_at'], name='bookmark_user_created')],
                'constraints': [models.UniqueConstraint(fields=('user', 'company'), name='one_bookmark_per_user_company'), models.CheckConstraint(condition=models.Q(('stage__in', ['researching', 'applied', 'interviewing', 'offer', 'closed'])), name='bookmark_stage_valid')],
            },
        ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
