"""The anonymous page cache: hits, 304s, invalidation by editors' changes, and what it must never cache."""

import re

import pytest
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.urls import path, reverse
from django.utils.csp import CSP
from django.views.decorators.cache import never_cache

from aihiring import cache as page_cache
from companies.models import Company
from tests.conftest import make_company, make_role, make_user

pytestmark = pytest.mark.django_db

LIST_URL = reverse("companies:company_list")


def without_tokens(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())


def profile_url(company):
    return reverse("companies:company_detail", args=[company.slug])


# ---------- Hits, headers and 304 ----------


def test_second_anonymous_visit_is_served_from_the_cache(client, edition, django_assert_num_queries):
    make_company(name="Acme Labs")
    first = client.get(LIST_URL)
    assert first.status_code == 200
    assert first["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        second = client.get(LIST_URL)
    assert second["X-Cache"] == "HIT"
    assert without_tokens(second) == without_tokens(first)
    assert "Acme Labs" in second.content.decode()


def test_cached_page_keeps_security_headers_and_gets_an_etag(client, edition):
    make_company()
    first = client.get(LIST_URL)
    second = client.get(LIST_URL)
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Type", "ETag"):
        assert second[header] == first[header], header
    assert "'unsafe-inline'" not in second["Content-Security-Policy"]
    assert "nonce-" not in second["Content-Security-Policy"]
    assert "Cookie" in second["Vary"]
    assert second["Cache-Control"] == "no-cache"


def test_repeat_visit_with_the_etag_gets_304(client, edition):
    make_company()
    etag = client.get(LIST_URL)["ETag"]
    response = client.get(LIST_URL, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_stale_etag_gets_the_new_page(client, edition):
    company = make_company(name="Before")
    etag = client.get(profile_url(company))["ETag"]
    company.name = "After"
    company.save()
    response = client.get(profile_url(company), headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "After" in response.content.decode()
    assert response["ETag"] != etag


def test_head_is_answered_from_the_cache(client, edition):
    make_company()
    client.get(LIST_URL)
    response = client.head(LIST_URL)
    assert response.status_code == 200
    assert response["X-Cache"] == "HIT"


def test_query_string_is_part_of_the_key(client, edition):
    make_company(name="Alpha Co", comp_min=100_000, comp_max=150_000)
    make_company(name="Omega Co", comp_min=300_000, comp_max=400_000)
    client.get(LIST_URL)
    filtered = client.get(LIST_URL, {"comp_min": 350_000})
    assert filtered["X-Cache"] == "MISS"
    assert "Omega Co" in filtered.content.decode()
    assert "Alpha Co" not in filtered.content.decode()


# ---------- Editors' changes show on the next request ----------


def test_admin_publish_shows_on_the_next_anonymous_request(client, editor, edition):
    make_company(name="Visible Co")
    draft = make_company(name="Draft Co", is_published=False)
    assert "Draft Co" not in client.get(LIST_URL).content.decode()
    assert client.get(LIST_URL)["X-Cache"] == "HIT"

    admin = Client()
    admin.force_login(editor)
    admin.post(reverse("admin:companies_company_changelist"), {"action": "publish", "_selected_action": [draft.pk]})

    response = client.get(LIST_URL)
    assert response["X-Cache"] == "MISS"
    assert "Draft Co" in response.content.decode()


def test_admin_role_rename_shows_on_the_profile(client, editor, edition):
    role = make_role(name="Prompt Whisperer", slug="prompt-whisperer")
    company = make_company(roles=[role])
    assert "Prompt Whisperer" in client.get(profile_url(company)).content.decode()

    admin = Client()
    admin.force_login(editor)
    response = admin.post(
        reverse("admin:companies_role_change", args=[role.pk]), {"name": "Evals Engineer", "slug": "evals-engineer"}
    )
    assert response.status_code == 302

    page = client.get(profile_url(company)).content.decode()
    assert "Evals Engineer" in page
    assert "Prompt Whisperer" not in page


def test_roles_change_and_delete_invalidate(client, edition):
    company = make_company(name="Keeper")
    gone = make_company(name="Goner")
    client.get(LIST_URL)
    company.roles.add(make_role(name="Agent Builder"))
    assert client.get(profile_url(company))["X-Cache"] == "MISS"
    client.get(LIST_URL)
    gone.delete()
    response = client.get(LIST_URL)
    assert response["X-Cache"] == "MISS"
    assert "Goner" not in response.content.decode()


def test_generation_file_is_shared_between_processes(client, edition, settings, tmp_path):
    """With the per-process memory cache, a change made by another worker process still shows at once."""
    settings.PAGE_CACHE_GENERATION_FILE = str(tmp_path / "generation")
    make_company()
    client.get(LIST_URL)
    assert client.get(LIST_URL)["X-Cache"] == "HIT"
    # Another process saved a company: it wrote a new token into the file.
    (tmp_path / "generation").write_text("written-by-another-worker")
    assert client.get(LIST_URL)["X-Cache"] == "MISS"
    assert client.get(LIST_URL)["X-Cache"] == "HIT"
    token = page_cache.bump_generation()
    assert (tmp_path / "generation").read_text() == token


def test_scale_data_command_invalidates(client, loaded_edition):
    from django.core.management import call_command

    client.get(LIST_URL)
    call_command("generate_scale_data", companies=3, verbosity=0)
    assert client.get(LIST_URL)["X-Cache"] == "MISS"


# ---------- Never another user's page, never a stale CSRF token ----------


def test_signed_in_reader_never_gets_a_cached_page(client, edition):
    make_company()
    client.get(LIST_URL)
    user = make_user(username="reader")
    signed_in = Client()
    signed_in.force_login(user)
    response = signed_in.get(LIST_URL)
    assert "X-Cache" not in response
    assert "reader" in response.content.decode() or response.wsgi_request.user.is_authenticated


def test_signed_in_page_is_never_stored_for_others(client, edition):
    make_company()
    user = make_user(username="private-reader")
    signed_in = Client()
    signed_in.force_login(user)
    signed_in.get(LIST_URL)
    response = client.get(LIST_URL)
    assert response["X-Cache"] == "MISS"
    assert "private-reader" not in response.content.decode()


def csrf_token_in(response):
    return response.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


def test_cached_page_gives_each_visitor_a_csrf_token_that_posts(edition):
    """The bookmark button's form on a cached profile carries the visitor's own token, so its POST passes."""
    company = make_company()
    first = Client(enforce_csrf_checks=True)
    assert first.get(profile_url(company))["X-Cache"] == "MISS"

    second = Client(enforce_csrf_checks=True)
    page = second.get(profile_url(company))
    assert page["X-Cache"] == "HIT"
    token = csrf_token_in(page)
    assert token != csrf_token_in(first.get(profile_url(company)))
    assert "@@pagecache" not in page.content.decode()
    save = reverse("bookmarks:bookmark_set", args=[company.slug])
    response = second.post(save, {"saved": "1", "csrfmiddlewaretoken": token})
    assert response.status_code != 403
    assert second.post(save, {"saved": "1", "csrfmiddlewaretoken": "x" * 64}).status_code == 403


def test_etag_of_a_page_with_a_token_is_per_visitor(edition):
    company = make_company()
    first, second = Client(), Client()
    etag = first.get(profile_url(company))["ETag"]
    assert first.get(profile_url(company), headers={"if-none-match": etag}).status_code == 304
    second.get(profile_url(company))
    response = second.get(profile_url(company), headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["X-Cache"] == "HIT"


@pytest.mark.parametrize(
    "path",
    ["/admin/login/", "/accounts/login/", "/bookmarks/", "/api/", "/api/companies/", "/healthz"],
)
def test_private_and_account_paths_are_never_cached(client, path):
    client.get(path)
    assert "X-Cache" not in client.get(path)


def test_session_cookie_skips_the_cache(client, edition, settings):
    make_company()
    client.get(LIST_URL)
    client.cookies[settings.SESSION_COOKIE_NAME] = "anything"
    assert "X-Cache" not in client.get(LIST_URL)


def test_pending_messages_skip_the_cache(client, edition):
    make_company()
    client.get(LIST_URL)
    client.cookies["messages"] = "pending"
    assert "X-Cache" not in client.get(LIST_URL)


def test_post_is_never_served_from_the_cache(client, edition):
    make_company()
    client.get(LIST_URL)
    response = client.post(LIST_URL)
    assert "X-Cache" not in response


# ---------- Responses the cache refuses to store (views of this module's own URLconf) ----------

_django = engines["django"]


def form_view(request):
    template = _django.from_string('<form method="post">{% csrf_token %}<button>Save</button></form>')
    return HttpResponse(template.render(request=request))


def nonce_view(request):
    template = _django.from_string("<script {% csp_nonce_attr %} src='/static/x.js'></script>")
    return HttpResponse(template.render(request=request))


def plain_view(request):
    return HttpResponse(f"<p>{Company.objects.count()} companies</p>")


def cookie_view(request):
    response = HttpResponse("<p>hello</p>")
    response.set_cookie("seen", "1")
    return response


def not_found_view(request):
    return HttpResponse("<p>missing</p>", status=404)


urlpatterns = [
    path("form/", form_view),
    path("nonce/", nonce_view),
    path("plain/", plain_view),
    path("cookie/", cookie_view),
    path("never/", never_cache(plain_view)),
    path("missing/", not_found_view),
]


@pytest.mark.urls(__name__)
def test_plain_view_is_cached(client):
    client.get("/plain/")
    assert client.get("/plain/")["X-Cache"] == "HIT"


@pytest.mark.urls(__name__)
def test_form_page_is_cached_with_a_fresh_token_per_visitor():
    first = Client(enforce_csrf_checks=True)
    assert first.get("/form/")["X-Cache"] == "MISS"
    for visitor in (first, Client(enforce_csrf_checks=True)):
        page = visitor.get("/form/")
        assert page["X-Cache"] == "HIT"
        assert "csrftoken" in visitor.cookies
        assert visitor.post("/form/", {"csrfmiddlewaretoken": csrf_token_in(page)}).status_code == 200


@pytest.mark.urls(__name__)
def test_page_that_used_a_csp_nonce_is_never_cached(client, settings):
    settings.SECURE_CSP = {**settings.SECURE_CSP, "script-src": [CSP.SELF, CSP.NONCE]}
    first = client.get("/nonce/")
    response = client.get("/nonce/")
    assert "X-Cache" not in response
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert response["Content-Security-Policy"] != first["Content-Security-Policy"]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/cookie/", "/never/", "/missing/"])
def test_cookies_never_cache_and_errors_are_not_stored(client, url):
    client.get(url)
    assert "X-Cache" not in client.get(url)


# ---------- Values derived from the content: computed once per generation ----------


def test_memoize_computes_once_per_content_change(edition):
    calls = []

    def compute():
        calls.append(1)
        return Company.objects.count()

    assert page_cache.memoize("test:count", compute) == 0
    assert page_cache.memoize("test:count", compute) == 0
    assert len(calls) == 1
    make_company()
    assert page_cache.memoize("test:count", compute) == 1
    assert len(calls) == 2


def test_paginator_counts_a_content_list_once_per_content_change(edition, django_assert_num_queries):
    make_company()
    make_company()
    published = Company.objects.published().order_by("name")
    assert page_cache.GenerationCountPaginator(published, 25).count == 2
    with django_assert_num_queries(0):
        assert page_cache.GenerationCountPaginator(published, 25).count == 2
    make_company()
    assert page_cache.GenerationCountPaginator(published, 25).count == 3


def test_paginator_counts_per_user_lists_every_time(edition, django_assert_num_queries):
    from tests.conftest import make_bookmark

    user = make_user()
    make_bookmark(user=user, company=make_company())
    saved = Company.objects.filter(bookmarks__user=user).order_by("name")
    assert page_cache.GenerationCountPaginator(saved, 25).count == 1
    make_bookmark(user=user, company=make_company())  # a bookmark starts no new generation
    with django_assert_num_queries(1):
        assert page_cache.GenerationCountPaginator(saved, 25).count == 2


def test_paginator_of_an_empty_filter_counts_zero(edition):
    assert page_cache.GenerationCountPaginator(Company.objects.filter(pk__in=[]), 25).count == 0
