"""Market figures counted from postings: their figures, publishing them into an edition, the admin and the API."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from market.models import ComputedSnapshot, MarketSnapshot, month_after, month_before
from market.services import edition_start_next, snapshot_publish
from tests.conftest import make_computed_snapshot, make_edition, make_snapshot, visible_text

pytestmark = pytest.mark.django_db

JAN, FEB, MAR = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)


@pytest.fixture
def q1(db):
    """The published, current Q1 2026 edition with its typed January figures."""
    edition = make_edition(slug="2026-q1", name="Q1 2026", published_on=datetime.date(2026, 1, 31), is_current=True)
    make_snapshot(edition=edition, month=JAN, source="Based on our tracking of AI job postings in January 2026")
    return edition


# The figures follow from the counts


@pytest.mark.parametrize(
    ("counts", "figures"),
    [
        ({}, (200, 25, 25, 60)),
        # Halves round up: 7 of 8 is 87.5% -> 88; 1 of 8 is 12.5% -> 13; 201 against 200 is +0.5% -> +1.
        ({"postings": 16, "remote_postings": 2, "levelled_postings": 8, "senior_postings": 7}, (16, -90, 13, 88)),
        ({"postings": 201, "previous_postings": 200}, (201, 1, 25, 60)),
        # A fall's half rounds away from zero: 199 against 200 is -0.5% -> -1.
        ({"postings": 199, "previous_postings": 200}, (199, -1, 25, 60)),
    ],
)
def test_figures_are_whole_percentages_with_halves_rounded_up(counts, figures):
    computed = ComputedSnapshot(**{**_counts(), **counts})
    got = (computed.total_postings, computed.mom_change_pct, computed.remote_eligible_pct, computed.senior_plus_pct)
    assert got == figures


def _counts():
    return {
        "month": FEB,
        "min_sources": 10,
        "postings": 200,
        "sources": 12,
        "remote_postings": 50,
        "levelled_postings": 150,
        "levelled_sources": 12,
        "senior_postings": 90,
        "previous_postings": 160,
        "previous_sources": 12,
    }


def test_a_change_past_what_a_snapshot_holds_is_not_given():
    computed = ComputedSnapshot(**{**_counts(), "postings": 2000, "previous_postings": 100})
    assert computed.mom_change_pct is None
    assert computed.problems() == ["The month-over-month change is beyond what a snapshot holds (+1,000%)."]


def test_counts_that_cannot_be_true_are_refused_by_the_database():
    from django.db import IntegrityError, transaction

    for wrong in [{"remote_postings": 201}, {"senior_postings": 151}, {"levelled_sources": 13}, {"min_sources": 0}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            make_computed_snapshot(**wrong)


def test_month_arithmetic_crosses_years():
    assert month_before(JAN) == datetime.date(2025, 12, 1)
    assert month_after(datetime.date(2025, 12, 1)) == JAN
    assert month_before(MAR) == FEB


# Publishing


def test_publishing_into_a_published_edition_adds_a_month_it_lacks(q1):
    computed = make_computed_snapshot(month=FEB)
    snapshot = snapshot_publish(computed=computed, edition=q1)

    assert (snapshot.edition, snapshot.month, snapshot.computed_from) == (q1, FEB, computed)
    figures = (snapshot.total_postings, snapshot.mom_change_pct, snapshot.remote_eligible_pct, snapshot.senior_plus_pct)
    assert figures == (200, 25, 25, 60)
    assert snapshot.source == "Our count of 200 AI engineering postings on 12 job boards, open during February 2026"
    assert snapshot.as_of == datetime.date(2026, 2, 28)
    assert not snapshot.needs_review
    assert MarketSnapshot.objects.filter(edition=q1).count() == 2


def test_a_published_figure_is_never_overwritten(q1):
    typed = MarketSnapshot.objects.get(edition=q1, month=JAN)
    computed = make_computed_snapshot(month=JAN)

    with pytest.raises(ValidationError) as error:
        snapshot_publish(computed=computed, edition=q1)

    assert error.value.messages == [
        "Q1 2026 is published and already has figures for January 2026; a published figure is never overwritten. "
        "Publish into a draft edition (Editions → Start the next edition) instead."
    ]
    typed.refresh_from_db()
    assert (typed.total_postings, typed.computed_from, typed.version) == (1969, None, 1)


def test_publishing_into_a_draft_replaces_the_copy_it_started_with(q1):
    draft = edition_start_next(name="Q2 2026", slug="2026-q2", published_on=datetime.date(2026, 4, 30))
    copy = MarketSnapshot.objects.get(edition=draft)
    assert (copy.month, copy.computed_from) == (datetime.date(2026, 4, 1), None)
    computed = make_computed_snapshot(month=datetime.date(2026, 4, 1))

    snapshot = snapshot_publish(computed=computed, edition=draft)

    assert snapshot.pk == copy.pk
    assert (snapshot.total_postings, snapshot.computed_from) == (200, computed)
    assert MarketSnapshot.objects.get(edition=q1, month=JAN).total_postings == 1969
    assert snapshot.history.count() == 2  # the copy's record is kept


def test_a_count_on_too_few_boards_cannot_be_published(q1):
    computed = make_computed_snapshot(month=FEB, sources=9, levelled_sources=9)
    with pytest.raises(ValidationError) as error:
        snapshot_publish(computed=computed, edition=q1)
    assert error.value.messages == [
        "February 2026 has postings from 9 job boards; a figure needs 10 (POSTINGS_MIN_SOURCES), so no figure is given."
    ]
    assert not MarketSnapshot.objects.filter(month=FEB).exists()


def test_an_unknown_change_is_published_as_unknown(q1):
    computed = make_computed_snapshot(month=FEB, previous_sources=3)
    snapshot = snapshot_publish(computed=computed, edition=q1)
    assert snapshot.mom_change_pct is None


def test_a_published_count_cannot_be_deleted(q1):
    from django.db.models import ProtectedError

    computed = make_computed_snapshot(month=FEB)
    snapshot_publish(computed=computed, edition=q1)
    with pytest.raises(ProtectedError):
        computed.delete()


# The series


def test_the_series_has_one_snapshot_per_month_the_latest_editions_oldest_first(q1):
    q4 = make_edition(slug="2025-q4", name="Q4 2025", published_on=datetime.date(2025, 10, 31), is_current=False)
    make_snapshot(edition=q4, month=datetime.date(2025, 12, 1), total_postings=1823)
    make_snapshot(edition=q4, month=JAN, total_postings=1700)  # Q1 2026 has January too, and is later
    draft = make_edition(slug="2026-q2", published_on=datetime.date(2026, 4, 30), is_current=False, is_published=False)
    make_snapshot(edition=draft, month=FEB, total_postings=5)

    rows = list(MarketSnapshot.objects.series())

    assert [(row.month, row.edition.slug, row.total_postings) for row in rows] == [
        (datetime.date(2025, 12, 1), "2025-q4", 1823),
        (JAN, "2026-q1", 1969),
    ]


# The admin


def test_editors_review_a_count_beside_the_published_figures(client, editor, q1):
    computed = make_computed_snapshot(month=JAN, sources=12)
    client.force_login(editor)

    response = client.get(f"/admin/market/computedsnapshot/{computed.pk}/change/")

    assert response.status_code == 200
    text = visible_text(response)
    assert "January 2026, counted from postings" in text
    assert "Published for January 2026 (Q1 2026, typed in)" in text
    assert "Active AI engineering postings 200 200 postings from 12 job boards 1,969 1,969" in text
    assert "Senior+ roles 60% 90 of 150 postings with a stated level, from 12 job boards 62% 62%" in text
    assert "No edition can take these figures now: each published edition already has January 2026" in text
    assert 'value="Publish the figures for January 2026"' in response.content.decode()
    changelist = visible_text(client.get("/admin/market/computedsnapshot/"))
    assert "Draft: ready to publish" in changelist


def test_editors_publish_a_count_into_an_edition_from_the_admin(client, editor, q1):
    computed = make_computed_snapshot(month=FEB)
    client.force_login(editor)
    url = f"/admin/market/computedsnapshot/{computed.pk}/publish/"

    assert client.get(url).status_code == 405
    response = client.post(url, {"edition": q1.pk}, follow=True)

    snapshot = MarketSnapshot.objects.get(edition=q1, month=FEB)
    assert snapshot.computed_from == computed
    assert "Published the figures for February 2026 into Q1 2026; readers see it now." in visible_text(response)
    # The published figures cannot be edited by hand.
    form = client.get(f"/admin/market/marketsnapshot/{snapshot.pk}/change/").content.decode()
    assert 'name="total_postings"' not in form
    assert "Published in Q1 2026" in visible_text(client.get("/admin/market/computedsnapshot/"))


def test_the_admin_refuses_to_overwrite_a_published_figure_in_words(client, editor, q1):
    computed = make_computed_snapshot(month=JAN)
    client.force_login(editor)
    response = client.post(f"/admin/market/computedsnapshot/{computed.pk}/publish/", {"edition": q1.pk}, follow=True)
    assert "Not published: Q1 2026 is published and already has figures for January 2026" in visible_text(response)
    assert MarketSnapshot.objects.get(edition=q1, month=JAN).computed_from is None


def test_a_count_on_too_few_boards_offers_no_publish_button(client, editor, q1):
    computed = make_computed_snapshot(month=FEB, sources=3, levelled_sources=3)
    client.force_login(editor)
    text = visible_text(client.get(f"/admin/market/computedsnapshot/{computed.pk}/change/"))
    assert "February 2026 has postings from 3 job boards; a figure needs 10" in text
    assert "Publish the figures" not in text
    assert (
        "Publish the figures"
        not in client.get(f"/admin/market/computedsnapshot/{computed.pk}/change/").content.decode()
    )
    assert "No figure: too few job boards" in visible_text(client.get("/admin/market/computedsnapshot/"))
