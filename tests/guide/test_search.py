"""``/search/?q=``: companies, roles and advice; full-text and ranked on PostgreSQL, a plain match on SQLite."""

import re

import pytest

from advice.models import AdviceGroup
from guide.search import search_advice, search_companies, search_roles
from tests.conftest import make_advice_section, make_company, make_role, visible_text

pytestmark = pytest.mark.django_db


def test_search_finds_companies_roles_and_advice_of_the_edition(client, loaded_edition):
    text = visible_text(client.get("/search/", {"q": "research engineer"}))
    assert "Companies (" in text
    assert "Anthropic" in text
    assert "Mistral" in text
    assert "Roles (" in text
    assert "Research Engineer" in text


def test_search_finds_a_tip_and_links_to_it(client, loaded_edition):
    response = client.get("/search/", {"q": "LangChain"})
    text = visible_text(response)
    assert "Advice (2)" in text
    assert "What's Working" in text
    assert "Open-source presence: Contributions to LangChain, LlamaIndex, or similar projects" in text
    assert "Tutorial projects only: Everyone has built a chatbot with LangChain" in text
    assert 'href="/advice/whats-working/#tip-' in response.content.decode()


def test_search_finds_a_watch_list_company_by_its_note(client, loaded_edition):
    text = visible_text(client.get("/search/", {"q": "legal"}))
    assert "Harvey" in text
    assert "Legal AI, well-funded" in text


def test_search_finds_a_company_by_a_partial_name(client, loaded_edition):
    assert "Anthropic" in visible_text(client.get("/search/", {"q": "anthrop"}))


def test_search_links_roles_to_the_filtered_company_list(client, loaded_edition):
    body = client.get("/search/", {"q": "scientist"}).content.decode()
    assert 'href="/companies/?role=research-scientist"' in body
    assert 'href="/companies/?role=applied-scientist"' in body


def test_search_without_a_query_explains_what_to_type(client, db):
    response = client.get("/search/", {"q": "   "})
    assert response.status_code == 200
    assert "Type a word to search for" in visible_text(response)


def test_search_page_without_parameters_shows_only_the_form(client, db):
    response = client.get("/search/")
    assert response.status_code == 200
    text = visible_text(response)
    assert "Search the guide" in text
    assert "Type a word" not in text
    assert "No results" not in text


def test_search_with_no_result_says_so_and_suggests_a_way_on(client, loaded_edition):
    response = client.get("/search/", {"q": "blockchain"})
    text = visible_text(response)
    assert "No results for “blockchain”." in text
    assert 'href="/companies/"' in response.content.decode()


def test_a_query_over_100_characters_is_refused_with_a_message(client, db):
    response = client.get("/search/", {"q": "a" * 101})
    assert response.status_code == 200
    assert "Search for 100 characters or fewer (you typed 101)." in visible_text(response)
    assert 'aria-invalid="true"' in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "rag", "type": "nonsense"},
        {"q": "rag", "type": "companies", "page": "999"},
        {"q": "rag", "type": "companies", "page": "-1"},
        {"q": "rag", "type": "advice", "page": "abc"},
        {"q": "\x00"},
        {"q": "!!! & | :* <>"},
        {"q": "'\"; DROP TABLE companies_company; --"},
        {"q": "ÆØÅ 日本語"},
    ],
)
def test_bad_input_never_gives_a_server_error(client, loaded_edition, params):
    assert client.get("/search/", params).status_code == 200


def test_unpublished_rows_never_appear(client, db):
    make_company(name="Secret Robotics", is_published=False)
    make_advice_section(title="Secret advice", is_published=False)
    text = visible_text(client.get("/search/", {"q": "secret"}))
    assert "Secret Robotics" not in text
    assert "Secret advice" not in text
    assert "No results" in text


def test_one_kind_of_result_paginates_25_a_page(client, db):
    for i in range(30):
        make_company(name=f"Vector Co {i:02d}")
    first = client.get("/search/", {"q": "vector", "type": "companies"})
    second = client.get("/search/", {"q": "vector", "type": "companies", "page": 2})
    assert visible_text(first).count("Vector Co") == 25
    assert visible_text(second).count("Vector Co") == 5
    assert "30 results for “vector” in companies." in visible_text(first)
    assert 'href="?q=vector&amp;type=companies&amp;page=2"' in first.content.decode()


def test_everything_shows_five_of_each_kind_with_a_link_to_the_rest(client, db):
    for i in range(7):
        make_company(name=f"Vector Co {i}")
    response = client.get("/search/", {"q": "vector"})
    text = visible_text(response)
    assert text.count("Vector Co") == 5
    assert "All 7 companies matching “vector”" in text
    assert 'href="?q=vector&amp;type=companies"' in response.content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_search_query_count_does_not_grow_with_rows(client, db, rows, django_assert_max_num_queries):
    role = make_role(name="Vector Engineer")
    for i in range(rows):
        make_company(name=f"Vector Co {i}", roles=[role])
        make_advice_section(title=f"Vector advice {i}", tips=[("Vector tip", "Body"), ("", "Vector step")])
        make_role(name=f"Vector Role {i}")
    with django_assert_max_num_queries(9):  # with one for the roles the searched word names
        everything = client.get("/search/", {"q": "vector"})
    for kind in ("companies", "roles", "advice"):
        with django_assert_max_num_queries(5):
            one_kind = client.get("/search/", {"q": "vector", "type": kind})
        assert one_kind.status_code == 200
    assert everything.status_code == 200


def test_a_company_named_by_the_words_comes_before_one_that_only_mentions_them(db):
    make_company(name="Quiet Co", focus="General tooling", wants="Retrieval experience")
    make_company(name="Retrieval Labs", focus="Retrieval systems, retrieval evaluation")
    assert [c.name for c in search_companies("retrieval")] == ["Retrieval Labs", "Quiet Co"]


def test_a_word_matches_whole_words_and_their_beginnings_not_inside_a_word(client, loaded_edition):
    text = visible_text(client.get("/search/", {"q": "rust"}))
    assert "Anthropic" not in text  # "Trust & Safety"
    assert "Anthropic" in visible_text(client.get("/search/", {"q": "safety"}))


def test_open_ai_lists_openai_before_meta_ai(client, loaded_edition):
    names = [c.name for c in search_companies("open ai")]
    assert names[0] == "OpenAI"
    assert "Meta AI" not in names[:1]
    text = visible_text(client.get("/search/", {"q": "open ai"}))
    assert "OpenAI" in text
    assert "Meta AI" not in text or text.index("OpenAI") < text.index("Meta AI")


@pytest.mark.parametrize(
    ("query", "page", "href"),
    [
        ("salary", "AI engineer salary benchmarks", "/salaries/"),
        ("salaries", "AI engineer salary benchmarks", "/salaries/"),
        ("remote", "The AI hiring market", "/market/"),
        ("methodology", "About the data", "/about/data/"),
    ],
)
def test_search_finds_the_guides_own_pages(client, loaded_edition, query, page, href):
    response = client.get("/search/", {"q": query})
    text = visible_text(response)
    assert "Pages (" in text
    assert page in text
    assert f'href="{href}"' in response.content.decode()


def test_a_word_finds_its_other_forms(client, db):
    make_advice_section(title="Offers", group=AdviceGroup.STAND_OUT, tips=[("", "Negotiating your offer")])
    assert [s.title for s in search_advice("negotiate")] == ["Offers"]
    assert [s.title for s in search_advice("negotiated")] == ["Offers"]


def test_search_links_to_the_open_roles_that_match(client, db):
    body = client.get("/search/", {"q": "rag eval"}).content.decode()
    assert 'href="/jobs/?q=rag%20eval"' in body


def test_everything_counts_a_common_word_up_to_100(client, db):
    for i in range(102):
        make_company(name=f"Vector Co {i:03d}")
    text = visible_text(client.get("/search/", {"q": "vector"}))
    assert "Companies (100+)" in text
    assert "All 100+ companies matching “vector”" in text
    assert "102 results for “vector” in companies." in visible_text(
        client.get("/search/", {"q": "vector", "type": "companies"})
    )


def test_every_word_must_match_on_sqlite_and_postgresql(db):
    make_role(name="Research Engineer")
    make_role(name="Platform Engineer")
    assert [r.name for r in search_roles("research engineer")] == ["Research Engineer"]


def test_the_header_search_box_keeps_the_query_on_the_results_page(client, db):
    body = client.get("/search/", {"q": "rag <b>"}).content.decode()
    header_box = body.split('id="site-search-q"')[1].split(">")[0]
    assert 'value="rag &lt;b&gt;"' in header_box
    elsewhere = client.get("/companies/").content.decode().split('id="site-search-q"')[1].split(">")[0]
    assert "value=" not in elsewhere


def test_search_has_title_and_is_not_indexed(client, db):
    body = client.get("/search/", {"q": "rag"}).content.decode()
    assert "<title>Search: rag · AI Hiring Guide</title>" in body
    assert '<meta name="robots" content="noindex">' in body


@pytest.mark.parametrize("query", ["market", "research engineer", "safety"])
def test_site_search_the_company_list_and_the_api_find_the_same_companies(client, loaded_edition, query):
    searched = {c.slug for c in search_companies(query)}
    listed = set(re.findall(r'href="/companies/([\w-]+)/"', client.get("/companies/", {"q": query}).content.decode()))
    listed.discard("compare")
    api = {c["slug"] for c in client.get("/api/companies/", {"q": query, "page_size": 100}).json()["results"]}
    assert searched and searched == listed == api


def test_an_advice_section_found_by_its_title_shows_what_it_says(client, loaded_edition):
    text = visible_text(client.get("/search/", {"q": "negotiate"}))
    assert "Negotiation" in text
    assert "Have competing offers if possible" in text
    assert "Check an offer" in text
