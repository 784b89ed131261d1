"""The interactive API docs in Chromium: Swagger UI runs under the site's strict CSP, from our own static files."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import has_horizontal_scroll
from tests.conftest import make_company

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch(page):
    """Content Security Policy violations, script errors, and requests that left the site."""
    seen = {"errors": [], "external": []}
    page.on(
        "console",
        lambda message: seen["errors"].append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on(
        "request",
        lambda request: (
            seen["external"].append(request.url) if not request.url.startswith(("http://localhost", "data:")) else None
        ),
    )
    return seen


def test_docs_list_every_endpoint_on_a_desktop(live_server, page):
    seen = watch(page)

    page.goto(f"{live_server.url}/api/docs/")

    expect(page.get_by_role("heading", name="AI Hiring Guide API")).to_be_visible(timeout=20_000)
    expect(page.locator(".opblock-summary-path", has_text="/api/companies/").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/bookmarks/{id}/").first).to_be_visible()
    assert seen == {"errors": [], "external": []}


def test_docs_try_it_out_calls_the_api(live_server, page):
    make_company(name="Cohere", slug="cohere")
    page.goto(f"{live_server.url}/api/docs/#/companies/companies_retrieve")
    operation = page.locator("#operations-companies-companies_retrieve")
    expect(operation).to_be_visible(timeout=20_000)

    operation.get_by_role("button", name="Try it out").click(timeout=20_000)
    operation.get_by_placeholder("slug").fill("cohere")
    operation.get_by_role("button", name="Execute").click()

    expect(operation.locator(".live-responses-table tbody .response-col_status")).to_have_text("200", timeout=20_000)
    expect(operation.locator(".live-responses-table")).to_contain_text('"name": "Cohere"')


def test_docs_fit_a_phone(live_server, phone_page):
    seen = watch(phone_page)

    phone_page.goto(f"{live_server.url}/api/docs/#/companies/companies_list")

    expect(phone_page.locator("#operations-companies-companies_list .parameters")).to_be_visible(timeout=20_000)
    assert not has_horizontal_scroll(phone_page)
    assert seen == {"errors": [], "external": []}
