"""``/market/``: the headline figures with date and source, their change, charts, trends and specializations."""

import datetime
import re

import pytest

from tests.conftest import (
    make_computed_snapshot,
    make_edition,
    make_snapshot,
    make_specialization,
    make_trend,
    visible_text,
)

pytestmark = pytest.mark.django_db


def test_market_page_shows_the_snapshot_with_its_date_and_source(client, loaded_edition):
    response = client.get("/market/")
    assert response.status_code == 200
    text = visible_text(response)
    assert "Headline figures, January 2026" in text
    assert "Based on our tracking of AI job postings in January 2026:" in text
    assert "Total AI engineering roles 1,969 active postings" in text
    assert "Month-over-month change +8%" in text
    assert "Remote-eligible roles 34%" in text
    assert "Senior+ roles 62%" in text
    assert "The market has matured. Companies want proven experience, not potential." in text
    assert (
        "Q1 2026 edition · as of 31 Jan 2026 · Source: Based on our tracking of AI job postings in January 2026" in text
    )


def test_market_page_shows_every_trend_point_and_specialization(client, loaded_edition):
    text = visible_text(client.get("/market/"))
    for phrase in [
        "What Q1 2026 Hiring Looks Like",
        "Shift Toward Senior Hires",
        "Companies are consolidating teams and hiring experienced engineers:",
        "62% of roles are Senior, Staff, or Principal level",
        "Junior AI roles are increasingly rare",
        "Mid-level requires demonstrable production experience",
        '"AI-curious" engineers are less attractive than before',
        "Specialization Over Generalists",
        "Specific expertise is valued:",
        "RAG specialists: High demand for complex retrieval systems",
        "Fine-tuning experts: Companies moving beyond prompt engineering",
        "AI safety/evals: Growing need for quality assurance",
        "Multi-modal: Image, video, audio AI expanding",
        "Remote Policy Tightening",
        "Trends in location flexibility:",
        "Fully remote roles decreased 12% from Q4 2025",
        "Hybrid (2-3 days) is the most common policy",
        "Return-to-office mandates affecting some big tech roles",
        "Remote-first companies gaining competitive advantage",
    ]:
        assert phrase in text, phrase


def test_trend_and_specialization_links_land_on_their_anchors(client, loaded_edition):
    body = client.get("/market/").content.decode()
    for anchor in ("shift-toward-senior-hires", "specialization-over-generalists", "remote-policy-tightening"):
        assert f'id="{anchor}"' in body
    assert body.count('id="specializations"') == 1


def test_share_chart_is_svg_with_a_caption_and_a_text_alternative(client, loaded_edition):
    response = client.get("/market/")
    body = response.content.decode()
    assert '<figure class="chart">' in body
    assert "<svg" in body
    assert '<rect class="chart__fill" x="0" y="0" width="34" height="10"/>' in body
    assert '<rect class="chart__fill" x="0" y="0" width="62" height="10"/>' in body
    text = visible_text(response)
    assert "Remote-eligible and senior+ roles, share of all AI engineering postings, January 2026" in text
    assert (
        "Share of AI engineering postings, January 2026 Roles Share Remote-eligible roles 34% Senior+ roles 62%" in text
    )
    assert not re.search(r"<script(?![^>]*\bsrc=)", body), "inline script"
    assert 'style="' not in body


def test_without_a_previous_snapshot_there_is_no_change_section(client, loaded_edition):
    text = visible_text(client.get("/market/"))
    assert "Change since" not in text
    assert "Active AI engineering postings by month" not in text


def test_change_since_the_previous_snapshot(client, loaded_edition):
    earlier = make_edition(slug="2025-q4", name="Q4 2025", published_on=datetime.date(2025, 10, 31), is_current=False)
    make_snapshot(
        edition=earlier,
        month=datetime.date(2025, 12, 1),
        total_postings=1823,
        remote_eligible_pct=36,
        senior_plus_pct=60,
    )
    response = client.get("/market/")
    text = visible_text(response)
    assert "Change since December 2025" in text
    assert "Active postings 1,823 1,969 +146 (+8%)" in text
    assert "Remote-eligible roles 36% 34% -2 points" in text
    assert "Senior+ roles 60% 62% +2 points" in text
    assert "Active AI engineering postings by month December 2025 to January 2026" in text
    assert "Dec 2025 1,823" in text
    assert "Jan 2026 1,969" in text


def test_snapshots_of_unpublished_editions_are_not_compared(client, loaded_edition):
    draft = make_edition(slug="draft", is_published=False, is_current=False)
    make_snapshot(edition=draft, month=datetime.date(2025, 12, 1), total_postings=5)
    assert "Change since" not in visible_text(client.get("/market/"))


def test_market_page_without_an_edition(client, db):
    response = client.get("/market/")
    assert response.status_code == 200
    assert "No market figures are published yet." in visible_text(response)


def test_market_page_with_an_edition_but_no_snapshot(client, edition):
    response = client.get("/market/")
    assert response.status_code == 200
    assert "No market figures are published yet." in visible_text(response)


def test_specializations_without_a_trend_still_show(client, edition):
    make_snapshot(edition=edition)
    make_specialization(edition=edition, trend=None, name="Agents", description="Tool use in production")
    response = client.get("/market/")
    text = visible_text(response)
    assert "Specializations in demand" in text
    assert "Agents: Tool use in production" in text
    assert response.content.decode().count('id="specializations"') == 1


def test_market_page_meta(client, loaded_edition):
    body = client.get("/market/").content.decode()
    assert (
        "<title>The AI hiring market in Q1 2026: postings, trends and specializations · AI Hiring Guide</title>" in body
    )
    assert '<meta name="description" content="1,969 active AI engineering postings in January 2026, +8%' in body
    assert '<link rel="canonical" href="http://testserver/market/">' in body
    assert '<meta property="og:title" content="The AI hiring market in Q1 2026' in body


@pytest.mark.parametrize("rows", [3, 30])
def test_market_query_count_does_not_grow_with_rows(client, edition, rows, django_assert_max_num_queries):
    for month in range(rows):
        other = make_edition(is_current=False, published_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=month))
        make_snapshot(edition=other, month=datetime.date(2020 + month // 12, month % 12 + 1, 1))
    make_snapshot(edition=edition, month=datetime.date(2026, 1, 1))
    for _ in range(rows):
        trend = make_trend(edition=edition, points=["One", "Two", "Three"])
        make_specialization(edition=edition, trend=trend)
        make_specialization(edition=edition, trend=None)
    with django_assert_max_num_queries(7):
        response = client.get("/market/")
    assert response.status_code == 200
    assert visible_text(response).count("Three") == rows


def test_month_by_month_marks_the_months_counted_from_postings(client, loaded_edition):
    q1 = loaded_edition
    computed = make_computed_snapshot(month=datetime.date(2026, 3, 1))
    make_snapshot(
        edition=q1,
        month=datetime.date(2026, 3, 1),
        total_postings=200,
        mom_change_pct=None,
        remote_eligible_pct=25,
        senior_plus_pct=60,
        source=computed.source_text(),
        computed_from=computed,
    )
    response = client.get("/market/")
    text = visible_text(response)
    body = response.content.decode()

    assert "Headline figures, March 2026" in text
    assert "Month-over-month change Not known" in text
    assert "Month by month" in text
    assert "Active AI engineering postings by month January 2026 to March 2026" in text
    assert "Senior+ roles, share of postings with a stated level January 2026 to March 2026" in text
    assert "Jan 2026 1,969 +8% 34% 62% Typed in, Q1 2026 edition" in text
    assert "Mar 2026 200 not known 25% 60% From postings 200 postings on 12 job boards" in text
    # February has no figures: its slot stays empty, so each chart draws two columns on three slots; March's change
    # is not known, so its chart draws January's alone.
    assert body.count("chart__fill--computed") == 3
    assert body.count("chart__fill--typed") == 4
    assert "Counted from postings" in text and "Typed in by editors" in text
    # Every figure counted from postings links to the method.
    provenance = re.search(r'<p class="provenance">[^\n]*?</p>', body)[0]
    assert (
        '<a href="/about/data/#counting">Our count of 200 AI engineering postings on 12 job boards, open during '
        "March 2026</a>" in provenance
    )
    assert '<meta name="description" content="200 active AI engineering postings in March 2026; 25% remote' in body


def test_a_month_of_postings_falling_hangs_below_the_zero_line(client, edition):
    make_snapshot(edition=edition, month=datetime.date(2026, 1, 1), mom_change_pct=10)
    make_snapshot(edition=edition, month=datetime.date(2026, 2, 1), mom_change_pct=-10)
    body = client.get("/market/").content.decode()
    # +10% and -10% on one axis: zero in the middle; the rise above it, the fall below.
    assert '<line class="chart__axis" x1="0" y1="25.0" x2="100" y2="25.0"/>' in body
    assert 'y="0.0" width="14" height="25.0"/>' in body
    assert 'y="25.0" width="14" height="25.0"/>' in body


@pytest.mark.parametrize("months", [3, 12])
def test_month_by_month_query_count(client, edition, months, django_assert_max_num_queries):
    for n in range(months):
        computed = make_computed_snapshot(month=datetime.date(2025, n + 1, 1)) if n % 2 else None
        make_snapshot(edition=edition, month=datetime.date(2025, n + 1, 1), computed_from=computed)
    with django_assert_max_num_queries(7):
        response = client.get("/market/")
    text = visible_text(response)
    assert text.count("From postings") == months // 2
    assert text.count("Typed in, ") == months - months // 2
