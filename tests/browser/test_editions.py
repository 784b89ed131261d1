"""A second edition in Chromium: an editor starts and publishes it in the admin; readers see the movement and can
still choose the previous edition on the salary page."""

import datetime

import pytest
from playwright.sync_api import expect

from companies.models import Company
from market.models import Edition, SalaryBenchmark, SalaryLevel
from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.conftest import make_editor

# No serialized_rollback: after another transactional test's flush the content types come back with other ids,
# and restoring the serialized ones collides with them. make_editor() recreates the Editors group when needed.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def sign_in_to_admin(page, live_server, user):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Curate the guide")).to_be_visible()


def test_editor_starts_and_publishes_the_next_edition(live_server, loaded_edition, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_to_admin(page, live_server, make_editor())

    page.goto(f"{live_server.url}/admin/market/edition/")
    page.get_by_role("link", name="Start the next edition").click()
    expect(page.get_by_label("Name")).to_have_value("Q2 2026")
    expect(page.get_by_label("Slug")).to_have_value("2026-q2")
    page.get_by_role("button", name="Start the draft edition").click()
    expect(page.locator(".messagelist")).to_contain_text("Started Q2 2026 as a draft")

    # The draft's senior benchmark, edited like any figure: the senior band moves up $10K.
    q2 = Edition.objects.get(slug="2026-q2")
    senior = SalaryBenchmark.objects.get(edition=q2, level=SalaryLevel.SENIOR)
    page.goto(f"{live_server.url}/admin/market/salarybenchmark/{senior.pk}/change/")
    page.locator("#id_base_min").fill("210000")
    page.locator("#id_base_max").fill("270000")
    page.get_by_role("button", name="Save", exact=True).click()
    # A changed figure needs the editor's word that they checked it; what they typed stays.
    expect(page.locator(".errorlist")).to_contain_text("Tick “Checked today” once you have checked the new figures")
    expect(page.locator("#id_base_min")).to_have_value("210000")
    page.get_by_label("Checked today").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"{live_server.url}/admin/market/edition/{q2.pk}/change/")
    page.get_by_role("link", name="Publish edition").click()
    expect(page.locator("#content-main")).to_contain_text("Q1 2026 stays published")
    page.get_by_role("button", name="Publish Q2 2026").click()
    expect(page.locator(".messagelist")).to_contain_text("Q2 2026 is published and is now the current edition.")

    page.goto(f"{live_server.url}/salaries/")
    expect(page.locator(".eyebrow").first).to_have_text("Q2 2026 edition")
    expect(page.locator("#salary-table")).to_contain_text("Change since Q1 2026")
    expect(page.locator("#salary-table tbody tr").nth(2)).to_contain_text("$210K-270K")


@pytest.fixture
def second_edition(loaded_edition):
    from market.services import edition_publish, edition_start_next

    cohere = Company.objects.get(slug="cohere")
    cohere.comp_min, cohere.comp_max = 180_000, 290_000
    cohere.save()
    q2 = edition_start_next(name="Q2 2026", slug="2026-q2", published_on=datetime.date(2026, 4, 30))
    SalaryBenchmark.objects.filter(edition=q2, level=SalaryLevel.JUNIOR).update(base_min=130_000)
    return edition_publish(edition=q2)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_edition_selector_and_movement(request, live_server, second_edition, viewport):
    page = request.getfixturevalue("page" if viewport == "desktop" else "phone_page")
    if viewport == "desktop":
        page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/salaries/")
    table = page.locator("#salary-table")
    expect(table.locator("tbody tr").first).to_contain_text("$130K-160K")
    expect(table.locator("tbody tr").first).to_contain_text("+$5K")
    page.get_by_label("Edition", exact=True).select_option(label="Q1 2026")
    page.get_by_role("button", name="Show edition").click()
    expect(page).to_have_url(f"{live_server.url}/salaries/?edition=2026-q1")
    expect(table.locator("tbody tr").first).to_contain_text("$125K-160K")
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/")
    movement = page.locator("#since-previous")
    expect(movement.get_by_role("heading", level=2)).to_have_text("What moved since the Q1 2026 edition")
    expect(movement).to_contain_text("Base $125K-160K → $130K-160K")
    expect(movement).to_contain_text("Pay range $170K-280K → $180K-290K")
    assert not has_horizontal_scroll(page)

    page.goto(f"{live_server.url}/changes/")
    expect(page.locator("#since-edition")).to_contain_text("Cohere")
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
