"""Caching the way the web does: anonymous pages any cache may keep, everything personal private."""

import pytest
from django.urls import reverse

from companies.models import Company
from tests.conftest import make_bookmark, make_company, make_editor, make_user, visible_text

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/companies/",
    "/companies/anthropic/",
    "/companies/compare/?c=anthropic&c=openai",
    "/salaries/",
    "/market/",
    "/advice/",
    "/changes/",
    "/search/?q=research",
    "/api/companies/",
    "/api/companies/anthropic/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_anonymous_pages_set_no_cookie_hold_no_token_and_say_any_cache_may_keep_them(client, loaded_edition, path):
    response = client.get(path)
    assert response.status_code == 200
    assert not response.cookies
    assert b"csrfmiddlewaretoken" not in response.content
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"public", "max-age=60", "s-maxage=300"} <= directives
    assert response["ETag"]
    assert "Accept" not in [v.strip() for v in response["Vary"].split(",")] or path.startswith("/api/")


def test_a_cached_page_answers_if_none_match_with_304(client, loaded_edition):
    etag = client.get("/companies/")["ETag"]
    assert client.get("/companies/", headers={"If-None-Match": etag}).status_code == 304


def test_an_anonymous_page_is_served_again_without_the_view(client, loaded_edition, django_assert_num_queries):
    first = client.get("/companies/")
    with django_assert_num_queries(0):
        again = client.get("/companies/")
    assert again.content == first.content


def test_an_api_answer_is_served_again_without_the_view_in_the_format_asked_for(
    client, loaded_edition, django_assert_num_queries
):
    first = client.get("/api/companies/")
    csv = client.get("/api/companies/", headers={"Accept": "text/csv"})
    with django_assert_num_queries(0):
        again = client.get("/api/companies/")
        csv_again = client.get("/api/companies/", headers={"Accept": "text/csv"})
    assert again.content == first.content
    assert again.json()["results"][0]["name"]
    assert again["Content-Type"] == first["Content-Type"] == "application/json"
    assert csv_again.content == csv.content
    assert csv_again["Content-Type"].startswith("text/csv")


def test_signed_in_pages_are_private(client, loaded_edition):
    client.force_login(make_user())
    for path in ("/", "/companies/", "/companies/anthropic/", "/api/companies/"):
        response = client.get(path)
        assert "private" in response["Cache-Control"], path
        assert "public" not in response["Cache-Control"], path


def test_pages_with_private_data_are_no_store(client, loaded_edition):
    user = make_user()
    make_bookmark(user=user, note="Call Dana on Friday")
    client.force_login(user)
    for path in (reverse("bookmarks:bookmark_list"), reverse("bookmarks:bookmark_export"), reverse("accounts:account")):
        assert "no-store" in client.get(path)["Cache-Control"], path


def test_a_staff_only_link_never_reaches_another_visitor(client, loaded_edition):
    profile = "/companies/anthropic/"
    client.force_login(make_editor())
    assert "Edit in the admin" in visible_text(client.get(profile))
    client.logout()
    assert "Edit in the admin" not in visible_text(client.get(profile))
    client.force_login(make_user())
    assert "Edit in the admin" not in visible_text(client.get(profile))
    client.logout()
    client.cookies["messages"] = "anything"
    assert "Edit in the admin" not in visible_text(client.get(profile))


def _button(response, slug):
    """The reader's Save button for ``slug``, as its visible words say."""
    body = response.content.decode()
    start = body.index(f'id="save-{slug}"')
    return "Saved" if "Saved" in body[start : body.index("</button>", start)] else "Save"


@pytest.mark.parametrize("path", ["/companies/", "/companies/anthropic/", "/companies/openai/"])
def test_each_reader_sees_their_own_save_buttons_on_pages_kept_in_fragments(client, loaded_edition, path):
    alice, bob = make_user(), make_user()
    make_bookmark(user=alice, company=Company.objects.get(slug="anthropic"))
    client.force_login(alice)
    assert _button(client.get(path), "anthropic") == "Saved"
    client.force_login(bob)
    assert _button(client.get(path), "anthropic") == "Save"
    client.post(reverse("bookmarks:bookmark_set", args=["anthropic"]), {"saved": "1"})
    assert _button(client.get(path), "anthropic") == "Saved"  # at once, after their own save
    client.force_login(alice)
    client.post(reverse("bookmarks:bookmark_set", args=["anthropic"]), {"saved": "0"})
    assert _button(client.get(path), "anthropic") == "Save"


def test_signed_in_pages_show_an_editors_change_at_once(client, loaded_edition):
    client.force_login(make_user())
    for path in ("/", "/companies/", "/companies/anthropic/"):
        client.get(path)
    anthropic = Company.objects.get(slug="anthropic")
    anthropic.comp_max = 420_000
    anthropic.save()
    for path in ("/", "/companies/", "/companies/anthropic/"):
        assert "$200K-420K+" in visible_text(client.get(path)), path


def test_an_editors_change_shows_on_the_next_anonymous_request(client, loaded_edition):
    assert "$200K-400K+" in visible_text(client.get("/companies/anthropic/"))
    anthropic = Company.objects.get(slug="anthropic")
    anthropic.comp_max = 420_000
    anthropic.save()
    assert "$200K-420K+" in visible_text(client.get("/companies/anthropic/"))
    assert "$200K-420K+" in visible_text(client.get("/companies/"))


def test_a_page_behind_sign_in_is_never_served_to_an_anonymous_visitor(client, loaded_edition):
    user = make_user()
    make_bookmark(user=user, company=make_company(name="Secret Target Co"), note="Private plans")
    client.force_login(user)
    assert "Private plans" in client.get(reverse("bookmarks:bookmark_list")).content.decode()
    client.logout()
    response = client.get(reverse("bookmarks:bookmark_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "Private plans" not in response.content.decode()


def test_a_visitor_holding_a_message_gets_it_and_the_page_is_not_kept(client, loaded_edition):
    user = make_user(username="dana", password="a-long-test-password")
    client.force_login(user)
    client.post(reverse("accounts:logout"))
    response = client.get("/")
    assert "You are signed out." in visible_text(response)
    assert "public" not in response.get("Cache-Control", "")
    assert "You are signed out." not in visible_text(client.get("/"))
    assert user.pk  # the account is untouched


def test_a_request_with_credentials_gets_its_own_private_answer(client, loaded_edition):
    client.get("/api/companies/")
    response = client.get("/api/companies/", headers={"Authorization": "Token not-a-real-token"})
    assert response.status_code == 401
    assert "public" not in response.get("Cache-Control", "")


def stored_entries(kind="views.decorators.cache."):
    """How many entries the pages alias holds: by default those of the page cache middleware, "" for all."""
    from django.core.cache import caches

    return sum(kind in key for key in caches["pages"]._cache)


def test_an_address_with_a_parameter_no_page_reads_is_answered_but_never_stored(client, loaded_edition):
    client.get("/companies/")
    stored = stored_entries()
    for n in range(3):
        response = client.get(f"/companies/?utm_x={n}")
        assert response.status_code == 200
        assert "Anthropic" in visible_text(response)
    assert client.get("/api/companies/?utm_source=mail").status_code == 200
    assert stored_entries() == stored


def test_an_address_with_a_parameter_no_page_reads_stores_no_fragment_either(client, loaded_edition):
    client.get("/companies/")
    stored = stored_entries("")
    client.get("/companies/?utm_x=1")
    assert stored_entries("") == stored


def test_an_address_with_only_parameters_pages_read_is_served_again_without_the_view(
    client, loaded_edition, django_assert_num_queries
):
    first = client.get("/companies/?ordering=-comp_max&page=1")
    with django_assert_num_queries(0):
        assert client.get("/companies/?ordering=-comp_max&page=1").content == first.content


def test_a_page_keeps_one_copy_whatever_accept_header_clients_send(client, loaded_edition):
    client.get("/market/")
    stored = stored_entries()
    for n in range(3):
        assert client.get("/market/", headers={"Accept": f"text/html;q=0.{n}"}).status_code == 200
    assert stored_entries() == stored


def test_an_api_answer_is_stored_for_json_and_csv_only_not_each_invented_accept_header(client, loaded_edition):
    client.get("/api/companies/")
    client.get("/api/companies/", headers={"Accept": "text/csv"})
    stored = stored_entries()
    for n in range(3):
        response = client.get("/api/companies/", headers={"Accept": f"application/json;x={n}"})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
    assert stored_entries() == stored


def test_the_known_parameters_cover_every_filter_of_the_site_and_nginx_keeps_the_same_list():
    import re

    from django.conf import settings

    from aihiring.api import router
    from companies.filters import CompanyFilter
    from core.cache import QUERY_PARAMETERS
    from core.pagination import PageNumberPagination

    names = set(CompanyFilter.base_filters)
    for _, viewset, _ in router.registry:
        if getattr(viewset, "filterset_class", None) and not viewset.__module__.startswith("bookmarks"):
            names |= set(viewset.filterset_class.base_filters)
    names |= {PageNumberPagination.page_query_param, PageNumberPagination.page_size_query_param, "format"}
    assert names <= QUERY_PARAMETERS
    conf = (settings.BASE_DIR / "deploy" / "nginx.conf").read_text()
    listed = re.search(r"map \$args \$aihiring_unknown_args \{.*?\(\?:\(\?:([a-z_|]+)\)=", conf, re.S).group(1)
    assert set(listed.split("|")) == QUERY_PARAMETERS
