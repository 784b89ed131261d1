"""The offer check: an offer placed in the edition's band for its level and in a company's range; nothing kept."""

import logging
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companies.models import CompBasis
from guide.offers import Placement, parse_usd, place
from market.models import SalaryLevel
from tests.conftest import make_advice_section, make_benchmark, make_company

pytestmark = pytest.mark.django_db

URL = "/offer-check/"


def text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def bands(edition):
    """The Q1 2026 benchmarks, and the negotiation advice."""
    rows = {
        SalaryLevel.JUNIOR: (125_000, 160_000, 140_000, 180_000),
        SalaryLevel.MID: (160_000, 210_000, 190_000, 260_000),
        SalaryLevel.SENIOR: (200_000, 260_000, 250_000, 340_000),
        SalaryLevel.STAFF: (250_000, 320_000, 320_000, 450_000),
    }
    for level, (base_min, base_max, total_min, total_max) in rows.items():
        make_benchmark(
            edition=edition, level=level, base_min=base_min, base_max=base_max, total_min=total_min, total_max=total_max
        )
    make_advice_section(
        title="Negotiation",
        slug="negotiation",
        is_numbered=True,
        tips=[("", "Have competing offers if possible"), ("", "Don't accept the first offer")],
    )
    return edition


def test_url_name():
    assert reverse("guide:offer_check") == URL


def test_place_splits_the_band_in_thirds():
    assert place(199_999, 200_000, 260_000) == Placement.BELOW
    assert place(200_000, 200_000, 260_000) == Placement.LOWER
    assert place(219_999, 200_000, 260_000) == Placement.LOWER
    assert place(220_000, 200_000, 260_000) == Placement.MIDDLE
    assert place(240_000, 200_000, 260_000) == Placement.MIDDLE
    assert place(240_001, 200_000, 260_000) == Placement.UPPER
    assert place(260_000, 200_000, 260_000) == Placement.UPPER
    assert place(260_001, 200_000, 260_000) == Placement.ABOVE
    assert place(100_000, 100_000, 100_000) == Placement.MIDDLE


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("185000", 185_000), ("185,000", 185_000), ("$185,000", 185_000), ("185k", 185_000), ("1.2M", 1_200_000)],
)
def test_pay_is_read_the_way_people_type_it(typed, amount):
    assert parse_usd(typed) == amount


@pytest.mark.parametrize("typed", ["-5000", "abc", "185 000 000", "1e6", "12,34", "", "$", "k"])
def test_what_is_not_pay_is_not_read(typed):
    assert parse_usd(typed) is None


def test_form_lists_the_levels_and_says_nothing_is_kept(client, bands):
    response = client.get(URL)
    assert response.status_code == 200
    page = text(response)
    assert "Check an offer" in page
    assert "Nothing you enter is stored or logged" in page
    for label in ("Junior (0-2 yrs)", "Mid (2-5 yrs)", "Senior (5-8 yrs)", "Staff (8+ yrs)"):
        assert label in page
    assert "Have competing offers if possible" in page
    assert 'formmethod="get"' not in response.content.decode()  # a GET form would carry its token into the address
    assert 'method="post"' in response.content.decode()


def test_every_answer_is_private_and_not_stored(client, bands):
    for response in (
        client.get(URL),
        client.get(URL, {"level": "senior", "base": "230000", "total": "300000"}),
        client.post(URL, {"level": "senior", "base": "230000", "total": "300000"}),
        client.post(URL, {"level": "senior", "base": "-1", "total": "x"}),
    ):
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "same-origin"  # a shared address never reaches other sites


def test_posted_offer_is_placed_in_the_bands(client, bands):
    response = client.post(URL, {"level": "senior", "base": "230,000", "total": "$360k"})
    assert response.status_code == 200
    page = text(response)
    assert "Your offer against the Senior (5-8 yrs) band" in page
    assert "Senior (5-8 yrs) base salary band Base $230K $200K-260K In the middle third" in page
    assert "Senior (5-8 yrs) total comp band Total comp $360K $250K-340K Above the band $20K above the high end" in page
    assert "This page’s address holds your figures" not in page
    assert '<svg class="chart__svg"' in response.content.decode()
    assert (
        'href="/offer-check/?level=senior&amp;base=230000&amp;total=360000" data-copy-link' in response.content.decode()
    )


def test_the_share_link_holds_only_the_offers_fields(client, bands):
    response = client.post(URL, {"level": "senior", "base": "230000", "total": "300000", "csrfmiddlewaretoken": "x"})
    body = response.content.decode()
    link = body.split("data-copy-link")[0].rsplit('href="', 1)[1]
    assert "csrfmiddlewaretoken" not in link
    assert "Copy link" in text(response)


def test_an_old_link_with_a_form_token_redirects_to_the_offers_own_fields(client, bands):
    response = client.get(URL, {"csrfmiddlewaretoken": "abc123", "level": "mid", "base": "170000", "total": "200000"})
    assert response.status_code == 302
    assert response["Location"] == "/offer-check/?level=mid&base=170000&total=200000"


def test_an_offer_below_the_band_says_by_how_much(client, bands):
    page = text(client.post(URL, {"level": "mid", "base": "150000", "total": "185000"}))
    assert "Base $150K $160K-210K Below the band $10K below the low end" in page
    assert "Total comp $185K $190K-260K Below the band $5K below the low end" in page


def test_a_shared_link_shows_the_same_result(client, bands):
    response = client.get(URL, {"level": "staff", "base": "300000", "total": "420000"})
    assert response.status_code == 200
    page = text(response)
    assert "Staff (8+ yrs) base salary band Base $300K $250K-320K In the upper third" in page
    assert "This page’s address holds your figures" in page
    assert '<meta name="robots" content="noindex">' in response.content.decode()


@pytest.mark.parametrize(
    ("basis", "expected"),
    [
        (CompBasis.BASE, ["Cohere’s published range (base) Base $230K $170K-280K In the middle third"]),
        (CompBasis.TOTAL, ["Cohere’s published range (total comp) Total comp $300K $170K-280K Above the band"]),
        (
            CompBasis.UNSTATED,
            [
                "Cohere’s published range (base) Base $230K $170K-280K In the middle third",
                "Cohere’s published range (total comp) Total comp $300K $170K-280K Above the band",
                "The source does not say whether the range is base salary or total comp, so both are compared.",
            ],
        ),
    ],
)
def test_offer_against_the_company_range(client, bands, basis, expected):
    make_company(name="Cohere", slug="cohere", comp_min=170_000, comp_max=280_000, comp_basis=basis)
    page = text(client.post(URL, {"level": "senior", "base": "230000", "total": "300000", "company": "cohere"}))
    for line in expected:
        assert line in page


def test_open_ended_company_range_says_so(client, bands):
    make_company(name="Anthropic", slug="anthropic", comp_min=200_000, comp_max=400_000, comp_open_ended=True)
    page = text(client.post(URL, {"level": "senior", "base": "230000", "total": "450000", "company": "anthropic"}))
    assert "$200K-400K+" in page
    assert "The “+” means Anthropic can pay above the top of its range." in page


def test_company_without_figures_is_named_but_not_compared(client, bands):
    make_company(name="OpenAI", slug="openai", comp_min=None, comp_max=None, comp_note="Highly competitive + equity")
    page = text(client.post(URL, {"level": "senior", "base": "230000", "total": "300000", "company": "openai"}))
    assert "OpenAI publishes no pay figures, only “Highly competitive + equity”, so only the guide’s bands" in page
    assert "OpenAI’s published range" not in page


def test_chart_uses_the_salary_page_scale_unless_the_offer_is_off_it(client, bands):
    inside = client.post(URL, {"level": "senior", "base": "230000", "total": "300000"}).content.decode()
    salary_page = client.get(reverse("market:salaries")).content.decode()
    ticks = re.compile(r'class="chart__tick"[^>]*>([^<]+)<')
    assert ticks.findall(inside) == ticks.findall(salary_page) == ["$100K", "$200K", "$300K", "$400K", "$500K"]
    assert "The scale is widened" not in inside
    outside = client.post(URL, {"level": "staff", "base": "320000", "total": "900000"}).content.decode()
    assert "The scale is widened" in outside
    assert ticks.findall(outside)[-1] == "$1M"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"base": "200000", "total": "250000"}, "Choose the level of the role."),
        ({"level": "principal", "base": "200000", "total": "250000"}, "Choose one of the levels in the list."),
        ({"level": "senior", "total": "250000"}, "Enter your base salary, in US dollars a year, e.g. 185000."),
        ({"level": "senior", "base": "-200000", "total": "250000"}, "Your base salary must be more than $0."),
        ({"level": "senior", "base": "200000", "total": "-$250,000"}, "Your total compensation must be more than $0."),
        ({"level": "senior", "base": "0", "total": "250000"}, "Your base salary must be more than $0."),
        ({"level": "senior", "base": "abc", "total": "250000"}, "Enter your base salary as a number"),
        ({"level": "senior", "base": "15000", "total": "1000"}, "$1,000 is less than $10,000 a year"),
        (
            {"level": "senior", "base": "200000", "total": "99999999"},
            "$99,999,999 is more than $5,000,000 a year. Check for an extra zero",
        ),
        ({"level": "senior", "base": "200000", "total": "1" * 30}, "Enter your total compensation as a number"),
        ({"level": "senior", "base": "250000", "total": "200000"}, "cannot be less than base ($250K)"),
        (
            {"level": "senior", "base": "200000", "total": "250000", "company": "nope"},
            "Choose a company from the list, or leave it empty.",
        ),
    ],
)
def test_bad_input_gets_a_clear_message(client, bands, data, message):
    for response in (client.post(URL, data), client.get(URL, data)):
        assert response.status_code == 400
        page = text(response)
        assert "There is a problem" in page
        assert message in page
        assert "Your offer against" not in page


def test_unpublished_company_cannot_be_chosen(client, bands):
    make_company(name="Hidden", slug="hidden", is_published=False)
    response = client.post(URL, {"level": "senior", "base": "200000", "total": "250000", "company": "hidden"})
    assert response.status_code == 400
    assert "Hidden" not in text(response)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    level=st.one_of(st.sampled_from(["senior", "", "x"]), st.text(max_size=30)),
    base=st.one_of(st.integers(-(10**12), 10**12).map(str), st.text(max_size=40)),
    total=st.one_of(st.integers(-(10**12), 10**12).map(str), st.text(max_size=40)),
    company=st.text(max_size=30),
)
def test_no_input_gives_a_server_error(client, bands, level, base, total, company):
    data = {"level": level, "base": base, "total": total, "company": company}
    data = {k: v.replace("\x00", "") for k, v in data.items()}
    assert client.post(URL, data).status_code in (200, 400)
    assert client.get(URL, data).status_code in (200, 400)


def test_nothing_entered_is_stored_or_logged(client, bands, caplog):
    make_company(name="Cohere", slug="cohere")
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        client.post(URL, {"level": "senior", "base": "231234", "total": "301234", "company": "cohere"})
        client.get(URL, {"level": "senior", "base": "231235", "total": "301235", "company": "cohere"})
        client.post(URL, {"level": "senior", "base": "-231236", "total": "x"})
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))]
    assert writes == []
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    for figure in ("231234", "301234", "231235", "301235", "231236"):
        assert figure not in logged


def test_without_benchmarks_the_page_says_so(client, edition):
    response = client.get(URL)
    assert response.status_code == 200
    assert "No salary benchmarks are published yet" in text(response)
    assert client.post(URL, {"level": "senior", "base": "1", "total": "2"}).status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_query_count_does_not_grow_with_companies(client, bands, django_assert_max_num_queries, rows):
    for n in range(rows):
        make_company(name=f"Company {n}", slug=f"company-{n}")
    with django_assert_max_num_queries(8):
        response = client.post(URL, {"level": "senior", "base": "230000", "total": "300000", "company": "company-1"})
    assert response.status_code == 200
    assert "Company 1’s published range" in text(response)
    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200
