"""Content blocks: pages whose content is the same for everyone are rendered once per content change, then
served to every visitor (signed-in readers and message holders included) inside their own header."""

import datetime
import re

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret, get_token
from django.template import TemplateSyntaxError, engines
from django.template.response import TemplateResponse
from django.test import Client
from django.urls import include, path, reverse
from django.utils.csp import CSP
from django.views.generic import View

from aihiring import cache as page_cache
from aihiring.cache import ContentBlocksMixin, cached_fragment, content_blocks_key
from market.models import SalaryLevel
from tests.conftest import (
    make_benchmark,
    make_bookmark,
    make_company,
    make_edition,
    make_snapshot,
    make_user,
)

pytestmark = pytest.mark.django_db

HOME = reverse("home")
SALARIES = reverse("market:salaries")


def without_tokens(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())


def main_of(response):
    """The page between the header and the footer."""
    return response.content.decode().split('<main id="main"')[1].split("</main>")[0]


@pytest.fixture
def reader(db):
    client = Client()
    client.force_login(make_user(username="block-reader"))
    return client


@pytest.fixture
def with_messages():
    """An anonymous visitor holding a messages cookie: the whole-page cache must skip them."""
    client = Client()
    client.cookies["messages"] = "pending"
    return client


def message_cookie(*texts):
    """A messages cookie holding ``texts``, signed as the messages framework signs it."""
    request = HttpRequest()
    storage = CookieStorage(request)
    response = TemplateResponse(request, engines["django"].from_string(""))
    for text in texts:
        storage.add(20, text)
    storage.update(response)
    return response.cookies["messages"].value


@pytest.mark.parametrize(
    "url",
    [HOME, SALARIES, reverse("market:market"), reverse("advice:section_list"), reverse("changes:change_list")],
)
def test_second_view_is_the_same_page_without_the_views_queries(
    url, reader, loaded_edition, django_assert_max_num_queries
):
    first = reader.get(url)
    assert first.status_code == 200
    # Signed in: the session and the user, nothing of the page's own.
    with django_assert_max_num_queries(2):
        second = reader.get(url)
    assert second.status_code == 200
    assert without_tokens(second) == without_tokens(first)


def test_each_visitor_keeps_their_own_header(reader, client, loaded_edition):
    reader.get(HOME)
    signed_in = reader.get(HOME).content.decode()
    assert "Sign out" in signed_in
    assert "Sign in" not in signed_in
    anonymous = client.get(HOME)
    text = anonymous.content.decode()
    assert "Sign in" in text
    assert "Sign out" not in text
    assert "block-reader" not in text
    assert main_of(anonymous) == main_of(reader.get(HOME))


def test_title_and_description_come_back_with_the_content(reader, loaded_edition):
    first = reader.get(SALARIES).content.decode()
    second = reader.get(SALARIES).content.decode()
    for pattern in (
        r"<title>(.*?)</title>",
        r'<meta name="description" content="(.*?)">',
        r'og:title" content="(.*?)"',
    ):
        assert re.search(pattern, second).group(1) == re.search(pattern, first).group(1)
    assert "AI engineer salary benchmarks, Q1 2026" in re.search(r"<title>(.*?)</title>", second).group(1)


def test_messages_show_on_a_page_served_from_stored_blocks(client, loaded_edition):
    client.cookies["messages"] = "pending"
    client.get(SALARIES)  # stores the blocks
    client.cookies["messages"] = message_cookie("Your bookmark was saved.")
    response = client.get(SALARIES)
    assert "Your bookmark was saved." in response.content.decode()
    assert "Your bookmark was saved." not in client.get(SALARIES).content.decode()  # shown once, then gone


def test_an_editors_change_shows_on_the_next_signed_in_request(reader, edition):
    benchmark = make_benchmark(level=SalaryLevel.SENIOR, base_min=183_000, base_max=240_000)
    assert "$183K" in reader.get(SALARIES).content.decode()
    reader.get(SALARIES)
    benchmark.base_min = 191_000
    benchmark.save()
    text = reader.get(SALARIES).content.decode()
    assert "$191K" in text
    assert "$183K" not in text


def test_an_editors_change_to_a_snapshot_shows_on_the_home_page(with_messages, edition):
    snapshot = make_snapshot(total_postings=1_969)
    assert "1,969" in with_messages.get(HOME).content.decode()
    snapshot.total_postings = 2_048
    snapshot.save()
    assert "2,048" in with_messages.get(HOME).content.decode()


def test_each_address_keeps_its_own_blocks(with_messages, edition):
    older = make_edition(name="Q4 2025", slug="2025-q4", is_current=False, published_on=datetime.date(2025, 10, 1))
    make_benchmark(level=SalaryLevel.SENIOR, base_min=180_000, base_max=240_000)
    make_benchmark(edition=older, level=SalaryLevel.SENIOR, base_min=170_000, base_max=230_000)
    title = re.compile(r"<title>(.*?)</title>")
    for _ in range(2):
        current = title.search(with_messages.get(SALARIES).content.decode()).group(1)
        previous = title.search(with_messages.get(SALARIES, {"edition": older.slug}).content.decode()).group(1)
        assert edition.name in current
        assert "Q4 2025" in previous


def test_a_not_found_page_is_never_stored(with_messages, loaded_edition):
    url = reverse("advice:section_detail", args=["no-such-section"])
    assert with_messages.get(url).status_code == 404
    assert with_messages.get(url).status_code == 404
    assert with_messages.get(SALARIES, {"edition": "no-such-edition"}).status_code == 404
    assert with_messages.get(SALARIES, {"edition": "no-such-edition"}).status_code == 404


def test_the_date_is_part_of_the_key(rf, edition, monkeypatch):
    """ "Needs review" badges turn with the date, so blocks stored yesterday are not served today."""
    request = rf.get(SALARIES)
    today = content_blocks_key(request)
    monkeypatch.setattr(page_cache.timezone, "localdate", lambda: datetime.date(2099, 1, 1))
    assert content_blocks_key(request) != today


# ---------- Blocks that belong to one visitor are never stored ----------

_django = engines["django"]


class TokenView(ContentBlocksMixin, View):
    """A page whose content holds a form token: it must be rendered for each visitor."""

    renders = 0

    def get(self, request):
        TokenView.renders += 1
        template = _django.from_string(
            '{% extends "base.html" %}{% block content %}<form method="post">{% csrf_token %}'
            "<p>{{ count }}</p></form>{% endblock %}"
        )
        return TemplateResponse(request, template, {"count": "rendered"})


class NonceView(ContentBlocksMixin, View):
    """A page whose content used a CSP nonce: it must be rendered for each visitor."""

    renders = 0

    def get(self, request):
        NonceView.renders += 1
        template = _django.from_string(
            '{% extends "base.html" %}{% block content %}<script {% csp_nonce_attr %} src="/static/x.js"></script>'
            "{% endblock %}"
        )
        return TemplateResponse(request, template)


urlpatterns = [
    path("token/", TokenView.as_view()),
    path("nonce/", NonceView.as_view()),
    path("", include("aihiring.urls")),
]


@pytest.mark.urls(__name__)
def test_blocks_with_a_form_token_are_never_stored(db):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.cookies["messages"] = second.cookies["messages"] = "pending"
    TokenView.renders = 0
    first.get("/token/")
    page = second.get("/token/")
    assert TokenView.renders == 2  # the view ran again: nothing was stored
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert second.post("/token/", {"csrfmiddlewaretoken": token}).status_code == 405  # CSRF passed


@pytest.mark.urls(__name__)
def test_blocks_that_used_a_csp_nonce_are_never_stored(db, settings):
    settings.SECURE_CSP = {**settings.SECURE_CSP, "script-src": [CSP.SELF, CSP.NONCE]}
    client = Client()
    client.cookies["messages"] = "pending"
    NonceView.renders = 0
    nonces = [re.search(r'nonce="([^"]+)"', client.get("/nonce/").content.decode()).group(1) for _ in range(2)]
    assert NonceView.renders == 2
    assert nonces[0] != nonces[1]


def test_a_fragment_is_kept_only_with_tokens_of_the_readers_own_secret(rf):
    """The reader's token is kept as a placeholder and filled anew; one of another secret is never kept."""
    request = rf.get("/bookmarks/")
    own = get_token(request)  # gives the request its secret
    foreign = _mask_cipher_secret(_get_new_csrf_string())
    renders = {"own": 0, "foreign": 0}

    def render(which, token):
        def inner():
            renders[which] += 1
            return f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'

        return inner

    first = cached_fragment(request, "card", ["own"], render("own", own))
    second = cached_fragment(request, "card", ["own"], render("own", own))
    assert renders["own"] == 1
    assert own in first and "@@pagecache" not in second and own not in second  # a fresh mask of the same secret
    for _ in range(2):
        assert foreign in cached_fragment(request, "card", ["foreign"], render("foreign", foreign))
    assert renders["foreign"] == 2


@pytest.mark.parametrize(
    "source",
    [
        "{% capture name %}x{% endcapture %}",
        "{% record %}x{% endrecord %}",
        "{% visitor_slot company %}x{% endvisitor_slot %}",
        '{% visitor_slot company "is bookmarked" %}x{% endvisitor_slot %}',
        '{% fragment "card" %}x{% endfragment %}',
    ],
)
def test_the_caching_tags_say_how_they_are_used(source):
    with pytest.raises(TemplateSyntaxError, match="visitor_slot|Usage"):
        _django.from_string("{% load site_tags %}" + source)


# ---------- Bookmark buttons: each reader's own state on shared content ----------

LIST = reverse("companies:company_list")


def button_of(response, company):
    """The bookmark form of ``company`` on the page."""
    text = response.content.decode()
    form = text.split(f'id="save-{company.slug}"')[0].rsplit('<form class="bookmark-button', 1)[1]
    return form + text.split(f'id="save-{company.slug}"')[1].split("</form>")[0]


def signed_in_client(username):
    client = Client(enforce_csrf_checks=True)
    user = make_user(username=username)
    client.force_login(user)
    return client, user


@pytest.mark.parametrize("page", ["list", "profile"])
def test_each_reader_sees_their_own_bookmarks_on_shared_content(page, edition, django_assert_max_num_queries):
    acme = make_company(name="Acme")
    globex = make_company(name="Globex", category=acme.category)
    url = LIST if page == "list" else acme.get_absolute_url()
    first, first_user = signed_in_client("first-reader")
    second, second_user = signed_in_client("second-reader")
    make_bookmark(user=first_user, company=acme)
    make_bookmark(user=second_user, company=globex)

    recorded = first.get(url)  # renders and stores the blocks
    assert "<!--slot" not in recorded.content.decode()
    assert "Saved" in button_of(recorded, acme)
    with django_assert_max_num_queries(3):  # session, user, the reader's bookmarks among the page's companies
        served = second.get(url)
    assert "<!--slot" not in served.content.decode()
    assert "Saved" not in button_of(served, acme)
    assert "Saved" in button_of(served, globex)
    assert "Saved" in button_of(first.get(url), acme)

    anonymous = Client()
    anonymous.cookies["messages"] = "pending"
    text = anonymous.get(url).content.decode()
    assert "★ Saved" not in text and "Saved<span" not in text


def test_a_button_from_stored_content_posts_with_the_readers_own_token(edition):
    acme = make_company(name="Acme")
    recorder, _ = signed_in_client("recorder")
    recorder.get(LIST)
    reader, reader_user = signed_in_client("poster")
    page = reader.get(LIST)
    token = button_of(page, acme).split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert token != button_of(recorder.get(LIST), acme).split('value="')[1].split('"')[0]
    save = reverse("bookmarks:bookmark_set", args=[acme.slug])
    assert reader.post(save, {"saved": "1", "next": LIST, "csrfmiddlewaretoken": token}).status_code == 302
    assert reader_user.bookmarks.filter(company=acme).exists()
    # Saving is not a content change: the stored content stays, and the reader's button turns at once.
    assert "Saved" in button_of(reader.get(LIST), acme)
