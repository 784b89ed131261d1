"""Bookmarks through the test client: the save/remove button, the bookmarks page, note and stage."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from bookmarks.models import Bookmark, BookmarkStage
from core.signin import SESSION_KEY
from tests.conftest import make_bookmark, make_category, make_company, make_role, make_user

pytestmark = pytest.mark.django_db

LIST_URL = reverse("bookmarks:bookmark_list")


def set_url(company):
    return reverse("bookmarks:bookmark_set", args=[company.slug])


def update_url(bookmark):
    return reverse("bookmarks:bookmark_update", args=[bookmark.pk])


def text(response):
    """The response's text without tags, with spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


# The save/remove button


def test_bookmark_set_saves_and_redirects_back_with_a_message(signed_in, user):
    company = make_company(name="Anthropic")
    response = signed_in.post(set_url(company), {"saved": "1", "next": "/companies/?role=ai-engineer"}, follow=True)
    # Back to the row whose button was pressed, not the top of a long list.
    assert response.redirect_chain[-1] == (f"/companies/?role=ai-engineer#save-{company.slug}", 302)
    assert Bookmark.objects.filter(user=user, company=company).count() == 1
    assert "Anthropic is saved in your bookmarks." in text(response)


def test_bookmark_set_keeps_an_anchor_the_page_names(signed_in):
    company = make_company()
    response = signed_in.post(set_url(company), {"saved": "1", "next": "/bookmarks/#recently-removed"})
    assert response["Location"] == "/bookmarks/#recently-removed"


def test_bookmark_add_is_idempotent(signed_in, user):
    company = make_company()
    for _ in range(3):
        response = signed_in.post(set_url(company), {"saved": "1"})
        assert response.status_code == 302
    assert Bookmark.objects.filter(user=user, company=company).count() == 1


def test_bookmark_remove_is_idempotent(signed_in, user):
    bookmark = make_bookmark(user=user)
    for _ in range(2):
        response = signed_in.post(set_url(bookmark.company), {"saved": "0"})
        assert response.status_code == 302
    assert not Bookmark.objects.filter(user=user).exists()


def test_bookmark_remove_leaves_other_users_bookmarks(signed_in, user):
    other = make_bookmark()
    signed_in.post(set_url(other.company), {"saved": "0"})
    assert Bookmark.objects.filter(pk=other.pk).exists()


def test_bookmark_set_without_next_returns_to_the_company(signed_in):
    company = make_company()
    response = signed_in.post(set_url(company), {"saved": "1"})
    assert response["Location"] == f"{company.get_absolute_url()}#save-{company.slug}"


@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "http:///x"])
def test_bookmark_set_ignores_a_next_to_another_site(signed_in, evil):
    company = make_company()
    response = signed_in.post(set_url(company), {"saved": "1", "next": evil})
    assert response["Location"] == f"{company.get_absolute_url()}#save-{company.slug}"


def test_bookmark_set_by_get_changes_nothing_and_offers_the_button(signed_in):
    company = make_company(name="Alpha")
    response = signed_in.get(set_url(company), {"next": "/companies/"})
    assert response.status_code == 200
    assert "Save Alpha?" in text(response)
    assert button_states(response) == {"Alpha": "save"}
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert not Bookmark.objects.exists()


def test_bookmark_set_by_get_of_an_unknown_company_is_a_404(client):
    response = client.get(reverse("bookmarks:bookmark_set", args=["no-such-company"]))
    assert response.status_code == 404
    assert "There is no company “no-such-company” in the guide" in text(response)


def test_bookmark_set_needs_the_csrf_token(user):
    company = make_company()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(set_url(company), {"saved": "1"}).status_code == 403
    assert not Bookmark.objects.exists()


@pytest.mark.parametrize("data", [{}, {"saved": "maybe"}, {"saved": "1", "fragment": "sidebar"}])
def test_bookmark_set_bad_input_is_a_clear_400(signed_in, data):
    company = make_company()
    response = signed_in.post(set_url(company), data)
    assert response.status_code == 400
    assert "Nothing was bookmarked" in text(response)
    assert not Bookmark.objects.exists()


def test_bookmark_set_unknown_company_is_a_clear_404(signed_in):
    response = signed_in.post(reverse("bookmarks:bookmark_set", args=["no-such-company"]), {"saved": "1"})
    assert response.status_code == 404
    assert "There is no company “no-such-company” in the guide" in response.content.decode()


def test_unpublished_company_cannot_be_saved_but_can_be_removed(signed_in, user):
    hidden = make_company(is_published=False)
    assert signed_in.post(set_url(hidden), {"saved": "1"}).status_code == 404
    make_bookmark(user=user, company=hidden)
    assert signed_in.post(set_url(hidden), {"saved": "0"}).status_code == 302
    assert not Bookmark.objects.exists()


def test_htmx_save_answers_with_the_new_button(signed_in, user):
    company = make_company(name="Cohere")
    response = signed_in.post(set_url(company), {"saved": "1", "next": "/companies/"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<span class="bookmark-button bookmark-button--saved"')
    assert "<html" not in body
    assert 'name="saved" value="0"' in body
    assert 'form="bookmark-actions"' in body  # the page's shared form carries the token and where to return
    assert "csrfmiddlewaretoken" not in body
    assert "Cohere is saved in your bookmarks." in text(response)
    assert Bookmark.objects.filter(user=user, company=company).exists()


def test_htmx_remove_answers_with_the_save_button(signed_in, user):
    bookmark = make_bookmark(user=user)
    response = signed_in.post(set_url(bookmark.company), {"saved": "0"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'name="saved" value="1"' in body
    assert "bookmark-button--saved" not in body
    assert not Bookmark.objects.exists()


def test_htmx_remove_from_the_bookmarks_page_answers_with_a_removed_card(signed_in, user):
    bookmark = make_bookmark(user=user, company=make_company(name="Mistral"))
    response = signed_in.post(
        set_url(bookmark.company), {"saved": "0", "fragment": "card", "next": LIST_URL}, headers={"HX-Request": "true"}
    )
    assert "Mistral is removed from your bookmarks. Its note and stage are kept" in text(response)
    assert "Undo: save Mistral again, with its note and stage" in text(response)


def test_htmx_save_again_answers_with_a_fresh_card(signed_in, user):
    company = make_company(name="Mistral")
    response = signed_in.post(
        set_url(company), {"saved": "1", "fragment": "card", "next": LIST_URL}, headers={"HX-Request": "true"}
    )
    bookmark = Bookmark.objects.get(user=user, company=company)
    body = response.content.decode()
    assert f'id="bookmark-{bookmark.pk}"' in body
    assert "Saved again." in text(response)


# The intent survives signing in


def test_anonymous_save_goes_to_sign_in_and_is_saved_after_login(client):
    user = make_user(username="casey", password="a-long-test-password")
    company = make_company(name="Anthropic")
    response = client.post(set_url(company), {"saved": "1", "next": "/companies/?q=safety"})
    login_url = reverse("accounts:login") + f"?next=%2Fcompanies%2F%3Fq%3Dsafety%23save-{company.slug}"
    assertRedirects(response, login_url, fetch_redirect_response=False)
    assert not Bookmark.objects.exists()

    page = client.get(login_url)
    assert "to save Anthropic : it is saved in your bookmarks as soon as you are in." in text(page)

    response = client.post(
        login_url, {"username": "casey", "password": "a-long-test-password", "next": "/companies/?q=safety"}
    )
    assertRedirects(response, "/companies/?q=safety", fetch_redirect_response=False)
    assert Bookmark.objects.filter(user=user, company=company).count() == 1
    assert SESSION_KEY not in client.session


def test_anonymous_save_link_goes_to_sign_in_and_is_saved_after_login(client):
    user = make_user(username="casey", password="a-long-test-password")
    company = make_company(name="Anthropic")
    response = client.get(set_url(company), {"next": "/companies/?q=safety"})
    login_url = reverse("accounts:login") + f"?next=%2Fcompanies%2F%3Fq%3Dsafety%23save-{company.slug}"
    assertRedirects(response, login_url, fetch_redirect_response=False)
    assert not Bookmark.objects.exists()
    assert "to save Anthropic : it is saved in your bookmarks as soon as you are in." in text(client.get(login_url))
    response = client.post(
        login_url, {"username": "casey", "password": "a-long-test-password", "next": "/companies/?q=safety"}
    )
    assertRedirects(response, "/companies/?q=safety", fetch_redirect_response=False)
    assert Bookmark.objects.filter(user=user, company=company).count() == 1


def test_anonymous_save_link_through_htmx_sends_the_whole_page_to_sign_in(client):
    company = make_company()
    response = client.get(set_url(company), {"next": "/companies/"}, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("accounts:login") + f"?next=%2Fcompanies%2F%23save-{company.slug}"
    assert client.session[SESSION_KEY]["value"] == company.slug


def test_anonymous_save_is_saved_after_signing_up(client):
    company = make_company(name="Cohere")
    client.post(set_url(company), {"saved": "1", "next": "/companies/cohere/"})
    signup = reverse("accounts:signup") + "?next=/companies/cohere/"
    assert "Cohere is saved in your bookmarks" in text(client.get(signup))
    response = client.post(
        signup,
        {
            "username": "newcomer",
            "email": "new@example.com",
            "password1": "correct horse battery",
            "password2": "correct horse battery",
            "next": "/companies/cohere/",
        },
    )
    assertRedirects(response, "/companies/cohere/", fetch_redirect_response=False)
    assert Bookmark.objects.get().user.username == "newcomer"


def test_anonymous_htmx_save_redirects_the_whole_page_to_sign_in(client):
    company = make_company()
    response = client.post(set_url(company), {"saved": "1", "next": "/companies/"}, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("accounts:login") + f"?next=%2Fcompanies%2F%23save-{company.slug}"
    assert client.session[SESSION_KEY]["value"] == company.slug


def test_anonymous_save_with_a_foreign_next_signs_in_to_the_company(client):
    make_user(username="casey", password="a-long-test-password")
    company = make_company()
    response = client.post(set_url(company), {"saved": "1", "next": "https://evil.example/"})
    next_url = f"{company.get_absolute_url()}#save-{company.slug}".replace("/", "%2F").replace("#", "%23")
    assert response["Location"] == reverse("accounts:login") + "?next=" + next_url


def test_anonymous_remove_saves_nothing(client):
    company = make_company()
    client.post(set_url(company), {"saved": "0"})
    assert SESSION_KEY not in client.session


def test_login_with_a_foreign_next_lands_on_bookmarks(client):
    make_user(username="casey", password="a-long-test-password")
    response = client.post(
        reverse("accounts:login"),
        {"username": "casey", "password": "a-long-test-password", "next": "https://evil.example/"},
    )
    assertRedirects(response, LIST_URL, fetch_redirect_response=False)


def test_pending_bookmark_of_a_company_unpublished_meanwhile_is_dropped(client):
    make_user(username="casey", password="a-long-test-password")
    company = make_company()
    client.post(set_url(company), {"saved": "1"})
    company.is_published = False
    company.save()
    client.post(reverse("accounts:login"), {"username": "casey", "password": "a-long-test-password"})
    assert not Bookmark.objects.exists()


# The bookmarks page


def test_bookmarks_page_needs_sign_in(client):
    response = client.get(LIST_URL)
    assertRedirects(response, reverse("accounts:login") + "?next=/bookmarks/", fetch_redirect_response=False)


def test_bookmarks_page_empty_state_points_to_the_company_list(signed_in):
    response = signed_in.get(LIST_URL)
    assertContains(response, "You have not saved any companies yet.")
    assertContains(response, f'href="{reverse("companies:company_list")}"')


def test_bookmarks_page_shows_category_pay_and_last_verified(signed_in, user):
    category = make_category(name="AI-native companies")
    company = make_company(
        name="Anthropic",
        category=category,
        comp_min=200_000,
        comp_max=400_000,
        comp_open_ended=True,
        comp_note="Top of market",
        last_verified=datetime.date(2026, 1, 31),
    )
    make_bookmark(user=user, company=company, note="Ask about the safety team", stage=BookmarkStage.APPLIED)
    response = signed_in.get(LIST_URL)
    page = text(response)
    assert "Anthropic" in page
    assert "AI-native companies" in page
    assert "Top of market ($200K-400K+)" in page
    assert "Last verified 31 Jan 2026" in page
    assert "Needs review" not in page  # checked for its edition: nothing came out before it
    assert "Ask about the safety team" in page
    assertContains(response, '<span class="badge bookmark-stage bookmark-stage--applied">Applied</span>')
    assert page.count("All stages") == 1


def test_bookmarks_page_is_never_cached(signed_in):
    cache_control = signed_in.get(LIST_URL)["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control


def test_bookmarks_page_shows_only_the_users_own(signed_in, user):
    make_bookmark(user=user, company=make_company(name="Mine"))
    make_bookmark(company=make_company(name="Theirs"))
    page = text(signed_in.get(LIST_URL))
    assert "Mine" in page
    assert "Theirs" not in page


def test_bookmarks_page_marks_a_company_no_longer_in_the_guide(signed_in, user):
    make_bookmark(user=user, company=make_company(name="Gone", is_published=False))
    response = signed_in.get(LIST_URL)
    assertContains(response, "This company is no longer in the guide.")
    assertNotContains(response, 'value="' + Bookmark.objects.get().company.slug + '" form="compare-form"')


def test_bookmarks_page_filters_by_stage(signed_in, user):
    make_bookmark(user=user, company=make_company(name="Applied Co"), stage=BookmarkStage.APPLIED)
    make_bookmark(user=user, company=make_company(name="Offer Co"), stage=BookmarkStage.OFFER)
    response = signed_in.get(LIST_URL, {"stage": "offer"})
    page = text(response)
    assert "Offer Co" in page
    assert "Applied Co" not in page
    assertContains(response, "Applied (1)")
    assertContains(response, "All stages (2)")


def test_bookmarks_page_stage_with_no_bookmarks_says_so(signed_in, user):
    make_bookmark(user=user)
    response = signed_in.get(LIST_URL, {"stage": "closed"})
    assertContains(response, "None of your bookmarks is at this stage.")


def test_bookmarks_page_unknown_stage_gets_a_message_and_shows_all(signed_in, user):
    make_bookmark(user=user, company=make_company(name="Kept"))
    response = signed_in.get(LIST_URL, {"stage": "dreaming", "ordering": "sideways"})
    assert response.status_code == 200
    page = text(response)
    assert "There is no stage called “dreaming”; choose one from the list. Showing every stage." in page
    assert "Unknown sort order “sideways”" in page
    assert "Kept" in page


@pytest.mark.parametrize("page", ["99", "x", "-1"])
def test_bookmarks_page_bad_page_number_is_a_404(signed_in, user, page):
    make_bookmark(user=user)
    assert signed_in.get(LIST_URL, {"page": page}).status_code == 404


def saved_at(bookmark, when):
    Bookmark.objects.filter(pk=bookmark.pk).update(created_at=when)


def test_bookmarks_page_sorts_by_date_saved_or_company(signed_in, user):
    now = timezone.now()
    for name, days in [("Beta", 3), ("Alpha", 1), ("Gamma", 2)]:
        saved_at(make_bookmark(user=user, company=make_company(name=name)), now - datetime.timedelta(days=days))

    def order(**params):
        page = text(signed_in.get(LIST_URL, params))
        return sorted(["Alpha", "Beta", "Gamma"], key=page.index)

    assert order() == ["Alpha", "Gamma", "Beta"]
    assert order(ordering="created") == ["Beta", "Gamma", "Alpha"]
    assert order(ordering="company") == ["Alpha", "Beta", "Gamma"]


def test_bookmarks_page_has_25_per_page(signed_in, user):
    for _ in range(26):
        make_bookmark(user=user)
    first = signed_in.get(LIST_URL)
    assert len(first.context["page_obj"].object_list) == 25
    assertContains(first, "Showing 1–25 of 26")
    second = signed_in.get(LIST_URL, {"page": 2})
    assert len(second.context["page_obj"].object_list) == 1


def test_bookmarks_page_offers_compare_of_2_to_4(signed_in, user):
    company = make_company(slug="anthropic")
    make_bookmark(user=user, company=company)
    response = signed_in.get(LIST_URL)
    compare = reverse("companies:company_compare")
    assertContains(response, f'<form class="bookmark-compare" id="compare-form" method="get" action="{compare}">')
    assertContains(response, '<input type="checkbox" name="c" value="anthropic" form="compare-form">')
    assertContains(response, "Tick 2 to 4 companies below")


def test_bookmarks_page_ids_are_unique(signed_in, user):
    for _ in range(3):
        make_bookmark(user=user)
    ids = re.findall(r'\bid="([^"]+)"', signed_in.get(LIST_URL).content.decode())
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("rows", [3, 30])
def test_bookmarks_page_query_count_is_fixed(signed_in, user, rows, django_assert_max_num_queries):
    category = make_category()
    for _ in range(rows):
        make_bookmark(user=user, company=make_company(category=category))
    # Session, user, the bookmarks' version (the key of the kept page), count, page, stage counts, removed.
    with django_assert_max_num_queries(7):
        response = signed_in.get(LIST_URL, {"stage": "researching", "ordering": "company"})
    assert response.status_code == 200
    # Kept: session, user, version, count.
    with django_assert_max_num_queries(4):
        again = signed_in.get(LIST_URL, {"stage": "researching", "ordering": "company"})
    assert text(again) == text(response)  # (the form tokens outside the kept part are masked anew)


def test_the_kept_bookmarks_page_shows_each_change_at_once_and_only_to_its_owner(signed_in, user, client):
    bookmark = make_bookmark(user=user, company=make_company(name="Stripe"), note="First call")
    assert "First call" in text(signed_in.get(LIST_URL))
    signed_in.post(update_url(bookmark), {"note": "Second call", "stage": "interviewing"})
    page = text(signed_in.get(LIST_URL))
    assert "Second call" in page and "First call" not in page
    signed_in.post(reverse("bookmarks:bookmark_set", args=[bookmark.company.slug]), {"saved": "0"})
    page = text(signed_in.get(LIST_URL))
    assert "Recently removed" in page and "Restore Stripe" in page
    signed_in.post(reverse("bookmarks:bookmark_set", args=[bookmark.company.slug]), {"saved": "1"})
    assert "Recently removed" not in text(signed_in.get(LIST_URL))
    other = make_user()
    make_bookmark(user=other, company=bookmark.company)  # the same count and company: still their own page
    client.force_login(other)
    assert "Second call" not in text(client.get(LIST_URL))


# Note and stage


def test_update_saves_note_and_stage_and_redirects_back(signed_in, user):
    bookmark = make_bookmark(user=user, company=make_company(name="Stripe"))
    response = signed_in.post(
        update_url(bookmark), {"note": "Referral from Sam", "stage": "interviewing", "next": "/bookmarks/?page=1"}
    )
    assertRedirects(response, "/bookmarks/?page=1", fetch_redirect_response=False)
    bookmark.refresh_from_db()
    assert (bookmark.note, bookmark.stage) == ("Referral from Sam", "interviewing")
    assert "Your note and stage for Stripe are saved." in text(signed_in.get(LIST_URL))


def test_update_with_a_foreign_next_returns_to_bookmarks(signed_in, user):
    bookmark = make_bookmark(user=user)
    response = signed_in.post(update_url(bookmark), {"note": "", "stage": "offer", "next": "https://evil.example/"})
    assertRedirects(response, LIST_URL, fetch_redirect_response=False)


def test_update_note_over_its_maximum_gets_a_clear_message(signed_in, user):
    bookmark = make_bookmark(user=user, note="before")
    response = signed_in.post(update_url(bookmark), {"note": "x" * 2001, "stage": "applied"})
    assert response.status_code == 200
    assert "Your note is too long: keep it to 2,000 characters (it has 2001)." in text(response)
    bookmark.refresh_from_db()
    assert (bookmark.note, bookmark.stage) == ("before", "researching")


def test_update_unknown_stage_gets_a_clear_message(signed_in, user):
    bookmark = make_bookmark(user=user)
    response = signed_in.post(update_url(bookmark), {"note": "", "stage": "hired"})
    assert "Choose a stage from the list: Researching, Applied, Interviewing, Offer or Closed." in text(response)
    bookmark.refresh_from_db()
    assert bookmark.stage == "researching"


def test_update_of_another_users_bookmark_is_a_404(signed_in):
    theirs = make_bookmark(note="private")
    assert signed_in.post(update_url(theirs), {"note": "mine now", "stage": "offer"}).status_code == 404
    assert signed_in.get(update_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.note, theirs.stage) == ("private", "researching")


def test_update_of_a_missing_bookmark_is_a_404(signed_in):
    assert signed_in.post(reverse("bookmarks:bookmark_update", args=[999999]), {"stage": "offer"}).status_code == 404


def test_update_needs_sign_in(client):
    bookmark = make_bookmark()
    response = client.post(update_url(bookmark), {"note": "x", "stage": "offer"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    bookmark.refresh_from_db()
    assert bookmark.note == ""


def test_htmx_update_after_the_session_ended_sends_the_page_to_sign_in(client):
    bookmark = make_bookmark()
    response = client.post(update_url(bookmark), {"note": "x", "stage": "offer"}, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("accounts:login") + "?next=%2Fbookmarks%2F"


def test_update_page_without_javascript(signed_in, user):
    bookmark = make_bookmark(user=user, company=make_company(name="Figma"), note="Portfolio")
    response = signed_in.get(update_url(bookmark))
    assertContains(response, "<h1>Note and stage for Figma</h1>", html=True)
    assertContains(response, "Portfolio")


def test_htmx_update_answers_with_the_card(signed_in, user):
    bookmark = make_bookmark(user=user, company=make_company(name="Notion"))
    response = signed_in.post(
        update_url(bookmark),
        {"note": "Call Friday", "stage": "offer", "next": LIST_URL},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith(f'<li class="card bookmark-card" id="bookmark-{bookmark.pk}">')
    assert "Saved." in text(response)
    assert "Offer" in text(response)  # the stage badge
    assert "Call Friday" in body


def test_htmx_update_with_bad_input_answers_with_the_card_and_its_error(signed_in, user):
    bookmark = make_bookmark(user=user)
    response = signed_in.post(
        update_url(bookmark), {"note": "", "stage": "hired", "next": LIST_URL}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Choose a stage from the list" in text(response)
    assert 'aria-invalid="true"' in response.content.decode()


# The button on the company list, profile and compare pages


def button_states(response):
    """{company name: "saved" or "save"} for every bookmark button on the page."""
    page = response.content.decode()
    saved = re.findall(r"Saved<span class=\"visually-hidden\"> in your bookmarks: remove ([^<]+)</span>", page)
    unsaved = re.findall(r"Save<span class=\"visually-hidden\"> ([^<]+) to your bookmarks</span>", page)
    return {**dict.fromkeys(saved, "saved"), **dict.fromkeys(unsaved, "save")}


def test_company_list_shows_each_companys_bookmark_state(signed_in, user):
    make_bookmark(user=user, company=make_company(name="Alpha"))
    make_company(name="Beta")
    make_bookmark(company=make_company(name="Gamma"))  # someone else's
    response = signed_in.get(reverse("companies:company_list"))
    assert button_states(response) == {"Alpha": "saved", "Beta": "save", "Gamma": "save"}
    assertContains(response, 'name="next" value="/companies/"', count=1)  # the shared form the buttons submit
    assertContains(response, 'form="bookmark-actions"', count=3)


def test_company_list_offers_visitors_a_save_link_without_a_form_token(client):
    alpha = make_company(name="Alpha")
    response = client.get(reverse("companies:company_list"), {"q": "alpha"})
    assert "Save Alpha to your bookmarks (sign in first)" in text(response)
    assertContains(response, f'href="{set_url(alpha)}?next=/companies/%3Fq%3Dalpha"')
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies


def test_company_profile_and_compare_show_the_bookmark_state(signed_in, user):
    category = make_category()
    alpha = make_company(name="Alpha", category=category)
    beta = make_company(name="Beta", category=category)
    make_bookmark(user=user, company=alpha)
    profile = signed_in.get(alpha.get_absolute_url())
    assert button_states(profile) == {"Alpha": "saved", "Beta": "save"}
    compare = signed_in.get(reverse("companies:company_compare"), {"c": [alpha.slug, beta.slug]})
    assert button_states(compare) == {"Alpha": "saved", "Beta": "save"}


@pytest.mark.parametrize("rows", [3, 30])
def test_company_list_bookmark_state_costs_no_query_per_row(signed_in, user, rows, django_assert_max_num_queries):
    category = make_category()
    role = make_role()
    for i in range(rows):
        company = make_company(category=category, roles=[role])
        if i % 2:
            make_bookmark(user=user, company=company)
    with django_assert_max_num_queries(10):
        response = signed_in.get(reverse("companies:company_list"))
    states = button_states(response)
    assert len(states) == min(rows, 25)
    assert set(states.values()) == {"saved", "save"}


# Removing keeps the candidate's work


def test_remove_then_undo_brings_back_the_note_and_stage_unchanged(signed_in, user):
    company = make_company(name="Mistral")
    make_bookmark(user=user, company=company, note="Ask about Paris\nand the team", stage=BookmarkStage.INTERVIEWING)
    htmx = {"HX-Request": "true"}
    removed = signed_in.post(set_url(company), {"saved": "0", "fragment": "card"}, headers=htmx)
    assert "Its note and stage are kept" in text(removed)
    assert not Bookmark.objects.filter(user=user).exists()
    assert "Mistral" not in text(signed_in.get(LIST_URL)).split("Recently removed")[0]
    restored = signed_in.post(set_url(company), {"saved": "1", "fragment": "card"}, headers=htmx)
    assert "Ask about Paris" in restored.content.decode()
    bookmark = Bookmark.objects.get(user=user, company=company)
    assert (bookmark.note, bookmark.stage) == ("Ask about Paris\nand the team", BookmarkStage.INTERVIEWING)


def test_without_javascript_a_removed_bookmark_is_restored_from_recently_removed(signed_in, user):
    company = make_company(name="Cohere")
    make_bookmark(user=user, company=company, note="Referral from Sam", stage=BookmarkStage.OFFER)
    response = signed_in.post(set_url(company), {"saved": "0", "next": LIST_URL}, follow=True)
    page = text(response)
    assert "Cohere is removed from your bookmarks. Its note and stage are kept" in page
    assert "Recently removed" in page and "Cohere (Offer, with a note; removed" in page
    signed_in.post(set_url(company), {"saved": "1", "next": LIST_URL})
    bookmark = Bookmark.objects.get(user=user, company=company)
    assert (bookmark.note, bookmark.stage) == ("Referral from Sam", BookmarkStage.OFFER)
    assert "Recently removed" not in text(signed_in.get(LIST_URL))


def test_removed_bookmarks_are_out_of_counts_exports_and_saved_states(signed_in, user):
    kept, gone = make_company(name="Kept Co"), make_company(name="Gone Co")
    make_bookmark(user=user, company=kept)
    make_bookmark(user=user, company=gone, note="secret plan")
    signed_in.post(set_url(gone), {"saved": "0"})
    assert "All stages (1)" in text(signed_in.get(LIST_URL))
    assert "Gone Co" not in signed_in.get(reverse("bookmarks:bookmark_export")).content.decode()
    assert button_states(signed_in.get(reverse("companies:company_list"))) == {"Kept Co": "saved", "Gone Co": "save"}
    assert [b["company"] for b in signed_in.get("/api/bookmarks/").json()["results"]] == [kept.slug]


def test_htmx_edit_link_answers_with_the_card_and_its_form(signed_in, user):
    bookmark = make_bookmark(user=user, note="Call Friday")
    url = reverse("bookmarks:bookmark_update", args=[bookmark.pk])
    editing = signed_in.get(url, {"edit": "1", "next": LIST_URL}, headers={"HX-Request": "true"})
    body = editing.content.decode()
    assert body.lstrip().startswith(f'<li class="card bookmark-card" id="bookmark-{bookmark.pk}">')
    assert '<textarea name="note"' in body and "Call Friday" in body
    viewing = signed_in.get(url, headers={"HX-Request": "true"})
    assert "<textarea" not in viewing.content.decode() and "Edit note and stage" in text(viewing)
