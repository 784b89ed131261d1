"""``/about/data/``, the methodology page, and the links to it and to the offer check."""

import datetime
import re

import pytest

from tests.conftest import make_company, make_edition, visible_text

pytestmark = pytest.mark.django_db

ABOUT_URL = "/about/data/"
PROVENANCE = re.compile(r'<p class="provenance">.*?</p>', flags=re.S)


def test_about_data_explains_the_tracking_the_checks_needs_review_and_the_cadence(client, loaded_edition):
    response = client.get(ABOUT_URL)
    assert response.status_code == 200
    page = visible_text(response)
    for phrase in [
        "About the data",
        "Our tracking of AI job postings",
        "Each edition is written from the job postings for AI engineering roles that companies advertised as open "
        "during one month: for the first edition, January 2026.",
        "The number of AI engineering job postings open that month.",
        "The share of those postings at Senior, Staff or Principal level.",
        "It is one guide’s count, not a census of the market",
        "How figures are verified",
        "the day an editor last checked it against that source (“last verified”)",
        "What “needs review” means",
        "is older than its edition: its last check was made on or before the day the edition before came out",
        "How often the guide comes out",
        "A new edition comes out every quarter, about three months after the one before: Q1 2026 came out on "
        "31 January 2026, so the next is expected by 30 April 2026.",
    ]:
        assert phrase in page
    body = response.content.decode()
    assert 'id="needs-review"' in body
    assert 'href="/api/docs/"' in body
    assert 'href="/changes/"' in body


def test_about_data_works_before_the_first_edition(client, db):
    response = client.get(ABOUT_URL)
    assert response.status_code == 200
    assert "A new edition comes out every quarter, about three months after the one before." in visible_text(response)


def test_about_data_query_count(client, loaded_edition, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # the current edition
        assert client.get(ABOUT_URL).status_code == 200


@pytest.mark.parametrize("url", ["/", "/salaries/", "/market/", "/companies/anthropic/"])
def test_every_provenance_line_links_to_about_the_data(client, loaded_edition, url):
    lines = PROVENANCE.findall(client.get(url).content.decode())
    assert lines
    for line in lines:
        assert f'<a class="nowrap" href="{ABOUT_URL}">About the data</a>' in line


def test_a_needs_review_badge_links_to_its_explanation(client, edition):
    q2 = make_edition(published_on=datetime.date(2026, 4, 30), previous_published_on=datetime.date(2026, 1, 31))
    company = make_company(slug="stale", last_verified=datetime.date(2026, 1, 31), edition=q2)
    body = client.get(company.get_absolute_url()).content.decode()
    assert f'<a class="badge badge--review" href="{ABOUT_URL}#needs-review"' in body


def test_salary_page_links_to_the_offer_check(client, loaded_edition):
    assert '<a href="/offer-check/">Check an offer against these bands</a>' in client.get("/salaries/").content.decode()


@pytest.mark.parametrize("url", ["/advice/negotiation/", "/advice/", "/"])
def test_negotiation_advice_links_to_the_offer_check(client, loaded_edition, url):
    body = client.get(url).content.decode()
    assert body.count('<p class="advice-offer-link"><a href="/offer-check/">Check an offer</a>') == 1


def test_other_advice_does_not_link_to_the_offer_check(client, loaded_edition):
    assert "advice-offer-link" not in client.get("/advice/in-interviews/").content.decode()
