import logging
import uuid

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from advice.models import AdviceGroup, AdviceSection

from . import guide
from .charts import benchmark_chart
from .search import SearchForm, SearchKind, search_advice, search_companies, search_roles

logger = logging.getLogger(__name__)

SEARCH_PAGE_SIZE = 25
SEARCH_PREVIEW_SIZE = 5


class HomeView(TemplateView):
    """The guide: the current edition's figures, companies, pay, trends and advice on one page."""

    template_name = "aihiring/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = guide.current_edition()
        context["edition"] = edition
        if edition is None:
            return context
        sections = list(AdviceSection.objects.with_tips())
        salary_rows = guide.salary_rows(edition)
        context.update(
            snapshot=guide.headline_snapshot(edition),
            categories=[c for c in guide.categories_with_profiles() if c.profiles],
            watch=guide.watch_lists(),
            salary_rows=salary_rows,
            salary_chart=benchmark_chart(
                [row.benchmark for row in salary_rows],
                title=f"Pay bands by level, {edition.name}",
                description="For each level, base salary (dark, upper bar) and total comp (lighter, lower bar).",
            )
            if salary_rows
            else None,
            trends=guide.trends_with_points(edition),
            loose_specializations=guide.loose_specializations(edition),
            getting_hired=[s for s in sections if s.group == AdviceGroup.GETTING_HIRED],
            stand_out=[s for s in sections if s.group == AdviceGroup.STAND_OUT],
            bottom_line=[s for s in sections if s.group == AdviceGroup.BOTTOM_LINE],
        )
        return context


class SearchView(TemplateView):
    """``/search/?q=``: companies, roles and advice that match, 25 a page per kind."""

    template_name = "aihiring/search.html"
    searches = {
        SearchKind.COMPANIES: search_companies,
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
        context.update(query=query, kind=kind, kinds=SearchKind.CHOICES)
        if kind == SearchKind.ALL:
            groups = []
            for name, search in self.searches.items():
                results = search(query)
                groups.append(
                    {
                        "kind": name,
                        "count": results.count(),
                        "results": list(results[:SEARCH_PREVIEW_SIZE]),
                    }
                )
            context["groups"] = groups
            context["total"] = sum(group["count"] for group in groups)
            return context
        paginator = Paginator(self.searches[kind](query), SEARCH_PAGE_SIZE)
        page_obj = paginator.get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            groups=[{"kind": kind, "count": paginator.count, "results": page_obj.object_list}],
            total=paginator.count,
            page_obj=page_obj,
            is_paginated=page_obj.has_other_pages(),
            query_string=params.urlencode(),
        )
        return context


ROBOTS_DISALLOW = ["/admin/", "/bookmarks/"]


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    """Crawlers may read every public page, not the admin or personal bookmarks; the sitemap lists them."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
def healthz(request):
    """Database and cache checks for load balancers: 200 when both answer, 503 (and a logged error) otherwise."""
    report = {"status": "ok", "database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.exception("Health check: the database did not answer")
        report.update(status="error", database="unreachable")
    try:
        key, token = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
        cache.set(key, token, timeout=10)
        answered = cache.get(key) == token
        cache.delete(key)
    except Exception:
        logger.exception("Health check: the cache did not answer")
        answered = False
    if not answered:
        report.update(status="error", cache="unreachable")
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


@requires_csrf_token
def page_not_found(request, exception):
    """404 in the site's style, with a search box and a way back."""
    return render(request, "404.html", {"form": SearchForm()}, status=404)


@requires_csrf_token
def server_error(request):
    """500 rendered without the request's context processors or the database: either may be what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render())
