"""The offer check in Chromium: on a desktop and a phone, by link, with bad input, and without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_offer(page, *, level="Senior (5-8 yrs)", base="230000", total="300k", company="Cohere"):
    page.get_by_label("Level").select_option(label=level)
    page.get_by_label("Base salary").fill(base)
    page.get_by_label("Total compensation").fill(total)
    page.get_by_label("Company (optional)").select_option(label=company)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_check_an_offer(request, live_server, loaded_edition, viewport):
    page = request.getfixturevalue("page" if viewport == "desktop" else "phone_page")
    if viewport == "desktop":
        page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/offer-check/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check an offer")
    expect(page.get_by_text("Nothing you enter is stored or logged")).to_be_visible()
    expect(page.locator(".offer-advice")).to_contain_text("Don't accept the first offer")
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []

    fill_offer(page)
    page.get_by_role("button", name="Check my offer").click()
    result = page.locator("#result")
    expect(result.get_by_role("heading", level=2)).to_have_text("Your offer against the Senior (5-8 yrs) band")
    table = page.locator("#offer-table")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table.locator("tbody tr").nth(0)).to_contain_text("In the middle third")
    expect(table.locator("tbody tr").nth(3)).to_contain_text("Above the band")
    expect(page.locator("figure.offer-chart")).to_be_visible()
    assert page.url == f"{live_server.url}/offer-check/"  # posted: the figures are not in the address
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_link_to_share_holds_only_the_offer(live_server, loaded_edition, browser, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    if javascript:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/offer-check/")
    fill_offer(page, level="Staff (8+ yrs)", base="300000", total="420000", company="No company")
    page.get_by_role("button", name="Check my offer").click()
    page.get_by_role("link", name="Copy link").click()
    if javascript:
        expect(page.get_by_text("Link copied.")).to_be_visible()
        shared = page.evaluate("navigator.clipboard.readText()")
    else:
        expect(page.locator("#result")).to_contain_text("This page’s address holds your figures")
        shared = page.url
    assert shared == f"{live_server.url}/offer-check/?level=staff&base=300000&total=420000"
    assert "csrfmiddlewaretoken" not in shared

    other = browser.new_page()
    other.goto(shared)
    expect(other.locator("#offer-table tbody tr").first).to_contain_text("In the upper third")
    other.close()
    context.close()


def test_bad_input_is_explained(live_server, loaded_edition, page):
    page.goto(f"{live_server.url}/offer-check/")
    page.get_by_label("Base salary").fill("-5000")
    page.get_by_label("Total compensation").fill("12")
    page.get_by_role("button", name="Check my offer").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Choose the level of the role.")
    expect(summary).to_contain_text("Your base salary must be more than $0.")
    expect(summary).to_contain_text("$12 is less than $10,000 a year")
    expect(page.locator("#result")).to_have_count(0)
    summary.get_by_role("link", name="Choose the level of the role.").click()
    expect(page.get_by_label("Level")).to_be_focused()
    assert axe_violations(page) == []


def test_works_without_javascript(live_server, loaded_edition, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/offer-check/")
    fill_offer(page, level="Mid (2-5 yrs)", base="150000", total="185000", company="No company")
    page.get_by_role("button", name="Check my offer").click()
    table = page.locator("#offer-table")
    expect(table.locator("tbody tr").nth(0)).to_contain_text("Below the band")
    expect(table.locator("tbody tr").nth(0)).to_contain_text("$10K below the low end")
    context.close()
