"""Admin actions every curated model shares."""

from django.contrib import admin, messages


def set_published(queryset, is_published):
    """Publish or unpublish rows one by one so each change lands in the change history."""
    changed = 0
    for obj in queryset.filter(is_published=not is_published):
        obj.is_published = is_published
        obj.save()
        changed += 1
    return changed


class PublishActionsMixin:
    """ModelAdmin mixin: "Publish" and "Unpublish" the selected rows of a model with ``is_published``."""

    actions = ["publish", "unpublish"]

    def _set_published(self, request, queryset, is_published):
        changed = set_published(queryset, is_published)
        plural = self.model._meta.verbose_name_plural if changed != 1 else self.model._meta.verbose_name
        self.message_user(
            request, f"{'Published' if is_published else 'Unpublished'} {changed} {plural}.", messages.SUCCESS
        )

    @admin.action(description="Publish the selected %(verbose_name_plural)s", permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description="Unpublish the selected %(verbose_name_plural)s", permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)
