from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import set_published

from .models import AdviceSection, Tip


class TipInline(admin.TabularInline):
    model = Tip
    extra = 1
    fields = ["title", "body", "position"]


@admin.register(AdviceSection)
class AdviceSectionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "group", "position", "is_published", "updated_at"]
    list_filter = ["group", "is_published"]
    search_fields = ["title", "intro", "tips__title", "tips__body"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [TipInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (
            None,
            {
                "fields": ["title", "slug", "group", "intro", "is_numbered", "position", "is_published"],
                "description": "A section of advice; its tips follow below in the order of their position.",
            },
        ),
    ]

    @admin.action(description="Publish the selected sections", permissions=["change"])
    def publish(self, request, queryset):
        updated = set_published(queryset, True)
        self.message_user(request, f"Published {updated} sections.", messages.SUCCESS)

    @admin.action(description="Unpublish the selected sections", permissions=["change"])
    def unpublish(self, request, queryset):
        updated = set_published(queryset, False)
        self.message_user(request, f"Unpublished {updated} sections.", messages.SUCCESS)
