"""Every kind of page, the admin and the API docs work in Chromium under the strict CSP: no violation, no error."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from companies.models import Company
from market.models import SalaryBenchmark
from tests.conftest import make_editor, make_user

# No serialized_rollback: after another transactional test's flush the content types come back with other ids,
# and restoring the serialized ones collides with them. make_editor() recreates the Editors group when needed.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"

# Collects securitypolicyviolation events from the moment each document starts, before any page script runs.
# Playwright injects this through the DevTools protocol, which the page's CSP does not govern.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || document.location.pathname}:${event.lineNumber}`);
});
"""


class Watch:
    """Console errors, page errors, failed requests and CSP violations seen by one browser page."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        self.expected_error = None
        page.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url} {r.failure}"))
        page.on("response", self._response)

    def _console(self, message):
        if message.type not in ("error", "warning"):
            return
        url = message.location.get("url", "")
        if message.text.startswith("Failed to load resource") and (
            url == self.expected_error or url.endswith("/favicon.ico")
        ):
            return  # the browser's note about a page we asked for as a 404, or the icon it guesses for JSON
        self.problems.append(f"console {message.type}: {message.text} ({message.location.get('url')})")

    def _response(self, response):
        # A sub-resource the page asked for must exist; the page itself may be a deliberate 404.
        if (
            response.status >= 400
            and response.request.resource_type != "document"
            and not response.url.endswith("/favicon.ico")
        ):
            self.problems.append(f"{response.status} for {response.url}")

    def visit(self, url, expect_status=200):
        self.expected_error = url if expect_status >= 400 else None
        response = self.page.goto(url, wait_until="networkidle")
        assert response.status == expect_status, f"{url} answered {response.status}"
        assert "default-src 'none'" in response.headers["content-security-policy"]
        self.check(url)
        return response

    def check(self, where):
        violations = self.page.evaluate("window.__cspViolations || []")
        problems = [f"CSP violation: {v}" for v in violations] + self.problems
        self.problems = []
        assert not problems, f"{where}:\n" + "\n".join(problems)


def sign_in(watch, base, username, path="/accounts/login/"):
    watch.visit(f"{base}{path}")
    watch.page.fill("input[name=username]", username)
    watch.page.fill("input[name=password]", PASSWORD)
    with watch.page.expect_navigation(wait_until="networkidle"):
        watch.page.locator("form [type=submit]").last.click()
    watch.check(f"after signing in at {path}")


@pytest.fixture
def guide(loaded_edition):
    return {
        "company": Company.objects.get(slug="anthropic"),
        "benchmark": SalaryBenchmark.objects.first(),
        "advice": "negotiation",
    }


def test_public_pages_keep_to_the_policy(live_server, page, guide):
    watch = Watch(page)
    base = live_server.url
    for path in [
        "/",
        "/companies/",
        "/companies/?q=ai&ordering=-comp_max&outlook=growing",
        f"/companies/{guide['company'].slug}/",
        "/companies/compare/?c=anthropic&c=cohere&c=stripe",
        "/salaries/",
        "/market/",
        "/advice/",
        f"/advice/{guide['advice']}/",
        "/search/?q=rag",
        "/changes/",
        "/offer-check/",
        "/offer-check/?level=senior&base=210000&total=260000&company=anthropic",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ]:
        watch.visit(base + path)
    watch.visit(f"{base}/no-such-page/", expect_status=404)


def test_phone_layout_keeps_to_the_policy(live_server, phone_page, guide):
    watch = Watch(phone_page)
    for path in ["/", "/companies/", f"/companies/{guide['company'].slug}/", "/salaries/"]:
        watch.visit(live_server.url + path)
        # Open the navigation menu where the layout has one, so its script runs too.
        toggle = phone_page.locator("[aria-controls][aria-expanded]").first
        if toggle.count() and toggle.is_visible():
            toggle.click()
            watch.check(f"{path} menu")


def test_signed_in_pages_and_bookmarking_keep_to_the_policy(live_server, page, guide):
    make_user(username="reader", password=PASSWORD)
    watch = Watch(page)
    base = live_server.url
    sign_in(watch, base, "reader")

    watch.visit(f"{base}/companies/{guide['company'].slug}/")
    page.locator("button[formaction*='/bookmarks/companies/']").first.click()
    expect(page.get_by_role("button", name=f"Saved in your bookmarks: remove {guide['company'].name}")).to_be_visible()
    watch.check("after bookmarking")

    watch.visit(base + "/bookmarks/")
    assert page.locator("main").get_by_text("Anthropic").first.is_visible()
    for path in ["/accounts/", "/accounts/password/", "/accounts/delete/"]:
        watch.visit(base + path)


def test_admin_keeps_to_the_policy_for_editors(live_server, page, guide):
    make_editor(username="editor", password=PASSWORD)
    watch = Watch(page)
    base = live_server.url
    sign_in(watch, base, "editor", path=reverse("admin:login"))
    company, benchmark = guide["company"], guide["benchmark"]
    for path in [
        reverse("admin:index"),
        reverse("admin:companies_company_changelist"),
        reverse("admin:companies_company_changelist") + "?q=ai&is_published__exact=1",
        reverse("admin:companies_company_change", args=[company.pk]),
        reverse("admin:companies_company_add"),
        reverse("admin:companies_company_history", args=[company.pk]),
        reverse("admin:companies_company_import"),
        reverse("admin:companies_company_export"),
        reverse("admin:market_salarybenchmark_change", args=[benchmark.pk]),
        reverse("admin:market_edition_changelist"),
        reverse("admin:market_trend_changelist"),
        reverse("admin:advice_advicesection_changelist"),
    ]:
        watch.visit(base + path)

    # The import and export pages' breadcrumbs sit on the same bar as every other admin page's.
    bar = "el => getComputedStyle(el).backgroundColor"
    watch.visit(base + reverse("admin:companies_company_changelist"))
    admin_bar = page.locator(".breadcrumbs").evaluate(bar)
    for name in ("import", "export"):
        watch.visit(base + reverse(f"admin:companies_company_{name}"))
        assert page.locator(".breadcrumbs").evaluate(bar) == admin_bar != "rgba(0, 0, 0, 0)", name

    # The export page's "Select all" box works without its inline handler.
    watch.visit(base + reverse("admin:companies_company_export"))
    page.locator("[data-select-toggle]").uncheck()
    assert page.locator(".selectable-field-export-row input[type=checkbox]:checked").count() == 0
    page.locator("[data-select-toggle]").check()
    assert page.locator(".selectable-field-export-row input[type=checkbox]:not(:checked)").count() == 0
    watch.check("export page after toggling every field")

    # Saving a change form runs the admin's scripts (filter_horizontal, prepopulated slugs) and the save round trip.
    watch.visit(base + reverse("admin:companies_company_change", args=[company.pk]))
    page.fill("input[name=comp_note]", "Top of market (checked)")
    page.check("input[name=checked_today]")  # a changed pay note is a changed figure
    with page.expect_navigation(wait_until="networkidle"):
        page.locator("input[name=_save]").click()
    watch.check("after saving a company")
    assert page.get_by_text("was changed successfully").is_visible()


def test_api_docs_keep_to_the_policy(live_server, page, guide):
    watch = Watch(page)
    watch.visit(live_server.url + "/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
    page.locator(".opblock-summary").first.click()
    watch.check("/api/docs/ after opening an operation")
    watch.visit(live_server.url + "/api/")
