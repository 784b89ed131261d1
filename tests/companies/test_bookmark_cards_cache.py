"""Bookmark cards are kept between requests: only a card whose bookmark (or the guide's content) changed is
rendered again, and every kept card still carries the reader's own, valid form tokens."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from companies.alerts import alert_set, alerts_unsubscribe
from tests.conftest import make_bookmark, make_company, make_user

pytestmark = pytest.mark.django_db

LIST_URL = reverse("bookmarks:bookmark_list")


def card_of(response, bookmark):
    text = response.content.decode()
    return text.split(f'id="bookmark-{bookmark.pk}"')[1].split("</li>")[0]


def tokens_in(text):
    return re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', text)


@pytest.fixture
def reader(db):
    user = make_user(username="card-reader")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client, user


def test_a_second_view_renders_the_same_cards_with_fresh_tokens(reader, edition):
    client, user = reader
    bookmarks = [make_bookmark(user=user, company=make_company(name=name)) for name in ("Acme", "Globex")]
    first = client.get(LIST_URL)
    second = client.get(LIST_URL)
    for bookmark in bookmarks:
        before, after = card_of(first, bookmark), card_of(second, bookmark)
        assert re.sub(r'value="\w{64}"', "", before) == re.sub(r'value="\w{64}"', "", after)
        assert "@@pagecache" not in after
        assert tokens_in(after) and tokens_in(after) != tokens_in(before)


def test_a_kept_cards_form_posts_with_its_token(reader, edition):
    client, user = reader
    bookmark = make_bookmark(user=user, company=make_company(name="Acme"))
    client.get(LIST_URL)
    card = card_of(client.get(LIST_URL), bookmark)
    token = tokens_in(card)[0]
    update = reverse("bookmarks:bookmark_update", args=[bookmark.pk])
    response = client.post(update, {"note": "Met at a meetup", "stage": "applied", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    bookmark.refresh_from_db()
    assert bookmark.note == "Met at a meetup"


def test_an_edited_card_shows_its_change_and_the_others_stay(reader, edition):
    client, user = reader
    edited = make_bookmark(user=user, company=make_company(name="Acme"))
    other = make_bookmark(user=user, company=make_company(name="Globex"))
    client.get(LIST_URL)
    token = tokens_in(card_of(client.get(LIST_URL), edited))[0]
    update = reverse("bookmarks:bookmark_update", args=[edited.pk])
    client.post(update, {"note": "Second round on Friday", "stage": "interviewing", "csrfmiddlewaretoken": token})
    page = client.get(LIST_URL)
    assert "Second round on Friday" in card_of(page, edited)
    assert 'value="interviewing" selected' in card_of(page, edited)
    assert "Globex" in card_of(page, other)


def test_alert_switches_show_at_once_including_the_unsubscribe_link(reader, edition):
    client, user = reader
    bookmark = make_bookmark(user=user, company=make_company(name="Acme"))
    client.get(LIST_URL)
    alert_set(bookmark=bookmark, enabled=True)
    assert "alert-toggle--on" in card_of(client.get(LIST_URL), bookmark)
    alerts_unsubscribe(user=user)  # one UPDATE, no save(): the card still turns
    assert "alert-toggle--on" not in card_of(client.get(LIST_URL), bookmark)


def test_an_editors_change_to_the_company_shows_on_its_card(reader, edition):
    client, user = reader
    company = make_company(name="Acme", comp_min=150_000, comp_max=200_000)
    bookmark = make_bookmark(user=user, company=company)
    client.get(LIST_URL)
    company.comp_max = 260_000
    company.save()
    assert "$150K-260K" in card_of(client.get(LIST_URL), bookmark)


def test_cards_are_never_shown_to_another_reader(reader, edition):
    client, user = reader
    company = make_company(name="Acme")
    mine = make_bookmark(user=user, company=company, note="My private note")
    client.get(LIST_URL)
    other = Client()
    other_user = make_user(username="someone-else")
    other.force_login(other_user)
    theirs = make_bookmark(user=other_user, company=company)
    page = other.get(LIST_URL).content.decode()
    assert "My private note" not in page
    assert f'id="bookmark-{mine.pk}"' not in page
    assert f'id="bookmark-{theirs.pk}"' in page


def test_an_unchanged_page_comes_back_without_its_queries(reader, edition, django_assert_max_num_queries):
    client, user = reader
    for name in ("Acme", "Globex", "Initech"):
        make_bookmark(user=user, company=make_company(name=name))
    first = client.get(LIST_URL)
    # The session, the user and one count of the reader's bookmarks.
    with django_assert_max_num_queries(3):
        second = client.get(LIST_URL)
    assert re.sub(r'value="\w{64}"', "", second.content.decode()) == re.sub(
        r'value="\w{64}"', "", first.content.decode()
    )
    assert "@@pagecache" not in second.content.decode()


def test_saving_and_removing_show_on_the_next_view(reader, edition):
    client, user = reader
    kept = make_bookmark(user=user, company=make_company(name="Acme"))
    client.get(LIST_URL)
    client.get(LIST_URL)
    added = make_bookmark(user=user, company=make_company(name="Globex"))
    page = client.get(LIST_URL).content.decode()
    assert f'id="bookmark-{added.pk}"' in page and f'id="bookmark-{kept.pk}"' in page
    kept.delete()
    page = client.get(LIST_URL).content.decode()
    assert f'id="bookmark-{kept.pk}"' not in page
    assert f'id="bookmark-{added.pk}"' in page


def test_two_readers_of_the_same_address_each_get_their_own_page(reader, edition):
    client, user = reader
    company = make_company(name="Acme")
    make_bookmark(user=user, company=company, note="Note of reader one")
    other = Client()
    other_user = make_user(username="reader-two")
    other.force_login(other_user)
    make_bookmark(user=other_user, company=company, note="Note of reader two")
    for _ in range(2):
        mine, theirs = client.get(LIST_URL).content.decode(), other.get(LIST_URL).content.decode()
        assert "Note of reader one" in mine and "Note of reader two" not in mine
        assert "Note of reader two" in theirs and "Note of reader one" not in theirs
