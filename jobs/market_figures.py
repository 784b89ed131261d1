"""The market's headline figures counted from postings: ``snapshot_compute`` and the command compute_snapshot.

The rules are the methodology page's (``/about/data/#counting``): a posting counts in a month when it is one of the
guide's roles at a published company and was open at any time during the month (``PostingQuerySet.open_during``).
Every count is an aggregate the database makes; nothing loads postings into Python.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from market.models import ComputedSnapshot, month_after, month_before

from .models import Level, Posting, Workplace

SENIOR_AND_ABOVE = [Level.SENIOR, Level.STAFF]


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first instant of ``month`` and of the month after, in the site's time zone (TIME_ZONE)."""
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(month, datetime.time.min, tzinfo=zone)
    return start, datetime.datetime.combine(month_after(month), datetime.time.min, tzinfo=zone)


def postings_counted_in(month: datetime.date):
    """The postings the month's figures count (see the module's docstring)."""
    return Posting.objects.in_market().open_during(*month_bounds(month))


def month_counts(month: datetime.date) -> dict[str, int]:
    """The counts each headline figure of ``month`` rests on, in one aggregate query."""
    known_level = ~Q(level=Level.UNKNOWN)
    return postings_counted_in(month).aggregate(
        postings=Count("pk"),
        sources=Count("source", distinct=True),
        remote_postings=Count("pk", filter=Q(workplace=Workplace.REMOTE)),
        levelled_postings=Count("pk", filter=known_level),
        levelled_sources=Count("source", distinct=True, filter=known_level),
        senior_postings=Count("pk", filter=Q(level__in=SENIOR_AND_ABOVE)),
    )


def previous_counts(month: datetime.date) -> dict[str, int]:
    """The postings and boards of the month before ``month``, counted the same way (one query)."""
    return postings_counted_in(month_before(month)).aggregate(
        previous_postings=Count("pk"), previous_sources=Count("source", distinct=True)
    )


@transaction.atomic
def snapshot_compute(*, month: datetime.date, min_sources: int | None = None) -> ComputedSnapshot:
    """Count ``month``'s postings into a draft ``ComputedSnapshot`` (two queries, then one write).

    A draft of the same month not yet published is replaced; one already published stays as the record of what its
    figures rest on. ``min_sources`` defaults to ``POSTINGS_MIN_SOURCES``.
    """
    month = month.replace(day=1)
    fields = {
        **month_counts(month),
        **previous_counts(month),
        "min_sources": settings.POSTINGS_MIN_SOURCES if min_sources is None else min_sources,
        "computed_at": timezone.now(),
    }
    draft = ComputedSnapshot.objects.unpublished().filter(month=month).select_for_update(of=("self",)).first()
    if draft is None:
        return ComputedSnapshot.objects.create(month=month, **fields)
    for name, value in fields.items():
        setattr(draft, name, value)
    draft.save()
    return draft
