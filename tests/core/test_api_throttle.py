"""Throttling: anonymous and signed-in rates come from settings; a throttled client gets a JSON 429 with Retry-After.

Throttles count the requests that reach the API: an anonymous answer Django's page cache already holds costs
nothing and is not counted. These tests ask for a different address each time, as a client paging through or
filtering would.
"""

import itertools

import pytest
from rest_framework.authtoken.models import Token

from tests.conftest import make_company, make_user

pytestmark = pytest.mark.django_db

_sizes = itertools.count(1)


def fresh(url):
    """``url`` with a query no earlier request used, so it cannot come from the page cache."""
    return f"{url}?page_size={next(_sizes) % 100 + 1}"


@pytest.fixture
def tiny_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "3/minute"},
    }


def test_anonymous_client_is_throttled_with_retry_after(client, edition, tiny_rates):
    make_company()

    statuses = [client.get(fresh("/api/companies/")).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    response = client.get(fresh("/api/categories/"))
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Request was throttled.")


def test_throttled_csv_request_gets_json(client, edition, tiny_rates):
    client.get(fresh("/api/companies/"))
    client.get(fresh("/api/companies/"))

    response = client.get(fresh("/api/companies/") + "&format=csv")

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "Retry-After" in response


def test_signed_in_user_has_its_own_rate(client, edition, tiny_rates):
    token = Token.objects.create(user=make_user())
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    for _ in range(2):
        client.get(fresh("/api/companies/"))
    assert client.get(fresh("/api/companies/")).status_code == 429

    statuses = [client.get("/api/bookmarks/", **headers).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_other_clients_are_not_throttled(client, edition, tiny_rates):
    for _ in range(3):
        client.get(fresh("/api/companies/"))

    assert client.get(fresh("/api/companies/"), REMOTE_ADDR="10.0.0.2").status_code == 200


def test_default_rates_let_a_normal_client_through(client, edition):
    assert all(client.get(fresh("/api/companies/")).status_code == 200 for _ in range(20))
