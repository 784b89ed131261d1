"""Editors preview a draft edition's pages, marked as a draft and kept by no cache; nobody else sees them."""

import datetime

import pytest
from django.urls import reverse

from market.models import MarketSnapshot, SalaryBenchmark
from market.services import edition_start_next
from tests.conftest import make_benchmark, make_edition, make_snapshot, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    q1 = make_edition(slug="q1", name="Q1 2026", published_on=datetime.date(2026, 1, 31))
    make_benchmark(edition=q1, base_min=125_000)
    make_snapshot(edition=q1, total_postings=1969)
    q2 = edition_start_next(name="Q2 2026", slug="q2", published_on=datetime.date(2026, 4, 30))
    SalaryBenchmark.objects.filter(edition=q2).update(base_min=131_000)
    MarketSnapshot.objects.filter(edition=q2).update(total_postings=2222)
    return q2


@pytest.mark.parametrize(("path", "figure"), [("/salaries/?edition=q2", "$131K"), ("/market/?edition=q2", "2,222")])
def test_an_editor_previews_a_draft_marked_as_such_and_never_cached(client, editor, draft, path, figure):
    client.force_login(editor)

    response = client.get(path)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Draft preview of the Q2 2026 edition" in page
    assert "only editors can open this page" in page
    assert figure in page
    assert reverse("admin:market_edition_change", args=[draft.pk]) in page
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_admins_view_on_site_link_opens_the_preview(client, editor, draft):
    client.force_login(editor)
    assert client.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_nobody_else_sees_a_draft(client, draft, who):
    if who == "reader":
        client.force_login(make_user())
    salaries = client.get("/salaries/?edition=q2")
    assert salaries.status_code == 404
    market = client.get("/market/?edition=q2").content.decode()
    assert "Q2 2026" not in market and "2,222" not in market and "1,969" in market
