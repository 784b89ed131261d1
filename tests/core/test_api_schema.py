"""The OpenAPI schema, the docs page, and a bounded schemathesis run against the live schema."""

import datetime
import re

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from companies.models import Company, Outlook
from market.models import SalaryLevel
from tests.conftest import (
    make_advice_section,
    make_benchmark,
    make_bookmark,
    make_category,
    make_company,
    make_computed_snapshot,
    make_role,
    make_snapshot,
    make_specialization,
    make_trend,
    make_user,
)

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/companies/",
    "/api/companies/{slug}/",
    "/api/categories/",
    "/api/categories/{slug}/",
    "/api/roles/",
    "/api/roles/{slug}/",
    "/api/editions/",
    "/api/editions/{slug}/",
    "/api/salaries/",
    "/api/market/snapshots/",
    "/api/market/series/",
    "/api/market/trends/",
    "/api/specializations/",
    "/api/advice/",
    "/api/advice/{slug}/",
    "/api/bookmarks/",
    "/api/bookmarks/{id}/",
    "/api/jobs/",
    "/api/jobs/{id}/",
    "/api/auth/token/",
}


@pytest.fixture
def openapi(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi_3_with_every_endpoint(openapi):
    validate_schema(openapi)
    assert openapi["openapi"].startswith("3.")
    assert openapi["info"]["title"] == "AI Hiring Guide API"
    assert set(openapi["paths"]) == ENDPOINTS


def test_schema_is_served_as_yaml_by_default(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert b"openapi: 3.0.3" in response.content


def test_schema_documents_the_company_filters_paging_and_csv(openapi):
    operation = openapi["paths"]["/api/companies/"]["get"]
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}

    assert set(parameters) == {
        "q",
        "category",
        "role",
        "outlook",
        "comp_min",
        "ordering",
        "page",
        "page_size",
        "format",
    }
    assert parameters["ordering"]["enum"] == ["-comp_max", "-updated", "comp_min", "name"]
    assert parameters["page_size"]["maximum"] == 100
    assert set(operation["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    assert {"400", "404", "429"} <= set(operation["responses"])
    assert "Retry-After" in operation["responses"]["429"]["headers"]


def test_schema_documents_provenance_on_every_figure(openapi):
    schemas = openapi["components"]["schemas"]
    for name in ("Company", "SalaryBenchmark", "MarketSnapshot", "Trend", "Specialization"):
        assert schemas[name]["properties"]["provenance"] == {
            "allOf": [{"$ref": "#/components/schemas/Provenance"}],
            "readOnly": True,
        }, name
    assert set(schemas["Provenance"]["properties"]) == {
        "edition",
        "edition_name",
        "as_of",
        "source",
        "source_url",
        "last_verified",
        "needs_review",
    }


def test_schema_marks_bookmarks_as_private(openapi):
    for method, operation in openapi["paths"]["/api/bookmarks/"].items():
        assert {} not in operation["security"], method
        assert {"401", "403"} <= set(operation["responses"]), method
    # Reading is open to anyone: no security requirement, so Swagger UI shows no lock on it.
    for path, operations in openapi["paths"].items():
        if not path.startswith(("/api/bookmarks/", "/api/auth/")):
            assert all("security" not in operation for operation in operations.values()), path


def test_docs_load_their_assets_from_our_static_files(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>AI Hiring Guide API</title>" in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for url in assets:
        assert url.startswith("/"), url
        assert not url.startswith("//"), url
    assert not re.search(r"https?://", html)
    assert "<style" not in html and "style=" not in html
    assert re.search(r"<script>", html) is None


def test_docs_assets_are_served(client):
    html = client.get("/api/docs/").content.decode()

    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body, url
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html


def test_docs_page_alone_allows_data_images_for_swagger_icons(client):
    docs = client.get("/api/docs/")["Content-Security-Policy"]
    api = client.get("/api/")["Content-Security-Policy"]

    assert "img-src 'self' data:" in docs
    assert "script-src 'self';" in docs
    assert "data:" not in api


def test_docs_start_up_script_is_a_separate_file(client):
    response = client.get("/api/docs/?script=")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert r'url: "/api/schema/?format\u003Djson"' in response.content.decode()  # escapejs'd
    assert not re.search(r"https?://", response.content.decode())


def test_api_root_lists_every_collection(client):
    body = client.get("/api/").json()

    assert list(body)[:2] == ["docs", "schema"]  # a browser opening /api/ finds the docs first
    assert body["docs"] == "http://testserver/api/docs/"
    assert set(body) - {"docs", "schema"} == {
        "companies",
        "categories",
        "roles",
        "editions",
        "salaries",
        "market/snapshots",
        "market/series",
        "market/trends",
        "specializations",
        "advice",
        "bookmarks",
        "jobs",
    }
    assert body["market/snapshots"] == "http://testserver/api/market/snapshots/"


def test_unknown_api_address_is_a_json_404(client):
    response = client.get("/api/nothing/here/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_api_address_without_slash_redirects(client):
    response = client.get("/api/companies")

    assert response.status_code == 301
    assert response["Location"] == "/api/companies/"


# A bounded, deterministic schemathesis run: every operation, valid and invalid inputs, no 5xx, every
# response (status, content type, headers, body) as the schema says. About 20 s on a laptop.

SCHEMATHESIS_CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 2026,
        "generation": {"mode": "all", "max-examples": 8, "deterministic": True, "database": "none"},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": False},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
            "response_headers_conformance": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
            "negative_data_rejection": {"enabled": True},
            "unsupported_method": {"enabled": True},
        },
    }
)


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: the WSGI app must not close the test's database connection after each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_token(keep_test_connection, edition, settings):
    """A user's token and a little of every kind of data, with rates so generous that the run is never throttled."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    settings.RATE_LIMITS = {}  # the site-wide POST limits (e.g. on /api/auth/token/) too
    category = make_category(slug="ai-native")
    role = make_role(slug="ai-engineer")
    make_company(slug="anthropic", category=category, roles=[role], comp_open_ended=True, comp_note="Top")
    make_company(slug="openai", category=category, comp_min=None, comp_max=None, comp_note="Competitive + equity")
    make_company(slug="glean", category=None, outlook=Outlook.GROWING, source_url="https://example.com/")
    make_benchmark(level=SalaryLevel.SENIOR)
    make_snapshot()
    make_snapshot(month=datetime.date(2026, 2, 1), mom_change_pct=None, computed_from=make_computed_snapshot())
    make_specialization(trend=make_trend(slug="specialization", points=["One", "Two"]))
    make_advice_section(slug="negotiation", tips=[("", "Have competing offers")])
    user = make_user(username="fuzz", password="a-long-test-password")
    make_bookmark(user=user, company=Company.objects.get(slug="openai"), note="Apply")
    return Token.objects.create(user=user).key


# Loaded at collection from the app itself (no server, no database): the schema the running app serves.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), config=SCHEMATHESIS_CONFIG)


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # the fixtures are meant to be shared
def test_api_conforms_to_its_schema(case, api_token):
    # Uncompressed: the WSGI transport hands schemathesis the body as sent, and gzip is tested in test_page_weight.
    headers = {"Accept-Encoding": "identity"}
    if case.path.startswith("/api/bookmarks"):
        headers["Authorization"] = f"Token {api_token}"
    case.call_and_validate(headers=headers)
