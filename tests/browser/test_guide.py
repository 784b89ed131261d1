"""The guide's public pages in Chromium: phone and desktop layouts, keyboard use, no JavaScript, and axe-core."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/market/",
    "/advice/",
    "/advice/whats-working/",
    "/advice/negotiation/",
    "/search/",
    "/search/?q=engineer",
    "/search/?q=engineer&type=companies",
    "/search/?q=",
    "/search/?q=blockchain",
    "/no-such-page/",
]


@pytest.fixture
def edition(transactional_db):
    call_command("load_edition", verbosity=0)


def csp_errors(page):
    """Collect console messages about Content Security Policy violations."""
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None
    )
    return errors


def test_home_on_a_desktop(live_server, page, edition):
    page.set_viewport_size({"width": 1280, "height": 900})
    errors = csp_errors(page)
    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("AI Hiring Guide Q1 2026")
    expect(page.get_by_text("1,969 active postings")).to_be_visible()
    expect(page.get_by_role("link", name="Anthropic", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="The Bottom Line")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert errors == []


def test_home_on_a_phone_does_not_scroll_sideways(live_server, phone_page, edition):
    phone_page.goto(live_server.url)
    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
    assert not has_horizontal_scroll(phone_page)
    # The salary table turns into cards that still say what each figure is.
    junior = phone_page.get_by_role("row", name="Junior (0-2 yrs)")
    expect(junior).to_contain_text("$125K-160K")
    assert junior.bounding_box()["width"] <= 390


@pytest.mark.parametrize("path", ["/market/", "/advice/", "/search/?q=engineer", "/no-such-page/"])
def test_other_pages_fit_a_phone(live_server, phone_page, edition, path):
    phone_page.goto(f"{live_server.url}{path}")
    assert not has_horizontal_scroll(phone_page)


def test_every_fact_is_reachable_from_home_by_following_links(live_server, page, edition):
    page.goto(live_server.url)
    page.get_by_role("link", name="Anthropic", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/companies/anthropic/")
    page.go_back()
    page.get_by_role("link", name="The market in full").click()
    expect(page.get_by_text("Fully remote roles decreased 12% from Q4 2025")).to_be_visible()
    page.go_back()
    page.get_by_role("link", name="Negotiation").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Negotiation")
    expect(page.get_by_text("Don't accept the first offer")).to_be_visible()


def test_skip_link_moves_the_keyboard_to_the_content(live_server, page, edition):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/#main")


def test_search_works_without_javascript(live_server, browser, edition):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/search/")
    page.get_by_label("Search the guide", exact=True).last.fill("negotiation")
    page.get_by_role("button", name="Search").last.click()
    expect(page.get_by_text("Advice (1)")).to_be_visible()
    expect(page.get_by_role("link", name="Negotiation", exact=True)).to_be_visible()
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations(live_server, page, edition, path):
    errors = csp_errors(page)
    page.goto(f"{live_server.url}{path}")
    assert axe_violations(page) == []
    assert errors == []


@pytest.mark.parametrize("path", ["/", "/market/", "/advice/"])
def test_axe_finds_no_violations_in_dark_mode(live_server, browser, edition, path):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")
    assert axe_violations(page) == []
    context.close()
