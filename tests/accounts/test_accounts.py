"""Sign up, sign in and out, the account page, account deletion and the account links in the header."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from rest_framework.authtoken.models import Token

from accounts.models import User
from bookmarks.models import Bookmark
from tests.conftest import make_bookmark, make_user, visible_text

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
SIGNUP = reverse("accounts:signup")
LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
ACCOUNT = reverse("accounts:account")
DELETE = reverse("accounts:account_delete")


def text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def signup_data(**overrides):
    data = {
        "username": "robin",
        "email": "robin@example.com",
        "password1": "correct horse battery",
        "password2": "correct horse battery",
    }
    data.update(overrides)
    return data


# Sign up


def test_signup_page(client):
    response = client.get(SIGNUP)
    assert response.status_code == 200
    page = text(response)
    assert "Create an account" in page
    assert "Your password must contain at least 12 characters." in page
    # What the email is for, before anyone gives it.
    assert "Used to reset your password and, if you turn them on, for email alerts about the companies" in page


def test_signup_creates_the_account_signs_in_and_lands_on_bookmarks(client):
    response = client.post(SIGNUP, signup_data())
    assertRedirects(response, reverse("bookmarks:bookmark_list"), fetch_redirect_response=False)
    user = User.objects.get(username="robin")
    assert user.email == "robin@example.com"
    assert not user.is_staff
    assert int(client.session["_auth_user_id"]) == user.pk
    assert "Welcome, robin: your account is ready." in text(client.get(response["Location"]))


def test_signup_follows_a_safe_next_only(client):
    response = client.post(SIGNUP + "?next=/companies/", signup_data())
    assertRedirects(response, "/companies/", fetch_redirect_response=False)
    client.post(LOGOUT)
    response = client.post(SIGNUP, signup_data(username="kim", next="https://evil.example/"))
    assertRedirects(response, reverse("bookmarks:bookmark_list"), fetch_redirect_response=False)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"password1": "short pass", "password2": "short pass"},
            "This password is too short. It must contain at least 12 characters.",
        ),
        ({"password1": "password1234", "password2": "password1234"}, "This password is too common."),
        ({"password1": "4815162342108", "password2": "4815162342108"}, "This password is entirely numeric."),
        ({"password2": "something else entirely"}, "The two password fields didn’t match."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"email": ""}, "This field is required."),
        ({"username": "bad name!"}, "Enter a valid username."),
    ],
)
def test_signup_bad_input_explains_itself(client, overrides, message):
    response = client.post(SIGNUP, signup_data(**overrides))
    assert response.status_code == 200
    assert message in text(response)
    assert "There is a problem" in text(response)
    assert not User.objects.exists()


def test_signup_refuses_a_taken_username_in_any_case(client):
    make_user(username="Robin")
    response = client.post(SIGNUP, signup_data(username="robin"))
    assert "A user with that username already exists." in text(response)
    assert User.objects.count() == 1


def test_signed_in_user_is_sent_on_from_signup(client, user):
    client.force_login(user)
    assertRedirects(client.get(SIGNUP), reverse("bookmarks:bookmark_list"), fetch_redirect_response=False)


@pytest.mark.parametrize("page", [LOGIN, SIGNUP])
@pytest.mark.parametrize("next_url", [LOGIN, SIGNUP, f"{LOGIN}?next=/x/", f"http://testserver{SIGNUP}"])
def test_signed_in_user_with_a_next_back_to_sign_in_does_not_loop(client, user, page, next_url):
    client.force_login(user)
    response = client.get(page, {"next": next_url})
    assertRedirects(response, reverse("bookmarks:bookmark_list"), fetch_redirect_response=False)


def test_no_account_is_seeded(loaded_edition):
    assert not get_user_model().objects.exists()


# Sign in and out


def test_login_page(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assertContains(response, "<h1>Sign in</h1>", html=True)
    assertContains(response, f'href="{reverse("accounts:password_reset")}"')


def test_login_signs_in_and_follows_next(client):
    user = make_user(username="casey", password=PASSWORD)
    response = client.post(LOGIN, {"username": "casey", "password": PASSWORD, "next": "/companies/"})
    assertRedirects(response, "/companies/", fetch_redirect_response=False)
    assert int(client.session["_auth_user_id"]) == user.pk


def test_login_with_a_wrong_password_says_so(client):
    make_user(username="casey", password=PASSWORD)
    response = client.post(LOGIN, {"username": "casey", "password": "wrong password"})
    assert response.status_code == 200
    assert "Please enter a correct username and password." in text(response)
    assert "_auth_user_id" not in client.session


def test_login_links_to_signup_keeping_next(client):
    response = client.get(LOGIN + "?next=/companies/%3Fq%3Dx")
    assertContains(response, f'href="{SIGNUP}?next=/companies/%3Fq%3Dx"')


def test_logout_is_post_only(client, user):
    client.force_login(user)
    assert client.get(LOGOUT).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(LOGOUT)
    assertRedirects(response, reverse("home"), fetch_redirect_response=False)
    assert "_auth_user_id" not in client.session


# The account page and deletion


def test_account_page_needs_sign_in(client):
    assertRedirects(client.get(ACCOUNT), f"{LOGIN}?next={ACCOUNT}", fetch_redirect_response=False)


def test_account_page(client):
    user = make_user(username="casey", email="casey@example.com")
    make_bookmark(user=user)
    make_bookmark(user=user)
    client.force_login(user)
    page = text(client.get(ACCOUNT))
    assert "Signed in as casey (casey@example.com)." in page
    assert "You have 2 bookmarks" in page


def test_account_delete_asks_for_the_password(client, user):
    make_bookmark(user=user)
    client.force_login(user)
    response = client.get(DELETE)
    assert "and its 1 bookmark, with every note and stage, will be deleted for good." in text(response)
    response = client.post(DELETE, {"password": "not my password"})
    assert response.status_code == 200
    assert "That is not your password. Nothing was deleted." in text(response)
    assert User.objects.filter(pk=user.pk).exists()
    assert Bookmark.objects.count() == 1


def test_account_delete_is_post_only_in_effect(client, user):
    client.force_login(user)
    client.get(DELETE, {"password": PASSWORD})
    assert User.objects.filter(pk=user.pk).exists()


def test_account_delete_removes_the_user_with_bookmarks_and_notes(client):
    user = make_user(password=PASSWORD)
    make_bookmark(user=user, note="private")
    make_bookmark(user=user)
    other = make_bookmark()
    client.force_login(user)
    response = client.post(DELETE, {"password": PASSWORD})
    assertRedirects(response, reverse("home"), fetch_redirect_response=False)
    assert not User.objects.filter(pk=user.pk).exists()
    assert list(Bookmark.objects.all()) == [other]
    assert "_auth_user_id" not in client.session


def test_account_delete_needs_sign_in(client):
    response = client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# The account links in the header


def test_header_offers_sign_in_and_up_to_visitors(client):
    response = client.get(reverse("companies:company_list") + "?q=rag")
    assertContains(response, f'href="{LOGIN}?next=/companies/%3Fq%3Drag"')
    assertContains(response, f'href="{SIGNUP}?next=/companies/%3Fq%3Drag"')
    assertNotContains(response, f'action="{LOGOUT}"')


def test_header_offers_bookmarks_account_and_sign_out_to_users(client, user):
    client.force_login(user)
    response = client.get(reverse("companies:company_list"))
    assertContains(response, f'href="{reverse("bookmarks:bookmark_list")}">Bookmarks</a>')
    assertContains(response, f'href="{ACCOUNT}">Account</a>')
    assertContains(response, f'<form class="account-nav__logout" method="post" action="{LOGOUT}">')
    assertNotContains(response, f'href="{LOGIN}')


def test_a_person_creates_sees_once_and_revokes_their_api_token(client):
    user = make_user()
    client.force_login(user)
    assert "You have none." in visible_text(client.get(reverse("accounts:account")))
    created = client.post(reverse("accounts:api_token"), {"action": "create"})
    key = Token.objects.get(user=user).key
    assert key in created.content.decode()
    assert "no-store" in created["Cache-Control"]
    assert key not in client.get(reverse("accounts:account")).content.decode()
    api = Client()
    assert api.get("/api/bookmarks/", headers={"Authorization": f"Token {key}"}).status_code == 200
    client.post(reverse("accounts:api_token"), {"action": "revoke"})
    assert api.get("/api/bookmarks/", headers={"Authorization": f"Token {key}"}).status_code == 401


def test_a_password_change_stops_the_old_api_token(client):
    user = make_user(password="a-long-test-password")
    token = Token.objects.create(user=user)
    client.force_login(user)
    new = "another long passphrase"
    data = {"old_password": "a-long-test-password", "new_password1": new, "new_password2": new}
    client.post(reverse("accounts:password_change"), data)
    assert not Token.objects.filter(key=token.key).exists()
