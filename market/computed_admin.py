"""Figures computed from postings in the admin: review a count beside the published figures, publish it."""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from .models import ComputedSnapshot, Edition, MarketSnapshot, boards_text
from .services import snapshot_publish, snapshot_publish_problems


class EditionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, edition):
        state = "current" if edition.is_current else "published" if edition.is_published else "draft"
        return f"{edition.name} ({state})"


class PublishForm(forms.Form):
    edition = EditionChoiceField(
        queryset=Edition.objects.order_by("-published_on"),
        empty_label=None,
        help_text="A draft edition's figures for the month are replaced; a published edition only gains a month it "
        "does not have yet.",
    )


@dataclass(frozen=True)
class FigureRow:
    """One headline figure: computed, and as published for the month and in the current headline."""

    label: str
    computed: str
    basis: str
    published: str
    headline: str


def _pct(value, signed=False):
    if value is None:
        return "—"
    return f"{value:+d}%" if signed else f"{value}%"


def _count(value):
    return "—" if value is None else f"{value:,}"


def figure_rows(computed: ComputedSnapshot, published: MarketSnapshot | None, headline: MarketSnapshot | None):
    """The four figures of ``computed`` beside ``published`` (the same month as readers see it) and ``headline``."""
    previous = f"{computed.previous_month:%B %Y}"

    def both(name, show):
        return [show(getattr(s, name)) if s is not None else "" for s in (published, headline)]

    return [
        FigureRow(
            "Active AI engineering postings",
            _count(computed.total_postings),
            f"{computed.postings:,} postings from {boards_text(computed.sources)}",
            *both("total_postings", _count),
        ),
        FigureRow(
            "Month-over-month change",
            _pct(computed.mom_change_pct, signed=True),
            f"against {computed.previous_postings:,} postings from {boards_text(computed.previous_sources)} "
            f"in {previous}",
            *both("mom_change_pct", lambda v: _pct(v, signed=True)),
        ),
        FigureRow(
            "Remote-eligible roles",
            _pct(computed.remote_eligible_pct),
            f"{computed.remote_postings:,} of {computed.postings:,} postings",
            *both("remote_eligible_pct", _pct),
        ),
        FigureRow(
            "Senior+ roles",
            _pct(computed.senior_plus_pct),
            f"{computed.senior_postings:,} of {computed.levelled_postings:,} postings with a stated level, from "
            f"{boards_text(computed.levelled_sources)}",
            *both("senior_plus_pct", _pct),
        ),
    ]


class ComputedSnapshotAdmin(admin.ModelAdmin):
    """Counts come from ``manage.py compute_snapshot``; editors read them here and publish them into an edition."""

    change_form_template = "admin/market/computedsnapshot/change_form.html"
    list_display = ["__str__", "basis", "total", "change", "remote", "senior", "status", "computed_at"]
    list_filter = ["month"]
    date_hierarchy = "month"
    readonly_fields = [
        "month",
        "computed_at",
        "min_sources",
        "postings",
        "sources",
        "remote_postings",
        "levelled_postings",
        "levelled_sources",
        "senior_postings",
        "previous_postings",
        "previous_sources",
    ]
    fieldsets = [
        (
            "What the figures rest on",
            {
                "fields": readonly_fields,
                "description": "Counted by the database from the postings of the tracked job boards "
                "(see “About the data” on the site). Count a month again with "
                "<code>python manage.py compute_snapshot --month YYYY-MM</code>.",
            },
        )
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("snapshots__edition")

    def has_add_permission(self, request):
        return False  # only compute_snapshot counts postings

    @admin.display(description="Rests on")
    def basis(self, computed):
        return f"{computed.postings:,} postings, {boards_text(computed.sources)}"

    @admin.display(description="Postings")
    def total(self, computed):
        return _count(computed.total_postings)

    @admin.display(description="Change")
    def change(self, computed):
        return _pct(computed.mom_change_pct, signed=True)

    @admin.display(description="Remote")
    def remote(self, computed):
        return _pct(computed.remote_eligible_pct)

    @admin.display(description="Senior+")
    def senior(self, computed):
        return _pct(computed.senior_plus_pct)

    @admin.display(description="Status")
    def status(self, computed):
        editions = [s.edition.name for s in computed.snapshots.all()]
        if editions:
            return "Published in " + ", ".join(editions)
        if not computed.is_publishable:
            return "No figure: too few job boards"
        return "Draft: ready to publish"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:object_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="{}_{}_publish_figures".format(*info),
            ),
            *super().get_urls(),
        ]

    def can_publish(self, request):
        return request.user.has_perms(["market.add_marketsnapshot", "market.change_marketsnapshot"])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        computed = get_object_or_404(ComputedSnapshot, pk=object_id)
        current = Edition.objects.current()
        published = MarketSnapshot.objects.series().filter(month=computed.month).first()
        headline = MarketSnapshot.objects.filter(edition=current).order_by("-month").first() if current else None
        suggested = _suggested_edition(computed)
        extra_context = {
            **(extra_context or {}),
            "computed": computed,
            "problems": computed.problems(),
            "published": published,
            "headline": headline,
            "current": current,
            "rows": figure_rows(computed, published, headline),
            "publish_form": PublishForm(initial={"edition": suggested}),
            "suggested": suggested,
            "can_publish": self.can_publish(request) and computed.is_publishable,
            "published_in": list(computed.snapshots.select_related("edition")),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def publish_view(self, request, object_id):
        computed = get_object_or_404(ComputedSnapshot, pk=object_id)
        back = reverse("admin:market_computedsnapshot_change", args=[computed.pk])
        if not self.can_publish(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = PublishForm(request.POST)
        if not form.is_valid():
            self.message_user(request, "Choose the edition to publish into.", messages.ERROR)
            return HttpResponseRedirect(back)
        edition = form.cleaned_data["edition"]
        try:
            snapshot = snapshot_publish(computed=computed, edition=edition)
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, f"Not published: {message}", messages.ERROR)
            return HttpResponseRedirect(back)
        where = "readers see it now" if edition.is_published else "readers see it once the edition is published"
        self.message_user(
            request,
            f"Published the figures for {computed.month:%B %Y} into {edition.name}; {where}.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:market_marketsnapshot_change", args=[snapshot.pk]))


def _suggested_edition(computed):
    """The newest edition the count can go into: usually the draft of the next quarter."""
    for edition in Edition.objects.order_by("-published_on")[:5]:
        if not snapshot_publish_problems(computed, edition):
            return edition.pk
    return None
