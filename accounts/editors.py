"""What the Editors group may do: add, change, delete and view the guide's content, and nothing else."""

EDITORS_GROUP = "Editors"

EDITOR_MODELS = {
    "companies": ["category", "role", "company"],
    "market": [
        "edition",
        "marketsnapshot",
        "computedsnapshot",
        "salarybenchmark",
        "trend",
        "trendpoint",
        "specialization",
    ],
    "advice": ["advicesection", "tip"],
    "jobs": ["jobsource", "syncrun", "posting"],
}


def editor_permissions(permission_model):
    """The permissions the Editors group holds; takes the (possibly historical) Permission model."""
    codenames = [
        f"{action}_{model}"
        for models in EDITOR_MODELS.values()
        for model in models
        for action in ("add", "change", "delete", "view")
    ]
    return permission_model.objects.filter(content_type__app_label__in=list(EDITOR_MODELS), codename__in=codenames)


def grant_editor_permissions(apps):
    """In a data migration: create the permissions of the models migrated so far and give the Editors group theirs."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.add(*editor_permissions(Permission))


def editors_group():
    """The Editors group, recreated with its permissions if a flushed test database lost it."""
    from django.contrib.auth.models import Group, Permission

    group, created = Group.objects.get_or_create(name=EDITORS_GROUP)
    if created:
        group.permissions.set(editor_permissions(Permission))
    return group
