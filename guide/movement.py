"""What moved between an edition and the one before it: headline figures, pay bands and company profiles."""

from dataclasses import dataclass

from companies.changes import CompanyChange, movement_since
from market.benchmarks import Delta, SalaryRow
from market.models import LEVEL_ORDER, Edition, MarketSnapshot, SalaryBenchmark
from market.overview import SnapshotChange


@dataclass(frozen=True)
class FigureMove:
    """One headline figure in both editions, e.g. active postings 1,969 → 2,150 (+181)."""

    label: str
    before: str
    after: str
    delta: Delta
    delta_text: str

    @property
    def direction(self):
        return self.delta.direction


@dataclass(frozen=True)
class EditionMovement:
    previous: Edition
    current: Edition
    figures: list[FigureMove]
    levels: list[SalaryRow]
    companies: list[CompanyChange]


def _points(amount):
    return "no change" if amount == 0 else f"{amount:+d} points".replace("-", "−")


def _figures(before: MarketSnapshot | None, after: MarketSnapshot | None) -> list[FigureMove]:
    if before is None or after is None:
        return []
    change = SnapshotChange(previous=before, current=after)
    postings, pct = change.postings, change.postings_pct
    remote, senior = change.remote_points, change.senior_points
    postings_text = "no change" if postings == 0 else f"{postings:+,d}".replace("-", "−")
    if postings and pct is not None:
        postings_text += f" ({pct:+d}%)".replace("-", "−")
    return [
        FigureMove(
            "Active AI engineering postings",
            f"{before.total_postings:,}",
            f"{after.total_postings:,}",
            Delta(postings),
            postings_text,
        ),
        FigureMove(
            "Remote-eligible roles",
            f"{before.remote_eligible_pct}%",
            f"{after.remote_eligible_pct}%",
            Delta(remote),
            _points(remote),
        ),
        FigureMove(
            "Senior+ roles", f"{before.senior_plus_pct}%", f"{after.senior_plus_pct}%", Delta(senior), _points(senior)
        ),
    ]


def edition_movement(edition: Edition | None) -> EditionMovement | None:
    """The movement from the published edition before ``edition`` to it, or None without one (6 queries; 1 without)."""
    previous = edition.previous() if edition is not None else None
    if previous is None:
        return None
    pair = [previous.pk, edition.pk]
    benchmarks = {pk: {} for pk in pair}
    for benchmark in SalaryBenchmark.objects.filter(edition__in=pair).select_related("edition"):
        benchmarks[benchmark.edition_id][benchmark.level] = benchmark
    snapshots = {}
    for snapshot in MarketSnapshot.objects.filter(edition__in=pair).order_by("edition_id", "-month"):
        snapshots.setdefault(snapshot.edition_id, snapshot)
    current_levels = sorted(benchmarks[edition.pk].items(), key=lambda item: LEVEL_ORDER[item[0]])
    levels = [SalaryRow(benchmark, benchmarks[previous.pk].get(level)) for level, benchmark in current_levels]
    return EditionMovement(
        previous=previous,
        current=edition,
        figures=_figures(snapshots.get(previous.pk), snapshots.get(edition.pk)),
        levels=levels,
        companies=movement_since(previous),
    )
