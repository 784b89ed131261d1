"""``/about/data/``, the methodology page, and the links to it and to the offer check."""

import datetime
import re

import pytest
from django.conf import settings as django_settings

from companies.models import Company
from jobs import classification
from tests.conftest import make_company, make_edition, make_source, visible_text

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


@pytest.mark.parametrize("boards", [3, 30])
def test_about_data_query_count(client, loaded_edition, boards, django_assert_max_num_queries):
    for _ in range(boards):
        make_source()
    with django_assert_max_num_queries(3):  # the current edition, the boards tracked, the guide's roles
        response = client.get(ABOUT_URL)
    assert response.status_code == 200
    assert response.content.decode().count('data-label="Job board"') == boards


def test_about_data_lists_the_boards_tracked(client, loaded_edition):
    anthropic = Company.objects.get(slug="anthropic")
    make_source(company=anthropic, provider="greenhouse", board="anthropic")
    make_source(company=anthropic, provider="lever", board="anthropic-eu", is_enabled=False)
    make_source(company=make_company(slug="hidden", name="Hidden Co", is_published=False), board="hidden")
    text = visible_text(client.get(ABOUT_URL))
    assert "The guide reads the public job boards of 1 company" in text
    assert "Anthropic Greenhouse: anthropic Not read yet" in text
    assert "anthropic-eu" not in text  # switched off
    assert "Hidden Co" not in text


def test_about_data_says_how_postings_are_counted(client, loaded_edition, settings):
    settings.POSTINGS_MIN_SOURCES = 12
    response = client.get(ABOUT_URL)
    text = visible_text(response)
    for phrase in [
        "How postings are counted",
        "A posting counts in a month when it was open at any time during it: it was on its board before the month "
        "ended (by the board’s own publication date, or the day we first saw it if that is earlier) and it was not "
        "closed before the month began.",
        "A posting is identified by its board and the board’s own id, so it is counted once",
        "Only postings whose title reads as one of the guide’s roles count (AI Engineer,",
        "Senior+ is the share at Senior or Staff+ level among the postings whose level is stated.",
        "A figure must rest on postings from at least 12 job boards. A month with fewer says so and gets no figure",
        "a figure already published is never overwritten",
    ]:
        assert phrase in text, phrase
    assert 'id="counting"' in response.content.decode()


def test_about_data_quotes_the_reading_rules_and_their_accuracy(client, db):
    response = client.get(ABOUT_URL)
    text = visible_text(response)
    # The rules in the words of jobs/classification.py's docstring.
    for phrase in [
        "Level (Junior 0-2 years, Mid 2-5, Senior 5-8, Staff 8+) is read from markers in the title only",
        "Company ladders (L5, E6, IC4) are not read: the same code means different levels at different companies.",
        'Workplace is "remote", "hybrid", "onsite" or "unknown".',
        'A plain city is "unknown": boards list an office, not an arrangement',
        "Pay is read from a description's text only when it states a clear range with a currency.",
        "two different currencies give no pay.",
    ]:
        assert phrase in text, phrase
    assert "``" not in text
    # The accuracy, as classification_report computes it.
    scores = classification.score(classification.read_labelled(django_settings.BASE_DIR / classification.LABELLED_SET))
    for field, result in scores.items():
        row = f"{field.capitalize()} {result.accuracy:.1%} {result.correct} of {result.total}"
        assert row in text, row
    assert "python manage.py classification_report, which fails when level falls under 95% or workplace under 98%" in (
        text
    )


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
