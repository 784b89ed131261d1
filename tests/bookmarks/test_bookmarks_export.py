"""The bookmarks as a CSV attachment, formula-escaped, with the page's stage filter and sort."""

import csv
import io

import pytest
from django.urls import reverse

from bookmarks.models import BookmarkStage
from core.spreadsheets import csv_cell
from tests.conftest import make_bookmark, make_category, make_company

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("bookmarks:bookmark_export")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_is_a_csv_attachment(signed_in, user):
    company = make_company(
        name="Cohere", slug="cohere", category=make_category(name="AI-native"), comp_min=170_000, comp_max=280_000
    )
    make_bookmark(user=user, company=company, note="Ask about Toronto", stage=BookmarkStage.APPLIED)
    response = signed_in.get(EXPORT_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="bookmarks.csv"'
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    header, row = rows(response)
    assert header == ["Company", "Category", "Pay", "Stage", "Note", "Saved on", "Last verified", "Profile"]
    assert row[:5] == ["Cohere", "AI-native", "$170K-280K, basis not stated", "Applied", "Ask about Toronto"]
    assert row[7] == "http://testserver/companies/cohere/"


@pytest.mark.parametrize("danger", ['=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_export_escapes_formulas(signed_in, user, danger):
    make_bookmark(user=user, company=make_company(name=danger), note=danger)
    company, note = rows(signed_in.get(EXPORT_URL))[1][0], rows(signed_in.get(EXPORT_URL))[1][4]
    assert company == note == "'" + danger


@pytest.mark.parametrize(("value", "cell"), [("plain", "plain"), ("a=b", "a=b"), ("", ""), (None, ""), (12, "12")])
def test_csv_cell_leaves_safe_values_alone(value, cell):
    assert csv_cell(value) == cell


def test_export_keeps_notes_with_commas_quotes_and_lines(signed_in, user):
    note = 'Recruiter "Sam", call\nFriday'
    make_bookmark(user=user, note=note)
    assert rows(signed_in.get(EXPORT_URL))[1][4] == note


def test_export_has_only_the_users_own_with_the_stage_filter(signed_in, user):
    make_bookmark(user=user, company=make_company(name="Offer Co"), stage=BookmarkStage.OFFER)
    make_bookmark(user=user, company=make_company(name="Closed Co"), stage=BookmarkStage.CLOSED)
    make_bookmark(company=make_company(name="Someone else's"), stage=BookmarkStage.OFFER)
    assert [row[0] for row in rows(signed_in.get(EXPORT_URL, {"stage": "offer"}))[1:]] == ["Offer Co"]
    assert sorted(row[0] for row in rows(signed_in.get(EXPORT_URL))[1:]) == ["Closed Co", "Offer Co"]
    names = [row[0] for row in rows(signed_in.get(EXPORT_URL, {"ordering": "company"}))[1:]]
    assert names == ["Closed Co", "Offer Co"]


def test_export_with_bad_filters_still_exports(signed_in, user):
    make_bookmark(user=user)
    response = signed_in.get(EXPORT_URL, {"stage": "dreaming", "ordering": "x"})
    assert response.status_code == 200
    assert len(rows(response)) == 2


def test_export_needs_sign_in(client):
    response = client.get(EXPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_bookmarks_page_links_to_the_export_with_its_filters(signed_in, user):
    make_bookmark(user=user)
    response = signed_in.get(reverse("bookmarks:bookmark_list"), {"stage": "offer", "page": "1"})
    assert f'href="{EXPORT_URL}?stage=offer"' in response.content.decode()


@pytest.mark.parametrize("rows_count", [3, 30])
def test_export_query_count_is_fixed(signed_in, user, rows_count, django_assert_max_num_queries):
    category = make_category()
    for _ in range(rows_count):
        make_bookmark(user=user, company=make_company(category=category))
    with django_assert_max_num_queries(3):
        response = signed_in.get(EXPORT_URL)
    assert len(rows(response)) == rows_count + 1
