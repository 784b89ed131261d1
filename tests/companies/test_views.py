"""The public company pages: list, profile and compare, with the edition's own words, provenance and query counts."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from companies.models import Outlook
from companies.views import HIRING_PLACES, HIRING_SAMPLE, OTHERS_SHOWN, hiring_summary
from core.pagination import CappedPaginator
from market.models import SalaryLevel
from tests.conftest import (
    make_benchmark,
    make_bookmark,
    make_category,
    make_company,
    make_edition,
    make_role,
    make_user,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("companies:company_list")
COMPARE_URL = reverse("companies:company_compare")

# Queries per page whatever the number of companies (signed-in readers add their session and user).
LIST_QUERIES = 7  # count, page, roles, pay scale, category and role choices of the form, the current edition
PROFILE_QUERIES = 14  # company, its roles, other companies, their roles, benchmarks, compare choices, change log (2),
# its open roles (count, newest, boards, where and how it hires) and what they pay (2)
COMPARE_QUERIES = 6  # companies, their roles, benchmarks, picker choices, what their postings pay (2)
SIGNED_IN = 3  # their session, user and saved companies


def text(response):
    """The page as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    body = re.sub(r"<(script|style|head)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def head(response):
    return response.content.decode().split("</head>")[0]


def make_levels():
    for level, base, total in [
        (SalaryLevel.JUNIOR, (125_000, 160_000), (140_000, 180_000)),
        (SalaryLevel.MID, (160_000, 210_000), (190_000, 260_000)),
        (SalaryLevel.SENIOR, (200_000, 260_000), (250_000, 340_000)),
        (SalaryLevel.STAFF, (250_000, 320_000), (320_000, 450_000)),
    ]:
        make_benchmark(level=level, base_min=base[0], base_max=base[1], total_min=total[0], total_max=total[1])


def make_many(count, category=None):
    category = category or make_category()
    roles = [make_role(), make_role()]
    companies = [make_company(category=category, roles=roles) for _ in range(count)]
    make_company(category=None, comp_min=None, comp_max=None, outlook=Outlook.GROWING, outlook_note="Watch me")
    return companies


# ---------- The list ----------


def test_list_shows_every_profile_worded_as_the_source(client, loaded_edition):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    page = text(response)
    assert "Companies hiring AI engineers" in page
    assert "25 companies" in page
    for words in [
        "Top of market ($200K-400K+)",
        "$250K-500K+ total comp",
        "Highly competitive + equity",
        "Competitive, equity upside",
        "$170K-280K",
        "Claude development, safety research",
    ]:
        assert words in page
    body = response.content.decode()
    assert 'href="?role=research-engineer"' in body  # the list filtered by that role
    assert 'href="?category=ai-native-companies"' in body
    assert 'href="/companies/anthropic/"' in body


def test_list_includes_the_watch_lists(client, loaded_edition):
    page = text(client.get(LIST_URL))
    assert "Perplexity" in page and "Search AI, rapidly scaling" in page and "Growing team" in page
    assert "Databricks" in page and "ML platform and LLM applications" in page and "Stable employer" in page


def test_list_draws_pay_bars_on_one_scale_with_arrows_for_open_ranges(client, loaded_edition):
    body = client.get(LIST_URL).content.decode()
    assert body.count('<svg class="paybar"') == 14  # every profile with figures; OpenAI and Mistral give none
    assert body.count('class="paybar__arrow-line"') == 2  # Anthropic's and DeepMind's "+"
    assert "bars: $100K–$600K" in text(client.get(LIST_URL))


def test_list_rows_carry_provenance_and_a_bookmark_button(client, loaded_edition):
    response = client.get(LIST_URL)
    body = response.content.decode()
    assert "Q1 2026 · verified 31 Jan 2026" in text(response)
    assert body.count('class="button button--small bookmark-button"') == 25  # a Save link per company
    assert body.count('name="c" value=') == 25  # a compare tick per company


def test_list_marks_only_figures_older_than_their_edition(client):
    q1 = make_edition(published_on=datetime.date(2026, 1, 31))
    q2 = make_edition(published_on=datetime.date(2026, 4, 30), previous_published_on=q1.published_on, is_current=False)
    make_company(name="Old Figures", last_verified=datetime.date(2026, 1, 31), edition=q2)
    make_company(name="Fresh Figures", last_verified=datetime.date(2026, 4, 20), edition=q2)
    for n in range(3):  # verified on the first edition's day, long ago: the edition notice says how old
        make_company(name=f"First {n}", last_verified=datetime.date(2026, 1, 31), edition=q1)
    body = client.get(LIST_URL).content.decode()
    assert body.count('<span class="badge badge--review">Needs review</span>') == 1


def test_list_shows_bookmark_state_to_a_signed_in_reader(client):
    user = make_user()
    saved = make_company(name="Saved Co")
    make_company(name="Other Co")
    make_bookmark(user=user, company=saved)
    client.force_login(user)
    body = client.get(LIST_URL).content.decode()
    assert body.count("bookmark-button--saved") == 1


def test_list_empty_state_offers_a_way_on(client):
    make_company(name="Acme")
    page = text(client.get(LIST_URL, {"q": "nothing matches this"}))
    assert "No companies match these filters." in page
    assert "Clear all filters" in page


def test_list_head_has_title_description_canonical_and_open_graph(client, loaded_edition):
    response = client.get(LIST_URL, {"role": "ai-engineer"})
    head_html = head(response)
    assert "<title>Companies hiring AI engineers · AI Hiring Guide</title>" in head_html
    assert '<meta name="description" content="Who is hiring AI engineers' in head_html
    assert '<link rel="canonical" href="http://testserver/companies/?role=ai-engineer">' in head_html
    assert '<meta property="og:title" content="Companies hiring AI engineers · AI Hiring Guide">' in head_html
    assert '<meta property="og:description" content="Who is hiring AI engineers' in head_html
    assert '<meta property="og:url" content="http://testserver/companies/?role=ai-engineer">' in head_html


def test_list_pages_say_their_number_in_the_title(client):
    make_many(30)
    assert "<title>Companies hiring AI engineers (page 2) · AI Hiring Guide</title>" in head(
        client.get(LIST_URL, {"page": "2"})
    )


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_is_fixed(client, django_assert_max_num_queries, count):
    make_many(count)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST_URL)
    assert len(response.context["object_list"]) == min(count + 1, 25)


@pytest.mark.parametrize("count", [3, 30])
def test_filtered_list_query_count_is_fixed(client, django_assert_max_num_queries, count):
    category = make_category()
    make_many(count, category=category)
    with django_assert_max_num_queries(LIST_QUERIES + 2):  # the chosen category and role are looked up
        response = client.get(
            LIST_URL, {"category": category.slug, "role": "nope", "comp_min": "1000", "ordering": "-comp_max"}
        )
    assert response.status_code == 400  # an unknown role; the other values are fine
    role = category.companies.first().roles.first()
    with django_assert_max_num_queries(LIST_QUERIES + 3):  # and the roles the searched word names
        response = client.get(LIST_URL, {"category": category.slug, "role": role.slug, "q": "Company"})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_is_fixed_when_signed_in(client, django_assert_max_num_queries, count):
    companies = make_many(count)
    user = make_user()
    make_bookmark(user=user, company=companies[0])
    client.force_login(user)
    with django_assert_max_num_queries(LIST_QUERIES + SIGNED_IN):
        client.get(LIST_URL)


# ---------- The profile ----------


def test_profile_shows_the_full_profile_worded_as_the_source(client, loaded_edition):
    response = client.get(reverse("companies:company_detail", args=["anthropic"]))
    assert response.status_code == 200
    page = text(response)
    assert "Anthropic" in page
    assert "Top of market ($200K-400K+)" in page
    assert "Claude development, safety research" in page
    assert "Deep LLM understanding, safety mindset" in page
    assert "AI-Native Companies" in page
    assert "offers can go above the top of the range" in page
    for role in ["AI Engineer", "Research Engineer", "Trust & Safety"]:
        assert role in page
    body = response.content.decode()
    for slug in ["ai-engineer", "research-engineer", "trust-and-safety"]:
        assert f'href="/companies/?role={slug}"' in body


def test_profile_carries_its_provenance(client, loaded_edition):
    page = text(client.get(reverse("companies:company_detail", args=["anthropic"])))
    assert (
        "Q1 2026 edition · as of 31 Jan 2026 · Source: AI Hiring Guide, Q1 2026 edition: our tracking of AI job "
        "postings in January 2026 · Last verified 31 Jan 2026"
    ) in page


def test_profile_needs_review_badge_only_for_stale_figures(client):
    make_edition(published_on=datetime.date(2026, 1, 31))
    q2 = make_edition(published_on=datetime.date(2026, 4, 30), previous_published_on=datetime.date(2026, 1, 31))
    stale = make_company(last_verified=datetime.date(2026, 1, 31), edition=q2)
    fresh = make_company(last_verified=datetime.date(2026, 2, 1), edition=q2)
    assert "Needs review" in text(client.get(stale.get_absolute_url()))
    assert "Needs review" not in text(client.get(fresh.get_absolute_url()))


def test_profile_lists_other_companies_in_its_category(client, loaded_edition):
    response = client.get(reverse("companies:company_detail", args=["anthropic"]))
    page = text(response)
    assert "Other AI-Native Companies" in page
    others = [c.name for c in response.context["others"]]
    assert others == ["OpenAI", "Cohere", "Mistral"]
    assert 'href="/companies/compare/?c=anthropic&amp;c=openai"' in response.content.decode()


def test_profile_charts_its_range_against_the_levels(client, loaded_edition):
    response = client.get(reverse("companies:company_detail", args=["google-deepmind"]))
    page = text(response)
    assert "Google DeepMind’s pay against the market’s levels" in page
    assert "$250K-500K+ total comp" in page
    assert "Total compensation" in page
    for words in ["Junior (0-2 yrs)", "Base $125K-160K · Total $140K-180K", "Base $250K-320K · Total $320K-450K"]:
        assert words in page
    body = response.content.decode()
    assert '<figure class="chart">' in body and 'class="chart__arrow-line"' in body


def test_profile_without_figures_keeps_the_words(client, loaded_edition):
    response = client.get(reverse("companies:company_detail", args=["openai"]))
    page = text(response)
    assert "Highly competitive + equity" in page
    assert "The source gives no figures for this company." in page


def test_profile_without_figures_draws_no_chart(client, loaded_edition):
    body = client.get(reverse("companies:company_detail", args=["openai"])).content.decode()
    assert '<figure class="chart">' not in body


def test_profile_shows_its_focus_once(client, loaded_edition):
    page = text(client.get(reverse("companies:company_detail", args=["anthropic"])))
    assert page.count("Claude development, safety research") == 1


def test_pay_says_when_the_source_does_not_state_its_basis(client, loaded_edition):
    page = text(client.get(reverse("companies:company_detail", args=["cohere"])))
    assert ", basis not stated" in page
    deepmind = text(client.get(reverse("companies:company_detail", args=["google-deepmind"])))
    assert "basis not stated" not in deepmind


def test_profile_has_a_link_to_copy(client, loaded_edition):
    body = client.get(reverse("companies:company_detail", args=["anthropic"])).content.decode()
    assert re.search(r'<a [^>]*href="/companies/anthropic/" data-copy-link[^>]*>Copy link', body)


def test_watch_list_profile_shows_its_outlook_and_the_rest_of_its_list(client, loaded_edition):
    response = client.get(reverse("companies:company_detail", args=["perplexity"]))
    page = text(response)
    assert "Growing team" in page and "Search AI, rapidly scaling" in page
    assert "Also on the “Growing team” watch list" in page
    assert [c.name for c in response.context["others"]] == ["Character.ai", "Glean", "Writer", "Harvey"]


def test_profile_shows_the_bookmark_state(client):
    user = make_user()
    company = make_company()
    make_bookmark(user=user, company=company)
    client.force_login(user)
    assert "bookmark-button--saved" in client.get(company.get_absolute_url()).content.decode()


def test_profile_head_tags(client, loaded_edition):
    head_html = head(client.get(reverse("companies:company_detail", args=["anthropic"])))
    assert "<title>Anthropic: AI roles, pay and what they want · AI Hiring Guide</title>" in head_html
    assert (
        'content="Anthropic (Claude development, safety research): pay Top of market ($200K-400K+), basis not stated;'
    ) in head_html
    assert '<link rel="canonical" href="http://testserver/companies/anthropic/">' in head_html
    assert '<meta property="og:title" content="Anthropic: AI roles, pay and what they want · AI Hiring Guide">' in (
        head_html
    )


@pytest.mark.parametrize("slug", ["no-such-company", "hidden"])
def test_profile_404_for_unknown_or_unpublished(client, slug):
    make_company(slug="hidden", is_published=False)
    assert client.get(reverse("companies:company_detail", args=[slug])).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_profile_query_count_is_fixed(client, django_assert_max_num_queries, count):
    make_levels()
    companies = make_many(count)
    with django_assert_max_num_queries(PROFILE_QUERIES):
        response = client.get(companies[0].get_absolute_url())
    assert len(response.context["others"]) == min(count - 1, OTHERS_SHOWN)


@pytest.mark.parametrize("count", [3, 30])
def test_profile_query_count_is_fixed_when_signed_in(client, django_assert_max_num_queries, count):
    make_levels()
    companies = make_many(count)
    user = make_user()
    make_bookmark(user=user, company=companies[1])
    client.force_login(user)
    with django_assert_max_num_queries(PROFILE_QUERIES + SIGNED_IN):
        client.get(companies[0].get_absolute_url())


# ---------- Compare ----------


def compare(client, *slugs):
    return client.get(COMPARE_URL, {"c": list(slugs)})


def test_compare_puts_two_companies_side_by_side(client, loaded_edition):
    response = compare(client, "anthropic", "google-deepmind")
    assert response.status_code == 200
    page = text(response)
    for words in [
        "Compare 2 companies",
        "Top of market ($200K-400K+)",
        "$250K-500K+ total comp",
        "Deep LLM understanding, safety mindset",
        "Research publications or equivalent impact",
        "AI-Native Companies",
        "Big Tech AI Teams",
        "Claude development, safety research",
        "Frontier research, Gemini",
        "Research Scientist",
        "Not on a watch list",
    ]:
        assert words in page
    for row in ["Category", "Roles", "Focus", "Pay", "What they want", "Outlook"]:
        assert f'<th scope="row">{row}</th>' in response.content.decode()
    assert "Their pay side by side, against the market’s levels" in page
    assert "<title>Compare Anthropic and Google DeepMind · AI Hiring Guide</title>" in head(response)


def test_compare_keeps_the_order_given_and_ignores_duplicates(client, loaded_edition):
    response = compare(client, "openai", "anthropic", "openai", "anthropic")
    assert [c.name for c in response.context["companies"]] == ["OpenAI", "Anthropic"]


def test_compare_with_no_company_shows_the_picker_without_a_warning(client, loaded_edition):
    response = client.get(COMPARE_URL)
    assert response.status_code == 200
    page = text(response)
    assert "Compare companies" in page and "Choose a company" in page
    assert "Choose at least" not in page


def test_compare_with_one_company_asks_for_another(client, loaded_edition):
    response = compare(client, "anthropic")
    assert response.status_code == 200
    page = text(response)
    assert "Choose at least one more company to compare with Anthropic." in page
    assert response.context["companies"] == []
    assert '<option value="anthropic" selected>' in response.content.decode()  # kept in the picker


def test_compare_with_more_than_four_shows_the_first_four(client, loaded_edition):
    response = compare(client, "anthropic", "openai", "cohere", "mistral", "figma")
    page = text(response)
    assert (
        "You can compare up to 4 companies at once, so this shows the first 4: Anthropic, OpenAI, Cohere, Mistral."
    ) in page
    assert [c.name for c in response.context["companies"]] == ["Anthropic", "OpenAI", "Cohere", "Mistral"]


def test_compare_names_unknown_companies(client, loaded_edition):
    make_company(slug="hidden-co", is_published=False)
    response = compare(client, "anthropic", "no-such-co", "openai")
    assert "We couldn’t find a company called “no-such-co”." in text(response)
    assert [c.name for c in response.context["companies"]] == ["Anthropic", "OpenAI"]
    page = text(compare(client, "nope", "hidden-co"))
    assert "We couldn’t find companies called “nope”, “hidden-co”." in page
    assert "Choose at least two companies to compare." in page


@pytest.mark.parametrize(
    "slugs",
    [
        ["<script>alert(1)</script>", "anthropic"],
        ["a" * 500, "anthropic"],
        ["anthropic"] + [f"x{n}" for n in range(200)],
        ["", " ", "anthropic"],
    ],
    ids=["markup", "long", "many", "blank"],
)
def test_compare_survives_odd_input(client, loaded_edition, slugs):
    response = compare(client, *slugs)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_compare_query_count_is_fixed(client, django_assert_max_num_queries, count):
    make_levels()
    companies = make_many(count)
    with django_assert_max_num_queries(COMPARE_QUERIES):
        response = compare(client, *[c.slug for c in companies[:3]])
    assert len(response.context["companies"]) == 3


@pytest.mark.parametrize("count", [3, 30])
def test_compare_query_count_is_fixed_when_signed_in(client, django_assert_max_num_queries, count):
    make_levels()
    companies = make_many(count)
    user = make_user()
    make_bookmark(user=user, company=companies[0])
    client.force_login(user)
    with django_assert_max_num_queries(COMPARE_QUERIES + SIGNED_IN):
        response = compare(client, *[c.slug for c in companies[:3]])
    assert "bookmark-button--saved" in response.content.decode()


def test_a_list_longer_than_the_count_cap_says_more_than_and_stops_at_the_cap(client, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    make_many(5)
    response = client.get(LIST_URL)
    assert "More than 3 companies: the first 3 are listed, so narrow the filters to find the rest" in text(response)
    assert client.get(LIST_URL, {"q": "Company"}).status_code == 200


WORKPLACES = [("remote", "Remote"), ("hybrid", "Hybrid"), ("onsite", "On-site")]


def test_hiring_summary_counts_each_place_once_per_posting_and_names_the_rest():
    places = [f"City {n}" for n in range(HIRING_PLACES + 2)]
    sample = [(["City 0", "City 0", ""], "onsite"), (places, "remote"), (None, "remote")]
    summary = hiring_summary(sample, WORKPLACES)
    assert summary["places"][0] == {"name": "City 0", "postings": 2}
    assert len(summary["places"]) == HIRING_PLACES
    assert summary["more_places"] == 2
    assert summary["workplaces"] == [{"label": "Remote", "postings": 2}, {"label": "On-site", "postings": 1}]
    assert summary["scope"] == "its 3 open roles"


def test_hiring_summary_says_when_it_read_only_the_newest_roles():
    assert hiring_summary([(["London"], "remote")], WORKPLACES)["scope"] == "its 1 open role"
    full = hiring_summary([(["London"], "remote")] * HIRING_SAMPLE, WORKPLACES)
    assert full["scope"] == f"its {HIRING_SAMPLE} newest open roles"
    assert full["more_places"] == 0
