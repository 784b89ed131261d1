from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery
from django.utils.html import format_html

from .models import JobSource, Posting, SyncRun
from .sync import BoardClient, sync_source
from .tasks import clear_pages_after_sync


class SyncRunInline(admin.TabularInline):
    model = SyncRun
    fields = ["started_at", "finished_at", "outcome", "new_count", "updated_count", "closed_count", "error"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    ordering = ["-started_at"]

    def get_queryset(self, request):
        # The latest ten runs; the full record is under "Sync runs".
        queryset = super().get_queryset(request)
        latest = SyncRun.objects.filter(source=OuterRef("source")).order_by("-started_at").values("pk")[:10]
        return queryset.filter(pk__in=Subquery(latest))


@admin.register(JobSource)
class JobSourceAdmin(admin.ModelAdmin):
    list_display = ["company", "provider", "board", "is_enabled", "last_success_at", "last_outcome"]
    list_filter = ["provider", "is_enabled"]
    list_select_related = ["company"]
    search_fields = ["company__name", "board"]
    autocomplete_fields = ["company"]
    readonly_fields = ["last_run_at", "last_success_at", "created_at"]
    fields = ["company", "provider", "board", "is_enabled", "last_run_at", "last_success_at", "created_at"]
    inlines = [SyncRunInline]
    actions = ["sync_now"]

    def get_queryset(self, request):
        latest = SyncRun.objects.filter(source=OuterRef("pk")).order_by("-started_at")
        return (
            super()
            .get_queryset(request)
            .annotate(
                latest_outcome=Subquery(latest.values("outcome")[:1]),
                latest_error=Subquery(latest.values("error")[:1]),
            )
        )

    @admin.display(description="Last run")
    def last_outcome(self, source):
        if source.latest_outcome is None:
            return "Never synced"
        label = SyncRun.Outcome(source.latest_outcome).label
        if source.latest_outcome == SyncRun.Outcome.FAILED:
            return format_html("<strong>{}</strong>: {}", label, source.latest_error)
        return label

    @admin.action(description="Sync the selected boards now")
    def sync_now(self, request, queryset):
        totals = {"new": 0, "updated": 0, "closed": 0}
        with BoardClient() as client:
            for source in queryset.select_related("company"):
                run = sync_source(source, client)
                totals["new"] += run.new_count
                totals["updated"] += run.updated_count
                totals["closed"] += run.closed_count
                if run.outcome == SyncRun.Outcome.FAILED:
                    self.message_user(request, f"{source}: {run.error}", messages.ERROR)
                else:
                    self.message_user(
                        request,
                        f"{source}: {run.get_outcome_display().lower()}, {run.new_count} new, "
                        f"{run.updated_count} updated, {run.closed_count} closed.",
                        messages.SUCCESS,
                    )
        clear_pages_after_sync(totals)


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = ["source", "started_at", "finished_at", "outcome", "new_count", "updated_count", "closed_count"]
    list_filter = ["outcome", "source__provider"]
    list_select_related = ["source__company"]
    search_fields = ["source__company__name", "source__board", "error"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Posting)
class PostingAdmin(admin.ModelAdmin):
    """Postings come from the boards; editors read them here and may correct the classification."""

    list_display = ["title", "company", "level", "role", "workplace", "pay_text", "posted_at", "closed_at"]
    list_filter = ["level", "workplace", "source__provider", ("closed_at", admin.EmptyFieldListFilter), "role"]
    list_select_related = ["company", "role"]
    search_fields = ["title", "company__name", "location_text"]
    date_hierarchy = "posted_at"
    show_full_result_count = False
    readonly_fields = [
        "source", "company", "external_id", "title", "url", "apply_url", "locations", "employment_type",
        "department", "pay_min", "pay_max", "pay_currency", "pay_period", "pay_from_text", "description",
        "posted_at", "first_seen", "last_sighting", "closed_at",
    ]  # fmt: skip
    fields = ["level", "role", "workplace", *readonly_fields]

    @admin.display(description="Last seen")
    def last_sighting(self, posting):
        return posting.last_sighting

    @admin.display(description="Pay")
    def pay_text(self, posting):
        return posting.pay_text() or "—"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a posting is closed, never deleted
