import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

logger = logging.getLogger(__name__)


class HomeView(TemplateView):
    template_name = "placeholder.html"


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
