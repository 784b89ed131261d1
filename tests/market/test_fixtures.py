"""The edition's fixtures load on this database and carry every figure of the source exactly."""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command

from advice.models import AdviceSection
from companies.models import Category, Company
from market.models import Edition, MarketSnapshot, SalaryBenchmark, Specialization, Trend

pytestmark = pytest.mark.django_db


def test_every_fixture_file_loads():
    files = sorted((settings.BASE_DIR / "fixtures").glob("*.json"))
    assert files
    for path in files:
        call_command("loaddata", path, verbosity=0)
    assert Edition.objects.get(is_current=True).slug == "2026-q1"


def test_load_edition_does_not_duplicate(loaded_edition):
    counts = (Company.objects.count(), SalaryBenchmark.objects.count())
    call_command("load_edition", verbosity=0)
    assert (Company.objects.count(), SalaryBenchmark.objects.count()) == counts == (25, 4)


def test_market_snapshot(loaded_edition):
    snapshot = MarketSnapshot.objects.get()
    assert snapshot.month == datetime.date(2026, 1, 1)
    assert (snapshot.total_postings, snapshot.mom_change_pct) == (1969, 8)
    assert (snapshot.remote_eligible_pct, snapshot.senior_plus_pct) == (34, 62)
    assert loaded_edition.market_note == "The market has matured. Companies want proven experience, not potential."


def test_salary_benchmarks(loaded_edition):
    rows = [
        (b.get_level_display(), b.base_min, b.base_max, b.total_min, b.total_max)
        for b in SalaryBenchmark.objects.for_edition(loaded_edition)
    ]
    assert rows == [
        ("Junior (0-2 yrs)", 125_000, 160_000, 140_000, 180_000),
        ("Mid (2-5 yrs)", 160_000, 210_000, 190_000, 260_000),
        ("Senior (5-8 yrs)", 200_000, 260_000, 250_000, 340_000),
        ("Staff (8+ yrs)", 250_000, 320_000, 320_000, 450_000),
    ]
    assert loaded_edition.equity_note.startswith("Equity varies dramatically by company stage.")


PROFILES = {
    "AI-Native Companies": [
        ("Anthropic", "Top of market ($200K-400K+)", "Deep LLM understanding, safety mindset"),
        ("OpenAI", "Highly competitive + equity", "Product engineering + AI intersection"),
        ("Cohere", "$170K-280K", "Production experience, enterprise sales support"),
        ("Mistral", "Competitive, equity upside", "Strong ML fundamentals"),
    ],
    "Big Tech AI Teams": [
        ("Google DeepMind", "$250K-500K+ total comp", "Research publications or equivalent impact"),
        ("Meta AI", "$220K-400K total comp", "Open-source contributions, scale experience"),
        ("Microsoft", "$180K-350K total comp", "Product integration experience"),
        ("Amazon (AWS AI)", "$180K-320K total comp", "AWS experience, production focus"),
    ],
    "High-Growth AI Startups": [
        ("Scale AI", "$170K-280K", "Data pipeline experience"),
        ("Weights & Biases", "$160K-250K", "Developer experience focus"),
        ("Hugging Face", "$150K-240K", "Open-source contributions"),
        ("Anyscale", "$180K-280K", "Distributed systems background"),
    ],
    "Enterprise AI Adopters": [
        ("Stripe", "$200K-320K", "Fintech experience a plus"),
        ("Datadog", "$180K-280K", "Infrastructure background"),
        ("Notion", "$190K-290K", "Product sensibility"),
        ("Figma", "$200K-300K", "Creative tool experience"),
    ],
}


def test_profiled_companies_by_category(loaded_edition):
    found = {
        category.name: [
            (c.name, c.comp_text.removesuffix(", basis not stated"), c.wants)
            for c in category.companies.order_by("position")
        ]
        for category in Category.objects.all()
    }
    assert found == PROFILES


def test_company_details_and_numbers(loaded_edition):
    anthropic = Company.objects.get(slug="anthropic")
    assert sorted(r.name for r in anthropic.roles.all()) == ["AI Engineer", "Research Engineer", "Trust & Safety"]
    assert anthropic.focus == "Claude development, safety research"
    assert (anthropic.comp_min, anthropic.comp_max, anthropic.comp_open_ended) == (200_000, 400_000, True)
    openai = Company.objects.get(slug="openai")
    assert (openai.comp_min, openai.comp_max) == (None, None)
    deepmind = Company.objects.get(slug="google-deepmind")
    assert (deepmind.comp_basis, deepmind.comp_max) == ("total", 500_000)
    figma = Company.objects.get(slug="figma")
    assert [r.name for r in figma.roles.all()] == ["AI/ML Engineer"]


def test_watch_lists(loaded_edition):
    watch = {
        outlook: [(c.name, c.outlook_note) for c in Company.objects.filter(outlook=outlook).order_by("position")]
        for outlook in ("growing", "stable")
    }
    assert watch == {
        "growing": [
            ("Perplexity", "Search AI, rapidly scaling"),
            ("Character.ai", "Consumer AI applications"),
            ("Glean", "Enterprise search and RAG"),
            ("Writer", "Enterprise content AI"),
            ("Harvey", "Legal AI, well-funded"),
        ],
        "stable": [
            ("Databricks", "ML platform and LLM applications"),
            ("Snowflake", "Data + AI integration"),
            ("MongoDB", "Vector search expansion"),
            ("Elastic", "Search + AI convergence"),
        ],
    }
    assert loaded_edition.caution_note == (
        "Companies with recent layoffs or uncertain funding should be researched carefully. AI hiring can be volatile."
    )


def test_trends_and_specializations(loaded_edition):
    trends = {t.title: [p.text for p in t.points.all()] for t in Trend.objects.all()}
    assert trends["Shift Toward Senior Hires"] == [
        "62% of roles are Senior, Staff, or Principal level",
        "Junior AI roles are increasingly rare",
        "Mid-level requires demonstrable production experience",
        '"AI-curious" engineers are less attractive than before',
    ]
    assert trends["Remote Policy Tightening"][0] == "Fully remote roles decreased 12% from Q4 2025"
    assert len(trends["Remote Policy Tightening"]) == 4
    assert [(s.name, s.description, s.trend.title) for s in Specialization.objects.select_related("trend")] == [
        ("RAG specialists", "High demand for complex retrieval systems", "Specialization Over Generalists"),
        ("Fine-tuning experts", "Companies moving beyond prompt engineering", "Specialization Over Generalists"),
        ("AI safety/evals", "Growing need for quality assurance", "Specialization Over Generalists"),
        ("Multi-modal", "Image, video, audio AI expanding", "Specialization Over Generalists"),
    ]


def test_advice_sections_and_tips(loaded_edition):
    sections = {s.title: [(t.title, t.body) for t in s.tips.all()] for s in AdviceSection.objects.with_tips()}
    assert list(sections) == [
        "What's Working",
        "What's Not Working",
        "Before Applying",
        "In Interviews",
        "Negotiation",
        "The Bottom Line",
    ]
    assert sections["What's Working"][2] == ("Production stories", '"I built X that served Y users with Z results"')
    assert sections["Negotiation"][3] == ("", "Don't accept the first offer")
    assert sections["The Bottom Line"][1][1].startswith("Start with companies whose products excite you")
    assert sum(len(tips) for tips in sections.values()) == 22
