"""The chart module: a common USD scale, bar positions, chart rows, and the SVG they render to."""

import pytest
from django.template.loader import render_to_string

from companies.models import Company, CompBasis
from core.charts import ARROW_ROOM, Scale, benchmark_chart, company_row, list_scale, usd_label
from market.models import SalaryBenchmark, SalaryLevel


def company(**fields):
    defaults = {"name": "Acme", "slug": "acme", "comp_min": None, "comp_max": None, "comp_open_ended": False}
    return Company(**{**defaults, **fields})


def benchmark(level=SalaryLevel.JUNIOR, base=(125_000, 160_000), total=(140_000, 180_000)):
    return SalaryBenchmark(level=level, base_min=base[0], base_max=base[1], total_min=total[0], total_max=total[1])


@pytest.mark.parametrize(
    ("amount", "label"),
    [(0, "$0"), (150_000, "$150K"), (1_000_000, "$1M"), (1_500_000, "$1.5M"), (123_456, "$123,456")],
)
def test_usd_label(amount, label):
    assert usd_label(amount) == label


def test_scale_fits_ranges_on_round_steps():
    scale = Scale.fit([(100_000, 300_000)])
    assert (scale.low, scale.high, scale.step) == (100_000, 300_000, 50_000)
    bar = scale.bar(150_000, 250_000)
    assert (bar.left, bar.span, bar.right) == ("25%", "50%", "75%")


def test_scale_covers_the_benchmark_levels_with_few_ticks():
    scale = Scale.fit([(125_000, 160_000), (320_000, 450_000)])
    assert (scale.low, scale.high) == (100_000, 500_000)
    assert [t.label for t in scale.ticks] == ["$100K", "$200K", "$300K", "$400K", "$500K"]
    assert [t.anchor for t in scale.ticks] == ["start", "middle", "middle", "middle", "end"]


def test_scale_leaves_room_for_an_open_ended_arrow():
    closed = Scale.fit([(250_000, 500_000)])
    open_ended = Scale.fit([(250_000, 500_000)], open_ended=True)
    assert closed.high == 500_000
    assert open_ended.high > 500_000
    assert 100 - open_ended.position(500_000) >= ARROW_ROOM


def test_scale_without_figures_spans_a_default_range():
    assert (Scale.fit([]).low, Scale.fit([(None, None)]).high) == (100_000, 500_000)
    assert list_scale(None, None).high_label == "$500K"


def test_scale_never_has_zero_width():
    scale = Scale.fit([(200_000, 200_000)])
    assert scale.high > scale.low
    assert scale.bar(200_000, 200_000).span == "0.5%"  # a one-figure range still shows


def test_huge_ranges_keep_few_ticks():
    scale = Scale.fit([(1, 100_000_000)])
    assert len(scale.ticks) <= 7
    assert scale.ticks[-1].label == "$100M"


def test_position_is_clamped_to_the_plot():
    scale = Scale(low=100_000, high=200_000, step=50_000)
    assert (scale.position(0), scale.position(150_000), scale.position(10**9)) == (0.0, 50.0, 100.0)


def test_open_ended_bar_carries_its_arrow_end():
    scale = Scale(low=100_000, high=500_000, step=100_000)
    bar = scale.bar(200_000, 400_000, open_ended=True)
    assert bar.open_ended
    assert bar.arrow_end == "81%"


def test_company_row_words_pay_as_the_source_does():
    row = company_row(
        Scale.fit([]), company(comp_min=200_000, comp_max=400_000, comp_open_ended=True, comp_note="Top of market")
    )
    assert row.text == "Top of market ($200K-400K+), basis not stated"
    assert row.bars[0].open_ended
    assert row.url == "/companies/acme/"


def test_company_row_without_figures_keeps_its_words_and_draws_no_bar():
    row = company_row(Scale.fit([]), company(comp_note="Highly competitive + equity"))
    assert row.bars == []
    assert row.text == "Highly competitive + equity (no figures published)"
    assert company_row(Scale.fit([]), company()).text == "No pay published"


def test_benchmark_chart_puts_companies_first_then_levels():
    levels = [
        benchmark(),
        benchmark(SalaryLevel.STAFF, base=(250_000, 320_000), total=(320_000, 450_000)),
    ]
    deepmind = company(
        name="Google DeepMind", comp_min=250_000, comp_max=500_000, comp_open_ended=True, comp_basis=CompBasis.TOTAL
    )
    chart = benchmark_chart(levels, companies=[deepmind], title="DeepMind against the market")
    assert [row.label for row in chart.rows] == ["Google DeepMind", "Junior (0-2 yrs)", "Staff (8+ yrs)"]
    assert chart.rows[0].text == "$250K-500K+ total comp"
    assert chart.rows[1].text == "Base $125K-160K · Total $140K-180K"
    assert [bar.kind for bar in chart.rows[2].bars] == ["total", "base"]
    assert chart.highlight == chart.rows[0].bars[0]
    assert [kind for kind, _ in chart.legend] == ["company", "arrow", "base", "total"]
    assert [row.y for row in chart.rows] == [0, chart.row_height, 2 * chart.row_height]
    assert chart.height > chart.plot_height


def test_benchmark_chart_outlines_the_previous_edition():
    chart = benchmark_chart(
        [benchmark(total=(150_000, 190_000))], previous=[benchmark()], title="Bands", description="Words"
    )
    assert [bar.kind for bar in chart.rows[0].bars] == ["previous", "total", "base"]
    assert ("previous", "Total comp in the previous edition") in chart.legend
    assert chart.highlight is None


def test_chart_renders_as_svg_with_caption_and_text_alternative():
    chart = benchmark_chart(
        [benchmark()],
        companies=[company(comp_min=200_000, comp_max=400_000, comp_open_ended=True, comp_note="Top of market")],
        title="Acme against the market",
        description="Its range beside each level.",
    )
    html = render_to_string("includes/_range_chart.html", {"chart": chart})
    assert '<figure class="chart">' in html
    assert "<figcaption>" in html and "Acme against the market" in html and "Its range beside each level." in html
    assert 'role="img"' in html and "<svg" in html
    assert 'class="chart__arrow-line"' in html  # the open-ended range ends in an arrow
    assert "<table>" in html and "Top of market ($200K-400K+)" in html
    assert "style=" not in html and "<script" not in html


def test_chart_can_point_to_a_visible_table_instead():
    chart = benchmark_chart([benchmark()], title="Bands")
    html = render_to_string("includes/_range_chart.html", {"chart": chart, "data_table_id": "salary-table"})
    assert "<table>" not in html
    assert "The figures are in the table on this page." in html
