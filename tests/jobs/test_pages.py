"""/jobs/, a posting's page, /api/jobs/ and the profile's open roles: content, filters, bad input and query counts."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.filters import PostingFilter
from jobs.models import Posting
from tests.conftest import make_company, make_posting, make_role, make_source, visible_text

pytestmark = pytest.mark.django_db

LIST_URL = reverse("jobs:posting_list")
API_URL = "/api/jobs/"
# The count, the page, and the company picker's choices; the role choices when the form is shown.
LIST_QUERIES = 4
API_QUERIES = 2  # the count and the page


@pytest.fixture
def postings(db):
    role = make_role(name="ML Engineer", slug="ml-engineer")
    acme = make_company(name="Acme AI", slug="acme")
    beta = make_company(name="Beta Labs", slug="beta")
    now = timezone.now()
    return {
        "senior": make_posting(
            company=acme,
            title="Senior ML Engineer",
            level="senior",
            role=role,
            workplace="remote",
            locations=["Remote - US"],
            pay_min=200000,
            pay_max=260000,
            pay_currency="USD",
            pay_period="year",
            posted_at=now - datetime.timedelta(days=2),
        ),
        "paris": make_posting(
            company=beta,
            title="Research Scientist",
            locations=["Paris, France"],
            workplace="hybrid",
            pay_min=90000,
            pay_max=120000,
            pay_currency="EUR",
            pay_period="year",
            posted_at=now - datetime.timedelta(days=40),
        ),
        "closed": make_posting(
            company=acme, title="Staff Platform Engineer", level="staff", closed_at=now, posted_at=now
        ),
        "hidden": make_posting(company=make_company(name="Draft Co", is_published=False), title="Hidden Role"),
    }


def titles(response):
    return re.findall(r'class="posting__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_the_list_shows_open_roles_newest_first(client, postings, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST_URL)

    assert response.status_code == 200
    assert titles(response) == ["Senior ML Engineer", "Research Scientist"]
    page = visible_text(response)
    assert "2 roles" in page
    assert "$200K-260K a year" in page and "€90K-120K a year" in page  # euros stay euros
    assert "Remote" in page and "Senior" in page and "Acme AI" in page
    assert "Hidden Role" not in page and "Staff Platform Engineer" not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=scientist", ["Research Scientist"]),
        ("q=scien", ["Research Scientist"]),  # the start of a word is enough
        ("q=ntist", []),  # the inside of one is not
        ("q=ML+engineer", ["Senior ML Engineer"]),
        ("q=engineer+paris", []),  # every word must match
        ("q=beta", ["Research Scientist"]),
        ("q=labs+scientist", ["Research Scientist"]),  # a company's name and a title's word
        ("q=eta", []),
        ("company=acme", ["Senior ML Engineer"]),
        ("role=ml-engineer", ["Senior ML Engineer"]),
        ("level=senior", ["Senior ML Engineer"]),
        ("level=unknown", ["Research Scientist"]),
        ("workplace=hybrid", ["Research Scientist"]),
        ("location=paris", ["Research Scientist"]),
        ("location=PARIS,+france", ["Research Scientist"]),
        ("location=aris", []),
        ("location=us", ["Senior ML Engineer"]),
        ("has_pay=1", ["Senior ML Engineer", "Research Scientist"]),
        ("has_pay=0", []),
        ("posted_within=7", ["Senior ML Engineer"]),
        ("state=closed", ["Staff Platform Engineer"]),
        ("state=all", ["Staff Platform Engineer", "Senior ML Engineer", "Research Scientist"]),
    ],
)
def test_each_filter_narrows_the_list_and_the_api_alike(client, postings, query, expected):
    page = client.get(f"{LIST_URL}?{query}")
    api = client.get(f"{API_URL}?{query}")

    assert page.status_code == 200 and api.status_code == 200
    assert titles(page) == expected
    assert [row["title"] for row in api.json()["results"]] == expected


@pytest.mark.parametrize(
    ("query", "parameter", "words"),
    [
        ("level=wizard", "level", "Choose a level"),
        ("workplace=moon", "workplace", "Choose remote, hybrid"),
        ("company=nobody", "company", "no published company"),
        ("role=nope", "role", "no role with that name"),
        ("has_pay=maybe", "has_pay", "Use 1 for postings with pay"),
        ("posted_within=abc", "posted_within", "whole number of days"),
        ("posted_within=0", "posted_within", "1 day or more"),
        ("posted_within=99999", "posted_within", "365 days or fewer"),
        ("state=deleted", "state", "Choose open, closed or all"),
        ("q=" + "x" * 101, "q", "100 characters"),
        ("location=" + "x" * 101, "location", "100 characters"),
    ],
)
def test_a_wrong_filter_value_is_a_400_in_words(client, postings, query, parameter, words):
    page = client.get(f"{LIST_URL}?{query}")
    api = client.get(f"{API_URL}?{query}")

    assert page.status_code == 400
    assert words in visible_text(page) and "There is a problem with the filters" in visible_text(page)
    assert api.status_code == 400
    assert parameter in api.json()["detail"] and words in " ".join(api.json()["errors"][parameter])


def test_the_list_paginates_with_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    source = make_source()
    for _ in range(30):
        make_posting(source=source)

    with django_assert_max_num_queries(LIST_QUERIES):
        first = client.get(LIST_URL)
    second = client.get(f"{LIST_URL}?page=2")

    assert len(titles(first)) == 25 and len(titles(second)) == 5
    assert "30 roles" in visible_text(first)


def test_an_empty_list_says_so(client, db):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert "No roles match these filters." in visible_text(response)


def test_a_posting_page_links_to_the_employer_and_carries_job_posting_json_ld(client, postings):
    posting = postings["senior"]

    response = client.get(posting.get_absolute_url())

    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="{posting.url}"' in body and "Apply on Acme AI's site" in visible_text(response)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1))
    assert data["@type"] == "JobPosting" and data["title"] == "Senior ML Engineer"
    assert data["hiringOrganization"]["name"] == "Acme AI"
    assert data["baseSalary"]["currency"] == "USD" and data["baseSalary"]["value"]["minValue"] == 200000
    assert data["jobLocationType"] == "TELECOMMUTE"


def test_json_ld_cannot_be_broken_out_of(client, db):
    posting = make_posting(title="Engineer </script><script>alert(1)</script>", description="<p>x</p>")

    body = client.get(posting.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in body
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    assert json.loads(block)["title"] == "Engineer </script><script>alert(1)</script>"


def test_a_closed_posting_says_so_and_an_unpublished_companys_is_not_found(client, postings):
    closed = client.get(postings["closed"].get_absolute_url())
    assert "left Acme AI's job board" in visible_text(closed)
    assert client.get(postings["hidden"].get_absolute_url()).status_code == 404
    assert client.get("/jobs/999999/").status_code == 404


def test_the_api_gives_each_posting_in_the_documented_shape(client, postings, django_assert_max_num_queries):
    with django_assert_max_num_queries(API_QUERIES):
        response = client.get(API_URL)

    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["company"] == "acme" and row["provider"] == "greenhouse" and row["role"] == "ml-engineer"
    assert row["pay"] == {"min": 200000, "max": 260000, "currency": "USD", "period": "year"}
    assert row["workplace"] == "remote" and row["level"] == "senior" and row["locations"] == ["Remote - US"]
    assert row["closed_at"] is None and row["first_seen"] and row["last_seen"]
    assert response.json()["results"][1]["pay"]["currency"] == "EUR"
    detail = client.get(f"{API_URL}{postings['senior'].pk}/")
    assert detail.json()["id"] == postings["senior"].pk
    assert client.get(f"{API_URL}{postings['hidden'].pk}/").status_code == 404


def test_the_api_offers_csv(client, postings):
    response = client.get(f"{API_URL}?format=csv")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("id,html_url,company,provider,title")
    assert "pay.min" in lines[0] and "pay.currency" in lines[0]
    assert len(lines) == 3


def test_a_profile_shows_its_open_roles_and_when_its_board_was_synced(client, postings):
    source = postings["senior"].source
    source.last_success_at = timezone.now()
    source.save()

    page = visible_text(client.get(postings["senior"].company.get_absolute_url()))

    assert "Open roles" in page and "1 role open on Acme AI's own job board" in page
    assert "Senior ML Engineer" in page and "Staff Platform Engineer" not in page
    assert "Board last synced" in page


def test_a_profile_says_where_and_how_the_company_hires_from_its_open_roles(client, db):
    company = make_company(name="Beacon AI", website="https://www.beacon.example/", headquarters="London, UK")
    source = make_source(company=company, provider="lever", board="beacon")
    for locations, workplace in [
        (["London, UK"], "onsite"),
        (["London, UK", "Remote (UK)"], "hybrid"),
        (["Paris, France"], "remote"),
        (["London, UK"], "onsite"),
    ]:
        make_posting(source=source, locations=locations, workplace=workplace)
    make_posting(source=source, locations=["Berlin, Germany"], closed_at=timezone.now())

    response = client.get(company.get_absolute_url())
    page = visible_text(response)

    assert "Website beacon.example/" in page
    assert 'href="https://www.beacon.example/"' in response.content.decode()
    assert "Headquarters London, UK" in page
    assert "Careers page jobs.lever.co/beacon" in page
    assert "Where it hires London, UK (3), " in page
    assert "Remote (UK) (1)" in page and "Paris, France (1)" in page
    assert "Berlin" not in page
    assert "Remote policy Remote: 1 · Hybrid: 1 · On-site: 2 · of its 4 open roles" in page


def test_a_profile_without_a_board_says_the_guide_tracks_none(client, db):
    company = make_company(name="Quiet Co")
    assert "does not track a public job board for Quiet Co" in visible_text(client.get(company.get_absolute_url()))


def test_a_title_edited_in_the_admin_is_found_by_its_new_words():
    posting = make_posting(title="Research Engineer, Trust & Safety", department="Safeguards")
    assert Posting.objects.filter(search_text__contains=" trust").exists()

    posting.title = "Rust Engineer"
    posting.save(update_fields=["title"])

    found = PostingFilter({"q": "rust"}, queryset=Posting.objects.listed()).qs
    assert list(found) == [posting]
    assert not PostingFilter({"q": "trust"}, queryset=Posting.objects.listed()).qs.exists()
