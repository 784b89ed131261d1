"""What the Editors group may do: add, change, delete and view the guide's content, and nothing else."""

EDITORS_GROUP = "Editors"

EDITOR_MODELS = {
    "companies": ["category", "role", "company"],
    "market": ["edition", "marketsnapshot", "salarybenchmark", "trend", "trendpoint", "specialization"],
    "advice": ["advicesection", "tip"],
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


def editors_group():
    """The Editors group, recreated with its permissions if a flushed test database lost it."""
    from django.contrib.auth.models import Group, Permission

    group, created = Group.objects.get_or_create(name=EDITORS_GROUP)
    if created:
        group.permissions.set(editor_permissions(Permission))
    return group
