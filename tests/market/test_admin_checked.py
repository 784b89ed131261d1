"""Changing a figure in the admin asks the editor to confirm they checked it, and dates the check."""

import datetime

import pytest
from django.utils import timezone

from market.services import edition_stale_figures
from tests.companies.test_admin_conflict import open_change_form
from tests.conftest import make_benchmark, make_company, make_edition

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.date(2026, 1, 31)


@pytest.fixture
def signed_in_editor(client, editor):
    client.force_login(editor)
    return client


def test_a_changed_pay_is_refused_until_the_editor_says_they_checked_it_and_nothing_typed_is_lost(signed_in_editor):
    company = make_company(comp_min=170_000, comp_max=280_000, last_verified=LONG_AGO)
    url, data = open_change_form(signed_in_editor, company)
    data["comp_max"] = "300000"

    response = signed_in_editor.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "You changed Maximum pay. Tick “Checked today” once you have checked the new figures" in page
    assert 'name="comp_max" value="300000"' in page
    company.refresh_from_db()
    assert (company.comp_max, company.last_verified) == (280_000, LONG_AGO)

    data["checked_today"] = "on"
    assert signed_in_editor.post(url, data).status_code == 302
    company.refresh_from_db()
    assert (company.comp_max, company.last_verified) == (300_000, timezone.localdate())


def test_setting_the_date_by_hand_is_a_confirmation_too_and_other_edits_need_none(signed_in_editor):
    company = make_company(comp_min=170_000, comp_max=280_000, last_verified=LONG_AGO)
    url, data = open_change_form(signed_in_editor, company)
    data["focus"] = "Frontier models"
    assert signed_in_editor.post(url, data).status_code == 302  # not a figure: no confirmation asked
    company.refresh_from_db()
    assert company.last_verified == LONG_AGO

    url, data = open_change_form(signed_in_editor, company)
    data.update(outlook="growing", last_verified="2026-12-01")
    assert signed_in_editor.post(url, data).status_code == 302
    company.refresh_from_db()
    assert (company.outlook, company.last_verified) == ("growing", datetime.date(2026, 12, 1))


def test_a_benchmark_checked_today_counts_as_checked_on_the_publish_page(signed_in_editor):
    make_edition(slug="q1", published_on=LONG_AGO, is_current=True)
    draft = make_edition(slug="q2", published_on=datetime.date(2026, 4, 30), is_published=False, is_current=False)
    band = make_benchmark(edition=draft, last_verified=LONG_AGO)  # copied from Q1, not checked since
    assert edition_stale_figures(draft) == {"salary benchmark": 1}
    url, data = open_change_form(signed_in_editor, band)
    data["base_max"] = str(band.base_max + 5000)

    assert "Tick “Checked today”" in signed_in_editor.post(url, data).content.decode()
    data["checked_today"] = "on"
    assert signed_in_editor.post(url, data).status_code == 302

    band.refresh_from_db()
    assert band.last_verified == timezone.localdate()
    assert edition_stale_figures(draft) == {}
