"""Accounts in Chromium: sign up, sign out and in, the lockout page, deleting the account."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.conftest import make_bookmark, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long browser passphrase"


def fill_signup(page, username="robin", password=PASSWORD, confirmation=PASSWORD):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password confirmation").fill(confirmation)
    page.get_by_role("button", name="Create account").click()


def test_sign_up_out_and_in(live_server, page):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Sign up").click()
    fill_signup(page, password="short", confirmation="short")
    expect(page.get_by_role("alert")).to_contain_text("This password is too short.")
    assert axe_violations(page) == []
    fill_signup(page)
    expect(page.get_by_text("Welcome, robin: your account is ready.")).to_be_visible()
    assert User.objects.filter(username="robin").exists()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("robin")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username and password.")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/")  # back where "Sign in" was pressed
    expect(page.get_by_role("link", name="Account")).to_be_visible()


def test_lockout_page_after_five_failures(live_server, page):
    make_user(username="casey", password=PASSWORD)
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(5):
        page.get_by_label("Username").fill("casey")
        page.get_by_label("Password").fill("wrong guess")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many sign-in attempts")
    expect(page.locator("main")).to_contain_text("is paused for 15 minutes")
    expect(page.get_by_role("link", name="Reset it by email")).to_be_visible()
    assert axe_violations(page) == []


def test_delete_account(live_server, page):
    user = make_user(username="casey", password=PASSWORD)
    make_bookmark(user=user, note="private")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Delete account…").click()
    expect(page.locator("main")).to_contain_text("its 1 bookmark, with every note and stage, will be deleted for good")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account and its 1 bookmark are deleted.")).to_be_visible()
    assert not User.objects.exists()


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_account_pages_pass_axe_and_fit_a_phone(live_server, page, phone_page, path):
    page.goto(f"{live_server.url}{path}")
    assert axe_violations(page) == []
    phone_page.goto(f"{live_server.url}{path}")
    assert not has_horizontal_scroll(phone_page)


def test_signed_in_account_pages_pass_axe(live_server, page):
    make_user(username="casey", password=PASSWORD)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    for path in ["/bookmarks/", "/accounts/", "/accounts/password/", "/accounts/delete/"]:
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
