"""Hostile input: random and malicious values in every query parameter and form field of the public and account
pages. Nothing may answer 5xx, echo markup unescaped, or redirect off the site. (The API has its schemathesis run.)

Hypothesis runs derandomized with a bounded number of examples, so the run is repeatable and short.
"""

import re
from urllib.parse import quote, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookmarks.models import Bookmark
from companies.models import Company
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

# Payloads whose raw form must never come back in a page: if one does, the page let markup through.
MARKUP = [
    "<script>alert('hx1')</script>",
    '"><img src=x onerror=alert("hx2")>',
    "'><svg/onload=alert('hx3')>",
    "<iframe src=javascript:alert('hx4')>",
    "</textarea><b>hx5</b>",
    '" autofocus onfocus="alert(6)" x="',
]
SQL = ["' OR '1'='1", "1; DROP TABLE companies_company; --", "anthropic' --", '") OR 1=1 --', "%", "_", "\\"]
NUMBERS = [
    "0",
    "-1",
    "-999999999999999999999",
    "99999999999999999999999999999999",
    "1e308",
    "1e-308",
    "NaN",
    "Infinity",
    "-0",
    "0x10",
    "1_000",
    "２５００００",  # full-width digits
    "3.5",
    "250k",
    "",
]
ODD_TEXT = [
    "\x00",
    "a\x00b",
    "\u202e\u0645\u0631\u062d\u0628\u0627",  # right-to-left override and Arabic
    "🤖" * 50,
    "Ω≈ç√∫˜µ≤≥÷",
    "\r\nSet-Cookie: evil=1",
    "../../../etc/passwd",
    "%00%27%22",
    "{{ 7*7 }}{% debug %}",
    "x" * 5000,
]
REDIRECTS = ["//evil.example", "https://evil.example/", "javascript:alert(1)", "/\\evil.example", "http:evil.example"]

hostile_text = st.one_of(
    st.sampled_from(MARKUP + SQL + NUMBERS + ODD_TEXT + REDIRECTS),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=3000),
)
# One to three values per key: repeated keys are how a query string sends lists.
hostile_values = st.lists(hostile_text, min_size=1, max_size=3)

HYPOTHESIS = settings(
    derandomize=True,
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def check_response(response, sent):
    """No server error, no markup echoed as is, no redirect away from the site."""
    assert response.status_code < 500, f"{response.status_code} for {sent!r}"
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        parts = urlsplit(location)
        assert parts.scheme in ("", "http", "https") and parts.netloc in ("", "testserver"), location
        assert not location.startswith(("//", "/\\")), location
    content_type = response.get("Content-Type", "")
    if "html" in content_type or "xml" in content_type:
        body = response.content.decode("utf-8", errors="replace")
        values = [v for vs in sent.values() for v in (vs if isinstance(vs, list) else [vs])]
        for value in values:
            if value in MARKUP or (re.search(r"<[a-z/!]", value, re.I) and len(value) > 12):
                assert value not in body, f"echoed unescaped: {value!r}"


@pytest.fixture
def guide(loaded_edition):
    alice = make_user(username="alice", password="alice-password-123")
    bookmark = Bookmark.objects.create(user=alice, company=Company.objects.get(slug="anthropic"))
    return {"alice": alice, "bookmark": bookmark}


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def fresh_example():
    # Rate limits and lockouts count per address; each example starts with clean counters.
    cache.clear()


PUBLIC_QUERIES = {
    "/": ["edition"],
    "/companies/": ["q", "category", "role", "outlook", "comp_min", "remote", "ordering", "page"],
    "/companies/compare/": ["c"],
    "/jobs/": ["q", "company", "role", "level", "workplace", "location", "has_pay", "posted_within", "state", "page"],
    "/api/jobs/": ["q", "company", "role", "level", "workplace", "location", "has_pay", "posted_within", "state"]
    + ["page", "page_size", "format"],
    "/salaries/": ["edition", "level"],
    "/market/": ["edition"],
    "/offer-check/": ["level", "base", "total", "company"],
    "/advice/": ["group"],
    "/search/": ["q", "type", "page"],
    "/changes/": ["page", "company"],
    "/feed/": ["page"],
    "/accounts/login/": ["next"],
    "/accounts/signup/": ["next"],
}


@settings(HYPOTHESIS, max_examples=180)
@given(data=st.data())
def test_public_query_parameters(guide, data):
    fresh_example()
    path = data.draw(st.sampled_from(sorted(PUBLIC_QUERIES)), label="path")
    params = data.draw(st.fixed_dictionaries({}, optional=dict.fromkeys(PUBLIC_QUERIES[path], hostile_values)))
    check_response(Client().get(path, params), params)


def test_signed_in_query_parameters(guide):
    client = signed_in(guide["alice"])

    @HYPOTHESIS
    @given(
        st.sampled_from(["/bookmarks/", "/bookmarks/export.csv"]),
        st.fixed_dictionaries(
            {},
            optional={
                "stage": hostile_values,
                "ordering": hostile_values,
                "page": hostile_values,
                "q": hostile_values,
            },
        ),
    )
    def run(path, params):
        fresh_example()
        check_response(client.get(path, params), params)

    run()


@HYPOTHESIS
@given(segment=hostile_text)
def test_hostile_path_segments(guide, segment):
    client = Client()
    for template in [
        "/companies/{}/",
        "/advice/{}/",
        "/bookmarks/companies/{}/",
        "/alerts/unsubscribe/{}/",
        "/jobs/{}/",
        "/api/jobs/{}/",
    ]:
        path = template.format(quote(segment, safe=""))
        check_response(client.get(path), {"segment": segment})


FORMS = {
    "/accounts/signup/": ["username", "email", "password1", "password2", "next"],
    "/accounts/login/": ["username", "password", "next"],
    "/accounts/password/reset/": ["email"],
    "/offer-check/": ["level", "base", "total", "company"],
}


@settings(HYPOTHESIS, max_examples=80)
@given(data=st.data())
def test_public_forms(guide, data):
    fresh_example()
    path = data.draw(st.sampled_from(sorted(FORMS)), label="path")
    fields = data.draw(st.fixed_dictionaries({}, optional=dict.fromkeys(FORMS[path], hostile_values)))
    check_response(Client().post(path, fields), fields)


def test_account_forms(guide):
    alice = guide["alice"]
    bookmark = guide["bookmark"]
    forms = {
        f"/bookmarks/{bookmark.pk}/": ["stage", "note", "next"],
        f"/bookmarks/companies/{bookmark.company.slug}/": ["saved", "next", "fragment"],
        f"/alerts/bookmarks/{bookmark.pk}/": ["alerts", "next"],
        "/accounts/password/": ["old_password", "new_password1", "new_password2"],
        "/accounts/delete/": ["password", "confirm"],
    }

    @HYPOTHESIS
    @given(st.sampled_from(sorted(forms)), st.data())
    def run(path, data):
        fresh_example()
        fields = data.draw(st.fixed_dictionaries({}, optional=dict.fromkeys(forms[path], hostile_values)))
        client = signed_in(alice)
        for headers in ({}, {"HX-Request": "true"}):
            check_response(client.post(path, fields, headers=headers), fields)

    run()
    alice.refresh_from_db()
    assert alice.is_active and alice.check_password("alice-password-123")


def test_a_nul_byte_in_a_filter_is_a_message_not_an_error(guide):
    response = Client().get("/companies/", {"q": "open\x00ai", "comp_min": "1\x00"})
    assert response.status_code in (200, 400)


def test_search_echoes_the_query_escaped(guide):
    response = Client().get("/search/", {"q": MARKUP[0]})
    assert response.status_code == 200
    assert "&lt;script&gt;alert(&#x27;hx1&#x27;)&lt;/script&gt;" in response.content.decode()


def test_the_checks_catch_what_they_look_for():
    from django.http import HttpResponse, HttpResponseRedirect

    with pytest.raises(AssertionError, match="echoed unescaped"):
        check_response(HttpResponse(f"<p>{MARKUP[1]}</p>"), {"q": [MARKUP[1]]})
    with pytest.raises(AssertionError):
        check_response(HttpResponseRedirect("https://evil.example/"), {"next": ["https://evil.example/"]})
    with pytest.raises(AssertionError):
        check_response(HttpResponse(status=500), {})
