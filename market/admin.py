from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.text import get_text_list
from import_export import fields
from import_export.admin import ImportExportModelAdmin
from import_export.widgets import ForeignKeyWidget
from simple_history.admin import SimpleHistoryAdmin

from core.admin_versioning import VersionCheckedAdmin, VersionCheckedForm
from core.spreadsheets import SpreadsheetResource

from .computed_admin import ComputedSnapshotAdmin
from .edition_admin import EditionWorkflowAdmin
from .models import (
    EDITION_TEXT_FIELDS,
    ComputedSnapshot,
    Edition,
    MarketSnapshot,
    SalaryBenchmark,
    Specialization,
    Trend,
    TrendPoint,
    needs_review_condition,
)

PROVENANCE_FIELDSET = (
    "Provenance",
    {
        "fields": ("edition", "as_of", "source", "source_url", "last_verified"),
        "description": "Where the figure comes from. Set “last verified” whenever you check it against its source; "
        "a figure not checked since the edition before its own came out is marked “needs review” on the site.",
    },
)


class FiguresCheckedForm(VersionCheckedForm):
    """A change to a figure asks the editor to confirm they checked it: ticking "Checked today" sets
    "last verified" to today (so the publish page counts the figure as checked); so does setting the date by hand."""

    checked_today = forms.BooleanField(
        required=False,
        label="Checked today",
        help_text="Tick when you have checked this row's figures against the source today: “last verified” becomes "
        "today. Needed when you change a figure.",
    )
    figure_fields = ()  # set by FiguresCheckedAdmin

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("checked_today"):
            cleaned_data["last_verified"] = timezone.localdate()
            return cleaned_data
        changed = [name for name in self.figure_fields if name in self.changed_data]
        if self.instance.pk is not None and changed and "last_verified" not in self.changed_data:
            labels = get_text_list([str(self.fields[name].label) for name in changed], "and")
            self.add_error(
                "checked_today",
                f"You changed {labels}. Tick “Checked today” once you have checked the new figures against the "
                "source (or set “last verified” to the day you did); your changes are kept below.",
            )
        return cleaned_data


class FiguresCheckedAdmin(VersionCheckedAdmin):
    """ModelAdmin mixin: ``figure_fields`` may change only with "Checked today" ticked (FiguresCheckedForm)."""

    form = FiguresCheckedForm
    figure_fields = ()

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.figure_fields = self.figure_fields
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [
            (name, {**options, "fields": [*options["fields"], "checked_today"]})
            if "last_verified" in options["fields"]
            else (name, options)
            for name, options in fieldsets
        ]


class NeedsReviewFilter(admin.SimpleListFilter):
    """Rows older than their edition: last verified on or before the edition before theirs came out."""

    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("needed", "Needs review (not checked for its edition)"), ("fresh", "Checked for its edition")]

    def queryset(self, request, queryset):
        if self.value() == "needed":
            queryset = queryset.filter(needs_review_condition())
            if hasattr(queryset.model, "is_published"):
                queryset = queryset.filter(is_published=True)
            return queryset
        if self.value() == "fresh":
            return queryset.exclude(needs_review_condition())
        return queryset


@admin.register(Edition)
class EditionAdmin(EditionWorkflowAdmin):
    list_display = ["name", "slug", "published_on", "is_published", "is_current"]
    list_filter = ["is_published", "is_current"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["previous_published_on", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "published_on",
                    "is_published",
                    "is_current",
                    "published_at",
                    "previous_published_on",
                ],
                "description": "Use “Start the next edition” on the list of editions to begin a quarter, and "
                "“Publish edition” to make it current.",
            },
        ),
        (
            "Guide texts",
            {
                "fields": EDITION_TEXT_FIELDS,
                "description": "The edition's own words around the figures, shown on the guide's pages.",
            },
        ),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


@admin.register(MarketSnapshot)
class MarketSnapshotAdmin(FiguresCheckedAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "edition", "total_postings", "mom_change_pct", "remote_eligible_pct", "senior_plus_pct"]
    figure_fields = ["total_postings", "mom_change_pct", "remote_eligible_pct", "senior_plus_pct"]
    list_filter = ["edition", NeedsReviewFilter]
    list_select_related = ["edition"]
    search_fields = ["source"]
    fieldsets = [
        (
            "Figures",
            {
                "fields": ["month", "total_postings", "mom_change_pct", "remote_eligible_pct", "senior_plus_pct"],
                "description": "Percentages are whole numbers from 0 to 100; a fall in postings is a negative change.",
            },
        ),
        PROVENANCE_FIELDSET,
        (
            "Computed from postings",
            {
                "fields": ["computed_from"],
                "description": "Figures published from a count of postings can only change by publishing a new "
                "count; figures typed in leave this empty.",
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "computed_from"]
        if obj is not None and obj.computed_from_id:
            readonly += ["month", "total_postings", "mom_change_pct", "remote_eligible_pct", "senior_plus_pct"]
        return readonly


admin.site.register(ComputedSnapshot, ComputedSnapshotAdmin)


class SalaryBenchmarkResource(SpreadsheetResource):
    edition = fields.Field(attribute="edition", column_name="edition", widget=ForeignKeyWidget(Edition, "slug"))

    class Meta:
        model = SalaryBenchmark
        import_id_fields = ["edition", "level"]
        fields = [
            "edition",
            "level",
            "base_min",
            "base_max",
            "total_min",
            "total_max",
            "as_of",
            "source",
            "source_url",
            "last_verified",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


@admin.register(SalaryBenchmark)
class SalaryBenchmarkAdmin(FiguresCheckedAdmin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [SalaryBenchmarkResource]
    import_template_name = "admin/import_export/import_preview.html"
    figure_fields = ["base_min", "base_max", "total_min", "total_max"]
    list_display = ["level", "edition", "base_min", "base_max", "total_min", "total_max", "last_verified"]
    list_filter = ["edition", "level", NeedsReviewFilter]
    list_select_related = ["edition"]
    search_fields = ["level", "edition__name"]
    fieldsets = [
        (
            "Pay",
            {
                "fields": ["level", ("base_min", "base_max"), ("total_min", "total_max")],
                "description": "Whole US dollars per year, e.g. 125000. Each minimum must not exceed its maximum.",
            },
        ),
        PROVENANCE_FIELDSET,
    ]


class TrendPointInline(admin.TabularInline):
    model = TrendPoint
    extra = 1
    fields = ["text", "position"]


@admin.register(Trend)
class TrendAdmin(SimpleHistoryAdmin):
    list_display = ["title", "edition", "position", "last_verified"]
    list_filter = ["edition", NeedsReviewFilter]
    list_select_related = ["edition"]
    search_fields = ["title", "intro", "points__text"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [TrendPointInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "intro", "position"]}),
        PROVENANCE_FIELDSET,
    ]


@admin.register(Specialization)
class SpecializationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "description", "trend", "edition", "position"]
    list_filter = ["edition", NeedsReviewFilter]
    list_select_related = ["edition", "trend"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["trend"]
    fieldsets = [
        (None, {"fields": ["name", "description", "trend", "position"]}),
        PROVENANCE_FIELDSET,
    ]
