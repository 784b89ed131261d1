def set_published(queryset, is_published):
    """Publish or unpublish rows one by one so each change lands in the change history."""
    changed = 0
    for obj in queryset.filter(is_published=not is_published):
        obj.is_published = is_published
        obj.save()
        changed += 1
    return changed
