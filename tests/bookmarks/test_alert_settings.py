"""The alert settings page: which new roles the digest lists, errors in words, only the reader's own data."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from bookmarks.alerts import alert_preference_set
from bookmarks.models import AlertPreference, NewRoles
from jobs.models import Level
from tests.bookmarks.test_new_role_alerts import watched
from tests.conftest import make_bookmark, make_company, make_user, visible_text

pytestmark = pytest.mark.django_db


def settings_page(client):
    return client.get(reverse("alerts:alert_settings"))


def test_the_settings_page_needs_signing_in():
    response = Client().get(reverse("alerts:alert_settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert Client().post(reverse("alerts:alert_settings"), {"new_roles": "none"}).status_code == 302
    assert not AlertPreference.objects.exists()


def test_the_settings_page_shows_the_defaults_and_only_the_readers_own_companies(client):
    user = make_user()
    watched(make_company(name="Alpha"), user=user)
    make_bookmark(user=user, company=make_company(name="Quiet"))
    watched(make_company(name="Someone else's"))
    client.force_login(user)
    response = settings_page(client)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = visible_text(response)
    assert "Alerts are on for 1 company: Alpha." in text
    assert "Quiet" not in text and "Someone else" not in text
    page = response.content.decode()
    assert re.search(r'<input type="radio" name="new_roles" value="all"[^>]*checked', page)
    assert "up to 10 new roles per company" in text


def test_saving_only_some_levels(client):
    user = make_user()
    client.force_login(user)
    response = client.post(
        reverse("alerts:alert_settings"), {"new_roles": "levels", "levels": ["staff", "senior"]}, follow=True
    )
    assert "Saved: your daily email lists new roles at these levels only: Senior, Staff+." in visible_text(response)
    preference = AlertPreference.objects.get(user=user)
    assert (preference.new_roles, preference.new_role_levels) == ("levels", ["senior", "staff"])
    page = settings_page(client).content.decode()
    assert re.search(r'<input type="radio" name="new_roles" value="levels"[^>]*checked', page)
    assert re.search(r'<input type="checkbox" name="levels" value="senior"[^>]*checked', page)
    assert not re.search(r'<input type="checkbox" name="levels" value="junior"[^>]*checked', page)


def test_choosing_all_or_none_keeps_the_levels_ticked(client):
    user = make_user()
    client.force_login(user)
    client.post(reverse("alerts:alert_settings"), {"new_roles": "none", "levels": ["junior"]})
    preference = AlertPreference.objects.get(user=user)
    assert (preference.new_roles, preference.new_role_levels) == ("none", ["junior"])
    assert "Saved: your daily email lists no new roles" in visible_text(
        client.post(reverse("alerts:alert_settings"), {"new_roles": "none"}, follow=True)
    )


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"new_roles": "levels"}, "Tick at least one level, or choose “All new roles” to hear about every new role."),
        ({}, "Choose which new roles to hear about: all of them, only some levels, or none."),
        ({"new_roles": "maybe"}, "Choose which new roles to hear about: all of them, only some levels, or none."),
        (
            {"new_roles": "levels", "levels": ["senior", "boss"]},
            "Choose levels from the list: Junior, Mid, Senior, Staff+ or Level not stated.",
        ),
    ],
)
def test_the_settings_form_explains_its_errors_in_words_and_keeps_what_was_chosen(client, data, error):
    user = make_user()
    alert_preference_set(user=user, new_roles=NewRoles.NONE, levels=[])
    client.force_login(user)
    response = client.post(reverse("alerts:alert_settings"), data)
    assert response.status_code == 200
    text = visible_text(response)
    assert "There is a problem" in text
    assert text.count(error) == 2  # in the summary and beside the field
    assert response.content.decode().count('href="#id_') >= 1
    page = response.content.decode()
    assert "<title>Error: Alert settings" in page
    if data.get("new_roles") == "levels":
        assert re.search(r'<input type="radio" name="new_roles" value="levels"[^>]*checked', page)
    if "senior" in data.get("levels", []):
        assert re.search(r'<input type="checkbox" name="levels" value="senior"[^>]*checked', page)
    assert AlertPreference.objects.get(user=user).new_roles == NewRoles.NONE  # unchanged


def test_the_settings_form_needs_the_csrf_token():
    user = make_user()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(reverse("alerts:alert_settings"), {"new_roles": "none"}).status_code == 403
    assert not AlertPreference.objects.exists()
    page = client.get(reverse("alerts:alert_settings")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


def test_one_readers_settings_leave_anothers_alone(client):
    mine, theirs = make_user(), make_user()
    alert_preference_set(user=theirs, new_roles=NewRoles.LEVELS, levels=[Level.JUNIOR])
    client.force_login(mine)
    client.post(reverse("alerts:alert_settings"), {"new_roles": "none"})
    assert AlertPreference.objects.get(user=theirs).new_roles == NewRoles.LEVELS
    assert AlertPreference.objects.get(user=mine).new_roles == NewRoles.NONE


def test_the_bookmarks_page_links_to_the_alert_settings(client):
    bookmark = make_bookmark()
    client.force_login(bookmark.user)
    page = client.get(reverse("bookmarks:bookmark_list")).content.decode()
    assert f'href="{reverse("alerts:alert_settings")}"' in page
