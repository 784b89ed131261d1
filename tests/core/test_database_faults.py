"""A database that cannot be reached is a 503 with Retry-After (JSON on the API), and the site recovers alone.

The PostgreSQL tests refuse connections to the test database for real (``ALLOW_CONNECTIONS false`` and
``pg_terminate_backend``); the others stand a refused connection in for it, on either database.
"""

import json
import time

import pytest
from django.db import OperationalError, close_old_connections, connection
from django.test import Client
from django.urls import reverse

from tests.conftest import make_company, make_user

POSTGRES = connection.vendor == "postgresql"


def refuse_connections(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)


def assert_unavailable(response, *, json_body=False):
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]
    if json_body:
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "The service is unavailable for a moment; try again."}
    else:
        assert "Back in a moment" in response.content.decode()
        assert "connection refused" not in response.content.decode()


@pytest.mark.django_db
def test_a_refused_database_connection_is_a_503_page_for_signed_in_pages_and_writes(monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(make_user())
    company = make_company()
    refuse_connections(monkeypatch)
    assert_unavailable(client.get(reverse("bookmarks:bookmark_list")))
    assert_unavailable(client.post(reverse("bookmarks:bookmark_set", args=[company.slug]), {"saved": "1"}))
    assert_unavailable(client.get(reverse("companies:company_list")))


@pytest.mark.django_db
def test_a_refused_database_connection_is_a_json_503_on_the_api(monkeypatch):
    client = Client(raise_request_exception=False)
    refuse_connections(monkeypatch)
    assert_unavailable(client.get("/api/companies/"), json_body=True)
    body = json.dumps({"username": "someone", "password": "x"})
    assert_unavailable(client.post("/api/auth/token/", body, content_type="application/json"), json_body=True)


@pytest.mark.django_db
def test_any_other_server_error_on_the_api_is_json(monkeypatch):
    client = Client(raise_request_exception=False)

    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("companies.api.CompanyViewSet.list", fail)
    response = client.get("/api/companies/")
    assert response.status_code == 500
    assert response.json() == {"detail": "Server error."}


@pytest.fixture
def refusable_database(db):
    """Switches connections to the test database off and on, from a connection to the server's own database."""
    import psycopg

    settings = connection.settings_dict
    name = settings["NAME"]
    server = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
    }
    admin = psycopg.connect(dbname="postgres", autocommit=True, **server)

    def refuse():
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )

    def allow():
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    yield refuse, allow
    allow()
    admin.close()


def request(client, method, path, **kwargs):
    """One request as a WSGI server makes it: stale or broken connections are closed before and after."""
    close_old_connections()
    try:
        return getattr(client, method)(path, **kwargs)
    finally:
        close_old_connections()


@pytest.mark.skipif(not POSTGRES, reason="refusing connections needs PostgreSQL (ALTER DATABASE ... ALLOW_CONNECTIONS)")
@pytest.mark.django_db(transaction=True)
def test_postgresql_refusing_connections_is_a_503_and_the_site_recovers_alone(refusable_database):
    refuse, allow = refusable_database
    client = Client(raise_request_exception=False)
    user = make_user()
    company = make_company()
    client.force_login(user)
    assert request(client, "get", reverse("bookmarks:bookmark_list")).status_code == 200

    refuse()
    assert_unavailable(request(client, "get", reverse("bookmarks:bookmark_list")))
    assert_unavailable(
        request(client, "post", reverse("bookmarks:bookmark_set", args=[company.slug]), data={"saved": "1"})
    )
    assert_unavailable(request(client, "get", "/api/bookmarks/"), json_body=True)
    started = time.monotonic()
    health = request(client, "get", "/healthz")
    assert time.monotonic() - started < 1
    assert health.status_code == 503
    assert health.json()["database"] == "unreachable"

    allow()
    started = time.monotonic()
    assert request(client, "get", reverse("bookmarks:bookmark_list")).status_code == 200
    assert time.monotonic() - started < 1
    response = request(client, "post", reverse("bookmarks:bookmark_set", args=[company.slug]), data={"saved": "1"})
    assert response.status_code == 302
    assert user.bookmarks.filter(company=company).count() == 1
    assert request(client, "get", "/api/bookmarks/").json()["count"] == 1


@pytest.mark.skipif(not POSTGRES, reason="server-side cursors and ALLOW_CONNECTIONS need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_as_a_server_side_cursor_closes_is_a_503(refusable_database, monkeypatch):
    """The company list reads its filter choices through iterator(), a server-side cursor on PostgreSQL. Django
    closes that cursor without wrapping its errors, so a connection dropped just then raised psycopg's own
    OperationalError, which was a 500 (found by make loadtest, refusing connections under load)."""
    import psycopg

    refuse, allow = refusable_database
    make_company()
    close = psycopg.ServerCursor.close

    def drop_then_close(cursor):
        refuse()  # PostgreSQL ends the connection after the cursor's last read, before its CLOSE
        close(cursor)

    monkeypatch.setattr(psycopg.ServerCursor, "close", drop_then_close)
    response = request(Client(raise_request_exception=False), "get", reverse("companies:company_list"))
    allow()
    assert_unavailable(response)
