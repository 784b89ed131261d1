"""Reads behind the market pages: the headline figures and their history, trends and specializations, charts.

Every function runs a fixed number of queries, whatever the number of rows.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from .benchmarks import SalaryRow
from .benchmarks import salary_rows as benchmark_rows
from .models import Edition, MarketSnapshot, SalaryBenchmark, Specialization, Trend

HISTORY_MONTHS = 12


def headline_snapshot(edition: Edition) -> MarketSnapshot | None:
    """The edition's latest month of headline figures (1 query)."""
    return MarketSnapshot.objects.filter(edition=edition).select_related("edition").order_by("-month").first()


def snapshot_history(snapshot: MarketSnapshot, *, months: int = HISTORY_MONTHS) -> list[MarketSnapshot]:
    """Up to ``months`` published snapshots ending with ``snapshot``, one per month, oldest first (1 query).

    When two editions describe the same month, the later edition's figures win.
    """
    rows = (
        MarketSnapshot.objects.published()
        .filter(month__lt=snapshot.month)
        .order_by("-month", "-edition__published_on")[: (months - 1) * 2]
    )
    by_month = {}
    for row in rows:
        by_month.setdefault(row.month, row)
    earlier = sorted(by_month.values(), key=lambda row: row.month)[-(months - 1) :] if months > 1 else []
    return [*earlier, snapshot]


@dataclass(frozen=True)
class SnapshotChange:
    """How the headline figures moved between two snapshots."""

    previous: MarketSnapshot
    current: MarketSnapshot

    @property
    def postings(self):
        return self.current.total_postings - self.previous.total_postings

    @property
    def postings_pct(self):
        if not self.previous.total_postings:
            return None
        return round(100 * self.postings / self.previous.total_postings)

    @property
    def remote_points(self):
        return self.current.remote_eligible_pct - self.previous.remote_eligible_pct

    @property
    def senior_points(self):
        return self.current.senior_plus_pct - self.previous.senior_plus_pct


def snapshot_change(history: list[MarketSnapshot]) -> SnapshotChange | None:
    """The change from the month before the latest, when the history has one."""
    if len(history) < 2:
        return None
    return SnapshotChange(previous=history[-2], current=history[-1])


def trends_with_points(edition: Edition):
    """The edition's trends in order, with points and specializations prefetched (3 queries)."""
    return (
        Trend.objects.filter(edition=edition)
        .select_related("edition")
        .prefetch_related("points", Prefetch("specializations", queryset=Specialization.objects.order_by("position")))
    )


def loose_specializations(edition: Edition):
    """Specializations of the edition that hang off no trend (1 query)."""
    return Specialization.objects.filter(edition=edition, trend__isnull=True).select_related("edition")


def salary_rows(edition: Edition) -> list[SalaryRow]:
    """The edition's salary table, junior first, with ranges worded as the guide words them (1 query)."""
    return benchmark_rows(SalaryBenchmark.objects.for_edition(edition))


@dataclass(frozen=True)
class Bar:
    """One bar of a server-rendered SVG chart; ``share`` is its length from 0 to 100."""

    label: str
    value: str
    share: float


def share_bars(snapshot: MarketSnapshot) -> list[Bar]:
    """The snapshot's shares of roles, as bars on a 0-100% scale."""
    return [
        Bar("Remote-eligible roles", f"{snapshot.remote_eligible_pct}%", snapshot.remote_eligible_pct),
        Bar("Senior+ roles", f"{snapshot.senior_plus_pct}%", snapshot.senior_plus_pct),
    ]


@dataclass(frozen=True)
class Column:
    """One column of a server-rendered SVG chart, in the chart's 100 x 50 viewBox units."""

    label: str
    value: str
    x: float
    y: float
    width: float
    height: float


CHART_WIDTH, CHART_HEIGHT = 100, 50
MAX_COLUMN_WIDTH = 14


def postings_columns(history: list[MarketSnapshot]) -> list[Column]:
    """Active postings per month, as columns scaled to the busiest month."""
    if not history:
        return []
    peak = max(row.total_postings for row in history) or 1
    slot = CHART_WIDTH / len(history)
    width = min(slot * 0.7, MAX_COLUMN_WIDTH)
    columns = []
    for index, row in enumerate(history):
        height = round(CHART_HEIGHT * row.total_postings / peak, 2)
        columns.append(
            Column(
                label=f"{row.month:%b %Y}",
                value=f"{row.total_postings:,}",
                x=round(index * slot + (slot - width) / 2, 2),
                y=round(CHART_HEIGHT - height, 2),
                width=round(width, 2),
                height=height,
            )
        )
    return columns
