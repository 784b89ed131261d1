"""Pages every site has: robots.txt, the health check, and the error pages."""

import logging
import sys
import uuid

from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

ROBOTS_DISALLOW = ["/admin/", "/bookmarks/"]
# Seconds a client is asked to wait when the database cannot be reached; reconnecting takes under one.
DATABASE_RETRY_AFTER = 5


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    """Crawlers may read every public page, not the admin or personal bookmarks; the sitemap lists them."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
def healthz(request):
    """Database and cache checks for load balancers, within a second whatever is down.

    503 (and a logged error) when the database does not answer. A cache that does not answer is reported as
    ``degraded`` with a 200: the site serves without it (core/cache_backends.py), and a 503 would only take
    every server out of rotation at once.
    """
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
        logger.warning("Health check: the cache did not answer; pages are served without it")
        report["cache"] = "unreachable"
        if report["status"] == "ok":
            report["status"] = "degraded"
    return JsonResponse(report, status=503 if report["status"] == "error" else 200)


@requires_csrf_token
def page_not_found(request, exception):
    """404 in the site's style, with a search box and a way back."""
    return render(request, "404.html", status=404)


def bad_request(request, exception):
    """400 rendered without the request: the request itself could not be read, and reading it again (as Django's
    own handler does for its CSRF check) would only fail again."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "The request could not be read."}, status=400)
    return HttpResponseBadRequest(loader.get_template("400.html").render())


def database_unreachable(error):
    """Whether ``error`` says the database cannot be reached: Django's OperationalError or InterfaceError, or the
    driver's own, which escapes Django's wrapper from a few calls (closing a server-side cursor on PostgreSQL)."""
    driver = connection.Database
    return isinstance(error, OperationalError | InterfaceError | driver.OperationalError | driver.InterfaceError)


@requires_csrf_token
def server_error(request):
    """500 rendered without the request's context processors or the database: either may be what failed.

    A database that cannot be reached (refusing connections, restarting, connection lost) is a 503 with
    ``Retry-After`` instead: the request was fine and will succeed once the database is back. JSON on the API.
    """
    api = request.path.startswith("/api/")
    if database_unreachable(sys.exception()):
        if api:
            response = JsonResponse({"detail": "The service is unavailable for a moment; try again."}, status=503)
        else:
            response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response
    if api:
        return JsonResponse({"detail": "Server error."}, status=500)
    return HttpResponseServerError(loader.get_template("500.html").render())
