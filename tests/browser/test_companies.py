"""The company pages in Chromium, on a desktop (1280px) and a phone (390px): list, filters, profile, compare."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = ["desktop", "phone"]


def open_page(request, viewport):
    page = request.getfixturevalue("page" if viewport == "desktop" else "phone_page")
    if viewport == "desktop":
        page.set_viewport_size({"width": 1280, "height": 900})
    return page


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_company_list(request, live_server, loaded_edition, viewport):
    page = open_page(request, viewport)
    page.goto(f"{live_server.url}/companies/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Companies hiring AI engineers")
    expect(page.get_by_role("status").filter(has_text="25 companies")).to_be_visible()
    expect(page.locator("table.company-table tbody tr")).to_have_count(25)
    anthropic = page.locator("tr", has=page.get_by_role("link", name="Anthropic", exact=True))
    expect(anthropic).to_contain_text("Top of market ($200K-400K+)")
    expect(anthropic.locator("svg.paybar")).to_be_visible()
    expect(page.locator("tr", has_text="Google DeepMind")).to_contain_text("$250K-500K+ total comp")
    expect(page.locator("tr", has_text="Perplexity")).to_contain_text("Growing team")
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_filtering_the_list(request, live_server, loaded_edition, viewport):
    page = open_page(request, viewport)
    page.goto(f"{live_server.url}/companies/")
    if viewport == "phone":
        page.locator("summary", has_text="Filters").click()
    page.get_by_label("Category").select_option(label="Big Tech AI Teams")
    page.get_by_label("Pay reaches (USD)").fill("330000")
    page.get_by_role("button", name="Show companies").click()
    expect(page).to_have_url(
        f"{live_server.url}/companies/?q=&category=big-tech-ai-teams&role=&outlook=&comp_min=330000&ordering=name"
    )
    expect(page.get_by_role("status").filter(has_text="match")).to_have_text("3 companies match your filters")
    expect(page.locator("table.company-table tbody tr")).to_have_count(3)  # DeepMind, Meta AI, Microsoft
    expect(page.get_by_label("Category")).to_have_value("big-tech-ai-teams")
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []

    page.get_by_role("link", name="Remove filter: Pay reaches $330K").click()
    expect(page.get_by_role("status").filter(has_text="match")).to_have_text("4 companies match your filters")

    page.get_by_role("link", name="Highest pay first", exact=True).click()
    if viewport == "phone":
        page.locator("summary", has_text="Filters").click()
    page.get_by_label("Search", exact=True).fill("open-source")
    page.get_by_role("button", name="Show companies").click()
    expect(page.locator("table.company-table tbody tr")).to_have_count(1)
    expect(page.locator("table.company-table tbody")).to_contain_text("Meta AI")
    expect(page).to_have_url(re.compile(r"ordering=-comp_max"))  # the sort chosen above is kept


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_results_come_first_and_the_filters_fold_away_on_a_phone(request, live_server, loaded_edition, viewport):
    page = open_page(request, viewport)
    page.goto(f"{live_server.url}/companies/")
    first_row = page.locator("table.company-table tbody tr").first
    expect(first_row).to_be_in_viewport()
    expect(first_row.locator(".initials")).to_have_text("A")  # Amazon (AWS AI)
    search = page.get_by_label("Search", exact=True)
    if viewport == "phone":
        expect(search).to_be_hidden()
        page.locator("summary", has_text="Filters").click()
    page.get_by_label("Watch list").select_option(label="Growing teams")
    page.get_by_role("button", name="Show companies").click()
    expect(page.get_by_role("link", name="Remove filter: Growing teams")).to_be_visible()
    expect(page.locator("summary", has_text="Filters")).to_have_text("Filters (1 in use)")
    expect(page.locator("table.company-table tbody")).to_contain_text("Perplexity")
    expect(page.locator("table.company-table tbody")).not_to_contain_text("Databricks")  # a stable employer
    assert not has_horizontal_scroll(page)


def test_column_headers_sort_the_list_without_javascript(live_server, browser, loaded_edition):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/companies/?category=big-tech-ai-teams")
    header = page.get_by_role("columnheader", name="Pay")
    expect(page.get_by_role("columnheader", name="Company")).to_have_attribute("aria-sort", "ascending")
    header.get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/companies/?category=big-tech-ai-teams&ordering=-comp_max")
    expect(page.get_by_role("columnheader", name="Pay")).to_have_attribute("aria-sort", "descending")
    expect(page.locator("table.company-table tbody tr").first).to_contain_text("Google DeepMind")  # $250K-500K+
    expect(page.get_by_role("link", name="Highest pay first", exact=True)).to_have_attribute("aria-current", "true")
    page.get_by_role("columnheader", name="Pay").get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/companies/?category=big-tech-ai-teams&ordering=comp_min")
    expect(page.get_by_role("columnheader", name="Pay")).to_have_attribute("aria-sort", "ascending")
    page.get_by_role("columnheader", name="Company").get_by_role("link").click()
    expect(page.locator("table.company-table tbody tr").first).to_contain_text("Amazon (AWS AI)")
    context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_bad_filter_value_explains_itself(request, live_server, loaded_edition, viewport):
    page = open_page(request, viewport)
    response = page.goto(f"{live_server.url}/companies/?comp_min=abc&category=nope")
    assert response.status == 400
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem with the filters")
    expect(summary).to_contain_text("Enter pay as a whole number of US dollars, like 250000.")
    expect(summary).to_contain_text("Choose a category from the list")
    summary.get_by_role("link", name="Category: Choose a category from the list").click()
    expect(page.get_by_label("Category")).to_be_focused()
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_company_profile(request, live_server, loaded_edition, viewport):
    page = open_page(request, viewport)
    page.goto(f"{live_server.url}/companies/")
    page.get_by_role("link", name="Anthropic", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/companies/anthropic/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anthropic")
    expect(page.locator(".pay-headline")).to_have_text("Top of market ($200K-400K+), basis not stated")
    chart = page.locator("figure.chart")
    expect(chart).to_contain_text("Anthropic’s pay against the market’s levels")
    expect(chart.get_by_role("img", name="Anthropic’s pay against the market’s levels")).to_be_visible()
    expect(page.locator(".provenance")).to_contain_text("Last verified 31 Jan 2026")
    expect(page.get_by_role("heading", name="Other AI-Native Companies")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []

    page.locator(".summary-list").get_by_role("link", name="Research Engineer").click()
    expect(page).to_have_url(f"{live_server.url}/companies/?role=research-engineer")
    expect(page.locator("table.company-table tbody tr")).to_have_count(2)  # Anthropic and Mistral


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_compare_from_the_list(request, live_server, loaded_edition, viewport):
    page = open_page(request, viewport)
    page.goto(f"{live_server.url}/companies/")
    compare = page.get_by_role("button", name="Compare ticked companies")
    expect(compare).to_be_hidden()  # until a row is ticked
    page.get_by_label("Compare Anthropic").check()
    page.get_by_label("Compare Google DeepMind").check()
    expect(page.locator(".compare-bar")).to_contain_text("2 companies ticked (up to four).")
    for name in ["Cohere", "Mistral", "Stripe"]:
        page.get_by_label(f"Compare {name}", exact=True).check()
    expect(page.locator(".compare-bar")).to_contain_text("5 companies ticked: compare shows the first four.")
    for name in ["Cohere", "Mistral", "Stripe"]:
        page.get_by_label(f"Compare {name}", exact=True).uncheck()
    page.get_by_label("Compare Writer").scroll_into_view_if_needed()  # the foot of the list
    page.mouse.wheel(0, -600)
    expect(compare).to_be_in_viewport()  # the bar stays on screen while the list scrolls
    compare.click()
    expect(page).to_have_url(f"{live_server.url}/companies/compare/?c=anthropic&c=google-deepmind")
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare 2 companies")
    table = page.locator("table.compare-table")
    expect(table).to_contain_text("Top of market ($200K-400K+)")
    expect(table).to_contain_text("$250K-500K+ total comp")
    expect(table).to_contain_text("Research publications or equivalent impact")
    expect(page.locator("figure.chart")).to_contain_text("Their pay side by side")
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []

    page.get_by_label("Company 3 (optional)").select_option(label="OpenAI")
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare 3 companies")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_compare_explains_what_is_missing(request, live_server, loaded_edition, viewport):
    page = open_page(request, viewport)
    page.goto(f"{live_server.url}/companies/compare/?c=anthropic&c=no-such-co")
    expect(page.get_by_role("status").first).to_contain_text("We couldn’t find a company called “no-such-co”.")
    expect(page.get_by_text("Choose at least one more company to compare with Anthropic.")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []


def test_skip_link_and_focus_are_visible(live_server, page, loaded_edition):
    page.goto(f"{live_server.url}/companies/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/companies/#main")


def test_dark_mode_keeps_the_page_accessible(browser, live_server, loaded_edition):
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/companies/anthropic/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(17, 20, 24)"
    assert axe_violations(page) == []
    context.close()


def test_a_profile_link_is_copied_with_one_click(live_server, loaded_edition, browser):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/companies/anthropic/")
    page.get_by_role("link", name="Copy link to this profile").click()
    expect(page.get_by_text("Link copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}/companies/anthropic/"
    context.close()


def test_save_without_javascript_returns_to_the_row(live_server, browser, loaded_edition):
    from tests.browser.test_bookmarks import PASSWORD, sign_in
    from tests.conftest import make_user

    make_user(username="robin", password=PASSWORD)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "robin")
    page.goto(f"{live_server.url}/companies/")
    page.get_by_role("button", name="Save Writer to your bookmarks").click()  # the list's last row
    expect(page).to_have_url(f"{live_server.url}/companies/#save-writer")
    expect(page.get_by_role("button", name="Saved in your bookmarks: remove Writer")).to_be_in_viewport()
    expect(page.locator("table.company-table tbody tr").first).not_to_be_in_viewport()
    context.close()
