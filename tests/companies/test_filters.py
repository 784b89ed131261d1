"""The company list's filters, through the page readers use: each parameter, combinations, bad values, paging."""

import html
import re

import pytest
from django.urls import reverse

from companies.filters import CompanyFilter
from companies.models import Company, CompBasis, Outlook
from tests.conftest import make_category, make_company, make_role

pytestmark = pytest.mark.django_db

LIST_URL = reverse("companies:company_list")


def names(response):
    """Company names in the result table, in order."""
    found = re.findall(r'class="company-cell__name"[^>]*>([^<]+)</a>', response.content.decode())
    return [html.unescape(name) for name in found]


def get(client, **params):
    return client.get(LIST_URL, params)


@pytest.fixture
def companies(db):
    ai_native = make_category(name="AI-Native Companies", slug="ai-native")
    big_tech = make_category(name="Big Tech AI Teams", slug="big-tech")
    research = make_role(name="Research Engineer", slug="research-engineer")
    platform = make_role(name="Platform Engineer", slug="platform-engineer")
    return {
        "anthropic": make_company(
            name="Anthropic",
            category=ai_native,
            roles=[research],
            focus="Claude development, safety research",
            wants="Deep LLM understanding, safety mindset",
            comp_min=200_000,
            comp_max=400_000,
            comp_open_ended=True,
            comp_note="Top of market",
        ),
        "openai": make_company(
            name="OpenAI",
            category=ai_native,
            roles=[platform],
            focus="ChatGPT, API products, enterprise",
            wants="Product engineering + AI intersection",
            comp_min=None,
            comp_max=None,
            comp_note="Highly competitive + equity",
        ),
        "deepmind": make_company(
            name="Google DeepMind",
            category=big_tech,
            roles=[research],
            focus="Frontier research, Gemini",
            wants="Research publications or equivalent impact",
            comp_min=250_000,
            comp_max=500_000,
            comp_open_ended=True,
            comp_basis=CompBasis.TOTAL,
        ),
        "cohere": make_company(
            name="Cohere",
            category=ai_native,
            roles=[],
            focus="Enterprise LLM deployment",
            wants="Production experience",
            comp_min=170_000,
            comp_max=280_000,
        ),
        "glean": make_company(
            name="Glean",
            category=None,
            focus="",
            wants="",
            comp_min=None,
            comp_max=None,
            outlook=Outlook.GROWING,
            outlook_note="Enterprise search and RAG",
        ),
        "mongodb": make_company(
            name="MongoDB",
            category=None,
            focus="",
            wants="",
            comp_min=None,
            comp_max=None,
            outlook=Outlook.STABLE,
            outlook_note="Vector search expansion",
        ),
    }


def test_no_filters_lists_every_published_company_by_name(client, companies):
    make_company(name="Hidden Co", is_published=False)
    response = get(client)
    assert response.status_code == 200
    assert names(response) == ["Anthropic", "Cohere", "Glean", "Google DeepMind", "MongoDB", "OpenAI"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("anthropic", ["Anthropic"]),  # name, any case
        ("gemini", ["Google DeepMind"]),  # focus
        ("safety mindset", ["Anthropic"]),  # what they want, every word must match
        ("platform engineer", ["OpenAI"]),  # role
        ("RAG", ["Glean"]),  # the watch-list line
        ("nothing-like-this", []),
    ],
)
def test_q_searches_name_focus_roles_and_wants(client, companies, q, expected):
    assert names(get(client, q=q)) == expected


def test_category_keeps_that_category(client, companies):
    assert names(get(client, category="big-tech")) == ["Google DeepMind"]


def test_role_keeps_companies_listing_the_role(client, companies):
    assert names(get(client, role="research-engineer")) == ["Anthropic", "Google DeepMind"]


@pytest.mark.parametrize(
    ("outlook", "expected"), [("growing", ["Glean"]), ("stable", ["MongoDB"]), ("watch", ["Glean", "MongoDB"])]
)
def test_outlook_keeps_a_watch_list(client, companies, outlook, expected):
    assert names(get(client, outlook=outlook)) == expected


@pytest.mark.parametrize(
    ("comp_min", "expected"),
    [
        ("280000", ["Anthropic", "Cohere", "Google DeepMind"]),  # a top equal to the amount counts
        ("300000", ["Anthropic", "Google DeepMind"]),
        ("450000", ["Anthropic", "Google DeepMind"]),  # open-ended "$200K-400K+" reaches beyond its top
        ("0", ["Anthropic", "Cohere", "Google DeepMind"]),  # companies without a figure are left out
    ],
)
def test_comp_min_keeps_ranges_reaching_the_amount(client, companies, comp_min, expected):
    assert names(get(client, comp_min=comp_min)) == expected


def test_comp_min_excludes_closed_ranges_below_the_amount(client, companies):
    companies["anthropic"].comp_open_ended = False
    companies["anthropic"].save()
    assert names(get(client, comp_min="450000")) == ["Google DeepMind"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("name", ["Anthropic", "Cohere", "Glean", "Google DeepMind", "MongoDB", "OpenAI"]),
        ("-comp_max", ["Google DeepMind", "Anthropic", "Cohere", "Glean", "MongoDB", "OpenAI"]),
        ("comp_min", ["Cohere", "Anthropic", "Google DeepMind", "Glean", "MongoDB", "OpenAI"]),
    ],
)
def test_ordering(client, companies, ordering, expected):
    assert names(get(client, ordering=ordering)) == expected


def test_ordering_by_recent_update(client, companies):
    companies["cohere"].save()  # the most recently updated
    assert names(get(client, ordering="-updated"))[0] == "Cohere"


def test_filters_combine(client, companies):
    response = get(client, category="ai-native", role="research-engineer", comp_min="300000", q="claude")
    assert names(response) == ["Anthropic"]
    assert names(get(client, category="ai-native", outlook="growing")) == []


def test_active_filters_are_listed_with_links_that_remove_them(client, companies):
    response = get(client, category="ai-native", comp_min="250000", ordering="-comp_max")
    body = response.content.decode()
    assert "AI-Native Companies" in body
    assert "Pay reaches $250K" in body
    assert "2 companies match your filters" in body
    assert 'href="?comp_min=250000&amp;ordering=-comp_max"' in body  # removes the category, keeps the rest
    assert 'href="?category=ai-native&amp;ordering=-comp_max"' in body


def test_the_form_shows_the_chosen_values(client, companies):
    body = get(client, q="safety", category="ai-native", comp_min="250000").content.decode()
    assert 'value="safety"' in body
    assert '<option value="ai-native" selected>' in body
    assert 'value="250000"' in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"comp_min": "abc"}, "Enter pay as a whole number of US dollars, like 250000."),
        ({"comp_min": "-5"}, "Enter an amount of 0 or more."),
        ({"comp_min": "12.5"}, "Enter pay as a whole number of US dollars, like 250000."),
        ({"comp_min": "999999999999"}, "Enter an amount up to 100,000,000."),
        ({"category": "no-such-category"}, "Choose a category from the list; there is no category with that name."),
        ({"role": "no-such-role"}, "Choose a role from the list; no company lists a role with that name."),
        ({"outlook": "shrinking"}, "Choose “All companies to watch”, “Growing teams” or “Stable employers”."),
        ({"ordering": "-salary"}, "Choose a sort order from the list."),
        ({"q": "x" * 101}, "Shorten the search to 100 characters or fewer."),
        ({"q": "nul\x00byte"}, "Null characters are not allowed."),
    ],
)
def test_bad_values_explain_the_problem_with_a_400(client, companies, params, message):
    response = get(client, **params)
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "There is a problem with the filters" in body
    assert message in body
    assert 'aria-invalid="true"' in body
    assert "Fix the filters above to see companies" in body
    assert names(response) == []


def test_a_bad_value_keeps_the_other_choices_in_the_form(client, companies):
    body = get(client, comp_min="abc", category="ai-native").content.decode()
    assert '<option value="ai-native" selected>' in body
    assert 'value="abc"' in body


def test_twenty_five_a_page_and_filters_survive_paging(client):
    category = make_category(slug="startups")
    for n in range(30):
        make_company(name=f"Startup {n:02d}", category=category, comp_min=150_000, comp_max=250_000)
    make_company(name="Elsewhere", category=make_category())
    first = get(client, category="startups", ordering="name")
    assert len(names(first)) == 25
    assert "30 companies match your filters" in first.content.decode()
    assert 'href="?category=startups&amp;ordering=name&amp;page=2"' in first.content.decode()
    second = get(client, category="startups", ordering="name", page="2")
    assert names(second) == [f"Startup {n:02d}" for n in range(25, 30)]
    assert 'href="?category=startups&amp;ordering=name&amp;page=1"' in second.content.decode()


@pytest.mark.parametrize("page", ["3", "0", "-1", "abc", "99999999999999999999"])
def test_a_page_past_the_end_or_not_a_number_is_404(client, companies, page):
    assert get(client, page=page).status_code == 404


def test_the_filterset_is_the_same_for_the_api(companies):
    """The API uses this FilterSet too: the same names and the same rejection of bad values."""
    filterset = CompanyFilter({"comp_min": "300000", "role": "research-engineer"}, queryset=Company.objects.all())
    assert filterset.is_valid()
    assert sorted(c.name for c in filterset.qs) == ["Anthropic", "Google DeepMind"]
    assert list(CompanyFilter.base_filters) == ["q", "category", "role", "outlook", "comp_min", "ordering"]
    assert not CompanyFilter({"comp_min": "abc"}, queryset=Company.objects.all()).is_valid()
