"""/healthz: what a load balancer sees when the database and the cache answer, and when either does not."""

import pytest
from django.db import OperationalError

from tests.conftest import make_company

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("rows", [3, 30])
def test_healthz_costs_one_query_whatever_the_data(client, django_assert_max_num_queries, rows):
    for _ in range(rows):
        make_company()
    with django_assert_max_num_queries(1):
        assert client.get("/healthz").status_code == 200


def test_healthz_fails_when_the_database_does_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("core.views.connection.cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable", "cache": "ok"}
    assert "connection refused" not in response.content.decode()


def test_healthz_says_degraded_but_stays_in_rotation_when_the_cache_does_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr("core.views.cache.set", refuse)
    response = client.get("/healthz")
    assert response.status_code == 200  # the site serves without its cache
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unreachable"}


def test_healthz_says_degraded_when_the_cache_forgets(client, settings):
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["cache"] == "unreachable"


def test_healthz_fails_when_both_the_database_and_the_cache_do_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("core.views.connection.cursor", refuse)
    monkeypatch.setattr("core.views.cache.get", lambda *args, **kwargs: None)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable", "cache": "unreachable"}


def test_healthz_answers_head_requests(client):
    assert client.head("/healthz").status_code == 200
