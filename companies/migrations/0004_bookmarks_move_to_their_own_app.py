"""Bookmarks and alert digests move to the bookmarks app: their tables stay where they are (state only)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('companies', '0003_bookmark_alerts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.RemoveConstraint(
            model_name='alertdigest',
            name='one_alert_digest_per_user_day',
        ),
        migrations.RemoveIndex(
            model_name='bookmark',
            name='bookmark_user_created',
        ),
        migrations.RemoveConstraint(
            model_name='bookmark',
            name='one_bookmark_per_user_company',
        ),
        migrations.RemoveConstraint(
            model_name='bookmark',
            name='bookmark_stage_valid',
        ),
        migrations.RemoveField(
            model_name='bookmark',
            name='company',
        ),
        migrations.RemoveField(
            model_name='bookmark',
            name='user',
        ),
        migrations.DeleteModel(
            name='AlertDigest',
        ),
        migrations.DeleteModel(
            name='Bookmark',
        ),
            ],
            database_operations=[],
        ),
    ]
