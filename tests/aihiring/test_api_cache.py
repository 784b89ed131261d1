"""API lists of content: served from the cache between content changes, with throttles still counting."""

import pytest
from django.test import Client

from tests.conftest import make_benchmark, make_company, make_user

pytestmark = pytest.mark.django_db

COMPANIES = "/api/companies/"


def test_second_request_is_the_same_answer_without_queries(client, edition, django_assert_num_queries):
    make_company(name="Acme Labs")
    first = client.get(COMPANIES)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(COMPANIES)
    assert second.content == first.content
    for header in ("Content-Type", "Vary", "Allow", "Content-Security-Policy"):
        assert second[header] == first[header], header
    assert second.json()["results"][0]["name"] == "Acme Labs"


def test_an_editors_change_shows_on_the_next_request(client, edition):
    company = make_company(name="Before")
    client.get(COMPANIES)
    company.name = "After"
    company.save()
    assert client.get(COMPANIES).json()["results"][0]["name"] == "After"


def test_a_benchmark_change_shows_in_the_salaries_list(client, edition):
    benchmark = make_benchmark(base_min=150_000, base_max=200_000)
    assert client.get("/api/salaries/").json()["results"][0]["base_min"] == 150_000
    benchmark.base_min = 155_000
    benchmark.save()
    assert client.get("/api/salaries/").json()["results"][0]["base_min"] == 155_000


def test_each_address_and_media_type_has_its_own_answer(client, edition):
    make_company(name="Acme Labs")
    make_company(name="Globex")
    assert client.get(COMPANIES).json()["count"] == 2
    assert client.get(COMPANIES, {"q": "globex"}).json()["count"] == 1
    plain = client.get(COMPANIES).content
    indented = client.get(COMPANIES, headers={"accept": "application/json; indent=4"}).content
    assert indented != plain
    assert b'\n    "count": 2' in indented
    assert client.get(COMPANIES).content == plain


def test_errors_and_csv_are_never_stored(client, edition):
    make_company(name="Acme Labs")
    for _ in range(2):
        assert client.get(COMPANIES, {"comp_min": "lots"}).status_code == 400
        assert client.get(COMPANIES, {"page": "99"}).status_code == 404
        csv = client.get(COMPANIES, {"format": "csv"})
        assert csv["Content-Type"].startswith("text/csv")
        assert "Acme Labs" in csv.content.decode()


def test_throttles_count_answers_from_the_cache(edition, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "3/minute"},
    }
    make_company()
    client = Client()
    assert [client.get(COMPANIES).status_code for _ in range(3)] == [200, 200, 429]


def test_signed_in_and_anonymous_readers_get_the_same_content(client, edition):
    make_company(name="Acme Labs")
    reader = Client()
    reader.force_login(make_user())
    assert reader.get(COMPANIES).content == client.get(COMPANIES).content
