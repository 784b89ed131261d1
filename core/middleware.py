"""Site-wide middleware: security headers Django does not set itself, per-address rate limits on sensitive POSTs,
and one structured log line per request."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.functional import empty

from core.cache_backends import CacheUnavailable

request_logger = logging.getLogger("aihiring.request")

# A request id from the proxy is reused only when it looks like one; anything else is replaced.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def client_ip(request):
    """The client's address: REMOTE_ADDR, or with N trusted proxies in front, the N-th address from the right of
    X-Forwarded-For (the one our outermost proxy saw). Addresses further left are the client's word and ignored.

    django-axes (lockouts) and the request log use this; DRF's throttles apply the same rule through NUM_PROXIES.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


class SecurityHeadersMiddleware:
    """Add Cross-Origin-Resource-Policy and Permissions-Policy to every response, static files included."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            "Cross-Origin-Resource-Policy": getattr(settings, "SECURE_CROSS_ORIGIN_RESOURCE_POLICY", "same-origin"),
            "Permissions-Policy": getattr(settings, "SECURE_PERMISSIONS_POLICY", ""),
        }

    def __call__(self, request):
        response = self.get_response(request)
        for header, value in self.headers.items():
            if value:
                response.headers.setdefault(header, value)
        return response


class RateLimitMiddleware:
    """Limit POSTs to the views named in ``settings.RATE_LIMITS`` per client address, answering 429 past the limit.

    ``RATE_LIMITS`` maps a URL name (``"accounts:signup"``) to ``(requests, seconds)``: a fixed window counted in
    the cache, so with a shared cache (Redis) the limit holds across every app server. While that cache cannot
    count, each process counts on its own (``_process_counts``), so the limit still holds per worker. Failed
    sign-ins per account are django-axes' job; this caps what one address can try across accounts, sign-ups and
    reset emails.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        name = request.resolver_match.view_name if request.resolver_match else None
        limit = getattr(settings, "RATE_LIMITS", {}).get(name)
        if not limit:
            return None
        allowed, seconds = limit
        window = int(time.time() // seconds)
        key = f"ratelimit:{name}:{client_ip(request)}:{window}"
        try:
            count = _count(cache, key, seconds + 1)
        except CacheUnavailable:
            count = _count(_process_counts, key, seconds + 1)
        if count <= allowed:
            return None
        retry_after = max(1, int((window + 1) * seconds - time.time()))
        request_logger.warning(
            "Rate limit reached for %s",
            name,
            extra={"view": name, "client_ip": client_ip(request), "limit": allowed, "window_s": seconds},
        )
        if request.path.startswith("/api/"):
            detail = f"Too many requests from your address; try again in {retry_after} seconds."
            response = JsonResponse({"detail": detail}, status=429)
        else:
            response = render(request, "429.html", {"retry_minutes": -(-retry_after // 60)}, status=429)
        response["Retry-After"] = str(retry_after)
        return response


# The rate limits' counts while the shared cache is unreachable: this process's own.
_process_counts = LocMemCache("core-ratelimit", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


def _count(counter, key, timeout):
    """Add one to ``key`` in ``counter`` and return the count, starting a window that ends after ``timeout``."""
    counter.add(key, 0, timeout=timeout)
    try:
        return counter.incr(key)
    except ValueError:  # expired between add and incr, or the cache refused to store it (a full Redis)
        if counter.add(key, 1, timeout=timeout):
            return 1
        raise CacheUnavailable(f"Could not start a count at {key!r}.") from None


class RequestLogMiddleware:
    """Log method, path, status, duration and user of each request as one line on ``aihiring.request``.

    The line also says how much of the duration the worker spent on a CPU (``cpu_ms``) and, on Linux, waiting for
    one (``cpu_wait_ms``, a saturated machine); the rest is time spent waiting for the database, Redis or the client.

    The request id comes from the proxy's ``X-Request-ID`` (when well formed) or is generated, and is
    echoed in the response so a user's report can be matched with the log.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.proxy_warning_due = not getattr(settings, "TRUSTED_PROXY_COUNT", 0)

    def __call__(self, request):
        started = time.perf_counter()
        started_cpu = time.thread_time()
        queued = _run_queue_seconds() if request_logger.isEnabledFor(logging.INFO) else None
        if self.proxy_warning_due and "HTTP_X_FORWARDED_FOR" in request.META:
            # Once per process: behind a proxy every client shares the proxy's address, so every per-address
            # limit (sign-in lockouts, POST rate limits, API throttles) would count all clients together.
            self.proxy_warning_due = False
            request_logger.warning(
                "Requests arrive through a proxy (X-Forwarded-For) but DJANGO_TRUSTED_PROXY_COUNT is 0: per-address "
                "limits count every client as the proxy. Set it to the number of proxies in front of the app."
            )
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        response = self.get_response(request)
        # Read inside the wall-clock window, so neither can exceed the duration.
        cpu = {"cpu_ms": round((time.thread_time() - started_cpu) * 1000, 1)}
        if queued is not None and (now := _run_queue_seconds()) is not None:
            cpu["cpu_wait_ms"] = round((now - queued) * 1000, 1)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response.headers.setdefault("X-Request-ID", request.id)
        if request_logger.isEnabledFor(logging.INFO):
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": request.id,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": _user_id(request),
                    "client_ip": client_ip(request),
                    **cpu,
                },
            )
        return response


def _run_queue_seconds():
    """Seconds this thread has spent waiting in the run queue for a CPU (Linux), or None elsewhere.

    The kernel adds a wait when the thread gets a CPU again, so read from a running thread it is up to date. (Its
    time on a CPU, the first field, is only brought up to date at scheduler ticks: ``time.thread_time`` is exact.)
    """
    try:
        with open("/proc/thread-self/schedstat") as stat:
            _, waiting, _ = stat.read().split()
    except (OSError, ValueError):
        return None
    return int(waiting) / 1e9


def _user_id(request):
    """The signed-in user's id if the request already loaded its user; never costs a query."""
    user = getattr(request, "user", None)
    user = getattr(user, "_wrapped", user)
    if user is None or user is empty or not user.is_authenticated:
        return None
    return user.pk
