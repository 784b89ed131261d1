"""Open roles in Chromium, loaded as `make run` loads them: the demo boards through the real sync and stand-in."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from jobs.models import Posting
from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.browser.test_csp import Watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    call_command("load_edition", verbosity=0)
    call_command("load_demo_postings", verbosity=0)


def test_filters_narrow_the_list_from_the_form(live_server, page, demo):
    page.goto(f"{live_server.url}/jobs/")
    page.select_option("#id_level", "senior")
    page.fill("#id_location", "San Francisco")
    page.get_by_role("button", name="Show roles").click()

    expect(page).to_have_url(
        f"{live_server.url}/jobs/?q=&company=&role=&level=senior&workplace=&location=San+Francisco&has_pay=&posted_within=&state=open"
    )
    expect(page.get_by_role("link", name="Remove filter: Senior")).to_be_visible()
    titles = page.locator(".posting__title a").all_inner_texts()
    expected = Posting.objects.open().filter(level="senior", location_text__icontains="San Francisco").count()
    assert len(titles) == expected > 0
    assert all(title.startswith(("Senior", "Sr.")) for title in titles)


def test_a_wrong_value_in_the_address_is_explained_on_the_page(live_server, page, demo):
    response = page.goto(f"{live_server.url}/jobs/?posted_within=lots")

    assert response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("Enter a whole number of days, like 30.")
    expect(page.locator("#id_posted_within")).to_have_value("lots")  # what was typed is kept


def test_hostile_postings_run_nothing_and_keep_to_the_policy(live_server, page, demo):
    watch = Watch(page)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    hostile = Posting.objects.filter(description__icontains="javascript").first() or Posting.objects.first()
    tagged = Posting.objects.get(title="Senior Software Engineer, Inference")

    for path in ["/jobs/", "/jobs/?q=engineer&has_pay=1", hostile.get_absolute_url(), tagged.get_absolute_url()]:
        watch.visit(live_server.url + path)
    watch.visit(f"{live_server.url}/companies/{tagged.company.slug}/")

    assert dialogs == []
    assert page.locator("a[href^='javascript']").count() == 0


@pytest.mark.parametrize("width", [1280, 390])
def test_the_list_and_a_posting_read_well_at_each_width(live_server, browser, demo, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    posting = Posting.objects.open().filter(pay_min__isnull=False).first()
    for path in ["/jobs/", posting.get_absolute_url()]:
        page.goto(live_server.url + path)
        assert not has_horizontal_scroll(page), path
        assert axe_violations(page) == [], path
    expect(page.get_by_role("link", name=f"Apply on {posting.company.name}'s site")).to_have_attribute(
        "href", posting.apply_url or posting.url
    )
    context.close()
