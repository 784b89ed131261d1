from django.db import migrations

from accounts.editors import EDITORS_GROUP, grant_editor_permissions


def create_editors_group(apps, schema_editor):
    """Editors may add, change, delete and view the guide's content, and nothing else."""
    grant_editor_permissions(apps)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("companies", "0001_initial"),
        ("market", "0001_initial"),
        ("advice", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
