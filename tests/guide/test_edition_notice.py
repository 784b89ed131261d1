"""Freshness said once: each of the edition's pages says how old the edition is and when the next one is due,
and only a figure older than its edition carries a "needs review" badge."""

import datetime
import re

import pytest

from market.models import Edition, SalaryBenchmark, SalaryLevel
from market.services import edition_publish, edition_start_next
from tests.conftest import visible_text

pytestmark = pytest.mark.django_db

EDITION_PAGES = ["/", "/companies/", "/companies/anthropic/", "/salaries/", "/market/"]
BADGE = re.compile(r'class="badge badge--review"')


def on(monkeypatch, day):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: day)


@pytest.mark.parametrize("url", EDITION_PAGES)
def test_each_edition_page_says_once_how_old_the_edition_is_and_that_the_next_is_late(
    client, loaded_edition, monkeypatch, url
):
    on(monkeypatch, datetime.date(2026, 12, 3))
    response = client.get(url)
    assert response.status_code == 200
    page = visible_text(response)
    assert (
        "Q1 2026 edition, published 31 January 2026 (10 months ago). The next edition, due by 30 April 2026, is late: "
        "check a figure against its source before you rely on it."
    ) in page
    assert page.count("edition, published") == 1
    assert 'class="notice edition-notice notice--warning"' in response.content.decode()


@pytest.mark.parametrize("url", EDITION_PAGES)
def test_a_fresh_edition_says_when_the_next_one_is_expected(client, loaded_edition, monkeypatch, url):
    on(monkeypatch, datetime.date(2026, 3, 2))
    page = visible_text(client.get(url))
    assert (
        "Q1 2026 edition, published 31 January 2026 (1 month ago). A new edition comes out each quarter; the next is "
        "due by 30 April 2026."
    ) in page


@pytest.mark.parametrize("url", EDITION_PAGES)
def test_figures_checked_for_their_edition_carry_no_badge_however_old(client, loaded_edition, monkeypatch, url):
    """The loaded edition's 37 figures were all verified on its day: the notice, not 25 badges, says how old."""
    on(monkeypatch, datetime.date(2026, 12, 3))
    assert not BADGE.search(client.get(url).content.decode())


def test_an_earlier_editions_salaries_say_a_newer_one_is_out(client, loaded_edition):
    q2 = edition_start_next(name="Q2 2026", slug="2026-q2", published_on=datetime.date(2026, 4, 30))
    edition_publish(edition=q2)
    page = visible_text(client.get("/salaries/?edition=2026-q1"))
    assert "Q1 2026 edition, published 31 January 2026" in page
    assert "A newer edition is out, so these figures may have moved." in page


def test_only_figures_not_checked_for_the_new_edition_carry_a_badge(client, loaded_edition, monkeypatch):
    on(monkeypatch, datetime.date(2026, 5, 10))
    q2 = edition_start_next(name="Q2 2026", slug="2026-q2", published_on=datetime.date(2026, 4, 30))
    # Checked for Q2 before its day: fresh. The other three levels keep Q1's date.
    SalaryBenchmark.objects.filter(edition=q2, level=SalaryLevel.SENIOR).update(
        last_verified=datetime.date(2026, 4, 28)
    )
    edition_publish(edition=q2)
    response = client.get("/salaries/")
    page = visible_text(response)
    assert "Q2 2026 edition, published 30 April 2026" in page
    body = response.content.decode()
    senior_row = re.search(r"<tr>\s*<th scope=\"row\">Senior.*?</tr>", body, flags=re.S).group(0)
    assert "badge--review" not in senior_row
    provenance = re.search(r'<p class="provenance">.*?</p>', body, flags=re.S).group(0)
    assert "Needs review" in provenance  # Junior, the line's figure, still carries Q1's check
    assert Edition.objects.get(slug="2026-q2").previous_published_on == datetime.date(2026, 1, 31)
