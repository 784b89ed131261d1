"""Two requests saving the same bookmark at the same moment leave exactly one row and no error (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from bookmarks.models import Bookmark
from bookmarks.services import bookmark_set
from tests.conftest import make_company, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers; run with DATABASE_URL"),
]

THREADS = 8


def run_together(target, count=THREADS):
    """Run ``target(i)`` in ``count`` threads released at the same moment; return what each raised, if anything."""
    barrier = threading.Barrier(count)
    errors = []

    def run(i):
        try:
            barrier.wait(timeout=10)
            target(i)
        except Exception as error:  # noqa: BLE001 - any error fails the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_concurrent_bookmark_set_leaves_one_row():
    user = make_user()
    company = make_company()
    for _ in range(5):
        Bookmark.objects.all().delete()
        errors = run_together(lambda i: bookmark_set(user=user, company=company, saved=True))
        assert errors == []
        assert Bookmark.objects.filter(user=user, company=company).count() == 1


def test_concurrent_save_requests_leave_one_row():
    user = make_user()
    company = make_company()
    url = reverse("bookmarks:bookmark_set", args=[company.slug])
    clients = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(user)
        clients.append(client)
    statuses = []

    def post(i):
        statuses.append(clients[i].post(url, {"saved": "1"}).status_code)

    assert run_together(post) == []
    assert statuses == [302] * THREADS
    assert Bookmark.objects.filter(user=user, company=company).count() == 1
