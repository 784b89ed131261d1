"""The advice API."""

import pytest

from advice.models import AdviceGroup
from tests.conftest import make_advice_section

pytestmark = pytest.mark.django_db


def test_advice_sections_in_order_with_their_tips(client):
    make_advice_section(
        title="What's Working",
        slug="whats-working",
        position=1,
        tips=[("Strong portfolios", "GitHub projects with RAG systems"), ("Specific expertise", "Depth beats breadth")],
    )
    make_advice_section(
        title="Negotiation",
        slug="negotiation",
        group=AdviceGroup.STAND_OUT,
        is_numbered=True,
        position=2,
        tips=[("", "Have competing offers if possible")],
    )
    make_advice_section(title="Draft", slug="draft", is_published=False)

    response = client.get("/api/advice/")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["title"] for row in rows] == ["What's Working", "Negotiation"]
    working, negotiation = rows
    assert working["tips"] == [
        {"title": "Strong portfolios", "body": "GitHub projects with RAG systems"},
        {"title": "Specific expertise", "body": "Depth beats breadth"},
    ]
    assert working["url"] == "http://testserver/api/advice/whats-working/"
    assert working["html_url"] == "http://testserver/advice/whats-working/"
    assert (negotiation["group"], negotiation["group_label"], negotiation["is_numbered"]) == (
        "stand-out",
        "How to stand out",
        True,
    )
    assert negotiation["tips"] == [{"title": "", "body": "Have competing offers if possible"}]


def test_advice_section_detail_by_slug(client):
    make_advice_section(title="In Interviews", slug="in-interviews", tips=[("", "Lead with impact, not technology")])
    make_advice_section(slug="draft", is_published=False)

    body = client.get("/api/advice/in-interviews/").json()

    assert body["title"] == "In Interviews"
    assert body["tips"][0]["body"] == "Lead with impact, not technology"
    for url in ("/api/advice/draft/", "/api/advice/nope/"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "No AdviceSection matches the given query."}


def test_advice_filter_by_group(client):
    make_advice_section(title="Working", group=AdviceGroup.GETTING_HIRED)
    make_advice_section(title="Bottom line", group=AdviceGroup.BOTTOM_LINE)

    rows = client.get("/api/advice/?group=bottom-line").json()["results"]

    assert [row["title"] for row in rows] == ["Bottom line"]
    response = client.get("/api/advice/?group=nope")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["group"]


def test_advice_is_read_only(client):
    make_advice_section(slug="s")

    assert client.post("/api/advice/", {}, "application/json").status_code == 405
    assert client.delete("/api/advice/s/").status_code == 405


def test_advice_from_the_loaded_edition(client, loaded_edition):
    rows = client.get("/api/advice/").json()["results"]

    assert [row["title"] for row in rows] == [
        "What's Working",
        "What's Not Working",
        "Before Applying",
        "In Interviews",
        "Negotiation",
        "The Bottom Line",
    ]
    assert sum(len(row["tips"]) for row in rows) == 22


@pytest.mark.parametrize("rows", [3, 30])
def test_advice_list_query_count_is_fixed(client, django_assert_max_num_queries, rows):
    for _ in range(rows):
        make_advice_section(tips=[("One", "First"), ("Two", "Second")])

    with django_assert_max_num_queries(3):
        response = client.get("/api/advice/?page_size=100")

    assert response.json()["count"] == rows
    assert all(len(row["tips"]) == 2 for row in response.json()["results"])
