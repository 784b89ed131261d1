"""Posted pay by level: medians of yearly minimums and maximums per level and currency, computed by the database."""

import pytest
from django.utils import timezone

from jobs.models import Posting
from jobs.pay import posted_pay
from tests.conftest import make_posting, make_source, visible_text

pytestmark = pytest.mark.django_db


def paid(source, level, low, high, currency="USD", period="year", **more):
    return make_posting(
        source=source, level=level, pay_min=low, pay_max=high, pay_currency=currency, pay_period=period, **more
    )


def test_medians_per_level_and_currency_with_the_count_behind_each(django_assert_max_num_queries):
    source = make_source()
    for low, high in [(150000, 200000), (170000, 260000), (160000, 210000)]:  # odd: the middle one
        paid(source, "senior", low, high)
    for low, high in [(200000, 300000), (220000, 320000), (240000, 340000), (260000, 360000)]:  # even: two middles
        paid(source, "staff", low, high)
    for low, high in [(90000, 120000), (100000, 130000), (95000, 125000)]:
        paid(source, "senior", low, high, currency="EUR")
    paid(source, "junior", 100000, 140000)  # too few to draw
    paid(source, "unknown", 500000, 600000)  # no level: left out
    paid(source, "senior", 90, 120, period="hour")  # not yearly: left out
    make_posting(source=source, level="senior")  # no pay

    with django_assert_max_num_queries(2):
        rows = posted_pay(Posting.objects.filter(source=source))

    assert [(r.level, r.currency, r.postings, r.min, r.max) for r in rows] == [
        ("junior", "USD", 1, None, None),
        ("senior", "USD", 3, 160000, 210000),
        ("senior", "EUR", 3, 95000, 125000),
        ("staff", "USD", 4, 230000, 330000),
    ]
    assert not rows[0].has_figure and rows[1].has_figure


def test_no_postings_with_pay_give_no_rows():
    assert posted_pay(Posting.objects.none()) == []
    make_posting(level="senior")
    assert posted_pay(Posting.objects.all()) == []


@pytest.fixture
def acme(db):
    from tests.conftest import make_benchmark, make_company

    company = make_company(name="Acme AI", slug="acme", comp_min=150000, comp_max=300000)
    for level in ("junior", "mid", "senior", "staff"):
        make_benchmark(level=level)
    source = make_source(company=company)
    for low, high in [(150000, 200000), (170000, 260000), (160000, 210000)]:
        paid(source, "senior", low, high)
    for low, high in [(90000, 120000), (100000, 130000), (95000, 125000)]:
        paid(source, "senior", low, high, currency="EUR")
    paid(source, "staff", 250000, 350000)
    paid(source, "senior", 400000, 500000, closed_at=timezone.now())  # closed: not counted
    return company


def test_a_profile_shows_pay_by_level_from_its_postings_beside_the_bands(client, acme):
    response = client.get(acme.get_absolute_url())
    page = visible_text(response)

    assert "What its open postings pay" in page
    assert "Senior $160K-210K 3" in page and "Senior €95K-125K 3" in page
    assert "Staff+ Too few to say 1" in page
    assert "/jobs/?company=acme&amp;level=senior&amp;has_pay=1" in response.content.decode()
    # The chart draws the dollar medians under the Senior band, on the same scale.
    assert "Median posted $160K-210K · 3 postings" in page
    assert "Too few postings with pay to draw (1)" in page
    assert 'class="chart__bar chart__bar--posted"' in response.content.decode()


def test_the_api_gives_posted_pay_on_a_company(client, acme, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        body = client.get("/api/companies/acme/").json()

    assert body["posted_pay"] == [
        {"level": "senior", "currency": "USD", "min": 160000, "max": 210000, "postings": 3},
        {"level": "senior", "currency": "EUR", "min": 95000, "max": 125000, "postings": 3},
    ]
    assert "posted_pay" not in client.get("/api/companies/").json()["results"][0]


def test_compare_shows_posted_pay_side_by_side(client, acme, django_assert_max_num_queries):
    from tests.conftest import make_company

    other = make_company(name="Beta Labs", slug="beta")
    source = make_source(company=other)
    for low, high in [(120000, 150000), (130000, 170000), (125000, 160000)]:
        paid(source, "junior", low, high)

    response = client.get("/companies/compare/?c=acme&c=beta")

    page = visible_text(response)
    assert "Posted pay by level" in page
    assert "Senior: $160K-210K 3 postings" in page and "Senior: €95K-125K 3 postings" in page
    assert "Junior: $125K-160K 3 postings" in page


def test_salaries_shows_each_band_beside_what_postings_pay(client, acme, django_assert_max_num_queries):
    from django.core.cache import cache

    cache.clear()
    response = client.get("/salaries/")
    page = visible_text(response)

    assert "The bands beside what postings pay" in page
    assert "$160K-210K 3" in page and "€95K-125K 3" in page  # Senior, in each currency
    assert "Too few to say 1" in page  # Staff
    assert "No postings with pay 0" in page  # Junior, Mid
    assert "/jobs/?level=senior&amp;has_pay=1" in response.content.decode()
    with django_assert_max_num_queries(9):  # the page's own, and one for the latest sync once the figures are kept
        again = client.get("/salaries/?kept=1")
    assert "$160K-210K 3" in visible_text(again)


def test_the_offer_check_places_an_offer_against_the_companys_posted_pay(client, acme):
    response = client.post("/offer-check/", {"level": "senior", "base": "230000", "total": "300000", "company": "acme"})

    page = visible_text(response)
    assert "What Acme AI’s 3 open postings at this level pay Base $230K $160K-210K Above the band" in page
    assert "$20K above the high end" in page
    staff = visible_text(
        client.post("/offer-check/", {"level": "staff", "base": "260000", "total": "300000", "company": "acme"})
    )
    assert "open postings at this level pay" not in staff  # 1 posting: too few to compare with
