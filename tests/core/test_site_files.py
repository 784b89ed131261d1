"""Machine-readable extras (sitemap, robots.txt, Atom feed, health check) and the error pages."""

import datetime
import xml.etree.ElementTree as ET
from unittest import mock

import pytest
from django.db import connection
from django.test import RequestFactory, override_settings
from django.urls import path
from django.utils import timezone

from core import views
from market.services import edition_publish, edition_start_next
from tests.conftest import make_advice_section, make_company, make_posting, visible_text

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM_NS = {"atom": "http://www.w3.org/2005/Atom"}


def test_sitemap_lists_the_pages_every_published_profile_and_advice_section(client, loaded_edition):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    locations = [loc.text for loc in ET.fromstring(response.content).findall("sm:url/sm:loc", SITEMAP_NS)]
    for page in [
        "/",
        "/companies/",
        "/salaries/",
        "/market/",
        "/offer-check/",
        "/advice/",
        "/changes/",
        "/about/data/",
        "/jobs/",
    ]:
        assert f"http://testserver{page}" in locations
    assert "http://testserver/companies/anthropic/" in locations
    assert "http://testserver/companies/harvey/" in locations
    assert "http://testserver/advice/the-bottom-line/" in locations
    assert len(locations) == 9 + 25 + 6


def test_sitemap_lists_each_earlier_published_editions_pages(client, loaded_edition):
    q2 = edition_start_next(name="Q2 2026", slug="2026-q2", published_on=datetime.date(2026, 4, 30))
    edition_start_next(name="Q3 2026", slug="2026-q3", published_on=datetime.date(2026, 7, 31), source=q2)
    edition_publish(edition=q2)  # Q3 stays a draft
    locations = [
        loc.text for loc in ET.fromstring(client.get("/sitemap.xml").content).findall("sm:url/sm:loc", SITEMAP_NS)
    ]
    assert "http://testserver/salaries/?edition=2026-q1" in locations  # Q1's benchmarks, now an earlier edition
    assert "http://testserver/salaries/" in locations  # Q2's, the current edition
    assert not [loc for loc in locations if "2026-q2" in loc or "2026-q3" in loc]
    assert client.get("/salaries/?edition=2026-q1").status_code == 200


def test_sitemap_lists_open_roles_only(client, db):
    open_role = make_posting()
    closed = make_posting(closed_at=timezone.now())
    hidden = make_posting(company=make_company(is_published=False))
    body = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver/jobs/{open_role.pk}/" in body
    assert f"/jobs/{closed.pk}/" not in body and f"/jobs/{hidden.pk}/" not in body


def test_sitemap_leaves_out_unpublished_rows(client, db):
    make_company(slug="draft-co", is_published=False)
    make_advice_section(slug="draft-advice", is_published=False)
    body = client.get("/sitemap.xml").content.decode()
    assert "draft-co" not in body
    assert "draft-advice" not in body


@pytest.mark.parametrize("rows", [3, 30])
def test_sitemap_query_count_does_not_grow_with_rows(client, db, rows, django_assert_max_num_queries):
    for _ in range(rows):
        make_posting(company=make_company())
        make_advice_section()
    with django_assert_max_num_queries(7):  # pages, editions, companies, advice, open roles, and two counts
        response = client.get("/sitemap.xml")
    assert response.content.decode().count("<url>") == 9 + 3 * rows


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_private_pages(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /bookmarks/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_txt_is_get_only(client, db):
    assert client.post("/robots.txt").status_code == 405


def test_feed_is_atom_with_the_latest_edition_and_updated_profiles(client, loaded_edition):
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.find("atom:title", ATOM_NS).text == "AI Hiring Guide"
    entries = feed.findall("atom:entry", ATOM_NS)
    titles = [entry.find("atom:title", ATOM_NS).text for entry in entries]
    assert "AI Hiring Guide: the Q1 2026 edition" in titles
    assert len(entries) == 1 + 20
    edition_entry = entries[titles.index("AI Hiring Guide: the Q1 2026 edition")]
    assert edition_entry.find("atom:summary", ATOM_NS).text.startswith("The AI hiring market in Q1 2026 is robust")
    assert edition_entry.find("atom:link", ATOM_NS).get("href") == "http://testserver/#edition-2026-q1"


def test_feed_puts_the_most_recently_updated_profile_first(client, loaded_edition):
    make_company(name="Fresh Labs", slug="fresh-labs", focus="Agents", comp_note="Top of market")
    feed = ET.fromstring(client.get("/feed/").content)
    first = feed.find("atom:entry", ATOM_NS)
    assert first.find("atom:title", ATOM_NS).text == "Fresh Labs: profile updated"
    assert first.find("atom:link", ATOM_NS).get("href") == "http://testserver/companies/fresh-labs/"
    summary = first.find("atom:summary", ATOM_NS).text
    assert "Focus: Agents" in summary
    assert "Compensation: Top of market ($150K-250K)" in summary


def test_feed_leaves_out_unpublished_profiles(client, edition):
    make_company(name="Hidden Labs", is_published=False)
    assert "Hidden Labs" not in client.get("/feed/").content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_feed_query_count_does_not_grow_with_rows(client, edition, rows, django_assert_max_num_queries):
    for _ in range(rows):
        make_company()
    with django_assert_max_num_queries(4):  # +2: the profiles' latest published changes
        assert client.get("/feed/").status_code == 200


def test_healthz_reports_a_working_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_an_unreachable_database(client, db):
    with mock.patch.object(connection, "cursor", side_effect=Exception("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["database"] == "unreachable"


def test_unknown_address_gets_the_sites_404_page(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    text = visible_text(response)
    assert "Page not found" in text
    assert "There is no page at this address." in text
    body = response.content.decode()
    assert 'action="/search/"' in body
    assert '<nav class="site-nav" aria-label="Main">' in body
    assert '<meta name="robots" content="noindex">' in body


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]
handler500 = "core.views.server_error"


@pytest.mark.urls(__name__)
def test_an_error_gets_the_sites_500_page(client, db):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    text = visible_text(response)
    assert "Something went wrong" in text
    assert "The error is on our side, not yours." in text
    assert 'href="/static/css/base.css"' in response.content.decode()


def test_500_page_needs_neither_the_database_nor_a_request_context(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0), override_settings(TEMPLATES=_templates_without_context_processors()):
        response = views.server_error(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def _templates_without_context_processors():
    from django.conf import settings

    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["OPTIONS"] = {**templates[0]["OPTIONS"], "context_processors": []}
    return templates
