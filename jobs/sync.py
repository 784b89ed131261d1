"""Syncing a job board: fetch its public API, read the postings, and write what changed.

Only the provider's own address from settings (``POSTINGS_*_URL``) is requested, with the board's name as one path
segment; no URL found in a payload is ever fetched. A run either succeeds and writes in one transaction, or fails
with the reason in words and leaves the source's postings exactly as they were.
"""

import contextlib
import email.utils
import hashlib
import html
import json
import logging
import multiprocessing
import os
import queue
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import django
import httpx
import nh3
from django.conf import settings
from django.db import connection, connections, models, transaction
from django.utils import timezone

from companies.models import Role

from . import classification
from .models import JobSource, Posting, Provider, SyncRun, search_columns
from .providers import PARSERS, ParsedPosting, PayloadError

logger = logging.getLogger(__name__)

LEVER_PAGE_SIZE = 100
LEVER_MAX_PAGES = 100
USER_AGENT = "AIHiringGuide-sync/1.0 (+job boards' public APIs)"

# The description's HTML, cut down to what reading needs. Everything else (scripts, styles, event handlers,
# images, forms, javascript: links) is removed by nh3 before it is stored, and so before it is ever shown.
DESCRIPTION_TAGS = {
    "p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "h5", "blockquote", "a", "code",
    "pre",
}  # fmt: skip
DESCRIPTION_ATTRIBUTES = {"a": {"href"}}


class SyncError(Exception):
    """A run that failed; its message says why in words, as editors read it in the admin."""


def sanitise_description(markup: str) -> str:
    return nh3.clean(
        markup,
        tags=DESCRIPTION_TAGS,
        attributes=DESCRIPTION_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    ).strip()


def plain_text(markup: str) -> str:
    """A title or other one-line field as text: tags removed, entities resolved (templates escape it again)."""
    return " ".join(html.unescape(nh3.clean(markup, tags=set())).split())


def board_request(source):
    """The address and query of a source's board, built from settings alone."""
    board = quote(source.board, safe="")
    if source.provider == Provider.GREENHOUSE:
        return f"{settings.POSTINGS_GREENHOUSE_URL.rstrip('/')}/{board}/jobs", {"content": "true"}
    if source.provider == Provider.LEVER:
        return f"{settings.POSTINGS_LEVER_URL.rstrip('/')}/{board}", {"mode": "json"}
    return f"{settings.POSTINGS_ASHBY_URL.rstrip('/')}/{board}", {"includeCompensation": "true"}


@dataclass
class Answer:
    status: int
    body: bytes
    etag: str = ""
    last_modified: str = ""


class BoardClient:
    """httpx with timeouts, a cap on concurrent requests per host, retries with backoff on 429 and 5xx that honour
    ``Retry-After``, conditional requests, no redirect off the provider's host, and a cap on the payload's size."""

    def __init__(self):
        timeout = settings.POSTINGS_TIMEOUT_SECONDS
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
        )
        self._host_limits = {}
        self._lock = threading.Lock()
        self._last_status = None

    def close(self):
        self.client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _host_limit(self, host):
        with self._lock:
            if host not in self._host_limits:
                self._host_limits[host] = threading.BoundedSemaphore(settings.POSTINGS_PER_HOST)
            return self._host_limits[host]

    def get(self, url, params, *, etag="", last_modified=""):
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = urlsplit(url).netloc
        attempts = settings.POSTINGS_RETRIES + 1
        for attempt in range(attempts):
            with self._host_limit(host):
                answer, wait = self._get_once(url, params, headers, host, attempt)
            if answer is not None:
                return answer
            if attempt == attempts - 1:
                break
            time.sleep(wait)
        raise SyncError(f"The board kept answering {self._last_status} after {attempts} tries.")

    def _get_once(self, url, params, headers, host, attempt):
        """(answer, None) when done, or (None, seconds to wait) when the board asks to try again."""
        for _hop in range(4):
            try:
                with self.client.stream("GET", url, params=params, headers=headers) as response:
                    if response.has_redirect_location:
                        location = response.headers.get("Location", "")
                        target = response.url.join(location)
                        if target.netloc.decode() != host:
                            raise SyncError(
                                f"The board redirected to another host ({target.host or 'none'}); only the "
                                "provider's own address is requested."
                            )
                        url, params = str(target), None
                        continue
                    if response.status_code == 429 or response.status_code >= 500:
                        self._last_status = response.status_code
                        return None, self._retry_wait(response, attempt)
                    if response.status_code == 304:
                        return Answer(304, b""), None
                    if response.status_code == 404:
                        raise SyncError("The board was not found (404). Check the provider and the board's name.")
                    if response.status_code != 200:
                        raise SyncError(f"The board answered {response.status_code} {response.reason_phrase}.")
                    body = self._read_capped(response)
                    return (
                        Answer(
                            200,
                            body,
                            etag=response.headers.get("ETag", "")[:200],
                            last_modified=response.headers.get("Last-Modified", "")[:100],
                        ),
                        None,
                    )
            except httpx.TimeoutException as error:
                raise SyncError(
                    f"The board did not answer within {settings.POSTINGS_TIMEOUT_SECONDS:g} seconds."
                ) from error
            except httpx.HTTPError as error:
                raise SyncError(f"The board could not be reached: {error}.") from error
        raise SyncError("The board redirected too many times.")

    def _read_capped(self, response):
        cap = settings.POSTINGS_MAX_BYTES
        too_big = SyncError(f"The board's answer is larger than the {cap / 1024 / 1024:g} MB cap; it was not read.")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            raise too_big
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise too_big
            chunks.append(chunk)
        return b"".join(chunks)

    def _retry_wait(self, response, attempt):
        ceiling = settings.POSTINGS_MAX_RETRY_AFTER_SECONDS
        value = response.headers.get("Retry-After", "").strip()
        seconds = None
        if value.isdigit():
            seconds = int(value)
        elif value:
            when = email.utils.parsedate_to_datetime(value) if _is_http_date(value) else None
            if when is not None:
                seconds = max(0.0, (when - timezone.now()).total_seconds())
        if seconds is None:
            return settings.POSTINGS_BACKOFF_SECONDS * 2**attempt
        if seconds > ceiling:
            raise SyncError(
                f"The board asked to wait {seconds:g} seconds before trying again, more than the sync waits."
            )
        return seconds


def _is_http_date(value):
    try:
        return email.utils.parsedate_to_datetime(value) is not None
    except (TypeError, ValueError):
        return False


def fetch_board(client, source):
    """The board's postings as ``ParsedPosting``s, or None when the board says it has not changed."""
    url, params = board_request(source)
    if source.provider == Provider.LEVER:
        bodies, payload = [], []
        for page in range(LEVER_MAX_PAGES):
            answer = client.get(url, {**params, "skip": page * LEVER_PAGE_SIZE, "limit": LEVER_PAGE_SIZE})
            items = _decode(answer.body, source)
            if not isinstance(items, list):
                raise SyncError("Lever payload is not a list of postings.")
            bodies.append(answer.body)
            payload.extend(items)
            if len(items) < LEVER_PAGE_SIZE:
                break
        else:
            raise SyncError(f"Lever board has more than {LEVER_MAX_PAGES} pages; stopped reading.")
        return payload, hashlib.sha256(b"\n".join(bodies)).hexdigest(), "", ""
    answer = client.get(url, params, etag=source.etag, last_modified=source.last_modified)
    if answer.status == 304:
        return None, source.payload_digest, source.etag, source.last_modified
    return _decode(answer.body, source), hashlib.sha256(answer.body).hexdigest(), answer.etag, answer.last_modified


def _decode(body, source):
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SyncError(
            f"The board's answer is not valid JSON ({error.__class__.__name__} at byte "
            f"{getattr(error, 'pos', 0)} of {len(body)}); it may be truncated."
        ) from error


def posting_fields(parsed: ParsedPosting, role_ids):
    """What a posting stores, in the guide's terms, from one parsed board entry."""
    title = plain_text(parsed.title)[:300]
    locations = [plain_text(place)[:200] for place in parsed.locations if place.strip()]
    pay = parsed.pay
    pay_from_text = False
    if pay is None:
        pay = classification.pay_from_text(parsed.description_text)
        pay_from_text = pay is not None
    role_slug = classification.role_of(title)
    return {
        "title": title,
        "url": parsed.url[:1000],
        "apply_url": parsed.apply_url[:1000],
        "locations": locations,
        "location_text": " · ".join(locations)[:1000],
        "workplace": classification.workplace_of(parsed.workplace_field or None, parsed.is_remote, locations),
        "employment_type": parsed.employment_type[:60],
        "department": plain_text(parsed.department)[:200],
        "level": classification.level_of(title),
        "role_id": role_ids.get(role_slug),
        "pay_min": pay.min if pay else None,
        "pay_max": pay.max if pay else None,
        "pay_currency": pay.currency if pay else "",
        "pay_period": pay.period if pay else "",
        "pay_from_text": pay_from_text,
        "description": sanitise_description(parsed.description_html),
        "posted_at": parsed.posted_at,
    }


def _digest(fields):
    values = {**fields, "posted_at": fields["posted_at"].isoformat() if fields["posted_at"] else None}
    return hashlib.md5(json.dumps(values, sort_keys=True, default=str).encode(), usedforsecurity=False).hexdigest()


UPSERT_FIELDS = [
    "title", "url", "apply_url", "locations", "location_text", "workplace", "employment_type", "department", "level",
    "role_id", "pay_min", "pay_max", "pay_currency", "pay_period", "pay_from_text", "description", "posted_at",
    "last_seen", "closed_at", "digest", "search_text", "location_words",
]  # fmt: skip


def read_board(provider, payload, role_ids):
    """What each posting of a decoded payload stores: [(external_id, fields, digest)], once per id.

    CPU work only, no database: ``sync_sources`` runs it in processes of its own.
    """
    try:
        parsed = PARSERS[provider](payload)
    except PayloadError as error:
        raise SyncError(str(error)) from error
    return prepared_rows(parsed, role_ids)


def prepared_rows(parsed_postings, role_ids):
    rows, seen = [], set()
    for parsed in parsed_postings:
        external_id = parsed.external_id[:100]
        if external_id in seen:
            continue
        seen.add(external_id)
        fields = posting_fields(parsed, role_ids)
        digest = _digest(fields)  # of what the board says: the words derived from it are not part of it
        fields.update(search_columns(fields["title"], fields["department"], fields["locations"]))
        rows.append((external_id, fields, digest))
    return rows


def write_postings(source, rows, now, previous_success=None):
    """Create the new postings, update the changed ones, reopen those back on the board, close those gone.

    ``rows`` as ``read_board`` prepares them. Returns (new, updated, closed). Bulk statements only: one upsert and
    one update a few thousand closed postings, whatever the board's size. A posting unchanged on the board is not
    written (its sighting is the board's last success: ``Posting.last_sighting``); one gone from it was last seen at
    the board's previous success (``previous_success``), when it was still there.
    """
    existing = {
        external_id: (digest, closed_at, first_seen)
        for external_id, digest, closed_at, first_seen in Posting.objects.filter(source=source).values_list(
            "external_id", "digest", "closed_at", "first_seen"
        )
    }
    upserts, seen = [], set()
    new = updated = 0
    for external_id, fields, digest in rows:
        seen.add(external_id)
        before = existing.get(external_id)
        if before is not None and before[0] == digest and before[1] is None:
            continue
        first_seen = before[2] if before else now
        if fields["posted_at"] is None:
            fields = {**fields, "posted_at": first_seen}
        if before is None:
            new += 1
        else:
            updated += 1
        upserts.append(
            {
                "source_id": source.pk,
                "company_id": source.company_id,
                "external_id": external_id,
                "first_seen": first_seen,
                "last_seen": now,
                "closed_at": None,
                "digest": digest,
                **fields,
            }
        )
    _upsert(upserts)
    gone = [key for key, (_, closed_at, _) in existing.items() if closed_at is None and key not in seen]
    sighting = {"last_seen": previous_success} if previous_success else {}
    closed = 0
    for start in range(0, len(gone), 5000):
        batch = Posting.objects.filter(source=source, external_id__in=gone[start : start + 5000])
        closed += batch.update(closed_at=now, **sighting)
    return new, updated, closed


def _upsert(rows):
    """Insert the new postings and update the changed ones (rows: dicts of column values).

    ``bulk_create(update_conflicts=True)``, or on PostgreSQL the same ``INSERT ... ON CONFLICT`` fed by ``COPY``
    through a temporary table: building a model instance and quoting every value in Python was a fifth of a full
    sync's Python time at a million postings.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        Posting.objects.bulk_create(
            [Posting(**row) for row in rows],
            batch_size=500,
            update_conflicts=True,
            unique_fields=["source", "external_id"],
            update_fields=UPSERT_FIELDS,
        )
        return
    fields = [Posting._meta.get_field(name) for name in rows[0]]
    quote_name = connection.ops.quote_name
    columns = ", ".join(quote_name(field.column) for field in fields)
    updates = ", ".join(
        f"{quote_name(column)} = EXCLUDED.{quote_name(column)}"
        for column in (Posting._meta.get_field(name).column for name in UPSERT_FIELDS)
    )
    json_fields = [(field.attname, field) for field in fields if isinstance(field, models.JSONField)]
    table = quote_name(Posting._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS posting_upsert AS SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY posting_upsert ({columns}) FROM STDIN") as copy:
            for row in rows:
                for name, field in json_fields:
                    row[name] = field.get_db_prep_save(row[name], connection)
                copy.write_row(tuple(row.values()))
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM posting_upsert "
            f"ON CONFLICT (source_id, external_id) DO UPDATE SET {updates}"
        )
        # TRUNCATE, not DELETE: a temporary table is never vacuumed, so deleted rows would pile up for the
        # connection's life and every board's INSERT ... SELECT would read all of them again.
        cursor.execute("TRUNCATE posting_upsert")


def sync_source(source, client, role_ids=None, *, read=read_board):
    """Sync one source and record the run; never raises for the board's faults (they go in the run's error).

    ``read`` turns the payload into rows, as ``read_board`` does (``sync_sources`` hands it to other processes).
    """
    started = timezone.now()
    run = SyncRun.objects.create(source=source, started_at=started)
    JobSource.objects.filter(pk=source.pk).update(last_run_at=started)
    if role_ids is None:
        role_ids = dict(Role.objects.values_list("slug", "pk"))
    try:
        payload, digest, etag, last_modified = fetch_board(client, source)
        unchanged = payload is None or (digest == source.payload_digest and source.payload_digest)
        rows = None if unchanged else read(source.provider, payload, role_ids)
        now = timezone.now()
        with transaction.atomic():
            if rows is None:
                # Nothing on the board changed, so none of its postings is written: an open posting's sighting is
                # its board's last success (Posting.last_sighting), and a re-sync costs a query or two a board.
                run.outcome = SyncRun.Outcome.UNCHANGED
                run.seen_count = Posting.objects.filter(source=source, closed_at__isnull=True).count()
            else:
                run.new_count, run.updated_count, run.closed_count = write_postings(
                    source, rows, now, source.last_success_at
                )
                run.seen_count = len(rows)
                run.outcome = SyncRun.Outcome.SYNCED
            JobSource.objects.filter(pk=source.pk).update(
                last_success_at=now, etag=etag, last_modified=last_modified, payload_digest=digest
            )
            run.finished_at = timezone.now()
            run.save()
    except SyncError as error:
        run.outcome = SyncRun.Outcome.FAILED
        run.error = str(error)
        run.finished_at = timezone.now()
        run.save()
        logger.warning("Sync of %s failed: %s", source, error)
    return run


def sync_sources(sources, *, workers=None, on_done=None):
    """Sync each source, ``workers`` side by side (one at a time on SQLite), and return their runs.

    Sources are read lazily and results are not kept beyond each run, so memory stays flat however many there are.
    ``on_done(run)`` is called after each one (the command's progress bar).
    """
    workers = workers or settings.POSTINGS_WORKERS
    if connection.vendor == "sqlite" or connection.in_atomic_block:
        # SQLite writes one at a time; and inside a transaction (a test, a caller's atomic block) other threads'
        # connections cannot see its uncommitted rows, and would wait on its locks for ever.
        workers = 1
    role_ids = dict(Role.objects.values_list("slug", "pk"))
    failed = []
    counts = {"sources": 0, "new": 0, "updated": 0, "closed": 0}
    lock = threading.Lock()

    def record(run):
        with lock:
            counts["sources"] += 1
            counts["new"] += run.new_count
            counts["updated"] += run.updated_count
            counts["closed"] += run.closed_count
            if run.outcome == SyncRun.Outcome.FAILED:
                failed.append(run)
        if on_done:
            on_done(run)

    with BoardClient() as client, _board_readers(workers) as readers:
        if workers == 1:
            for source in sources.iterator(chunk_size=200):
                record(sync_source(source, client, role_ids))
        else:
            read = read_board
            if readers is not None:

                def read(provider, payload, role_ids):
                    return readers.submit(read_board, provider, payload, role_ids).result()

            todo = queue.Queue(maxsize=workers * 4)

            def work():
                try:
                    while (source := todo.get()) is not None:
                        record(sync_source(source, client, role_ids, read=read))
                finally:
                    connections.close_all()

            threads = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
            for thread in threads:
                thread.start()
            for source in sources.iterator(chunk_size=200):
                todo.put(source)
            for _ in threads:
                todo.put(None)
            for thread in threads:
                thread.join()
    return counts, failed


def _board_readers(workers):
    """Processes that read boards (parsing and classifying: CPU work, which threads would share one core for) while
    the threads fetch and write; none for one worker or one core. Measured in ``scripts/bench_jobs.py``."""
    processes = min(workers, os.cpu_count() or 1)
    if processes < 2:
        return contextlib.nullcontext()
    return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"), initializer=django.setup)
