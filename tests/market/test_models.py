import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from market.models import Edition, MarketSnapshot, SalaryBenchmark, SalaryLevel, needs_review_condition
from tests.conftest import make_benchmark, make_edition, make_snapshot

pytestmark = pytest.mark.django_db


def test_only_one_edition_can_be_current():
    make_edition(is_current=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_edition(is_current=True)


def test_a_current_edition_must_be_published():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_edition(is_current=True, is_published=False)


def test_one_benchmark_per_edition_and_level():
    make_benchmark(level=SalaryLevel.MID)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_benchmark(level=SalaryLevel.MID)


@pytest.mark.parametrize(
    "fields",
    [{"base_min": 200_000, "base_max": 100_000}, {"total_min": 300_000, "total_max": 200_000}, {"base_min": 0}],
)
def test_database_refuses_bad_benchmarks(fields):
    benchmark = make_benchmark()
    with pytest.raises(IntegrityError), transaction.atomic():
        SalaryBenchmark.objects.filter(pk=benchmark.pk).update(**fields)


@pytest.mark.parametrize("fields", [{"remote_eligible_pct": 101}, {"senior_plus_pct": 150}, {"mom_change_pct": -101}])
def test_database_refuses_percentages_out_of_range(fields):
    snapshot = make_snapshot()
    with pytest.raises(IntegrityError), transaction.atomic():
        MarketSnapshot.objects.filter(pk=snapshot.pk).update(**fields)


def test_benchmark_clean_explains_inverted_range():
    benchmark = make_benchmark()
    benchmark.base_min = 500_000
    with pytest.raises(ValidationError) as error:
        benchmark.full_clean()
    assert error.value.message_dict["base_max"] == ["Minimum base pay must not exceed maximum base pay."]


def test_needs_review_only_for_a_figure_older_than_its_edition():
    """A figure needs review when its last check is on or before the day the edition before its own came out."""
    q2 = make_edition(published_on=datetime.date(2026, 4, 30), previous_published_on=datetime.date(2026, 1, 31))
    assert make_benchmark(edition=q2, level="junior", last_verified=datetime.date(2026, 1, 31)).needs_review
    assert not make_benchmark(edition=q2, level="mid", last_verified=datetime.date(2026, 2, 1)).needs_review
    # Checked for Q2 before Q2's own date: not older than its edition.
    assert not make_benchmark(edition=q2, level="senior", last_verified=datetime.date(2026, 4, 28)).needs_review


def test_figures_of_a_first_edition_never_need_review():
    first = make_edition(published_on=datetime.date(2026, 1, 31))
    benchmark = make_benchmark(edition=first, last_verified=datetime.date(2025, 6, 1))
    assert not benchmark.needs_review


def test_needs_review_condition_matches_the_property():
    q2 = make_edition(published_on=datetime.date(2026, 4, 30), previous_published_on=datetime.date(2026, 1, 31))
    make_benchmark(edition=q2, level="junior", last_verified=datetime.date(2026, 1, 31))
    make_benchmark(edition=q2, level="mid", last_verified=datetime.date(2026, 4, 1))
    first = make_edition(published_on=datetime.date(2026, 1, 31), is_current=False)
    make_benchmark(edition=first, level="staff", last_verified=datetime.date(2020, 1, 1))
    flagged = set(SalaryBenchmark.objects.filter(needs_review_condition()).values_list("level", flat=True))
    assert flagged == {b.level for b in SalaryBenchmark.objects.select_related("edition") if b.needs_review}
    assert flagged == {"junior"}


@pytest.mark.parametrize(
    ("published_on", "expected"),
    [
        (datetime.date(2026, 1, 31), datetime.date(2026, 4, 30)),
        (datetime.date(2026, 11, 30), datetime.date(2027, 2, 28)),
        (datetime.date(2026, 10, 1), datetime.date(2027, 1, 1)),
    ],
)
def test_next_edition_is_expected_a_quarter_later(published_on, expected):
    assert Edition(published_on=published_on).next_expected_on == expected


def test_edition_age_and_overdue(monkeypatch):
    edition = make_edition(published_on=datetime.date(2026, 1, 31), is_current=True)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2026, 12, 3))
    assert edition.age == "10\xa0months"
    assert edition.is_overdue
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2026, 2, 14))
    assert edition.age == "2\xa0weeks"
    assert not edition.is_overdue
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2026, 1, 31))
    assert edition.age == ""
    earlier = make_edition(published_on=datetime.date(2025, 10, 31), is_current=False)
    assert not earlier.is_overdue  # only the current edition's successor can be late


def test_previous_edition():
    older = make_edition(slug="2025-q4", published_on=datetime.date(2025, 10, 31))
    newer = make_edition(slug="2026-q1", published_on=datetime.date(2026, 1, 31), is_current=False)
    make_edition(slug="draft", published_on=datetime.date(2026, 4, 30), is_published=False, is_current=False)
    assert newer.previous() == older
    assert older.previous() is None
    assert Edition.objects.current() == older
