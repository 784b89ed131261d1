"""The companies, categories, roles and bookmarks API."""

import csv
import datetime
import io

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from bookmarks.models import Bookmark
from companies.models import CompBasis, Outlook
from core.pagination import CappedPaginator
from tests.conftest import (
    make_bookmark,
    make_category,
    make_company,
    make_edition,
    make_role,
    make_user,
)

pytestmark = pytest.mark.django_db

PROVENANCE_FIELDS = {"edition", "edition_name", "as_of", "source", "source_url", "last_verified", "needs_review"}


def names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def token_header(user):
    token, _ = Token.objects.get_or_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}


# Companies: content


def test_company_list_shows_published_profiles_with_pay_and_provenance(client, edition):
    category = make_category(name="AI-Native Companies", slug="ai-native")
    role = make_role(name="Research Engineer", slug="research-engineer")
    make_company(
        name="Anthropic",
        slug="anthropic",
        category=category,
        roles=[role],
        focus="Claude development, safety research",
        comp_min=200_000,
        comp_max=400_000,
        comp_open_ended=True,
        comp_note="Top of market",
        source="Our tracking",
        source_url="https://example.com/source",
        as_of=datetime.date(2026, 1, 31),
        last_verified=datetime.date(2026, 1, 31),
    )
    make_company(name="Hidden", is_published=False)

    response = client.get("/api/companies/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    [company] = body["results"]
    assert company["name"] == "Anthropic"
    assert company["url"] == "http://testserver/api/companies/anthropic/"
    assert company["html_url"] == "http://testserver/companies/anthropic/"
    assert company["category"] == {"slug": "ai-native", "name": "AI-Native Companies"}
    assert company["roles"] == [{"slug": "research-engineer", "name": "Research Engineer"}]
    assert (company["comp_min"], company["comp_max"], company["comp_open_ended"]) == (200_000, 400_000, True)
    assert company["comp_text"] == "Top of market ($200K-400K+), basis not stated"
    assert company["provenance"] == {
        "edition": edition.slug,
        "edition_name": edition.name,
        "as_of": "2026-01-31",
        "source": "Our tracking",
        "source_url": "https://example.com/source",
        "last_verified": "2026-01-31",
        "needs_review": company["provenance"]["needs_review"],
    }


def test_company_provenance_marks_stale_figures_for_review(client, edition):
    q2 = make_edition(published_on=datetime.date(2026, 4, 30), previous_published_on=datetime.date(2026, 1, 31))
    make_company(slug="stale", last_verified=datetime.date(2026, 1, 31), edition=q2)
    make_company(slug="fresh", edition=q2)

    rows = {row["slug"]: row["provenance"] for row in client.get("/api/companies/").json()["results"]}

    assert rows["stale"]["needs_review"] is True
    assert rows["fresh"]["needs_review"] is False


def test_company_detail_by_slug(client, edition):
    make_company(name="Cohere", slug="cohere", comp_min=170_000, comp_max=280_000, comp_basis=CompBasis.BASE)

    response = client.get("/api/companies/cohere/")

    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["comp_text"]) == ("Cohere", "$170K-280K base")
    assert set(body["provenance"]) == PROVENANCE_FIELDS


def test_unpublished_or_unknown_company_is_a_json_404(client, edition):
    make_company(slug="draft", is_published=False)

    for url in ("/api/companies/draft/", "/api/companies/nobody/"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "No Company matches the given query."}


def test_company_detail_ignores_list_filters(client, edition):
    make_company(slug="acme")

    response = client.get("/api/companies/acme/?category=nope")

    assert response.status_code == 200


# Companies: filters (the same FilterSet as the HTML list)


@pytest.fixture
def catalogue(edition):
    native = make_category(name="Native", slug="native")
    startup = make_category(name="Startups", slug="startups")
    research = make_role(name="Research Engineer", slug="research-engineer")
    platform = make_role(name="Platform Engineer", slug="platform-engineer")
    make_company(name="Anthropic", category=native, roles=[research], comp_min=200_000, comp_max=400_000)
    make_company(
        name="OpenAI", category=native, roles=[platform], comp_min=None, comp_max=None, comp_note="Competitive"
    )
    make_company(name="Hugging Face", category=startup, roles=[research], comp_min=150_000, comp_max=240_000)
    make_company(
        name="Anyscale",
        category=startup,
        roles=[platform],
        focus="Ray, distributed computing",
        comp_min=180_000,
        comp_max=280_000,
    )
    make_company(name="Perplexity", category=None, outlook=Outlook.GROWING, outlook_note="Search AI, rapidly scaling")
    make_company(name="Databricks", category=None, outlook=Outlook.STABLE, comp_min=None, comp_max=None)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Anthropic", "Anyscale", "Databricks", "Hugging Face", "OpenAI", "Perplexity"]),
        ("q=ray", ["Anyscale"]),
        ("q=research", ["Anthropic", "Hugging Face"]),
        ("q=search+scaling", ["Perplexity"]),
        ("category=native", ["Anthropic", "OpenAI"]),
        ("role=platform-engineer", ["Anyscale", "OpenAI"]),
        ("outlook=growing", ["Perplexity"]),
        ("outlook=stable", ["Databricks"]),
        ("outlook=watch", ["Databricks", "Perplexity"]),
        ("comp_min=240000", ["Anthropic", "Anyscale", "Hugging Face", "Perplexity"]),
        ("comp_min=300000", ["Anthropic"]),
        ("category=startups&role=research-engineer", ["Hugging Face"]),
        ("ordering=-comp_max", ["Anthropic", "Anyscale", "Perplexity", "Hugging Face", "Databricks", "OpenAI"]),
        ("ordering=comp_min&category=startups", ["Hugging Face", "Anyscale"]),
        ("ordering=name&outlook=growing", ["Perplexity"]),
        ("unknown=ignored", ["Anthropic", "Anyscale", "Databricks", "Hugging Face", "OpenAI", "Perplexity"]),
    ],
)
def test_company_filters(client, catalogue, query, expected):
    assert names(client.get(f"/api/companies/?{query}")) == expected


def test_company_ordering_by_recent_update(client, catalogue):
    from companies.models import Company

    Company.objects.filter(name="OpenAI").update(updated_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))

    assert names(client.get("/api/companies/?ordering=-updated"))[0] == "OpenAI"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("category=nope", "category"),
        ("role=nope", "role"),
        ("outlook=sideways", "outlook"),
        ("comp_min=lots", "comp_min"),
        ("comp_min=-5", "comp_min"),
        ("ordering=price", "ordering"),
        ("q=" + "x" * 101, "q"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=ten", "page_size"),
    ],
)
def test_bad_company_parameter_is_a_400_naming_it(client, catalogue, query, parameter):
    response = client.get(f"/api/companies/?{query}")

    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [parameter]
    assert parameter in body["detail"]
    assert body["errors"][parameter][0]


def test_several_bad_parameters_are_all_named(client, catalogue):
    response = client.get("/api/companies/?category=nope&ordering=price")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"category", "ordering"}


def test_company_list_pages(client, catalogue):
    first = client.get("/api/companies/?page_size=4").json()
    second = client.get(first["next"]).json()

    assert first["count"] == second["count"] == 6
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/companies/?page=2&page_size=4"
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/companies/?page_size=4"
    assert [r["name"] for r in first["results"] + second["results"]] == names(client.get("/api/companies/"))


def test_page_links_keep_the_filters(client, catalogue):
    body = client.get("/api/companies/?outlook=growing&page_size=1").json()
    assert body["next"] is None
    body = client.get("/api/companies/?category=native&page_size=1").json()
    assert body["next"] == "http://testserver/api/companies/?category=native&page=2&page_size=1"


def test_page_size_of_100_is_allowed(client, catalogue):
    assert client.get("/api/companies/?page_size=100").status_code == 200


@pytest.mark.parametrize("page", ["0", "99", "two", "1" * 5000])
def test_bad_page_is_a_json_404(client, catalogue, page):
    response = client.get(f"/api/companies/?page={page}")

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


def test_same_filters_give_the_same_companies_in_html_and_api(client, catalogue):
    for query in [
        "q=research",
        "category=native",
        "role=platform-engineer",
        "outlook=growing",
        "comp_min=240000",
        "ordering=-comp_max",
        "category=startups&ordering=comp_min",
    ]:
        page = client.get(f"/companies/?{query}")
        assert page.status_code == 200
        html_names = [company.name for company in page.context["object_list"]]
        assert html_names == names(client.get(f"/api/companies/?{query}")), query


def test_bad_filter_is_rejected_by_html_and_api_alike(client, catalogue):
    page = client.get("/companies/?category=nope")
    api = client.get("/api/companies/?category=nope")

    assert page.status_code != 500
    assert "category" in page.context["filter"].errors
    assert "category" in api.json()["errors"]


# Companies: CSV


def read_csv(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_company_csv_has_every_matching_row_unpaginated(client, catalogue):
    response = client.get("/api/companies/?format=csv&page_size=2&category=native")

    rows = read_csv(response)
    assert response["Content-Disposition"] == 'attachment; filename="companies.csv"'
    assert [row["name"] for row in rows] == ["Anthropic", "OpenAI"]
    anthropic = rows[0]
    assert anthropic["comp_min"] == "200000"
    assert anthropic["category.name"] == "Native"
    assert anthropic["roles"] == "Research Engineer"
    assert anthropic["provenance.source"] == "Test source"
    assert anthropic["provenance.edition"]
    assert anthropic["provenance.as_of"]
    assert anthropic["provenance.last_verified"]
    assert anthropic["provenance.needs_review"] == "false"


def test_company_csv_escapes_formulas(client, edition):
    make_company(name='=HYPERLINK("http://evil.example")', focus="+1 SUM(A1)", wants="@cmd", comp_note="-2")

    [row] = read_csv(client.get("/api/companies/?format=csv"))

    assert row["name"] == '\'=HYPERLINK("http://evil.example")'
    assert row["focus"] == "'+1 SUM(A1)"
    assert row["wants"] == "'@cmd"
    assert row["comp_note"] == "'-2"
    assert row["comp_min"] == "150000"


def test_empty_company_csv_still_has_its_header(client, edition):
    response = client.get("/api/companies/?format=csv&q=nothing-matches")

    assert response.content.decode().splitlines() == [
        "url,html_url,slug,name,category.slug,category.name,roles,focus,wants,website,headquarters,comp_min,comp_max,comp_basis,"
        "comp_open_ended,comp_note,comp_text,outlook,outlook_note,updated_at,provenance.edition,"
        "provenance.edition_name,provenance.as_of,provenance.source,provenance.source_url,"
        "provenance.last_verified,provenance.needs_review"
    ]


def test_company_csv_error_is_json(client, edition):
    response = client.get("/api/companies/?format=csv&category=nope")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "category" in response.json()["errors"]


def test_company_detail_as_csv(client, edition):
    make_company(name="Cohere", slug="cohere")

    assert [row["name"] for row in read_csv(client.get("/api/companies/cohere/?format=csv"))] == ["Cohere"]


def test_unknown_format_is_a_json_404(client, edition):
    response = client.get("/api/categories/?format=csv")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


# Categories and roles


def test_category_list_and_detail(client, db):
    make_category(name="Big Tech AI Teams", slug="big-tech", description="Large labs", position=2)
    make_category(name="AI-Native Companies", slug="ai-native", position=1)

    body = client.get("/api/categories/").json()
    detail = client.get("/api/categories/big-tech/")

    assert [row["name"] for row in body["results"]] == ["AI-Native Companies", "Big Tech AI Teams"]
    assert body["results"][0]["html_url"] == "http://testserver/companies/?category=ai-native"
    assert detail.json()["description"] == "Large labs"
    assert client.get("/api/categories/nope/").status_code == 404


def test_role_list_and_detail(client, db):
    make_role(name="AI Engineer", slug="ai-engineer")
    make_role(name="Applied Scientist", slug="applied-scientist")

    body = client.get("/api/roles/").json()

    assert [row["slug"] for row in body["results"]] == ["ai-engineer", "applied-scientist"]
    assert body["results"][0]["url"] == "http://testserver/api/roles/ai-engineer/"
    assert client.get("/api/roles/ai-engineer/").json()["name"] == "AI Engineer"
    assert client.get("/api/roles/nope/").status_code == 404


# Read-only for everyone


@pytest.mark.parametrize("url", ["/api/companies/", "/api/categories/", "/api/roles/"])
def test_public_lists_are_read_only(client, edition, url):
    response = client.post(url, {"name": "New"}, content_type="application/json")

    assert response.status_code == 405
    assert response.json()["detail"] == 'Method "POST" not allowed.'


def test_signed_in_user_cannot_change_companies(client, edition):
    make_company(slug="acme")
    client.force_login(make_user())

    assert client.delete("/api/companies/acme/").status_code in (403, 405)
    assert client.patch("/api/companies/acme/", {}, content_type="application/json").status_code in (403, 405)


# Query counts: the same bound with 3 rows and with 30


@pytest.mark.parametrize("rows", [3, 30])
def test_company_list_query_count_is_fixed(client, django_assert_max_num_queries, edition, rows):
    roles = [make_role(), make_role()]
    for _ in range(rows):
        make_company(roles=roles, category=make_category())

    with django_assert_max_num_queries(3):
        response = client.get("/api/companies/?page_size=100")
    assert response.json()["count"] == rows

    with django_assert_max_num_queries(5):  # and one for the roles the searched word names
        response = client.get(f"/api/companies/?page_size=100&role={roles[0].slug}&q=applied&ordering=-comp_max")
    assert response.json()["count"] == rows

    with django_assert_max_num_queries(2):
        assert len(read_csv(client.get("/api/companies/?format=csv"))) == rows


def test_company_detail_query_count(client, django_assert_max_num_queries, edition):
    make_company(slug="acme", roles=[make_role(), make_role()])

    with django_assert_max_num_queries(4):  # the company and its roles, and what its postings pay (2)
        assert client.get("/api/companies/acme/").status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_category_and_role_lists_query_count_is_fixed(client, django_assert_max_num_queries, db, rows):
    for _ in range(rows):
        make_category()
        make_role()

    with django_assert_max_num_queries(2):
        assert client.get("/api/categories/?page_size=100").json()["count"] == rows
    with django_assert_max_num_queries(2):
        assert client.get("/api/roles/?page_size=100").json()["count"] == rows


# Bookmarks: the signed-in user's own


@pytest.fixture
def csrf_client():
    """A session client that, like a browser, must send the CSRF token with unsafe requests."""
    return Client(enforce_csrf_checks=True)


CSRF_SECRET = "abcdefghijklmnopqrstuvwxyz012345"


def with_csrf(client):
    client.cookies["csrftoken"] = CSRF_SECRET
    return {"HTTP_X_CSRFTOKEN": CSRF_SECRET}


def test_bookmarks_need_authentication(client, edition):
    response = client.get("/api/bookmarks/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert client.post("/api/bookmarks/", {"company": "x"}, content_type="application/json").status_code == 401


def test_invalid_token_is_a_401(client, edition):
    response = client.get("/api/bookmarks/", HTTP_AUTHORIZATION="Token not-a-real-token")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_bookmark_list_shows_only_my_bookmarks(client, edition):
    me, other = make_user(), make_user()
    mine = make_bookmark(user=me, company=make_company(name="Anthropic"), note="Apply in March")
    make_bookmark(user=other, company=make_company(name="OpenAI"))

    body = client.get("/api/bookmarks/", **token_header(me)).json()

    assert body["count"] == 1
    [row] = body["results"]
    assert row["id"] == mine.pk
    assert (row["company"], row["company_name"], row["note"], row["stage"]) == (
        mine.company.slug,
        "Anthropic",
        "Apply in March",
        "researching",
    )
    assert row["company_url"] == f"http://testserver/api/companies/{mine.company.slug}/"


def test_bookmark_list_filters_by_stage(client, edition):
    me = make_user()
    make_bookmark(user=me, stage="applied")
    make_bookmark(user=me, stage="offer")

    body = client.get("/api/bookmarks/?stage=offer", **token_header(me)).json()

    assert [row["stage"] for row in body["results"]] == ["offer"]
    response = client.get("/api/bookmarks/?stage=hired", **token_header(me))
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["stage"]


def test_create_bookmark_by_company_slug_with_token(client, edition):
    me = make_user()
    company = make_company(slug="cohere")

    response = client.post(
        "/api/bookmarks/",
        {"company": "cohere", "note": "Talk to Ana", "stage": "applied"},
        content_type="application/json",
        **token_header(me),
    )

    assert response.status_code == 201
    bookmark = Bookmark.objects.get(user=me, company=company)
    assert (bookmark.note, bookmark.stage) == ("Talk to Ana", "applied")
    assert response.json()["id"] == bookmark.pk
    assert response["Location"] == f"http://testserver/api/bookmarks/{bookmark.pk}/"


def test_create_bookmark_is_idempotent(client, edition):
    me = make_user()
    make_company(slug="cohere")
    headers = token_header(me)

    first = client.post("/api/bookmarks/", {"company": "cohere", "note": "Keep"}, "application/json", **headers)
    again = client.post("/api/bookmarks/", {"company": "cohere"}, "application/json", **headers)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert again.json()["note"] == "Keep"
    assert Bookmark.objects.filter(user=me).count() == 1


@pytest.mark.parametrize("slug", ["nobody", "draft", ""])
def test_create_bookmark_for_unknown_or_unpublished_company_is_a_400(client, edition, slug):
    make_company(slug="draft", is_published=False)

    response = client.post("/api/bookmarks/", {"company": slug}, "application/json", **token_header(make_user()))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["company"]
    assert not Bookmark.objects.exists()


def test_create_bookmark_without_company_names_the_field(client, edition):
    response = client.post("/api/bookmarks/", {"note": "x"}, "application/json", **token_header(make_user()))

    assert response.status_code == 400
    assert response.json()["errors"] == {"company": ["This field is required."]}


def test_malformed_json_is_a_400(client, edition):
    response = client.post("/api/bookmarks/", "{not json", "application/json", **token_header(make_user()))

    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


def test_update_note_and_stage(client, edition):
    bookmark = make_bookmark()
    headers = token_header(bookmark.user)

    response = client.patch(
        f"/api/bookmarks/{bookmark.pk}/",
        {"note": "Second round", "stage": "interviewing"},
        "application/json",
        **headers,
    )

    assert response.status_code == 200
    assert (response.json()["note"], response.json()["stage"]) == ("Second round", "interviewing")
    bookmark.refresh_from_db()
    assert (bookmark.note, bookmark.stage) == ("Second round", "interviewing")

    response = client.put(f"/api/bookmarks/{bookmark.pk}/", {"stage": "offer"}, "application/json", **headers)
    assert response.status_code == 200
    bookmark.refresh_from_db()
    assert (bookmark.note, bookmark.stage) == ("Second round", "offer")


def test_update_cannot_move_a_bookmark_to_another_company(client, edition):
    bookmark = make_bookmark()
    other = make_company(slug="elsewhere")

    response = client.patch(
        f"/api/bookmarks/{bookmark.pk}/", {"company": other.slug}, "application/json", **token_header(bookmark.user)
    )

    assert response.status_code == 200
    bookmark.refresh_from_db()
    assert bookmark.company != other


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"note": "x" * 2001}, "note"), ({"stage": "hired"}, "stage"), ({"note": None}, "note")],
)
def test_bad_update_is_a_400_naming_the_field(client, edition, payload, field):
    bookmark = make_bookmark(note="Before")

    response = client.patch(
        f"/api/bookmarks/{bookmark.pk}/", payload, "application/json", **token_header(bookmark.user)
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    bookmark.refresh_from_db()
    assert (bookmark.note, bookmark.stage) == ("Before", "researching")


def test_note_of_2000_characters_is_kept(client, edition):
    bookmark = make_bookmark()

    response = client.patch(
        f"/api/bookmarks/{bookmark.pk}/", {"note": "x" * 2000}, "application/json", **token_header(bookmark.user)
    )

    assert response.status_code == 200
    bookmark.refresh_from_db()
    assert len(bookmark.note) == 2000


def test_delete_bookmark(client, edition):
    bookmark = make_bookmark()
    headers = token_header(bookmark.user)

    assert client.delete(f"/api/bookmarks/{bookmark.pk}/", **headers).status_code == 204
    assert not Bookmark.objects.exists()
    assert client.delete(f"/api/bookmarks/{bookmark.pk}/", **headers).status_code == 404


def test_another_users_bookmark_is_a_404(client, edition):
    theirs = make_bookmark(note="Private")
    headers = token_header(make_user())
    url = f"/api/bookmarks/{theirs.pk}/"

    for response in (
        client.get(url, **headers),
        client.patch(url, {"note": "Mine now"}, "application/json", **headers),
        client.put(url, {"note": "Mine now"}, "application/json", **headers),
        client.delete(url, **headers),
    ):
        assert response.status_code == 404
        assert response.json() == {"detail": "No Bookmark matches the given query."}
    theirs.refresh_from_db()
    assert theirs.note == "Private"


def test_session_auth_needs_the_csrf_token(csrf_client, edition):
    me = make_user()
    make_company(slug="cohere")
    csrf_client.force_login(me)

    assert csrf_client.get("/api/bookmarks/").status_code == 200
    refused = csrf_client.post("/api/bookmarks/", {"company": "cohere"}, "application/json")
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("CSRF Failed")
    assert not Bookmark.objects.exists()

    accepted = csrf_client.post("/api/bookmarks/", {"company": "cohere"}, "application/json", **with_csrf(csrf_client))
    assert accepted.status_code == 201
    assert Bookmark.objects.get().user == me


def test_token_auth_needs_no_csrf_token(csrf_client, edition):
    me = make_user()
    make_company(slug="cohere")

    response = csrf_client.post("/api/bookmarks/", {"company": "cohere"}, "application/json", **token_header(me))

    assert response.status_code == 201


@pytest.mark.parametrize("rows", [3, 30])
def test_bookmark_list_query_count_is_fixed(client, django_assert_max_num_queries, edition, rows):
    me = make_user()
    for _ in range(rows):
        make_bookmark(user=me, company=make_company(category=make_category()))
    headers = token_header(me)

    with django_assert_max_num_queries(3):
        assert client.get("/api/bookmarks/?page_size=100", **headers).json()["count"] == rows


# Tokens


def test_token_for_username_and_password(client, db):
    me = make_user(username="ana", password="a-long-test-password")

    response = client.post(
        "/api/auth/token/", {"username": "ana", "password": "a-long-test-password"}, "application/json"
    )

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=me).key}
    again = client.post("/api/auth/token/", {"username": "ana", "password": "a-long-test-password"}, "application/json")
    assert again.json() == response.json()


def test_wrong_password_gets_no_token(client, db):
    make_user(username="ana")

    response = client.post("/api/auth/token/", {"username": "ana", "password": "wrong"}, "application/json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": ["Unable to log in with provided credentials."]}
    assert not Token.objects.exists()


def test_token_endpoint_locks_out_after_repeated_failures(client, db, settings):
    make_user(username="ana", password="a-long-test-password")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/auth/token/", {"username": "ana", "password": "wrong"}, "application/json")

    response = client.post(
        "/api/auth/token/", {"username": "ana", "password": "a-long-test-password"}, "application/json"
    )

    assert response.status_code in (400, 403, 429)
    assert not Token.objects.exists()


def test_bookmark_from_a_new_edition_company(client, db):
    """Bookmarks work for any published company, whatever its edition."""
    make_edition()
    newer = make_edition(slug="2026-q2", is_current=False)
    company = make_company(slug="glean", edition=newer)
    me = make_user()

    response = client.post("/api/bookmarks/", {"company": "glean"}, "application/json", **token_header(me))

    assert response.status_code == 201
    assert Bookmark.objects.get().company == company


def test_api_counts_stop_at_the_cap_and_say_so(client, edition, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    for _ in range(4):
        make_company()
    make_company(name="Zebra Labs")
    body = client.get("/api/companies/").json()
    assert (body["count"], body["count_is_capped"]) == (3, True)
    assert len(body["results"]) == 3
    body = client.get("/api/companies/", {"q": "zebra"}).json()
    assert body["count_is_capped"] is False
