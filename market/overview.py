"""Reads behind the market pages: the headline figures and their history, trends and specializations, charts.

Every function runs a fixed number of queries, whatever the number of rows.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from core.charts import ColumnChart, Point, column_chart

from .benchmarks import SalaryRow
from .benchmarks import salary_rows as benchmark_rows
from .models import Edition, MarketSnapshot, SalaryBenchmark, Specialization, Trend, month_after

HISTORY_MONTHS = 12


def headline_snapshot(edition: Edition) -> MarketSnapshot | None:
    """The edition's latest month of headline figures, with any count of postings behind it (1 query)."""
    return (
        MarketSnapshot.objects.filter(edition=edition)
        .select_related("edition", "computed_from")
        .order_by("-month")
        .first()
    )


def snapshot_history(snapshot: MarketSnapshot, *, months: int = HISTORY_MONTHS) -> list[MarketSnapshot]:
    """Up to ``months`` published snapshots ending with ``snapshot``, one per month, oldest first (1 query).

    When two editions describe the same month, the later edition's figures win (``MarketSnapshotQuerySet.series``).
    """
    if months < 2:
        return [snapshot]
    earlier = MarketSnapshot.objects.series().filter(month__lt=snapshot.month).order_by("-month")[: months - 1]
    return [*list(earlier)[::-1], snapshot]


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


COMPUTED_LEGEND = [("computed", "Counted from postings"), ("typed", "Typed in by editors")]


def _months(first, last):
    """The first day of every month from ``first`` to ``last``."""
    months = [first]
    while months[-1] < last:
        months.append(month_after(months[-1]))
    return months


def history_charts(history: list[MarketSnapshot]) -> list[ColumnChart]:
    """The four headline figures month by month, one column chart each, months counted from postings marked.

    Every calendar month from the first snapshot to the last has its slot, so a month without figures shows as a gap.
    """
    if len(history) < 2:
        return []
    by_month = {row.month: row for row in history}
    months = _months(history[0].month, history[-1].month)
    span = f"{history[0].month:%B %Y} to {history[-1].month:%B %Y}"

    def points(name):
        return [
            Point(
                label=f"{month:%b %Y}",
                value=getattr(by_month[month], name) if month in by_month else None,
                marked=month in by_month and by_month[month].computed_from_id is not None,
            )
            for month in months
        ]

    def percent(value):
        return f"{value}%"

    def signed(value):
        return f"{value:+d}%".replace("-", "−") if value else "0%"

    return [
        column_chart(
            points("total_postings"),
            title="Active AI engineering postings by month",
            description=span,
            legend=COMPUTED_LEGEND,
        ),
        column_chart(
            points("mom_change_pct"),
            title="Month-over-month change in postings",
            description=span,
            axis_label=signed,
            legend=COMPUTED_LEGEND,
        ),
        column_chart(
            points("remote_eligible_pct"),
            title="Remote-eligible roles, share of postings",
            description=span,
            high=100,
            axis_label=percent,
            legend=COMPUTED_LEGEND,
        ),
        column_chart(
            points("senior_plus_pct"),
            title="Senior+ roles, share of postings with a stated level",
            description=span,
            high=100,
            axis_label=percent,
            legend=COMPUTED_LEGEND,
        ),
    ]
