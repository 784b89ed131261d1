from django.utils.cache import patch_cache_control
from django.views.generic import TemplateView

from core.charts import benchmark_chart

from . import overview
from .benchmarks import salary_rows
from .models import Edition, SalaryBenchmark


def may_preview(user):
    """Editors (those who may see editions in the admin) may open a draft edition's pages."""
    return user.is_authenticated and user.is_staff and user.has_perm("market.view_edition")


def draft_for(request, slug):
    """The draft edition ``slug`` when the reader may preview it, else None."""
    if not slug or not may_preview(request.user):
        return None
    return Edition.objects.filter(is_published=False, slug=slug).first()


def never_kept(response):
    """A draft's preview: for the editor's eyes only, kept by no cache."""
    patch_cache_control(response, private=True, no_store=True)
    return response


class SalaryView(TemplateView):
    """``/salaries/``: benchmark pay per level with a chart; ``?edition=<slug>`` shows another published edition, or
    to an editor a draft (marked as such, never cached)."""

    template_name = "market/salaries.html"

    def get(self, request, *args, **kwargs):
        editions = list(Edition.objects.published())
        context = self.get_context_data(editions=editions, **kwargs)
        wanted = request.GET.get("edition", "").strip()
        if wanted:
            edition = next((e for e in editions if e.slug == wanted), None) or draft_for(request, wanted)
            if edition is None:
                context.update(edition=None, unknown_edition=wanted[:60])
                return self.render_to_response(context, status=404)
        else:
            edition = next((e for e in editions if e.is_current), editions[0] if editions else None)
        if edition is None:
            return self.render_to_response(context)
        if not edition.is_published:
            return never_kept(self._render(context, edition, editions))
        return self._render(context, edition, editions)

    def _render(self, context, edition, editions):
        previous = next((e for e in editions if e.published_on < edition.published_on), None)
        benchmarks = list(SalaryBenchmark.objects.for_edition(edition))
        previous_benchmarks = list(SalaryBenchmark.objects.for_edition(previous)) if previous else []
        context.update(
            edition=edition,
            previous=previous if previous_benchmarks else None,
            benchmarks=benchmarks,
            rows=salary_rows(benchmarks, previous_benchmarks),
            chart=benchmark_chart(
                benchmarks,
                previous=previous_benchmarks,
                title=f"Pay bands by level, {edition.name}",
                description="For each level, base salary (the bolder, upper bar) and total comp "
                "(the fainter, lower bar)"
                + (f"; the dashed outline is total comp in {previous.name}." if previous_benchmarks else "."),
            )
            if benchmarks
            else None,
        )
        return self.render_to_response(context)


class MarketView(TemplateView):
    """The current edition's headline figures with their history, trends and specializations; to an editor,
    ``?edition=<slug>`` previews a draft edition's (marked as such, never cached)."""

    template_name = "market/market.html"

    def get(self, request, *args, **kwargs):
        self.draft = draft_for(request, request.GET.get("edition", "").strip())
        response = super().get(request, *args, **kwargs)
        return never_kept(response) if self.draft else response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = self.draft or Edition.objects.current()
        context["edition"] = edition
        if edition is None:
            return context
        snapshot = overview.headline_snapshot(edition)
        history = overview.snapshot_history(snapshot) if snapshot else []
        trends = list(overview.trends_with_points(edition))
        context.update(
            snapshot=snapshot,
            history=history,
            change=overview.snapshot_change(history),
            share_bars=overview.share_bars(snapshot) if snapshot else [],
            history_charts=overview.history_charts(history),
            trends=trends,
            specialization_trend=next((t for t in trends if t.specializations.all()), None),
            loose_specializations=overview.loose_specializations(edition),
        )
        return context
