"""Odd requests get a clear answer, never a 500: over-long usernames, bare-word ``next`` values, NUL characters,
bodies in an unexpected encoding."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from bookmarks.models import Bookmark
from tests.conftest import make_bookmark, make_company, make_user, visible_text

pytestmark = pytest.mark.django_db

LONG = "u" * 300


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_an_over_long_username_is_refused_before_signing_in(client, url):
    response = client.post(url, {"username": LONG, "password": "whatever-it-is"})
    assert response.status_code == 200
    assert "Usernames are at most 150 characters." in visible_text(response)


def test_an_over_long_username_gets_a_json_400_from_the_token_endpoint(client):
    response = client.post(
        "/api/auth/token/", json.dumps({"username": LONG, "password": "x"}), content_type="application/json"
    )
    assert response.status_code == 400
    assert "username" in response.json()["errors"]


def test_sign_up_with_a_bare_word_next_signs_in_and_saves_the_pending_bookmark(client):
    company = make_company(name="Cohere")
    client.get(reverse("bookmarks:bookmark_set", args=[company.slug]))
    response = client.post(
        reverse("accounts:signup") + "?next=x",
        {
            "username": "newcomer",
            "email": "new@example.com",
            "password1": "correct horse battery",
            "password2": "correct horse battery",
            "next": "x",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("bookmarks:bookmark_list")
    assert "_auth_user_id" in client.session
    assert Bookmark.objects.get().company == company


def test_bookmark_save_update_and_alerts_with_a_bare_word_next_go_to_a_page_of_this_site(client):
    user = make_user()
    client.force_login(user)
    company = make_company()
    response = client.post(reverse("bookmarks:bookmark_set", args=[company.slug]), {"saved": "1", "next": "x"})
    assert (response.status_code, response["Location"]) == (302, f"{company.get_absolute_url()}#save-{company.slug}")
    bookmark = make_bookmark(user=user)
    url = reverse("bookmarks:bookmark_update", args=[bookmark.pk])
    response = client.post(url, {"stage": "applied", "note": "", "next": "x"})
    assert (response.status_code, response["Location"]) == (302, reverse("bookmarks:bookmark_list"))
    response = client.post(reverse("alerts:alert_set", args=[bookmark.pk]), {"alerts": "on", "next": "x"})
    assert (response.status_code, response["Location"]) == (302, reverse("bookmarks:bookmark_list"))


def test_a_nul_character_in_the_api_body_is_a_json_400_naming_the_field(client):
    client.force_login(make_user())
    response = client.post("/api/bookmarks/", json.dumps({"company": "anth\x00ropic"}), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"company": ["Text must not contain NUL characters."]}


@pytest.mark.parametrize("charset", ["latin-1", "utf-16"])
def test_a_form_post_in_another_charset_gets_the_sites_400_page(charset):
    client = Client(raise_request_exception=False)
    response = client.generic(
        "POST", "/accounts/login/", "username=caf\xe9&password=x".encode("latin-1"),
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )  # fmt: skip
    assert response.status_code == 400
    assert "This request could not be read" in visible_text(response)
