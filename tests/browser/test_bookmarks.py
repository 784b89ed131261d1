"""Bookmarks in Chromium: from the company list to /bookmarks/ and back, with and without JavaScript."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from bookmarks.models import Bookmark
from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.conftest import make_bookmark, make_company, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long browser passphrase"


@pytest.fixture
def companies(db):
    return [make_company(name=name, slug=name.lower()) for name in ("Anthropic", "Cohere", "Mistral")]


def csp_errors(page):
    """Collect console messages about Content Security Policy violations."""
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None
    )
    return errors


def sign_up(page, live_server, username="robin"):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_bookmark_flow_with_javascript(live_server, page, companies):
    errors = csp_errors(page)
    sign_up(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your bookmarks")
    expect(page.get_by_text("You have not saved any companies yet.")).to_be_visible()
    user = User.objects.get(username="robin")

    page.get_by_role("link", name="company list").click()
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("button", name="Save Anthropic to your bookmarks").click()
    saved = page.get_by_role("button", name="Saved in your bookmarks: remove Anthropic")
    expect(saved).to_be_visible()
    expect(saved).to_be_focused()
    assert page.evaluate("window.stillTheSamePage") is True  # swapped in place, no page load
    assert Bookmark.objects.filter(user=user, company__slug="anthropic").count() == 1

    page.get_by_role("link", name="Bookmarks", exact=True).click()
    card = page.locator(".bookmark-card", has_text="Anthropic")
    expect(card).to_contain_text("Researching")
    page.evaluate("window.stillTheSamePage = true")
    card.get_by_role("link", name="Edit note and stage for Anthropic").click()
    card = page.locator(".bookmark-card", has_text="Anthropic")
    card.get_by_label("Stage for Anthropic").select_option("interviewing")
    card.get_by_label("Private note on Anthropic").fill("Onsite on Thursday")
    card.get_by_role("button", name="Save note and stage for Anthropic").click()
    card = page.locator(".bookmark-card", has_text="Anthropic")
    expect(card.get_by_role("status")).to_have_text("Saved.")
    expect(card.locator(".bookmark-stage")).to_have_text("Interviewing")
    assert page.evaluate("window.stillTheSamePage") is True
    bookmark = Bookmark.objects.get(user=user)
    assert (bookmark.stage, bookmark.note) == ("interviewing", "Onsite on Thursday")

    page.reload()
    expect(page.locator(".bookmark-card", has_text="Anthropic")).to_contain_text("Onsite on Thursday")
    page.get_by_role("button", name="Remove Anthropic from bookmarks").click()
    expect(page.get_by_text("Anthropic is removed from your bookmarks. Its note and stage are kept")).to_be_visible()
    assert not Bookmark.objects.filter(user=user).exists()

    page.get_by_role("button", name="Undo: save Anthropic again, with its note and stage").click()
    card = page.locator(".bookmark-card", has_text="Anthropic")
    expect(card.get_by_role("status")).to_have_text("Saved again.")
    expect(card).to_contain_text("Onsite on Thursday")
    expect(card.locator(".bookmark-stage")).to_have_text("Interviewing")
    assert Bookmark.objects.get(user=user).note == "Onsite on Thursday"
    assert errors == []


def test_bookmark_flow_without_javascript(live_server, browser, companies):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_up(page, live_server)
    user = User.objects.get(username="robin")

    page.goto(f"{live_server.url}/companies/")
    page.get_by_role("button", name="Save Cohere to your bookmarks").click()
    expect(page).to_have_url(f"{live_server.url}/companies/#save-cohere")
    expect(page.get_by_text("Cohere is saved in your bookmarks.")).to_be_visible()
    expect(page.get_by_role("button", name="Saved in your bookmarks: remove Cohere")).to_be_visible()
    assert Bookmark.objects.filter(user=user, company__slug="cohere").count() == 1

    page.get_by_role("link", name="Bookmarks", exact=True).click()
    page.get_by_role("link", name="Edit note and stage for Cohere").click()
    page.get_by_label("Stage").select_option("applied")
    page.get_by_label("Private note").fill("Applied through the careers page")
    page.get_by_role("button", name="Save note and stage").click()
    expect(page).to_have_url(f"{live_server.url}/bookmarks/")
    expect(page.get_by_text("Your note and stage for Cohere are saved.")).to_be_visible()
    expect(page.locator(".bookmark-card", has_text="Cohere")).to_contain_text("Applied through the careers page")
    bookmark = Bookmark.objects.get(user=user)
    assert (bookmark.stage, bookmark.note) == ("applied", "Applied through the careers page")

    page.get_by_role("button", name="Remove Cohere from bookmarks").click()
    expect(page).to_have_url(f"{live_server.url}/bookmarks/#save-cohere")  # its Restore button
    expect(page.get_by_text("Cohere is removed from your bookmarks. Its note and stage are kept")).to_be_visible()
    expect(page.get_by_text("You have not saved any companies yet.")).to_be_visible()
    assert not Bookmark.objects.filter(user=user).exists()
    page.get_by_role("button", name="Restore Cohere").click()
    expect(page.get_by_text("Cohere is saved in your bookmarks.")).to_be_visible()
    expect(page.locator(".bookmark-card", has_text="Cohere")).to_contain_text("Applied through the careers page")
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_anonymous_bookmark_is_saved_after_signing_up(live_server, browser, companies, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server.url}/companies/?q=mistral")
    page.get_by_role("link", name="Save Mistral to your bookmarks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_text("it is saved in your bookmarks as soon as you are in")).to_be_visible()

    page.get_by_role("link", name="create an account", exact=True).click()
    expect(page.get_by_text("Once your account is ready, Mistral is saved in your bookmarks.")).to_be_visible()
    page.get_by_label("Username").fill("robin")
    page.get_by_label("Email").fill("robin@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(f"{live_server.url}/companies/?q=mistral#save-mistral")  # back at its row
    expect(page.get_by_text("Mistral is saved in your bookmarks.")).to_be_visible()
    expect(page.get_by_role("button", name="Saved in your bookmarks: remove Mistral")).to_be_visible()
    assert Bookmark.objects.get().company.slug == "mistral"
    context.close()


def test_compare_from_bookmarks(live_server, page, companies):
    user = make_user(username="casey", password=PASSWORD)
    for company in companies:
        make_bookmark(user=user, company=company)
    sign_in(page, live_server, "casey")
    page.get_by_role("button", name="Compare selected").click()
    expect(page.get_by_text("Tick between 2 and 4 companies to compare; you have ticked 0.")).to_be_visible()
    page.get_by_label("Compare Anthropic").check()
    page.get_by_label("Compare Mistral").check()
    expect(page.get_by_text("2 ticked.")).to_be_visible()
    page.get_by_role("button", name="Compare selected").click()
    expect(page).to_have_url(f"{live_server.url}/companies/compare/?c=mistral&c=anthropic")


def test_bookmarks_page_passes_axe_and_fits_a_phone(live_server, page, phone_page, companies):
    user = make_user(username="casey", password=PASSWORD)
    for company in companies:
        make_bookmark(user=user, company=company, note="A note")
    sign_in(page, live_server, "casey")
    assert axe_violations(page) == []
    sign_in(phone_page, live_server, "casey")
    assert not has_horizontal_scroll(phone_page)
    phone_page.goto(f"{live_server.url}/bookmarks/?stage=nope")
    assert not has_horizontal_scroll(phone_page)
    assert axe_violations(phone_page) == []
