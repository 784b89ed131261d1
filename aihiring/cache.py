"""Whole-page cache for anonymous readers, invalidated at once by any change to the guide's content.

Cached pages are keyed by their full URL and a content *generation*: a random token that every save or
delete of a content model replaces (see ``connect_signals``), so an editor's change shows on the next
request without any per-page bookkeeping. With a shared cache (Redis) the token lives in the cache; with
the per-process local-memory cache it lives in a small file (``PAGE_CACHE_GENERATION_FILE``), so every
worker process on the machine sees a change at once.

Only anonymous requests (no session or messages cookie, no ``Authorization`` header) outside the admin,
account, bookmark and API paths are served from the cache, and only responses that are the same for every
anonymous reader are stored: no cookie set, no CSP nonce used, nothing added to the session or the messages,
not private or ``no-store``. Pages that carry a CSRF token (the bookmark button) are stored with a
placeholder where the token was, and each hit fills in a token of the visitor's own CSRF secret, so every
form on a cached page still posts. Stored responses keep the headers the inner middleware set (CSP,
X-Frame-Options), carry an ETag, and answer ``If-None-Match`` with 304.
"""

import functools
import hashlib
import os
import re
import tempfile
import uuid
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import CSRF_TOKEN_LENGTH, _unmask_cipher_token, get_token
from django.template.response import SimpleTemplateResponse, TemplateResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe

GENERATION_KEY = "pagecache:generation"
_AUTO = object()
_MISSING = object()
# Never cached: per-user pages, the admin, and the API (its throttles must count every request).
DEFAULT_EXCLUDED_PATHS = ("/admin/", "/accounts/", "/bookmarks/", "/alerts/", "/api/", "/healthz")

# Models whose rows anonymous pages show; any save or delete of one starts a new generation.
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

# Vary headers a stored page may carry: cached pages are for anonymous readers only (so Cookie does not
# change them) and the key holds the Accept header (DRF varies on it).
_STORABLE_VARY = {"cookie", "accept", "accept-encoding"}
# Headers never replayed from the cache.
_UNSTORED_HEADERS = {"set-cookie", "date", "etag", "x-cache", "content-length", "connection", "transfer-encoding"}
# Stands where a CSRF token was in a stored page; each hit puts the visitor's own token there.
CSRF_PLACEHOLDER = b"@@pagecache-csrf-token@@"
_PLACEHOLDER = CSRF_PLACEHOLDER.decode()
_TOKEN_SHAPE = re.compile(rb"\b[A-Za-z0-9]{%d}\b" % CSRF_TOKEN_LENGTH)


def _alias():
    return getattr(settings, "PAGE_CACHE_ALIAS", "default")


def _cache():
    return caches[_alias()]


def _generation_file():
    """``PAGE_CACHE_GENERATION_FILE``; unset, a file in the temp folder when the cache is per process."""
    path = getattr(settings, "PAGE_CACHE_GENERATION_FILE", _AUTO)
    if path is _AUTO:
        database = str(settings.DATABASES["default"]["NAME"])
        return _default_generation_file(settings.CACHES[_alias()]["BACKEND"], str(settings.BASE_DIR), database)
    return path


@functools.cache
def _default_generation_file(backend, base_dir, database):
    """One file per checkout and database, so servers on other databases never invalidate this one's pages."""
    if backend != "django.core.cache.backends.locmem.LocMemCache":
        return None
    project = hashlib.sha1(f"{base_dir}\n{database}".encode(), usedforsecurity=False).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"aihiring-{project}-pagecache.generation"


def bump_generation():
    """Start a new content generation: every page cached so far is out of date from now on."""
    token = uuid.uuid4().hex
    path = _generation_file()
    if not path:
        _cache().set(GENERATION_KEY, token, None)
        return token
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a reader in another process sees the old token or the new one, never half of one.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w") as handle:
        handle.write(token)
    os.replace(tmp, path)
    return token


def current_generation():
    """The token of the content generation pages are cached under now."""
    path = _generation_file()
    if not path:
        token = _cache().get(GENERATION_KEY)
        if token is None:
            _cache().add(GENERATION_KEY, uuid.uuid4().hex, None)
            token = _cache().get(GENERATION_KEY)
        return token
    try:
        with open(path) as handle:
            token = handle.read()
    except FileNotFoundError:
        token = ""
    return token or bump_generation()


def memoize(name, compute, *, timeout=None):
    """``compute()``, computed once per content generation and shared through the cache.

    For values derived from the content models alone (counts, pay extremes): they change only when the content
    does, and an editor's change starts a new generation.
    """
    key = f"pagecache:memo:{current_generation()}:{name}"
    value = _cache().get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        _cache().set(key, value, timeout or getattr(settings, "PAGE_CACHE_SECONDS", 600))
    return value


@functools.cache
def _other_tables():
    """Quoted names of the tables whose rows are not content (bookmarks, users...): a query that reads one of
    them can change without a new generation."""
    from django.db import connection

    content = set()
    for label in CONTENT_MODELS:
        model = apps.get_model(label)
        content.add(model._meta.db_table)
        content.update(f.remote_field.through._meta.db_table for f in model._meta.local_many_to_many)
    tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True)} - content
    return tuple(connection.ops.quote_name(table) for table in tables)


class GenerationCountPaginator(Paginator):
    """A paginator that counts a content query once per content generation instead of on every request.

    A list of 100,000 companies would otherwise count them all for each page view. Queries that read anything
    but content tables (a user's bookmarks) are counted every time, as by Django's paginator.
    """

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is None or query.model._meta.label not in CONTENT_MODELS:
            return super().count
        # Only what the count reads: annotations the list selects but does not filter on drop out.
        try:
            sql, params = self.object_list.values("pk").query.sql_with_params()
        except EmptyResultSet:
            return 0
        if any(table in sql for table in _other_tables()):
            return super().count
        digest = hashlib.md5(f"{sql}\n{params!r}".encode(), usedforsecurity=False).hexdigest()
        return memoize(f"count:{digest}", lambda: Paginator.count.func(self))


def _content_changed(sender, using=None, **kwargs):
    # Now, for this process and open transactions, and again after commit, so another process cannot
    # cache a page built from the old rows under the new generation while the transaction is still open.
    bump_generation()
    transaction.on_commit(bump_generation, using=using)


def connect_signals():
    """Make every save, delete or roles change of a content model start a new generation."""
    for label in CONTENT_MODELS:
        model = apps.get_model(label)
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"pagecache-delete-{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_content_changed, sender=through, dispatch_uid=f"pagecache-m2m-{through._meta.label}")


def _static_version():
    """Changes with each deployment of new static files, so cached pages never point at files now gone."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    return getattr(staticfiles_storage, "manifest_hash", "") or ""


def _without_csrf_tokens(body, secret):
    """``body`` with every CSRF token of ``secret`` replaced by the placeholder, and how many there were."""
    found = 0

    def swap(match):
        nonlocal found
        if _unmask_cipher_token(match.group().decode()) != secret:
            return match.group()
        found += 1
        return CSRF_PLACEHOLDER

    return _TOKEN_SHAPE.sub(swap, body), found


def _tokens_to_placeholder(text, secret):
    """``text`` with every form token of ``secret`` as the placeholder, or None when a token stays that the
    placeholder cannot stand for (another secret's): such text is never kept."""
    if "csrfmiddlewaretoken" not in text:
        return text
    kept = _without_csrf_tokens(text.encode(), secret)[0].decode()
    return kept if kept.count("csrfmiddlewaretoken") == kept.count(_PLACEHOLDER) else None


class PageCacheMiddleware:
    """Serve anonymous GET/HEAD requests from the cache; see the module docstring for the rules.

    It sits under the session, CSRF, auth and messages middleware, which know the visitor and give each hit
    its own CSRF cookie, and above X-Frame-Options and CSP, whose headers are stored with the page and
    replayed on hits (the strict policy uses no nonce: a page that used one is not stored).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = getattr(settings, "PAGE_CACHE_SECONDS", 600)
        self.excluded = tuple(getattr(settings, "PAGE_CACHE_EXCLUDED_PATHS", DEFAULT_EXCLUDED_PATHS))
        self.admin_prefix = getattr(settings, "PAGE_CACHE_ADMIN_PATH", "/admin/")
        self.cookies = (settings.SESSION_COOKIE_NAME, "messages")
        self.version = f"{getattr(settings, 'PAGE_CACHE_VERSION', '')}:{_static_version()}"

    def __call__(self, request):
        if not self.may_serve(request):
            response = self.get_response(request)
            if request.method == "POST" and request.path.startswith(self.admin_prefix) and response.status_code < 400:
                # Belt and braces for admin writes that bypass model signals (bulk updates, imports).
                bump_generation()
            return response

        key = self.key(request)
        entry = _cache().get(key)
        if entry is not None:
            return self.from_entry(request, entry)

        response = self.get_response(request)
        if request.method != "GET" or not self.may_store(request, response):
            return response
        body, tokens = response.content, 0
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            body, tokens = _without_csrf_tokens(body, request.META["CSRF_COOKIE"])
            if not tokens:
                return response  # the token went somewhere this cache cannot see: leave the page uncached
        etag = hashlib.md5(body, usedforsecurity=False).hexdigest()
        patch_vary_headers(response, ["Cookie"])
        response.headers["Cache-Control"] = "no-cache"
        headers = [(k, v) for k, v in response.items() if k.lower() not in _UNSTORED_HEADERS]
        _cache().set(key, (response.status_code, headers, body, etag, bool(tokens)), self.timeout)
        return self.conditional(request, response, etag, bool(tokens), "MISS")

    def may_serve(self, request):
        """Anonymous GET or HEAD outside the excluded paths, not an htmx fragment request."""
        return (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(self.excluded)
            and "bookmarks" not in request.path.split("/")
            and not any(name in request.COOKIES for name in self.cookies)
            and "HTTP_AUTHORIZATION" not in request.META
            and "HTTP_HX_REQUEST" not in request.META
            # Without a session cookie the visitor is anonymous: request.user (a session load) is not asked.
        )

    def may_store(self, request, response):
        """A complete 200 that is the same for every anonymous reader (but for its CSRF tokens)."""
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if response.has_header("Content-Encoding") or getattr(request, "_csp_nonce", None):
            return False
        if request.session.modified or getattr(getattr(request, "_messages", None), "added_new", False):
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        return vary <= _STORABLE_VARY

    def key(self, request):
        url = request.build_absolute_uri()
        accept = request.META.get("HTTP_ACCEPT", "")
        digest = hashlib.md5(f"{url}\n{accept}".encode(), usedforsecurity=False).hexdigest()
        return f"pagecache:{self.version}:{current_generation()}:{digest}"

    def from_entry(self, request, entry):
        status, headers, body, etag, has_tokens = entry
        if has_tokens:
            body = body.replace(CSRF_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(body, status=status)
        for name, value in headers:
            response.headers[name] = value
        return self.conditional(request, response, etag, has_tokens, "HIT")

    def conditional(self, request, response, etag, has_tokens, outcome):
        """Set the ETag (per CSRF secret when the page holds tokens) and answer If-None-Match."""
        if has_tokens:
            secret = request.META["CSRF_COOKIE"].encode()
            etag = hashlib.md5(etag.encode() + secret, usedforsecurity=False).hexdigest()
        response.headers["ETag"] = f'"{etag}"'
        response.headers["X-Cache"] = outcome
        return get_conditional_response(request, etag=f'"{etag}"', response=response)


# ---------- Content blocks, for every visitor ----------

# base.html around stored blocks: the visitor's own header, messages and footer, the page's stored content.
CONTENT_BLOCKS_TEMPLATE = "includes/_page_from_blocks.html"


def content_blocks_key(request, private=""):
    """Where a page's content blocks are kept: its full address under today's content generation.

    The date is in the key because "needs review" badges turn with it; the static files' version because the
    blocks hold the hashed names of images and style sheets.
    """
    address = f"{request.build_absolute_uri()}\n{private}"
    digest = hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()
    version = f"{getattr(settings, 'PAGE_CACHE_VERSION', '')}:{_static_version()}"
    return f"pagecache:blocks:{version}:{current_generation()}:{timezone.localdate().isoformat()}:{digest}"


# A visitor slot in a rendered page: a piece that differs with one yes/no fact about the visitor (has this reader
# bookmarked this company?). ``{% visitor_slot %}`` wraps it while blocks are recorded; stored blocks keep only the
# opening marker, and the piece's two renderings are stored beside them.
SLOTS = "visitor_slots"
_SLOT = re.compile(r"<!--slot:([\w:-]+)-->(.*?)<!--/slot-->", re.S)
_SLOT_MARKER = re.compile(r"<!--slot:([\w:-]+)-->")


def _store_content_blocks(key, request, response, private=False):
    """Post-render callback: keep the blocks base.html recorded, when they are the same for every visitor (or,
    ``private``, when they are one reader's own: then their form tokens are kept as placeholders)."""
    blocks = getattr(request, "content_blocks", None)
    if not blocks:
        return
    slots = blocks.pop(SLOTS, {})
    if slots:
        response.content = _SLOT.sub(r"\2", response.content.decode(response.charset))  # this visitor's own
    if response.status_code != 200 or "content" not in blocks:
        return
    blocks = {name: _SLOT.sub(lambda match: f"<!--slot:{match.group(1)}-->", text) for name, text in blocks.items()}
    secret = request.META.get("CSRF_COOKIE", "")
    # A form token or a CSP nonce belongs to one visitor: shared blocks never hold one. A reader's own blocks
    # and the renderings of a slot keep theirs as a placeholder for the next request's token.
    if private:
        blocks = {name: _tokens_to_placeholder(text, secret) for name, text in blocks.items()}
    elif any("csrfmiddlewaretoken" in text for text in blocks.values()):
        return
    blocks[SLOTS] = {slot: tuple(_tokens_to_placeholder(text, secret) for text in pair) for slot, pair in slots.items()}
    texts = [text for name, text in blocks.items() if name != SLOTS]
    texts += [text for pair in blocks[SLOTS].values() for text in pair]
    if None in texts or any("nonce=" in text for text in texts):
        return
    _cache().set(key, blocks, getattr(settings, "PAGE_CACHE_SECONDS", 600))


def record_block(context, name, output):
    """For ``{% record %}`` and ``{% capture %}``: keep ``output`` when the view (ContentBlocksMixin) asked."""
    blocks = getattr(context.get("request"), "content_blocks", None)
    if blocks is not None:
        blocks[name] = output


def record_visitor_slot(context, slot, render_off, render_on, current):
    """For ``{% visitor_slot %}``: ``current`` as output, and both renderings kept when blocks are recorded."""
    blocks = getattr(context.get("request"), "content_blocks", None)
    if blocks is None:
        return current
    blocks.setdefault(SLOTS, {})[slot] = (render_off(), render_on())
    return f"<!--slot:{slot}-->{current}<!--/slot-->"


class ContentBlocksMixin:
    """Serves a page's content from the cache to every visitor, signed-in readers and message holders included.

    For views whose title, description and ``head``, ``breadcrumbs`` and ``content`` blocks depend on the guide's
    content and the address alone: nothing of the user, no form token. The whole-page cache above serves only
    first-time anonymous visitors; this serves the rest. The first GET of an address renders the page as usual
    while base.html records those blocks (``{% record %}``, ``{% capture %}``); a 200 stores them under the
    content generation (so an editor's change shows on the next request), the day and the address. Later GETs
    render only base.html around the stored blocks: the header, account links and messages are each visitor's
    own, and the view's queries are not run at all.

    Pieces that differ with one fact about the visitor (the bookmark button: saved or not) are wrapped in
    ``{% visitor_slot %}``: both renderings are stored, and ``slots_on`` says which one each visitor gets.

    A page that is one reader's own returns a ``private_blocks_key`` naming the reader and the state of their
    data: its blocks are then kept for that key alone, with form tokens stored as placeholders.
    """

    def private_blocks_key(self, request):
        """None for blocks shared by every visitor; else a key only this reader's unchanged data gives."""
        return None

    def slots_on(self, request, slots):
        """The ``slots`` (names given to ``{% visitor_slot %}``) to show in their "on" rendering for this visitor."""
        return set()

    def fill(self, request, stored):
        """Stored blocks as this visitor gets them: each slot in their state, their own form token, marked safe
        (they were stored as rendered, escaped)."""
        blocks = dict(stored)
        slots = blocks.pop(SLOTS, None)
        if slots:
            on = self.slots_on(request, list(slots))
            blocks = {
                name: _SLOT_MARKER.sub(lambda match: slots[match.group(1)][match.group(1) in on], text)
                for name, text in blocks.items()
            }
        if any(_PLACEHOLDER in text for text in blocks.values()):
            token = get_token(request)
            blocks = {name: text.replace(_PLACEHOLDER, token) for name, text in blocks.items()}
        return {name: mark_safe(text) for name, text in blocks.items()}

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return super().dispatch(request, *args, **kwargs)
        private = self.private_blocks_key(request)
        key = content_blocks_key(request, private or "")
        blocks = _cache().get(key)
        if blocks is not None:
            return TemplateResponse(request, CONTENT_BLOCKS_TEMPLATE, {"content_blocks": self.fill(request, blocks)})
        request.content_blocks = {}
        response = super().dispatch(request, *args, **kwargs)
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            store = functools.partial(_store_content_blocks, key, request, private=private is not None)
            response.add_post_render_callback(store)
        return response


def cached_fragment(request, name, parts, render, *, token=None):
    """``render()``'s output, rendered once per content generation, day and ``parts`` and then kept.

    For a piece of one reader's page that changes only with the content and with ``parts`` (a bookmark card: its
    id, note, stage and last change). Form tokens are stored as a placeholder and filled with the reader's own
    token on each use (``token``, e.g. the template's ``csrf_token``), so a stored piece never replays an old token.
    """
    digest = hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()
    # Read once per request: a page of 25 cards would otherwise read the generation 25 times.
    prefix = getattr(request, "_fragment_prefix", None)
    if prefix is None:
        day = timezone.localdate().isoformat()
        prefix = request._fragment_prefix = f"pagecache:fragment:{_static_version()}:{current_generation()}:{day}"
    key = f"{prefix}:{name}:{digest}"
    text = _cache().get(key)
    if text is not None:
        return text.replace(_PLACEHOLDER, str(token or get_token(request))) if _PLACEHOLDER in text else text
    text = render()
    kept = _tokens_to_placeholder(text, request.META.get("CSRF_COOKIE", ""))
    if kept is not None:
        _cache().set(key, kept, getattr(settings, "PAGE_CACHE_SECONDS", 600))
    return text


class ContentListCacheMixin:
    """For a DRF viewset of content: a JSON list page is queried, serialized and rendered once per content change
    and address, then answered from the cache.

    Authentication, throttles and content negotiation still run on every request (they come before ``list``);
    only the queries, the serializer and the JSON encoding are skipped. Errors (bad filters, pages past the end)
    are never stored, nor CSV, which holds every matching row.
    """

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format != "json":
            return super().list(request, *args, **kwargs)
        # The media type as accepted, parameters included: "application/json; indent=4" is another body.
        address = f"{request.build_absolute_uri()}\n{request.accepted_media_type}"
        key = f"pagecache:api:{current_generation()}:{hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()}"
        body = _cache().get(key)
        if body is not None:
            return HttpResponse(body, content_type=request.accepted_media_type)
        response = super().list(request, *args, **kwargs)
        if response.status_code == 200:
            timeout = getattr(settings, "PAGE_CACHE_SECONDS", 600)
            response.add_post_render_callback(lambda rendered: _cache().set(key, rendered.content, timeout))
        return response
