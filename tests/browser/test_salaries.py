"""The salary benchmarks page in Chromium on a desktop and a phone, with an earlier edition to choose."""

import datetime

import pytest
from playwright.sync_api import expect

from market.models import SalaryBenchmark
from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.conftest import make_edition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def earlier_edition(loaded_edition):
    """Q4 2025, published before the loaded Q1 2026 edition, with every level's pay $10K lower."""
    edition = make_edition(slug="2025-q4", name="Q4 2025", published_on=datetime.date(2025, 10, 31), is_current=False)
    for benchmark in SalaryBenchmark.objects.filter(edition=loaded_edition):
        benchmark.pk = None
        benchmark.edition = edition
        for field in ("base_min", "base_max", "total_min", "total_max"):
            setattr(benchmark, field, getattr(benchmark, field) - 10_000)
        benchmark.save()
    return edition


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_salaries_page(request, live_server, earlier_edition, viewport):
    page = request.getfixturevalue("page" if viewport == "desktop" else "phone_page")
    if viewport == "desktop":
        page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/salaries/")
    expect(page.get_by_role("heading", level=1)).to_have_text("AI engineer salary benchmarks")
    table = page.locator("#salary-table")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table.locator("tbody tr").first).to_contain_text("$125K-160K")
    expect(table.locator("tbody tr").first).to_contain_text("+$10K")
    expect(page.locator("figure.chart")).to_contain_text("Pay bands by level, Q1 2026")
    expect(page.get_by_text("Equity varies dramatically by company stage.")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []

    page.get_by_label("Edition", exact=True).select_option(label="Q4 2025")
    page.get_by_role("button", name="Show edition").click()
    expect(page).to_have_url(f"{live_server.url}/salaries/?edition=2025-q4")
    expect(table.locator("tbody tr").first).to_contain_text("$115K-150K")
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
