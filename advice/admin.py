from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import PublishActionsMixin

from .models import AdviceSection, Tip


class TipInline(admin.TabularInline):
    model = Tip
    extra = 1
    fields = ["title", "body", "position"]


@admin.register(AdviceSection)
class AdviceSectionAdmin(PublishActionsMixin, SimpleHistoryAdmin):
    list_display = ["title", "group", "position", "is_published", "updated_at"]
    list_filter = ["group", "is_published"]
    search_fields = ["title", "intro", "tips__title", "tips__body"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [TipInline]
    fieldsets = [
        (
            None,
            {
                "fields": ["title", "slug", "group", "intro", "is_numbered", "position", "is_published"],
                "description": "A section of advice; its tips follow below in the order of their position.",
            },
        ),
    ]
