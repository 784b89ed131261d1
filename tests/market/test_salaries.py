"""The salary benchmarks page: the table per level, its chart, the equity note, editions and their changes."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from market.models import SalaryLevel
from tests.conftest import make_benchmark, make_bookmark, make_company, make_edition, make_user

pytestmark = pytest.mark.django_db

URL = reverse("market:salaries")
# Editions, the edition's benchmarks, the previous edition's benchmarks; then what postings pay: the latest sync,
# and its two median queries until the figures are kept.
QUERIES = 6
SIGNED_IN = 2


def text(response):
    body = re.sub(r"<(script|style|head)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def make_levels(edition, shift=0):
    for level, base, total in [
        (SalaryLevel.JUNIOR, (125_000, 160_000), (140_000, 180_000)),
        (SalaryLevel.MID, (160_000, 210_000), (190_000, 260_000)),
        (SalaryLevel.SENIOR, (200_000, 260_000), (250_000, 340_000)),
        (SalaryLevel.STAFF, (250_000, 320_000), (320_000, 450_000)),
    ]:
        make_benchmark(
            edition=edition,
            level=level,
            base_min=base[0] + shift,
            base_max=base[1] + shift,
            total_min=total[0],
            total_max=total[1] - shift,
        )


@pytest.fixture
def two_editions(db):
    """Q1 2026 (current) and, before it, Q4 2025 with base pay $5K lower and top total comp $5K higher."""
    current = make_edition(slug="2026-q1", name="Q1 2026", published_on=datetime.date(2026, 1, 31))
    previous = make_edition(slug="2025-q4", name="Q4 2025", published_on=datetime.date(2025, 10, 31), is_current=False)
    make_levels(current)
    make_levels(previous, shift=-5_000)
    return current, previous


def test_salaries_show_each_level_worded_as_the_source(client, loaded_edition):
    response = client.get(URL)
    assert response.status_code == 200
    page = text(response)
    assert "AI engineer salary benchmarks" in page
    assert "Current market rates for AI engineering roles:" in page
    rows = [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())
        for row in re.findall(
            r"<tr>\s*(<th scope=\"row\">.*?)</tr>",
            response.content.decode().split('id="salary-table"')[1].split("</table>")[0],
            flags=re.S,
        )
    ]
    assert rows == [
        "Junior (0-2 yrs) $125K-160K $140K-180K",
        "Mid (2-5 yrs) $160K-210K $190K-260K",
        "Senior (5-8 yrs) $200K-260K $250K-340K",
        "Staff (8+ yrs) $250K-320K $320K-450K",
    ]
    assert (
        "Equity varies dramatically by company stage. Big tech RSUs are reliable; startup equity is speculative."
    ) in page


def test_salaries_chart_the_bands_with_the_table_as_text_alternative(client, loaded_edition):
    response = client.get(URL)
    body = response.content.decode()
    assert '<figure class="chart">' in body and "<svg" in body
    assert "Pay bands by level, Q1 2026" in text(response)
    assert 'id="salary-table"' in body
    assert "The figures are in the table on this page." in body
    # Which bar is which holds in both colour schemes (base is the darker bar in light mode, the lighter in dark).
    assert "base salary (the bolder, upper bar) and total comp (the fainter, lower bar)" in body
    assert "(dark" not in body and "(lighter" not in body


def test_salaries_carry_provenance(client, loaded_edition):
    page = text(client.get(URL))
    assert "Q1 2026 edition · as of 31 Jan 2026 · Source: AI Hiring Guide" in page
    assert "Last verified 31 Jan 2026" in page


def test_one_edition_needs_no_selector_and_no_change_column(client, loaded_edition):
    page = text(client.get(URL))
    assert "Show edition" not in page
    assert "Change since" not in page


def test_the_change_since_the_previous_edition(client, two_editions):
    response = client.get(URL)
    page = text(response)
    assert "Change since Q4 2025" in page
    assert "Base +$5K / +$5K (was $120K-155K)" in page
    assert "Total no change / −$5K (was $140K-185K)" in page
    body = response.content.decode()
    assert '<span class="delta--up">+$5K</span>' in body
    assert '<span class="delta--down">−$5K</span>' in body
    assert "the dashed outline is total comp in Q4 2025" in page


def test_the_edition_selector_shows_an_earlier_edition(client, two_editions):
    current, previous = two_editions
    response = client.get(URL, {"edition": "2025-q4"})
    assert response.status_code == 200
    page = text(response)
    assert "Q4 2025 edition" in page
    assert "$120K-155K" in page
    assert "Change since" not in page  # nothing was published before it
    body = response.content.decode()
    assert '<option value="2025-q4" selected>Q4 2025</option>' in body
    assert '<option value="2026-q1">Q1 2026 (current)</option>' in body
    assert "<title>AI engineer salary benchmarks, Q4 2025 · AI Hiring Guide</title>" in body


@pytest.mark.parametrize("slug", ["no-such-edition", "draft", "<b>x</b>"])
def test_an_unknown_or_unpublished_edition_is_404_with_a_message(client, two_editions, slug):
    make_edition(slug="draft", name="Draft", is_published=False, is_current=False)
    response = client.get(URL, {"edition": slug})
    assert response.status_code == 404
    assert f"There is no published edition called “{slug}”." in text(response)
    assert "Show edition" in text(response)


def test_no_benchmarks_yet_is_an_empty_state(client):
    make_edition()
    response = client.get(URL)
    assert response.status_code == 200
    assert "No salary benchmarks are published" in text(response)


def test_salaries_head_tags(client, loaded_edition):
    head_html = client.get(URL).content.decode().split("</head>")[0]
    assert "<title>AI engineer salary benchmarks, Q1 2026 · AI Hiring Guide</title>" in head_html
    assert 'content="Base salary and total comp for AI engineers by level in Q1 2026: Junior (0-2 yrs) $125K-160K' in (
        head_html
    )
    assert '<link rel="canonical" href="http://testserver/salaries/">' in head_html
    assert '<meta property="og:title" content="AI engineer salary benchmarks, Q1 2026 · AI Hiring Guide">' in head_html


@pytest.mark.parametrize("count", [3, 30])
def test_salaries_query_count_is_fixed(client, django_assert_max_num_queries, two_editions, count):
    for _ in range(count):
        make_company()
    with django_assert_max_num_queries(QUERIES):
        client.get(URL)
    user = make_user()
    make_bookmark(user=user)
    client.force_login(user)
    with django_assert_max_num_queries(QUERIES + SIGNED_IN):
        client.get(URL)
