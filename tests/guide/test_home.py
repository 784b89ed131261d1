"""The guide's home page: every fact of the edition, worded as the source words it, in a fixed number of queries."""

import re

import pytest
from django.urls import reverse

from advice.models import AdviceGroup
from companies.models import Category, Company, Outlook
from market.models import SalaryLevel
from tests.conftest import (
    make_advice_section,
    make_benchmark,
    make_category,
    make_company,
    make_role,
    make_snapshot,
    make_specialization,
    make_trend,
    visible_text,
)

pytestmark = pytest.mark.django_db

SEED_PHRASES = [
    # The summary and the market overview.
    "The AI hiring market in Q1 2026 is robust but selective. Companies are hiring fewer, more senior engineers "
    "compared to the 2023-2024 hiring surge. Here's who's actively recruiting and what they're looking for.",
    "Market Overview",
    "Based on our tracking of AI job postings in January 2026:",
    "Total AI engineering roles 1,969 active postings",
    "Month-over-month change +8%",
    "Remote-eligible roles 34%",
    "Senior+ roles 62%",
    "The market has matured. Companies want proven experience, not potential.",
    # Categories.
    "Top Hiring Companies by Category",
    "AI-Native Companies",
    "Big Tech AI Teams",
    "High-Growth AI Startups",
    "Enterprise AI Adopters",
    # Trends and specializations.
    "What Q1 2026 Hiring Looks Like",
    "Shift Toward Senior Hires",
    "Companies are consolidating teams and hiring experienced engineers:",
    "62% of roles are Senior, Staff, or Principal level",
    "Junior AI roles are increasingly rare",
    "Mid-level requires demonstrable production experience",
    '"AI-curious" engineers are less attractive than before',
    "Specialization Over Generalists",
    "Specific expertise is valued:",
    "RAG specialists: High demand for complex retrieval systems",
    "Fine-tuning experts: Companies moving beyond prompt engineering",
    "AI safety/evals: Growing need for quality assurance",
    "Multi-modal: Image, video, audio AI expanding",
    "Remote Policy Tightening",
    "Trends in location flexibility:",
    "Fully remote roles decreased 12% from Q4 2025",
    "Hybrid (2-3 days) is the most common policy",
    "Return-to-office mandates affecting some big tech roles",
    "Remote-first companies gaining competitive advantage",
    # Getting hired (highlights).
    "Getting Hired in Q1 2026",
    "What's Working",
    "Strong portfolios",
    "Open-source presence",
    "What's Not Working",
    "Tutorial projects only",
    "AI hype without substance",
    # Watch lists.
    "Companies to Watch",
    "Growing Teams",
    "Companies we expect to increase AI hiring in Q2:",
    "Perplexity: Search AI, rapidly scaling",
    "Character.ai: Consumer AI applications",
    "Glean: Enterprise search and RAG",
    "Writer: Enterprise content AI",
    "Harvey: Legal AI, well-funded",
    "Stable Employers",
    "Consistent hiring, good reputation:",
    "Databricks: ML platform and LLM applications",
    "Snowflake: Data + AI integration",
    "MongoDB: Vector search expansion",
    "Elastic: Search + AI convergence",
    "Caution Areas",
    "Companies with recent layoffs or uncertain funding should be researched carefully. AI hiring can be volatile.",
    # Salaries.
    "Salary Benchmarks Q1 2026",
    "Current market rates for AI engineering roles:",
    "Level Base Total Comp",
    "Junior (0-2 yrs) $125K-160K $140K-180K",
    "Mid (2-5 yrs) $160K-210K $190K-260K",
    "Senior (5-8 yrs) $200K-260K $250K-340K",
    "Staff (8+ yrs) $250K-320K $320K-450K",
    "Equity varies dramatically by company stage. Big tech RSUs are reliable; startup equity is speculative.",
    # How to stand out (highlights) and the bottom line in full.
    "How to Stand Out",
    "Before Applying",
    "Research the company's AI products/features",
    "In Interviews",
    "Lead with impact, not technology",
    "Negotiation",
    "Don't accept the first offer",
    "The Bottom Line",
    "Q1 2026 AI hiring favors experienced engineers with production credentials. The companies above are actively "
    "hiring, but competition is fierce for the best roles. Focus on demonstrable expertise, specific skills, and "
    "clear impact stories. The market rewards depth over breadth and shipping over studying.",
    "Start with companies whose products excite you—enthusiasm and domain knowledge show in interviews.",
]


def test_home_shows_every_headline_fact_of_the_edition(client, loaded_edition):
    response = client.get("/")
    assert response.status_code == 200
    text = visible_text(response)
    missing = [phrase for phrase in SEED_PHRASES if phrase not in text]
    assert missing == []


def test_home_lists_every_profiled_company_with_pay_and_a_link(client, loaded_edition):
    body = client.get("/").content.decode()
    text = visible_text(client.get("/"))
    for company in Company.objects.filter(category__isnull=False):
        assert f'href="/companies/{company.slug}/"' in body
        assert company.comp_text in text, company.name
        assert company.wants in text
        assert company.focus in text
    for company in Company.objects.exclude(outlook=Outlook.NONE):
        assert f'href="/companies/{company.slug}/"' in body


def test_home_keeps_the_guides_order_of_categories_and_companies(client, loaded_edition):
    text = visible_text(client.get("/"))
    names = [
        "AI-Native Companies",
        "Anthropic",
        "Mistral",
        "Big Tech AI Teams",
        "Google DeepMind",
        "Amazon (AWS AI)",
        "High-Growth AI Startups",
        "Scale AI",
        "Anyscale",
        "Enterprise AI Adopters",
        "Stripe",
        "Figma",
    ]
    start = text.index("Top Hiring Companies by Category")
    positions = [text.index(name, start) for name in names]
    assert positions == sorted(positions)


def test_home_shows_each_companys_roles(client, loaded_edition):
    text = visible_text(client.get("/"))
    assert "Anthropic Roles AI Engineer, Research Engineer, Trust & Safety Focus Claude development" in text


def test_every_section_links_to_its_full_page(client, loaded_edition):
    body = client.get("/").content.decode()
    for url in [
        reverse("market:market"),
        reverse("companies:company_list"),
        reverse("market:salaries"),
        reverse("advice:section_list"),
        "/advice/whats-working/",
        "/advice/negotiation/",
        "/advice/the-bottom-line/",
        "/companies/?category=ai-native-companies",
        "/companies/?outlook=growing",
        "/market/#shift-toward-senior-hires",
    ]:
        assert f'href="{url}' in body, url


def test_home_has_title_description_canonical_and_open_graph(client, loaded_edition):
    body = client.get("/").content.decode()
    assert "<title>AI Hiring Guide Q1 2026: who is hiring AI engineers, what they pay</title>" in body
    assert '<meta name="description" content="The AI hiring market in Q1 2026 is robust but selective.' in body
    assert '<link rel="canonical" href="http://testserver/">' in body
    assert '<meta property="og:title" content="AI Hiring Guide Q1 2026' in body


def test_home_shows_provenance_of_the_figures(client, loaded_edition):
    text = visible_text(client.get("/"))
    assert (
        "Q1 2026 edition · as of 31 Jan 2026 · Source: Based on our tracking of AI job postings in January 2026" in text
    )


def test_home_without_an_edition_says_so(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "The first edition of the guide is on its way." in visible_text(response)


def test_home_hides_unpublished_companies(client, edition):
    make_company(name="Hidden Labs", is_published=False)
    make_company(name="Shown Labs")
    text = visible_text(client.get("/"))
    assert "Shown Labs" in text
    assert "Hidden Labs" not in text


def test_a_falling_market_shows_a_minus_sign(client, edition):
    make_snapshot(edition=edition, mom_change_pct=-5)
    assert "Month-over-month change -5%" in visible_text(client.get("/"))


def _edition_with(edition, companies):
    """A full edition: every kind of row the home page shows, with ``companies`` profiles."""
    roles = [make_role(), make_role()]
    categories = [make_category(), make_category()]
    for i in range(companies):
        make_company(category=categories[i % 2], roles=roles)
        make_company(category=None, outlook=Outlook.GROWING if i % 2 else Outlook.STABLE, outlook_note="Note")
    make_snapshot(edition=edition)
    for level in SalaryLevel.values:
        make_benchmark(edition=edition, level=level)
    for _ in range(3):
        trend = make_trend(edition=edition, points=["One", "Two"])
        make_specialization(edition=edition, trend=trend)
    for group in AdviceGroup.values:
        make_advice_section(group=group, tips=[("Lead", "Body"), ("", "Step")])


@pytest.mark.parametrize("companies", [3, 30])
def test_home_query_count_does_not_grow_with_rows(client, edition, companies, django_assert_max_num_queries):
    _edition_with(edition, companies)
    # +1: the movement section looks for a previous edition; +1: the watch lists' lengths (once per content change)
    with django_assert_max_num_queries(15):
        response = client.get("/")
    assert response.status_code == 200
    assert Category.objects.count() == 2
    text = visible_text(response)
    shown = len(re.findall(r"Company \d+", text))
    if companies == 3:
        assert shown == 6
    else:
        # 8 profiles of each category and 10 companies of each watch list, each with a link to the rest.
        assert shown == 2 * 8 + 2 * 10
        assert len(re.findall(r"All 15 Category \d+", text)) == 2
        assert "All 15 growing teams" in text
        assert "All 15 stable employers" in text
