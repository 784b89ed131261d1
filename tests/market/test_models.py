import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from market.models import Edition, MarketSnapshot, SalaryBenchmark, SalaryLevel
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


def test_needs_review_after_120_days():
    today = datetime.date.today()
    assert make_benchmark(level="mid", last_verified=today - datetime.timedelta(days=121)).needs_review
    assert not make_benchmark(level="staff", last_verified=today - datetime.timedelta(days=120)).needs_review


def test_previous_edition():
    older = make_edition(slug="2025-q4", published_on=datetime.date(2025, 10, 31))
    newer = make_edition(slug="2026-q1", published_on=datetime.date(2026, 1, 31), is_current=False)
    make_edition(slug="draft", published_on=datetime.date(2026, 4, 30), is_published=False, is_current=False)
    assert newer.previous() == older
    assert older.previous() is None
    assert Edition.objects.current() == older
