from django.db import migrations

from accounts.editors import grant_editor_permissions


def grant(apps, schema_editor):
    """Editors manage the job boards and may correct a posting's level, role or workplace."""
    grant_editor_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0002_posting_text_trigram_indexes"),
        ("accounts", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
