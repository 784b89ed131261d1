"""Pay-range charts drawn on the server: a common USD scale, bar positions and chart rows.

Pages build a ``RangeChart`` and render it with ``{% include "includes/_range_chart.html" with chart=chart %}``,
which draws inline SVG (no JavaScript) plus a text alternative. Positions are percentages of the plot width,
so one SVG fits any screen without distorting its text.

    scale = Scale.fit([(100_000, 300_000)])      # $100K to $300K, a tick every $50K
    bar = scale.bar(150_000, 250_000)             # bar.left == "25%", bar.span == "50%"
    chart = benchmark_chart(benchmarks, companies=[anthropic], title="Anthropic against the market")
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .money import format_usd

# Steps the axis may use between ticks, smallest first: $10K, $20K, $25K, $50K, $100K ... $5B.
TICK_STEPS = tuple(int(m * 10**e) for e in range(4, 10) for m in (1, 2, 2.5, 5))
MAX_TICKS = 7
# Room an open-ended range's arrow needs past the end of its bar, in percent of the plot width.
ARROW_ROOM = 6.0
DEFAULT_RANGE = (100_000, 500_000)

# Row geometry in pixels (vertical only: horizontal positions are percentages). Each row has its label on
# one line, its figures in words on the next, then its bar, so nothing is cut off on a narrow phone.
LABEL_LINE = 16
TEXT_LINE = 18
BAR_HEIGHT = 14
LANE_HEIGHT = 6
ROW_GAP = 16
AXIS_HEIGHT = 26


def usd_label(amount: int) -> str:
    """An axis label: 150000 -> "$150K", 1500000 -> "$1.5M"."""
    return format_usd(amount)


def _pct(value: float) -> str:
    """A percentage for an SVG attribute, independent of the template's number localization."""
    return f"{round(value, 2):g}%"


@dataclass(frozen=True)
class Tick:
    amount: int
    label: str
    x: float

    @property
    def left(self) -> str:
        return _pct(self.x)

    @property
    def anchor(self) -> str:
        """SVG text-anchor that keeps the first and last labels inside the plot."""
        if self.x <= 0:
            return "start"
        if self.x >= 100:
            return "end"
        return "middle"


@dataclass(frozen=True)
class Bar:
    """A range placed on a scale: ``x`` and ``width`` are percentages of the plot width."""

    low: int
    high: int
    x: float
    width: float
    open_ended: bool = False
    kind: str = "company"

    @property
    def end(self) -> float:
        return self.x + self.width

    @property
    def left(self) -> str:
        return _pct(self.x)

    @property
    def span(self) -> str:
        """The width as an SVG attribute; a one-figure range still shows as a sliver."""
        return _pct(max(self.width, 0.5))

    @property
    def right(self) -> str:
        return _pct(self.end)

    @property
    def arrow_end(self) -> str:
        """Where an open-ended range's arrow stops."""
        return _pct(min(self.end + ARROW_ROOM, 100))


@dataclass(frozen=True)
class Scale:
    """A linear USD axis from ``low`` to ``high`` with ticks every ``step`` dollars."""

    low: int
    high: int
    step: int

    @classmethod
    def fit(cls, ranges: Iterable[tuple[int | None, int | None]], *, open_ended: bool = False) -> "Scale":
        """The tidiest scale that shows every (low, high) range; ``open_ended`` leaves room for an arrow.

        Ranges with a missing end are skipped; with nothing to show the scale spans $100K-500K.
        """
        amounts = [amount for pair in ranges for amount in pair if amount is not None]
        low, high = (min(amounts), max(amounts)) if amounts else DEFAULT_RANGE
        if high <= low:
            high = low + TICK_STEPS[0]
        for step in TICK_STEPS:
            start = math.floor(low / step) * step
            stop = math.ceil(high / step) * step
            if open_ended and (stop - high) / (stop - start) * 100 < ARROW_ROOM:
                stop += step
            if (stop - start) / step + 1 <= MAX_TICKS:
                return cls(start, stop, step)
        return cls(start, stop, step)

    def position(self, amount: int) -> float:
        """Where ``amount`` falls, in percent of the plot width (clamped to 0-100)."""
        share = (amount - self.low) / (self.high - self.low) * 100
        return round(min(max(share, 0.0), 100.0), 2)

    def bar(self, low: int, high: int, *, open_ended: bool = False, kind: str = "company") -> Bar:
        x = self.position(low)
        return Bar(low=low, high=high, x=x, width=round(self.position(high) - x, 2), open_ended=open_ended, kind=kind)

    @property
    def low_label(self) -> str:
        return usd_label(self.low)

    @property
    def high_label(self) -> str:
        return usd_label(self.high)

    @property
    def ticks(self) -> list[Tick]:
        return [
            Tick(amount=amount, label=usd_label(amount), x=self.position(amount))
            for amount in range(self.low, self.high + 1, self.step)
        ]


@dataclass
class ChartRow:
    """One labelled line of a chart: a company's range, or a benchmark level's base and total bands."""

    label: str
    text: str
    bars: list[Bar] = field(default_factory=list)
    url: str = ""
    kind: str = "company"
    y: int = 0

    @property
    def label_y(self) -> int:
        return self.y + LABEL_LINE - 3

    @property
    def text_y(self) -> int:
        return self.y + LABEL_LINE + TEXT_LINE - 4

    @property
    def bar_y(self) -> int:
        return self.y + LABEL_LINE + TEXT_LINE + 2

    @property
    def base_y(self) -> int:
        """Top of the upper lane of a benchmark row (base salary)."""
        return self.bar_y

    @property
    def total_y(self) -> int:
        """Top of the lower lane of a benchmark row (total comp)."""
        return self.bar_y + BAR_HEIGHT - LANE_HEIGHT

    @property
    def arrow_y(self) -> int:
        """The middle of the bar, where an arrow points."""
        return self.bar_y + BAR_HEIGHT // 2


@dataclass
class RangeChart:
    """Rows of ranges on one scale, with the words that describe them (caption and text alternative)."""

    title: str
    description: str
    scale: Scale
    rows: list[ChartRow]
    legend: list[tuple[str, str]] = field(default_factory=list)
    highlight: Bar | None = None

    def __post_init__(self):
        for index, row in enumerate(self.rows):
            row.y = index * self.row_height

    row_height = LABEL_LINE + TEXT_LINE + 2 + BAR_HEIGHT + ROW_GAP
    bar_height = BAR_HEIGHT
    lane_height = LANE_HEIGHT

    @property
    def plot_height(self) -> int:
        return len(self.rows) * self.row_height - ROW_GAP + 6

    @property
    def height(self) -> int:
        return self.plot_height + AXIS_HEIGHT

    @property
    def axis_y(self) -> int:
        return self.plot_height + AXIS_HEIGHT - 8

    @property
    def ticks(self) -> list[Tick]:
        return self.scale.ticks


def company_row(scale: Scale, company) -> ChartRow:
    """A company's row: its published range as a bar, or only its words when it gives no figures."""
    bars = []
    if company.comp_min is not None and company.comp_max is not None:
        bars.append(scale.bar(company.comp_min, company.comp_max, open_ended=company.comp_open_ended))
    text = company.comp_text or "No pay published"
    if not bars and company.comp_text:
        text = f"{company.comp_text} (no figures published)"
    return ChartRow(label=company.name, text=text, bars=bars, url=company.get_absolute_url(), kind="company")


def benchmark_row(scale: Scale, benchmark, *, previous=None) -> ChartRow:
    """A level's row: base salary (upper lane, dark) and total comp (lower lane, light) as two thin bars.

    With ``previous`` (the same level in the edition before) its total comp is drawn as a dashed outline.
    """
    bars = []
    if previous is not None:
        bars.append(scale.bar(previous.total_min, previous.total_max, kind="previous"))
    bars.append(scale.bar(benchmark.total_min, benchmark.total_max, kind="total"))
    bars.append(scale.bar(benchmark.base_min, benchmark.base_max, kind="base"))
    text = (
        f"Base {usd_label(benchmark.base_min)}-{usd_label(benchmark.base_max).removeprefix('$')}"
        f" · Total {usd_label(benchmark.total_min)}-{usd_label(benchmark.total_max).removeprefix('$')}"
    )
    return ChartRow(label=benchmark.get_level_display(), text=text, bars=bars, kind="benchmark")


def posted_row(scale: Scale, label: str, text: str, low: int | None, high: int | None) -> ChartRow:
    """A row of what postings pay: the median posted range as a bar, or only its words when too few back it."""
    bars = [scale.bar(low, high, kind="posted")] if low is not None and high is not None else []
    return ChartRow(label=label, text=text, bars=bars, kind="posted")


def _company_ranges(companies):
    return [(c.comp_min, c.comp_max) for c in companies]


def _benchmark_ranges(benchmarks):
    return [pair for b in benchmarks for pair in ((b.base_min, b.base_max), (b.total_min, b.total_max))]


def benchmark_chart(
    benchmarks: Sequence,
    *,
    companies: Sequence = (),
    previous: Sequence = (),
    posted: Mapping | None = None,
    title: str,
    description: str = "",
) -> RangeChart:
    """Companies' ranges (first) and benchmark levels (after) on one scale.

    ``benchmarks`` and ``previous`` are SalaryBenchmark rows of an edition and of the one before it;
    a single company's range is also shaded behind the levels so its overlap shows at a glance. ``posted`` maps a
    level to a row of what postings pay at it, ``(label, text, low, high)``, drawn under that level's bands.
    """
    posted = posted or {}
    previous_by_level = {b.level: b for b in previous}
    ranges = _company_ranges(companies) + _benchmark_ranges(benchmarks)
    ranges += [(b.total_min, b.total_max) for b in previous]
    ranges += [(low, high) for _label, _text, low, high in posted.values()]
    scale = Scale.fit(ranges, open_ended=any(c.comp_open_ended for c in companies))
    rows = [company_row(scale, c) for c in companies]
    for benchmark in benchmarks:
        rows.append(benchmark_row(scale, benchmark, previous=previous_by_level.get(benchmark.level)))
        if benchmark.level in posted:
            rows.append(posted_row(scale, *posted[benchmark.level]))
    legend = []
    if companies:
        legend.append(("company", "Published pay range" if len(companies) == 1 else "Published pay ranges"))
    if any(c.comp_open_ended and c.comp_min is not None for c in companies):
        legend.append(("arrow", "Open-ended range (“+”)"))
    if benchmarks:
        legend += [("base", "Base salary benchmark"), ("total", "Total comp benchmark")]
    if previous_by_level:
        legend.append(("previous", "Total comp in the previous edition"))
    if any(low is not None for _label, _text, low, _high in posted.values()):
        legend.append(("posted", "Posted pay: median of its postings' minimums to median of their maximums"))
    highlight = None
    if len(companies) == 1 and rows and rows[0].bars and benchmarks:
        highlight = rows[0].bars[0]
    return RangeChart(title=title, description=description, scale=scale, rows=rows, legend=legend, highlight=highlight)


def list_scale(low: int | None, high: int | None, *, open_ended: bool = False) -> Scale:
    """The common scale of a company list, from the lowest and highest published pay of all companies."""
    return Scale.fit([(low, high)], open_ended=open_ended)


# Column charts (a figure month by month) are drawn in a 100 x 50 viewBox stretched to the figure's width; their
# words sit in HTML around the plot, so nothing is distorted.
PLOT_WIDTH, PLOT_HEIGHT = 100, 50
MAX_COLUMN_WIDTH = 14


@dataclass(frozen=True)
class Point:
    """One slot of a column chart: ``value`` None for a slot without a figure; ``marked`` draws it apart."""

    label: str
    value: int | None
    text: str = ""
    marked: bool = False


@dataclass(frozen=True)
class Column:
    """A point placed on the plot, in viewBox units."""

    label: str
    text: str
    x: float
    y: float
    width: float
    height: float
    marked: bool


@dataclass
class ColumnChart:
    """Columns on one axis from ``low`` to ``high`` (zero always on it), with the words that describe them."""

    title: str
    description: str
    columns: list[Column]
    zero_y: float
    high_label: str
    low_label: str
    first_label: str
    last_label: str
    legend: list[tuple[str, str]] = field(default_factory=list)


def column_chart(
    points: Sequence[Point],
    *,
    title: str,
    description: str = "",
    high: int | None = None,
    axis_label=lambda value: f"{value:,}",
    legend: Sequence[tuple[str, str]] = (),
) -> ColumnChart:
    """``points`` as columns from a zero line, scaled to the largest value or to ``high`` (100 for a share).

    A negative value hangs below the zero line; a slot without a value keeps its place and draws nothing.
    """
    values = [point.value for point in points if point.value is not None]
    top = max([*values, 0, high or 0])
    bottom = min([*values, 0])
    span = (top - bottom) or 1
    zero_y = round(PLOT_HEIGHT * top / span, 2)
    slot = PLOT_WIDTH / max(len(points), 1)
    width = min(slot * 0.7, MAX_COLUMN_WIDTH)
    columns = []
    for index, point in enumerate(points):
        if point.value is None:
            continue
        height = round(PLOT_HEIGHT * abs(point.value) / span, 2)
        columns.append(
            Column(
                label=point.label,
                text=point.text or axis_label(point.value),
                x=round(index * slot + (slot - width) / 2, 2),
                y=round(zero_y - height if point.value >= 0 else zero_y, 2),
                width=round(width, 2),
                height=height,
                marked=point.marked,
            )
        )
    return ColumnChart(
        title=title,
        description=description,
        columns=columns,
        zero_y=zero_y,
        high_label=axis_label(top),
        low_label=axis_label(bottom),
        first_label=points[0].label if points else "",
        last_label=points[-1].label if points else "",
        legend=list(legend),
    )
