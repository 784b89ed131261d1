from django.contrib import admin
from import_export import fields
from import_export.admin import ImportExportModelAdmin
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import PublishActionsMixin
from core.spreadsheets import SpreadsheetResource
from market.admin import PROVENANCE_FIELDSET, FiguresCheckedAdmin, NeedsReviewFilter
from market.models import Edition

from .models import Category, Company, Role


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class CompanyResource(SpreadsheetResource):
    category = fields.Field(attribute="category", column_name="category", widget=ForeignKeyWidget(Category, "slug"))
    edition = fields.Field(attribute="edition", column_name="edition", widget=ForeignKeyWidget(Edition, "slug"))
    roles = fields.Field(
        attribute="roles", column_name="roles", widget=ManyToManyWidget(Role, separator="|", field="slug")
    )

    class Meta:
        model = Company
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "category",
            "roles",
            "focus",
            "wants",
            "website",
            "headquarters",
            "comp_min",
            "comp_max",
            "comp_basis",
            "comp_open_ended",
            "comp_note",
            "outlook",
            "outlook_note",
            "position",
            "is_published",
            "edition",
            "as_of",
            "source",
            "source_url",
            "last_verified",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


@admin.register(Company)
class CompanyAdmin(PublishActionsMixin, FiguresCheckedAdmin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [CompanyResource]
    import_template_name = "admin/import_export/import_preview.html"
    figure_fields = ["comp_min", "comp_max", "comp_basis", "comp_open_ended", "comp_note", "outlook", "outlook_note"]
    list_display = ["name", "category", "comp_text", "outlook", "is_published", "last_verified", "updated_at"]
    list_filter = ["is_published", "category", "outlook", "comp_basis", NeedsReviewFilter, "roles", "edition"]
    list_select_related = ["category", "edition"]
    search_fields = ["name", "focus", "wants", "roles__name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["roles"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": ["name", "slug", "category", "position", "is_published"],
                "description": "To take a company out of the guide, untick Published. A company that candidates have "
                "bookmarked cannot be deleted: their private notes would go with it.",
            },
        ),
        (
            "Where to find them",
            {
                "fields": ["website", "headquarters"],
                "description": "The company's own site and where it is based. Its careers page, where it hires and "
                "its remote policy come from its job boards (Job sources).",
            },
        ),
        (
            "What they hire for",
            {"fields": ["roles", "focus", "wants"], "description": "Word these as the edition's source words them."},
        ),
        (
            "Pay",
            {
                "fields": [("comp_min", "comp_max"), "comp_basis", "comp_open_ended", "comp_note"],
                "description": "Whole US dollars per year, e.g. 170000 to 280000. Leave both empty when the source "
                "gives no figures, and put its words (e.g. “Highly competitive + equity”) in the pay note.",
            },
        ),
        (
            "Watch list",
            {
                "fields": ["outlook", "outlook_note"],
                "description": "For companies to watch: growing teams or stable employers, with a one-line note.",
            },
        ),
        PROVENANCE_FIELDSET,
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_deleted_objects(self, objs, request):
        """Never list candidates' bookmarks (they name users): say how many protect the company, and what to do."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        tracked = self.model._meta.get_field("bookmarks").related_model._base_manager.filter(company__in=objs).count()
        if tracked:
            noun = "candidate's bookmark" if tracked == 1 else "candidates' bookmarks"
            protected = [
                f"{tracked} {noun}, with private notes. Unpublish the company instead: readers stop seeing it and "
                "the candidates keep their notes."
            ]
        return deleted, model_count, perms_needed, protected

    @admin.display(description="Pay")
    def comp_text(self, obj):
        return obj.comp_text
