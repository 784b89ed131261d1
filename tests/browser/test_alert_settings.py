"""The alert settings page in Chromium: choosing levels, an error in words that keeps the choice, phone width."""

import pytest
from playwright.sync_api import expect

from bookmarks.alerts import alert_set
from bookmarks.models import AlertPreference
from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.conftest import make_bookmark, make_company, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long browser passphrase"


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/?next=/alerts/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def reader(db):
    user = make_user(username="robin", password=PASSWORD)
    for name in ("Anthropic", "Cohere"):
        alert_set(bookmark=make_bookmark(user=user, company=make_company(name=name, slug=name.lower())), enabled=True)
    return user


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_choosing_levels_explains_a_missing_one_and_saves(live_server, browser, reader, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    sign_in(page, live_server, reader)
    expect(page.get_by_role("heading", level=1)).to_have_text("Alert settings")
    expect(page.get_by_text("Alerts are on for 2 companies: Anthropic, Cohere.")).to_be_visible()
    expect(page.get_by_label("All new roles")).to_be_checked()

    page.get_by_label("Only roles at the levels I choose").check()
    page.get_by_role("button", name="Save alert settings").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Tick at least one level")
    expect(page.get_by_label("Only roles at the levels I choose")).to_be_checked()
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
    summary.get_by_role("link").click()
    expect(page.get_by_label("Junior")).to_be_focused()

    page.get_by_label("Senior").check()
    page.get_by_label("Staff+").check()
    page.get_by_role("button", name="Save alert settings").click()
    expect(
        page.get_by_text("Saved: your daily email lists new roles at these levels only: Senior, Staff+.")
    ).to_be_visible()
    expect(page.get_by_label("Senior")).to_be_checked()
    assert AlertPreference.objects.get(user=reader).new_role_levels == ["senior", "staff"]
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
    context.close()
