"""Caching the way the web does: every response says who may keep it, and for how long.

Anonymous pages are the same for every visitor (no cookie, no form token, no per-visitor markup), so they are
``public`` with an ``s-maxage`` that nginx, a CDN or Django's own cache middleware may honour. Signed-in and
personal responses are ``private``. Django's cache middleware keeps public pages on the ``pages`` cache alias,
which ``clear_pages`` empties whenever the guide's content changes.
"""

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware import cache as django_cache
from django.template.response import SimpleTemplateResponse
from django.utils.cache import has_vary_header, patch_cache_control

# Models whose rows the public pages show: a save or delete of any of them empties the page cache.
CONTENT_MODELS = [
    "companies.Category",
    "companies.Role",
    "companies.Company",
    "market.Edition",
    "market.MarketSnapshot",
    "market.SalaryBenchmark",
    "market.Trend",
    "market.TrendPoint",
    "market.Specialization",
    "advice.AdviceSection",
    "advice.Tip",
]
# Paths that are someone's own or an editor's, whatever the response says.
PRIVATE_PATHS = ("/admin/", "/accounts/", "/bookmarks/", "/alerts/", "/api/bookmarks/", "/api/auth/")
# Every query parameter a public page or API answer reads: the filters (CompanyFilter and the API's FilterSets),
# pages, the API's format, the compare picker's "c", the sitemap's "p" and the schema's "lang". An address with
# any other (utm_source, a typo, a cache-buster) is answered as usual but never stored, so made-up addresses cannot
# fill the cache. deploy/nginx.conf keeps the same list ($aihiring_known_args); tests/core/test_http_cache.py
# checks both against the FilterSets.
QUERY_PARAMETERS = frozenset(
    {"q", "category", "role", "outlook", "comp_min", "ordering", "edition", "level", "group"}
    | {"company", "workplace", "location", "has_pay", "posted_within", "state"}
    | {"page", "page_size", "format", "c", "p", "lang"}
)
# Accept values the API's cached answers may be stored for: no preference, JSON or CSV. Anything else is answered
# but not stored, so a client cannot make one entry per Accept header it invents. Pages do not vary on Accept.
ACCEPT_VALUES = frozenset({"", "*/*", "application/json", "text/csv"})


def _carries_identity(request):
    """The request names a visitor: a session or messages cookie, or credentials."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        or "messages" in cookies
        or "HTTP_AUTHORIZATION" in request.META
        or getattr(getattr(request, "user", None), "is_authenticated", False)
    )


def has_only_known_parameters(request):
    """Every query parameter of the request is one some public page reads."""
    return all(name in QUERY_PARAMETERS for name in request.GET)


def is_shareable(request, response):
    """A complete 200 to a GET that any visitor without an identity would get alike."""
    return (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.path.startswith(PRIVATE_PATHS)
        and not _carries_identity(request)
        and not getattr(request, "_csp_nonce", None)
    )


class CacheHeadersMiddleware:
    """``Cache-Control`` for responses whose view did not set one: public for anonymous pages, private otherwise.

    It sits under Django's cache middleware and over the session, CSRF and messages middleware, so it sees the
    cookies they set: a response that sets one is never public.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if is_shareable(request, response):
            patch_cache_control(
                response, public=True, max_age=settings.PAGE_BROWSER_SECONDS, s_maxage=settings.PAGE_CACHE_SECONDS
            )
        elif request.method in ("GET", "HEAD"):
            patch_cache_control(response, private=True, no_cache=True)
        return response


class FetchFromCacheMiddleware(django_cache.FetchFromCacheMiddleware):
    """Django's page cache, asked only for requests that carry no cookie and no credentials.

    Such a request can only be an anonymous visitor's, and leaving cookies out keeps one stored copy per address.
    """

    def process_request(self, request):
        # An address with a parameter no page reads is never stored, so there is nothing to look up either.
        if request.COOKIES or "HTTP_AUTHORIZATION" in request.META or not has_only_known_parameters(request):
            request._cache_update_cache = False
            return None
        return super().process_request(request)


class UpdateCacheMiddleware(django_cache.UpdateCacheMiddleware):
    """Django's page cache, storing only ``public`` responses, for ``PAGE_CACHE_SECONDS`` (their s-maxage)."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self.page_timeout = settings.PAGE_CACHE_SECONDS

    def _should_update_cache(self, request, response):
        return (
            super()._should_update_cache(request, response)
            and "public" in response.get("Cache-Control", "")
            and (not has_vary_header(response, "Accept") or request.headers.get("Accept", "") in ACCEPT_VALUES)
        )

    def process_response(self, request, response):
        # A rendered template or API response would be stored with what it was rendered from (an API answer
        # keeps its data: unpickling it took 0.9 ms a hit, against 0.07 ms for its bytes), so store the bytes.
        if isinstance(response, SimpleTemplateResponse) and self._should_update_cache(request, response):
            response = HttpResponse(response.content, status=response.status_code, headers=response.headers)
        return super().process_response(request, response)


def clear_pages(**kwargs):
    """Empty the page cache now and again once the transaction commits, so no worker keeps the old content."""
    cache = caches[settings.CACHE_MIDDLEWARE_ALIAS]
    cache.clear()
    transaction.on_commit(cache.clear)


def connect_signals():
    """Every save, delete or many-to-many change of a content model empties the page cache."""
    for label in CONTENT_MODELS:
        model = apps.get_model(label)
        post_save.connect(clear_pages, sender=model, dispatch_uid=f"pages-save-{label}")
        post_delete.connect(clear_pages, sender=model, dispatch_uid=f"pages-delete-{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(clear_pages, sender=through, dispatch_uid=f"pages-m2m-{through._meta.label}")
