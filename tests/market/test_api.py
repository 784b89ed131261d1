"""The editions, salary benchmarks, market snapshots, trends and specializations API."""

import csv
import datetime
import io

import pytest

from market.models import SalaryLevel
from tests.conftest import (
    make_benchmark,
    make_computed_snapshot,
    make_edition,
    make_snapshot,
    make_specialization,
    make_trend,
)

pytestmark = pytest.mark.django_db

PROVENANCE_FIELDS = {"edition", "edition_name", "as_of", "source", "source_url", "last_verified", "needs_review"}


@pytest.fixture
def editions(db):
    """A current edition, an older published one and an unpublished draft."""
    current = make_edition(slug="2026-q1", name="Q1 2026", published_on=datetime.date(2026, 1, 31), is_current=True)
    older = make_edition(slug="2025-q4", name="Q4 2025", published_on=datetime.date(2025, 10, 31), is_current=False)
    draft = make_edition(
        slug="2026-q2", name="Q2 2026", published_on=datetime.date(2026, 4, 30), is_current=False, is_published=False
    )
    return current, older, draft


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


# Editions


def test_edition_list_has_published_editions_newest_first(client, editions):
    rows = results(client.get("/api/editions/"))

    assert [(row["slug"], row["name"], row["is_current"]) for row in rows] == [
        ("2026-q1", "Q1 2026", True),
        ("2025-q4", "Q4 2025", False),
    ]
    assert rows[0]["url"] == "http://testserver/api/editions/2026-q1/"
    assert rows[0]["published_on"] == "2026-01-31"
    assert rows[0]["equity_note"] == "Equity varies."


def test_edition_detail_by_slug_and_draft_is_a_404(client, editions):
    assert client.get("/api/editions/2025-q4/").json()["name"] == "Q4 2025"
    response = client.get("/api/editions/2026-q2/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Edition matches the given query."}


# Salaries


@pytest.fixture
def benchmarks(editions):
    current, older, draft = editions
    for edition, bump in ((current, 0), (older, -10_000), (draft, 10_000)):
        for level, base in (
            (SalaryLevel.STAFF, 250_000),
            (SalaryLevel.JUNIOR, 125_000),
            (SalaryLevel.SENIOR, 200_000),
            (SalaryLevel.MID, 160_000),
        ):
            make_benchmark(
                edition=edition,
                level=level,
                base_min=base + bump,
                base_max=base + bump + 40_000,
                total_min=base + bump + 15_000,
                total_max=base + bump + 100_000,
            )
    return editions


def test_salaries_list_published_editions_newest_first_junior_first(client, benchmarks):
    rows = results(client.get("/api/salaries/"))

    assert [(row["provenance"]["edition"], row["level"]) for row in rows] == [
        ("2026-q1", "junior"),
        ("2026-q1", "mid"),
        ("2026-q1", "senior"),
        ("2026-q1", "staff"),
        ("2025-q4", "junior"),
        ("2025-q4", "mid"),
        ("2025-q4", "senior"),
        ("2025-q4", "staff"),
    ]
    junior = rows[0]
    assert junior["level_label"] == "Junior (0-2 yrs)"
    assert (junior["base_min"], junior["base_max"], junior["total_min"], junior["total_max"]) == (
        125_000,
        165_000,
        140_000,
        225_000,
    )
    assert set(junior["provenance"]) == PROVENANCE_FIELDS
    assert junior["provenance"]["edition_name"] == "Q1 2026"
    assert junior["provenance"]["source"] == "Test source"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("edition=2025-q4", [("2025-q4", "junior"), ("2025-q4", "mid"), ("2025-q4", "senior"), ("2025-q4", "staff")]),
        ("level=senior", [("2026-q1", "senior"), ("2025-q4", "senior")]),
        ("edition=2026-q1&level=staff", [("2026-q1", "staff")]),
    ],
)
def test_salaries_filter_by_edition_and_level(client, benchmarks, query, expected):
    rows = results(client.get(f"/api/salaries/?{query}"))

    assert [(row["provenance"]["edition"], row["level"]) for row in rows] == expected


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("edition=1999-q1", "edition"), ("edition=2026-q2", "edition"), ("level=intern", "level")],
)
def test_salaries_bad_filter_is_a_400_naming_it(client, benchmarks, query, parameter):
    response = client.get(f"/api/salaries/?{query}")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]


def test_salaries_as_csv(client, benchmarks):
    response = client.get("/api/salaries/?format=csv&edition=2026-q1")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="salaries.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["level_label"], row["base_min"], row["total_max"]) for row in rows] == [
        ("Junior (0-2 yrs)", "125000", "225000"),
        ("Mid (2-5 yrs)", "160000", "260000"),
        ("Senior (5-8 yrs)", "200000", "300000"),
        ("Staff (8+ yrs)", "250000", "350000"),
    ]
    assert {row["provenance.edition"] for row in rows} == {"2026-q1"}
    assert all(row["provenance.as_of"] and row["provenance.last_verified"] for row in rows)


def test_salaries_csv_escapes_a_formula_in_the_source(client, editions):
    make_benchmark(edition=editions[0], source="=cmd|' /C calc'!A0")

    response = client.get("/api/salaries/?format=csv")

    [row] = csv.DictReader(io.StringIO(response.content.decode()))
    assert row["provenance.source"] == "'=cmd|' /C calc'!A0"


def test_salaries_are_read_only(client, benchmarks):
    assert client.post("/api/salaries/", {}, "application/json").status_code == 405
    assert client.get("/api/salaries/1/").status_code == 404


# Market snapshots, trends and specializations


def test_snapshots_latest_month_first_with_provenance(client, editions):
    current, older, draft = editions
    make_snapshot(edition=older, month=datetime.date(2025, 10, 1), total_postings=1700)
    make_snapshot(
        edition=current,
        month=datetime.date(2026, 1, 1),
        total_postings=1969,
        mom_change_pct=8,
        remote_eligible_pct=34,
        senior_plus_pct=62,
        source="Based on our tracking of AI job postings in January 2026",
    )
    make_snapshot(edition=draft, month=datetime.date(2026, 4, 1), total_postings=2500)

    rows = results(client.get("/api/market/snapshots/"))

    assert [(row["month"], row["total_postings"]) for row in rows] == [("2026-01-01", 1969), ("2025-10-01", 1700)]
    latest = rows[0]
    assert (latest["mom_change_pct"], latest["remote_eligible_pct"], latest["senior_plus_pct"]) == (8, 34, 62)
    assert latest["provenance"]["source"] == "Based on our tracking of AI job postings in January 2026"
    assert set(latest["provenance"]) == PROVENANCE_FIELDS
    assert [row["month"] for row in results(client.get("/api/market/snapshots/?edition=2025-q4"))] == ["2025-10-01"]


def test_a_snapshot_counted_from_postings_carries_what_it_rests_on(client, editions):
    current, _, _ = editions
    make_snapshot(edition=current, month=datetime.date(2026, 1, 1))
    computed = make_computed_snapshot(month=datetime.date(2026, 2, 1))
    make_snapshot(edition=current, month=datetime.date(2026, 2, 1), total_postings=200, computed_from=computed)

    february, january = results(client.get("/api/market/snapshots/"))

    assert january["computed_from"] is None  # typed in
    assert february["computed_from"] == {
        "month": "2026-02-01",
        "postings": 200,
        "sources": 12,
        "remote_postings": 50,
        "levelled_postings": 150,
        "levelled_sources": 12,
        "senior_postings": 90,
        "previous_postings": 160,
        "previous_sources": 12,
        "computed_at": computed.computed_at.isoformat().replace("+00:00", "Z"),
        "method": "http://testserver/about/data/#counting",
    }


def test_the_series_is_one_row_a_month_oldest_first_later_editions_winning(client, editions):
    current, older, draft = editions
    make_snapshot(edition=older, month=datetime.date(2025, 12, 1), total_postings=1823)
    make_snapshot(edition=older, month=datetime.date(2026, 1, 1), total_postings=1700)
    make_snapshot(edition=current, month=datetime.date(2026, 1, 1), total_postings=1969)
    computed = make_computed_snapshot(month=datetime.date(2026, 2, 1))
    make_snapshot(edition=current, month=datetime.date(2026, 2, 1), total_postings=200, computed_from=computed)
    make_snapshot(edition=draft, month=datetime.date(2026, 3, 1), total_postings=5)

    response = client.get("/api/market/series/")

    assert response.status_code == 200
    rows = response.json()  # the whole series, not paged
    assert [(r["month"], r["total_postings"], r["provenance"]["edition"]) for r in rows] == [
        ("2025-12-01", 1823, "2025-q4"),
        ("2026-01-01", 1969, "2026-q1"),
        ("2026-02-01", 200, "2026-q1"),
    ]
    assert [r["computed_from"] and r["computed_from"]["postings"] for r in rows] == [None, None, 200]


def test_trends_with_points_in_order(client, editions):
    current, older, draft = editions
    make_trend(
        edition=current,
        slug="senior",
        title="Shift Toward Senior Hires",
        points=["62% of roles are Senior, Staff, or Principal level", "Junior AI roles are increasingly rare"],
        position=1,
    )
    make_trend(edition=current, slug="remote", title="Remote Policy Tightening", position=2)
    make_trend(edition=draft, slug="secret", title="Not yet")

    rows = results(client.get("/api/market/trends/"))

    assert [row["title"] for row in rows] == ["Shift Toward Senior Hires", "Remote Policy Tightening"]
    assert rows[0]["points"] == [
        "62% of roles are Senior, Staff, or Principal level",
        "Junior AI roles are increasingly rare",
    ]
    assert rows[0]["provenance"]["edition"] == "2026-q1"
    assert results(client.get("/api/market/trends/?edition=2025-q4")) == []


def test_specializations_with_their_trend(client, editions):
    current, older, draft = editions
    trend = make_trend(edition=current, slug="specialization")
    make_specialization(edition=current, trend=trend, name="RAG specialists", description="High demand", position=1)
    make_specialization(edition=current, name="Multi-modal", description="Expanding", position=2)
    make_specialization(edition=draft, name="Hidden")

    rows = results(client.get("/api/specializations/"))

    assert [(row["name"], row["description"], row["trend"]) for row in rows] == [
        ("RAG specialists", "High demand", "specialization"),
        ("Multi-modal", "Expanding", None),
    ]
    assert set(rows[0]["provenance"]) == PROVENANCE_FIELDS


@pytest.mark.parametrize("url", ["/api/market/snapshots/", "/api/market/trends/", "/api/specializations/"])
def test_market_lists_reject_an_unknown_edition(client, editions, url):
    response = client.get(f"{url}?edition=nope")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["edition"]


def test_market_lists_from_the_loaded_edition(client, loaded_edition):
    snapshot = results(client.get("/api/market/snapshots/"))[0]
    salaries = results(client.get("/api/salaries/?edition=2026-q1&level=staff"))

    assert (snapshot["total_postings"], snapshot["mom_change_pct"]) == (1969, 8)
    assert (salaries[0]["total_min"], salaries[0]["total_max"]) == (320_000, 450_000)
    assert len(results(client.get("/api/specializations/"))) == 4
    assert len(results(client.get("/api/market/trends/"))) == 3


# Query counts: the same bound with 3 rows and with 30


@pytest.mark.parametrize("rows", [3, 30])
def test_market_query_counts_are_fixed(client, django_assert_max_num_queries, editions, rows):
    current, _, _ = editions
    trend = make_trend(edition=current)
    for index in range(rows):
        if index % 4 == 0:  # one benchmark per level and edition
            edition = make_edition(is_current=False, published_on=datetime.date(2020, 1, 1) + datetime.timedelta(index))
        make_benchmark(edition=edition, level=SalaryLevel.values[index % 4], source=f"Source {index}")
        computed = make_computed_snapshot(month=datetime.date(2000 + index, 1, 1)) if index % 2 else None
        make_snapshot(edition=edition, month=datetime.date(2000 + index, 1, 1), computed_from=computed)
        make_trend(edition=edition, points=["One", "Two"])
        make_specialization(edition=edition, trend=trend)

    # count + rows (+ points for trends)
    for url, bound, expected in [
        ("/api/editions/?page_size=100", 2, 2 + (rows + 3) // 4),
        ("/api/salaries/?page_size=100", 2, rows),
        ("/api/market/snapshots/?page_size=100", 2, rows),
        ("/api/market/trends/?page_size=100", 3, rows + 1),
        ("/api/specializations/?page_size=100", 2, rows),
        ("/api/salaries/?page_size=100&edition=2025-q4&level=junior", 3, None),
    ]:
        with django_assert_max_num_queries(bound):
            response = client.get(url)
        if expected is not None:
            assert response.json()["count"] == expected, url

    with django_assert_max_num_queries(1):
        response = client.get("/api/market/series/")
    assert len(response.json()) == rows
    assert sum(row["computed_from"] is not None for row in response.json()) == rows // 2

    with django_assert_max_num_queries(1):
        response = client.get("/api/salaries/?format=csv")
    assert len(response.content.decode().splitlines()) == rows + 1
