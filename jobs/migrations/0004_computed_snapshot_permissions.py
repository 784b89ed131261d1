from django.db import migrations

from accounts.editors import grant_editor_permissions


def grant(apps, schema_editor):
    """Editors review the market figures compute_snapshot counts from postings and publish them."""
    grant_editor_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0003_editor_permissions"),
        ("market", "0005_computed_snapshot"),
        ("accounts", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
