"""Writes with rules: starting and publishing editions, publishing figures computed from postings."""

import calendar
import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import (
    EDITION_TEXT_FIELDS,
    ComputedSnapshot,
    Edition,
    MarketSnapshot,
    SalaryBenchmark,
    SalaryLevel,
    Specialization,
    Trend,
    TrendPoint,
)

PROVENANCE_FIELDS = ["as_of", "source", "source_url", "last_verified"]


def _copy(row, fields, **overrides):
    """A new, unsaved row of ``row``'s model with ``fields`` copied and ``overrides`` applied."""
    return type(row)(**{name: getattr(row, name) for name in fields}, **overrides)


def edition_next_defaults(current: Edition | None) -> dict:
    """Suggested name, slug and date for the edition after ``current``: the next quarter, e.g. Q2 2026."""
    today = timezone.localdate()
    if current is None:
        quarter, year, published_on = (today.month - 1) // 3 + 1, today.year, today
    else:
        published_on = current.next_expected_on
        year, quarter = published_on.year, (published_on.month - 1) // 3 + 1
    return {"name": f"Q{quarter} {year}", "slug": f"{year}-q{quarter}", "published_on": published_on}


@transaction.atomic
def edition_start_next(*, name: str, slug: str, published_on: datetime.date, source: Edition | None = None) -> Edition:
    """Create a draft edition holding copies of ``source``'s (by default the current edition's) figures.

    Copies the guide texts, every salary benchmark, the latest market snapshot (moved to the month of
    ``published_on``), and every trend with its points and specializations. Nothing of ``source`` changes.
    """
    source = source or Edition.objects.current()
    if source is None:
        raise ValidationError("There is no current edition to start from. Publish an edition first.")
    if published_on <= source.published_on:
        raise ValidationError(
            {"published_on": f"The next edition must come out after {source.name} ({source.published_on:%-d %b %Y})."}
        )
    edition = Edition(
        name=name,
        slug=slug,
        published_on=published_on,
        previous_published_on=source.published_on,
        is_published=False,
        is_current=False,
        **{field: getattr(source, field) for field in EDITION_TEXT_FIELDS},
    )
    edition.full_clean()
    edition.save()

    for benchmark in SalaryBenchmark.objects.filter(edition=source):
        fields = ["level", "base_min", "base_max", "total_min", "total_max", *PROVENANCE_FIELDS]
        _copy(benchmark, fields, edition=edition).save()

    snapshot = MarketSnapshot.objects.filter(edition=source).order_by("-month").first()
    if snapshot is not None:
        fields = ["total_postings", "mom_change_pct", "remote_eligible_pct", "senior_plus_pct", *PROVENANCE_FIELDS]
        month = max(snapshot.month, published_on.replace(day=1))
        _copy(snapshot, fields, edition=edition, month=month).save()

    trend_copies = {}
    for trend in Trend.objects.filter(edition=source).prefetch_related("points"):
        copy = _copy(trend, ["slug", "title", "intro", "position", *PROVENANCE_FIELDS], edition=edition)
        copy.save()
        trend_copies[trend.pk] = copy
        TrendPoint.objects.bulk_create(
            TrendPoint(trend=copy, text=point.text, position=point.position) for point in trend.points.all()
        )
    for specialization in Specialization.objects.filter(edition=source):
        fields = ["name", "description", "position", *PROVENANCE_FIELDS]
        trend = trend_copies.get(specialization.trend_id)
        _copy(specialization, fields, edition=edition, trend=trend).save()
    return edition


def edition_publish_problems(edition: Edition) -> list[str]:
    """What stops ``edition`` from becoming current, in words for editors (empty when nothing does)."""
    problems = []
    levels = set(SalaryBenchmark.objects.filter(edition=edition).values_list("level", flat=True))
    missing = [label for value, label in SalaryLevel.choices if value not in levels]
    if missing:
        problems.append(f"{edition.name} has no salary benchmark for {', '.join(missing)}.")
    if not MarketSnapshot.objects.filter(edition=edition).exists():
        problems.append(f"{edition.name} has no market snapshot.")
    return problems


def edition_stale_figures(edition: Edition) -> dict[str, int]:
    """How many of ``edition``'s figures were last verified on or before the edition before it came out, by kind
    (singular).

    Those are copies nobody has checked for the new edition yet, which readers will see marked "needs review"
    (``Sourced.needs_review``, with the date ``edition_publish`` records); publishing them is allowed, but editors
    should know (5 queries).
    """
    previous = edition.previous()
    if previous is None or edition.is_current:
        return {}
    kinds = {
        "salary benchmark": SalaryBenchmark,
        "market snapshot": MarketSnapshot,
        "trend": Trend,
        "specialization": Specialization,
    }
    counts = {
        name: model.objects.filter(edition=edition, last_verified__lte=previous.published_on).count()
        for name, model in kinds.items()
    }
    return {name: count for name, count in counts.items() if count}


def _old_names(previous: Edition) -> list[str]:
    """How a text may name ``previous``: its name, its quarter ("Q1 2026") and its day in the ways people write it."""
    day = previous.published_on
    names = [previous.name, *re.findall(r"\bQ[1-4]\s*\d{4}\b", previous.name)]
    names += [
        f"{day:%-d %b %Y}",
        f"{day:%-d %B %Y}",
        f"{day:%B} {day.day}, {day.year}",
        f"{day:%b} {day.day}, {day.year}",
    ]
    names.append(day.isoformat())
    return list(dict.fromkeys(name for name in names if name))


def edition_stale_texts(edition: Edition) -> list[dict]:
    """The texts and dates of ``edition`` that still name the edition before it (its name, quarter or day), as
    "Start the next edition" copied them: [{"row", "field", "found", "text"}], the edition's own texts first
    (5 queries). Empty for the current edition or one with none before it."""
    previous = edition.previous()
    if previous is None or edition.is_current:
        return []
    pattern = re.compile("|".join(re.escape(name) for name in _old_names(previous)), re.IGNORECASE)
    found = []

    def check(row, field, text):
        match = pattern.search(text or "")
        if match:
            start, end = max(match.start() - 60, 0), min(match.end() + 60, len(text))
            excerpt = ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
            found.append({"row": row, "field": field, "found": match.group(0), "text": excerpt})

    for name in EDITION_TEXT_FIELDS:
        check(edition, Edition._meta.get_field(name).verbose_name, getattr(edition, name))
    sourced = [
        (MarketSnapshot.objects.filter(edition=edition).select_related("edition"), []),
        (SalaryBenchmark.objects.filter(edition=edition).select_related("edition"), []),
        (Trend.objects.filter(edition=edition).prefetch_related("points"), ["title", "intro"]),
        (Specialization.objects.filter(edition=edition), ["name", "description"]),
    ]
    for rows, fields in sourced:
        for row in rows:
            for name in [*fields, "source"]:
                check(row, row._meta.get_field(name).verbose_name, getattr(row, name))
            for point in row.points.all() if isinstance(row, Trend) else ():
                check(row, "point", point.text)
            if row.as_of <= previous.published_on:
                when = f"{row.as_of:%-d %b %Y}"
                found.append({"row": row, "field": "as of", "found": when, "text": f"as of {when}"})
    return found


@transaction.atomic
def edition_publish(*, edition: Edition) -> Edition:
    """Make ``edition`` published and current in one transaction; the previous edition stays published.

    Raises ValidationError, changing nothing, when the edition lacks figures the guide's pages need.
    """
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.is_current:
        return edition
    problems = edition_publish_problems(edition)
    if problems:
        raise ValidationError(problems)
    # The partial unique index allows one current edition at a time: step the old one down first.
    for previous in Edition.objects.select_for_update().filter(is_current=True):
        previous.is_current = False
        previous.save(update_fields=["is_current", "updated_at"])
    before = edition.previous()
    edition.is_published = True
    edition.is_current = True
    edition.published_at = timezone.now()
    edition.previous_published_on = before.published_on if before else None
    edition.save(update_fields=["is_published", "is_current", "published_at", "previous_published_on", "updated_at"])
    return edition


SNAPSHOT_FIGURES = ["total_postings", "mom_change_pct", "remote_eligible_pct", "senior_plus_pct"]


def snapshot_publish_problems(computed: ComputedSnapshot, edition: Edition) -> list[str]:
    """What stops ``computed`` from being published into ``edition``, in words for editors (1 query)."""
    if not computed.is_publishable:
        return computed.problems()
    month = f"{computed.month:%B %Y}"
    held = MarketSnapshot.objects.filter(edition=edition, month=computed.month).first()
    if held is None or not edition.is_published:
        return []
    if held.computed_from_id == computed.pk:
        return [f"{edition.name} already publishes these figures for {month}."]
    return [
        f"{edition.name} is published and already has figures for {month}; a published figure is never "
        "overwritten. Publish into a draft edition (Editions → Start the next edition) instead."
    ]


@transaction.atomic
def snapshot_publish(*, computed: ComputedSnapshot, edition: Edition) -> MarketSnapshot:
    """Publish ``computed``'s figures into ``edition`` as its market snapshot of the month.

    A draft edition's own snapshot of the month (the copy "Start the next edition" made) is replaced; a published
    edition gains the month only if it has none. Raises ValidationError, changing nothing, otherwise.
    """
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    problems = snapshot_publish_problems(computed, edition)
    if problems:
        raise ValidationError(problems)
    last_day = computed.month.replace(day=calendar.monthrange(computed.month.year, computed.month.month)[1])
    today = timezone.localdate()
    snapshot = MarketSnapshot.objects.filter(edition=edition, month=computed.month).first() or MarketSnapshot(
        edition=edition, month=computed.month
    )
    for name in SNAPSHOT_FIGURES:
        setattr(snapshot, name, getattr(computed, name))
    snapshot.computed_from = computed
    snapshot.as_of = min(last_day, today)
    snapshot.source = computed.source_text()
    snapshot.source_url = ""
    snapshot.last_verified = today
    snapshot.full_clean()
    snapshot.save()
    return snapshot
