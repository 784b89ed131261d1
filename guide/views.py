"""The pages that combine the apps: the guide's home page, site search and the methodology page."""

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from advice.models import AdviceGroup, AdviceSection
from companies.models import Company, Role
from core.charts import benchmark_chart
from jobs import methodology
from jobs.classification import ACCURACY_FLOORS
from market import overview
from market.models import Edition

from . import home
from .search import SearchForm, SearchKind, search_advice, search_companies, search_pages, search_roles

SEARCH_PAGE_SIZE = 25
SEARCH_PREVIEW_SIZE = 5
SEARCH_COUNT_LIMIT = 100


class HomeView(TemplateView):
    """The guide: the current edition's figures, companies, pay, trends and advice on one page.

    The page's content is the same for every reader, so its template keeps it in a ``{% cache %}`` fragment on
    the page cache, which any content change empties. Everything it shows is a property of this view, read by
    the template inside that fragment: on a hit, none of it is computed.
    """

    template_name = "guide/home.html"

    @cached_property
    def edition(self):
        return Edition.objects.current()

    @cached_property
    def content(self):
        """The page's figures, lists and advice for the current edition (read by the template on a miss)."""
        edition = self.edition
        sections = list(AdviceSection.objects.with_tips())
        salary_rows = overview.salary_rows(edition)
        return {
            "snapshot": overview.headline_snapshot(edition),
            "categories": [c for c in home.categories_with_profiles() if c.profiles],
            "watch": home.watch_lists(),
            "salary_rows": salary_rows,
            "salary_chart": benchmark_chart(
                [row.benchmark for row in salary_rows],
                title=f"Pay bands by level, {edition.name}",
                description="For each level, base salary (the bolder, upper bar) and total comp "
                "(the fainter, lower bar).",
            )
            if salary_rows
            else None,
            "trends": overview.trends_with_points(edition),
            "loose_specializations": overview.loose_specializations(edition),
            "getting_hired": [s for s in sections if s.group == AdviceGroup.GETTING_HIRED],
            "stand_out": [s for s in sections if s.group == AdviceGroup.STAND_OUT],
            "bottom_line": [s for s in sections if s.group == AdviceGroup.BOTTOM_LINE],
        }


class AboutDataView(TemplateView):
    """``/about/data/``: where the figures come from, the boards tracked, how postings are counted and read, how
    well the reading rules do on the labelled set, how editors check figures and the edition cadence (3 queries)."""

    template_name = "guide/about_data.html"

    def get_context_data(self, **kwargs):
        sources = list(methodology.tracked_sources())
        return super().get_context_data(
            edition=Edition.objects.current(),
            sources=sources,
            company_count=len({source.company_id for source in sources}),
            roles=list(Role.objects.order_by("name").values_list("name", flat=True)),
            rule_sections=methodology.rule_sections(),
            pay_text_rule=methodology.pay_text_rule(),
            accuracy=methodology.labelled_accuracy(),
            accuracy_floors={field: f"{floor:.0%}" for field, floor in ACCURACY_FLOORS.items()},
            min_sources=settings.POSTINGS_MIN_SOURCES,
            sync_hours=round(settings.POSTINGS_SYNC_EVERY_MINUTES / 60, 1),
            **kwargs,
        )


class SearchView(TemplateView):
    """``/search/?q=``: the companies, pages, roles and advice that match; five of each, or 25 a page of one kind."""

    template_name = "guide/search.html"
    searches = {
        SearchKind.COMPANIES: search_companies,
        SearchKind.PAGES: search_pages,
        SearchKind.ROLES: search_roles,
        SearchKind.ADVICE: search_advice,
    }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        context["form"] = form
        if not form.is_bound or not form.is_valid() or not form.cleaned_data["q"]:
            context["query"] = ""
            return context
        query, kind = form.cleaned_data["q"], form.cleaned_data["type"]
        context.update(query=query, kind=kind, kinds=SearchKind.CHOICES, site_search_query=query)
        if kind == SearchKind.ALL:
            groups = [self.preview(name, search, query) for name, search in self.searches.items()]
            context["groups"] = groups
            context["total"] = sum(group["count"] for group in groups)
            context["total_label"] = f"{context['total']}{'+' if any(g['more'] for g in groups) else ''}"
            return context
        paginator = Paginator(self.searches[kind](query), SEARCH_PAGE_SIZE)
        page_obj = paginator.get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            groups=[
                {"kind": kind, "count": paginator.count, "label": paginator.count, "results": page_obj.object_list}
            ],
            total=paginator.count,
            total_label=paginator.count,
            page_obj=page_obj,
            is_paginated=page_obj.has_other_pages(),
            query_string=params.urlencode(),
        )
        return context

    @staticmethod
    def preview(kind, search, query):
        """The first five of one kind, and how many there are: for companies, counted up to
        ``SEARCH_COUNT_LIMIT`` (a common word matches thousands; "100+" says enough, and counting them all would
        read every one), the five read best match first, tier by tier (``CompanyQuerySet.best_matches``)."""
        if kind != SearchKind.COMPANIES:
            results = search(query)
            return {
                "kind": kind,
                "count": len(results),
                "label": len(results),
                "more": False,
                "results": results[:SEARCH_PREVIEW_SIZE],
            }
        matched = Company.objects.for_listing().matching(query)
        count = matched[: SEARCH_COUNT_LIMIT + 1].count()
        more = count > SEARCH_COUNT_LIMIT
        return {
            "kind": kind,
            "count": min(count, SEARCH_COUNT_LIMIT),
            "label": f"{SEARCH_COUNT_LIMIT}+" if more else count,
            "more": more,
            "results": matched.best_matches(query, SEARCH_PREVIEW_SIZE) if count else [],
        }
