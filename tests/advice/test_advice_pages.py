"""``/advice/`` and ``/advice/<slug>/``: every advice section with every tip, worded as the source words it."""

import pytest

from advice.models import AdviceGroup, AdviceSection
from tests.conftest import make_advice_section, visible_text

pytestmark = pytest.mark.django_db

TIPS = {
    "What's Working": [
        "Strong portfolios: GitHub projects with RAG systems, evaluation frameworks, or production-quality code",
        "Specific expertise: Deep knowledge in one area (retrieval, fine-tuning, agents) beats shallow breadth",
        'Production stories: "I built X that served Y users with Z results"',
        "Open-source presence: Contributions to LangChain, LlamaIndex, or similar projects",
    ],
    "What's Not Working": [
        "Tutorial projects only: Everyone has built a chatbot with LangChain",
        'Vague experience: "Worked with LLMs" without specifics',
        "Pure research background: Companies want engineers who can ship",
        "AI hype without substance: Buzzword-heavy resumes with unclear impact",
    ],
    "Before Applying": [
        "Research the company's AI products/features",
        "Identify how your skills map to their needs",
        "Have a project that demonstrates relevant experience",
        "Prepare specific stories about production AI work",
    ],
    "In Interviews": [
        "Lead with impact, not technology",
        "Discuss tradeoffs you've navigated",
        "Show you understand evaluation and iteration",
        "Demonstrate cost and latency awareness",
    ],
    "Negotiation": [
        "Have competing offers if possible",
        "Understand the equity component deeply",
        "Research the company's compensation philosophy",
        "Don't accept the first offer",
    ],
    "The Bottom Line": [
        "Q1 2026 AI hiring favors experienced engineers with production credentials. The companies above are "
        "actively hiring, but competition is fierce for the best roles. Focus on demonstrable expertise, specific "
        "skills, and clear impact stories. The market rewards depth over breadth and shipping over studying.",
        "Start with companies whose products excite you—enthusiasm and domain knowledge show in interviews.",
    ],
}


def test_advice_list_shows_every_section_and_tip(client, loaded_edition):
    response = client.get("/advice/")
    assert response.status_code == 200
    text = visible_text(response)
    assert "Getting Hired in Q1 2026" in text
    assert "How to Stand Out" in text
    for title, tips in TIPS.items():
        assert title in text
        for tip in tips:
            assert tip in text, tip


def test_advice_list_keeps_the_guides_order(client, loaded_edition):
    text = visible_text(client.get("/advice/"))
    first_tips = [tips[0] for tips in TIPS.values()]
    expected = ["Getting Hired in Q1 2026", *first_tips[:2], "How to Stand Out", *first_tips[2:]]
    positions = [text.index(phrase) for phrase in expected]
    assert positions == sorted(positions)


def test_numbered_sections_are_ordered_lists(client, loaded_edition):
    body = client.get("/advice/negotiation/").content.decode()
    assert '<ol class="tips">' in body
    body = client.get("/advice/whats-working/").content.decode()
    assert '<ul class="tips">' in body


@pytest.mark.parametrize("slug,title", [("whats-working", "What's Working"), ("the-bottom-line", "The Bottom Line")])
def test_advice_section_page_shows_every_tip(client, loaded_edition, slug, title):
    response = client.get(f"/advice/{slug}/")
    assert response.status_code == 200
    text = visible_text(response)
    assert title in text
    for tip in TIPS[title]:
        assert tip in text


def test_advice_section_page_links_to_its_neighbours(client, loaded_edition):
    response = client.get("/advice/before-applying/")
    text = visible_text(response)
    assert "Previous What's Not Working" in text
    assert "Next In Interviews" in text
    assert "How to Stand Out" in text
    body = response.content.decode()
    assert 'href="/advice/whats-not-working/"' in body
    assert 'href="/advice/in-interviews/"' in body


def test_advice_section_page_meta(client, loaded_edition):
    body = client.get("/advice/in-interviews/").content.decode()
    assert "<title>In Interviews: advice for AI engineering candidates · AI Hiring Guide</title>" in body
    assert '<meta name="description" content="In Interviews (Q1 2026): Lead with impact, not technology;' in body
    assert '<link rel="canonical" href="http://testserver/advice/in-interviews/">' in body


def test_unknown_or_unpublished_sections_are_not_found(client, db):
    make_advice_section(slug="draft", is_published=False)
    assert client.get("/advice/draft/").status_code == 404
    assert client.get("/advice/no-such-section/").status_code == 404


def test_advice_list_without_sections_says_so(client, db):
    response = client.get("/advice/")
    assert response.status_code == 200
    assert "No advice is published yet." in visible_text(response)


def test_advice_list_paginates_25_a_page(client, db):
    for i in range(30):
        make_advice_section(title=f"Section number {i:02d}", group=AdviceGroup.STAND_OUT, position=i)
    first = visible_text(client.get("/advice/"))
    second = visible_text(client.get("/advice/", {"page": 2}))
    assert "Section number 24" in first and "Section number 25" not in first
    assert "Section number 25" in second and "Section number 29" in second
    assert client.get("/advice/", {"page": "999"}).status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_advice_query_counts_do_not_grow_with_rows(client, edition, rows, django_assert_max_num_queries):
    for i in range(rows):
        group = AdviceGroup.values[i % 3]
        make_advice_section(group=group, tips=[("Lead", "Body"), ("", "Step"), ("", "Another step")])
    with django_assert_max_num_queries(4):
        assert client.get("/advice/").status_code == 200
    section = AdviceSection.objects.order_by("position")[rows // 2]
    with django_assert_max_num_queries(4):
        response = client.get(section.get_absolute_url())
    assert response.status_code == 200
    assert "Another step" in visible_text(response)
