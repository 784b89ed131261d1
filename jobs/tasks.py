"""The syncs as tasks of Django's tasks framework, so a worker (`manage.py db_worker`) runs them on a schedule.

``schedule_syncs`` syncs every enabled board not synced within ``POSTINGS_SYNC_EVERY_MINUTES``, one task per
board, and enqueues itself again for the next round. A board's task checks again that the board is due, so a
second schedule enqueued by mistake costs a few queries, never a second fetch.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from core.cache import clear_pages

from .models import JobSource
from .sync import BoardClient, sync_source


def due_sources(now=None):
    now = now or timezone.now()
    since = now - datetime.timedelta(minutes=settings.POSTINGS_SYNC_EVERY_MINUTES)
    return JobSource.objects.enabled().filter(Q(last_run_at__isnull=True) | Q(last_run_at__lte=since))


def clear_pages_after_sync(counts):
    """Pages that show postings are stale once a sync changed any."""
    if counts["new"] or counts["updated"] or counts["closed"]:
        clear_pages()


@task()
def sync_board(source_id: int) -> dict:
    source = due_sources().select_related("company").filter(pk=source_id).first()
    if source is None:
        return {"skipped": source_id}
    with BoardClient() as client:
        run = sync_source(source, client)
    counts = {"new": run.new_count, "updated": run.updated_count, "closed": run.closed_count}
    clear_pages_after_sync(counts)
    return {"source": source_id, "outcome": run.outcome, **counts, "error": run.error}


@task()
def schedule_syncs() -> int:
    ids = list(due_sources().values_list("pk", flat=True))
    for source_id in ids:
        sync_board.enqueue(source_id)
    run_after = timezone.now() + datetime.timedelta(minutes=settings.POSTINGS_SYNC_EVERY_MINUTES)
    schedule_syncs.using(run_after=run_after).enqueue()
    return len(ids)
