"""compute_snapshot: a month of postings whose answer is known, counted exactly, on SQLite and on PostgreSQL."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from jobs.market_figures import snapshot_compute
from market.models import ComputedSnapshot
from tests.conftest import make_company, make_computed_snapshot, make_posting, make_role, make_snapshot, make_source

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


JAN_15, FEB_20, MAR_10 = at(2026, 1, 15), at(2026, 2, 20), at(2026, 3, 10)
NOW = at(2026, 5, 1)

# March 2026's 40 postings, by level and workplace. Every tenth one is remote (10 of 40: 25%); levels: 10 not
# stated, 5 junior, 7 mid, 12 senior, 6 staff (Senior+ 18 of the 30 with a stated level: 60%).
LEVELS = ["unknown"] * 10 + ["junior"] * 5 + ["mid"] * 7 + ["senior"] * 12 + ["staff"] * 6
WORKPLACES = ["remote", "hybrid", "onsite", "unknown"]


@pytest.fixture
def known_month(settings):
    """Twelve boards of published companies; March 2026 holds 40 postings, February 32, on all twelve boards.

    March: 25 open since January, 8 new in March, 4 posted in February and closed in March, and three on the edges
    (closed at the very first instant of March; posted in its last second; first seen in March though its board dates
    it April). February: the 25, the 4, the one closed as March began, one closed in February's last second and one
    still open but last seen in February: 32, so the change is +25%.

    Not counted in March, whatever else they are: that last pair; one posted as April began; a role outside the
    guide's (no role); a company the guide does not publish.
    """
    settings.POSTINGS_MIN_SOURCES = 10
    role = make_role(name="Research Engineer", slug="research-engineer")
    boards = [make_source(company=make_company(slug=f"co-{n}")) for n in range(12)]
    hidden = make_source(company=make_company(slug="hidden", is_published=False))

    def post(n, **fields):
        fields = {
            "source": boards[n % 12],
            "role": role,
            "posted_at": JAN_15,
            "first_seen": fields.get("posted_at", JAN_15),
            "last_seen": NOW,
            **fields,
        }
        return make_posting(**fields)

    march = []
    for n in range(25):
        march.append({"n": n})  # open since January
    for n in range(8):
        march.append({"n": n + 1, "posted_at": MAR_10})  # new in March
    for n in range(4):
        march.append({"n": n + 2, "posted_at": FEB_20, "closed_at": at(2026, 3, 12)})
    march.append({"n": 3, "posted_at": at(2026, 2, 1), "closed_at": at(2026, 3, 1)})  # closed as March began
    march.append({"n": 4, "posted_at": at(2026, 3, 31, 23, 59, 59), "first_seen": at(2026, 3, 31, 23, 59, 59)})
    march.append({"n": 5, "posted_at": at(2026, 4, 3), "first_seen": at(2026, 3, 30)})  # first seen in March
    assert len(march) == 40
    for index, fields in enumerate(march):
        post(level=LEVELS[index], workplace=WORKPLACES[0] if index % 4 == 0 else WORKPLACES[1 + index % 3], **fields)
    # February only.
    post(6, posted_at=at(2026, 2, 1), closed_at=at(2026, 2, 28, 23, 59, 59), level="senior", workplace="remote")
    post(7, posted_at=at(2026, 2, 2), last_seen=at(2026, 2, 27), level="senior", workplace="remote")
    # Neither month.
    post(8, posted_at=at(2026, 4, 1), level="senior", workplace="remote")
    post(9, posted_at=MAR_10, role=None, title="Account Executive", level="senior", workplace="remote")
    post(0, source=hidden, posted_at=MAR_10, level="senior", workplace="remote")
    return boards


def test_compute_snapshot_counts_a_known_month_exactly(known_month):
    computed = snapshot_compute(month=datetime.date(2026, 3, 1))

    assert computed.month == datetime.date(2026, 3, 1)
    assert (computed.postings, computed.sources) == (40, 12)
    assert computed.remote_postings == 10
    assert (computed.levelled_postings, computed.levelled_sources, computed.senior_postings) == (30, 12, 18)
    assert (computed.previous_postings, computed.previous_sources) == (32, 12)
    assert computed.min_sources == 10
    assert computed.total_postings == 40
    assert computed.mom_change_pct == 25
    assert computed.remote_eligible_pct == 25
    assert computed.senior_plus_pct == 60
    assert computed.is_publishable
    assert computed.problems() == []


def test_the_command_counts_the_same_answer_and_says_what_each_figure_rests_on(known_month):
    out = io.StringIO()
    call_command("compute_snapshot", "--month", "2026-03", stdout=out, stderr=io.StringIO())

    computed = ComputedSnapshot.objects.get()
    assert (computed.total_postings, computed.mom_change_pct) == (40, 25)
    assert (computed.remote_eligible_pct, computed.senior_plus_pct) == (25, 60)
    text = " ".join(out.getvalue().split())
    assert "March 2026, counted from postings (a draft: nothing is published):" in text
    assert "Active AI engineering postings 40 from 12 job boards" in text
    assert "Month-over-month change +25% against February 2026: 32 postings from 12 job boards" in text
    assert "Remote-eligible roles 25% 10 of 40 postings" in text
    assert "Senior+ roles 60% 18 of 30 postings with a stated level, from 12 job boards" in text
    assert f"publish it at /admin/market/computedsnapshot/{computed.pk}/change/" in text


def test_counting_is_two_aggregate_queries_at_any_size(known_month, django_assert_max_num_queries):
    # Two aggregates, the draft to replace, the insert, and the savepoint of the transaction around them.
    with django_assert_max_num_queries(6):
        snapshot_compute(month=datetime.date(2026, 3, 1))


def test_a_month_on_too_few_boards_says_so_and_gives_no_figure(settings):
    settings.POSTINGS_MIN_SOURCES = 10
    role = make_role()
    for _ in range(9):
        make_posting(role=role, posted_at=MAR_10, first_seen=MAR_10, last_seen=NOW)
    err = io.StringIO()
    out = io.StringIO()
    call_command("compute_snapshot", "--month", "2026-03", stdout=out, stderr=err)

    computed = ComputedSnapshot.objects.get()
    assert (computed.postings, computed.sources) == (9, 9)
    assert None is computed.total_postings is computed.remote_eligible_pct is computed.senior_plus_pct
    assert computed.mom_change_pct is None
    assert not computed.is_publishable
    assert (
        "March 2026 has postings from 9 job boards; a figure needs 10 (POSTINGS_MIN_SOURCES), so no figure is given."
        in err.getvalue()
    )
    assert "Active AI engineering postings none from 9 job boards" in " ".join(out.getvalue().split())
    assert "Saved as a draft that cannot be published" in out.getvalue()


def test_the_change_is_not_known_when_the_month_before_rests_on_too_few_boards(settings):
    settings.POSTINGS_MIN_SOURCES = 2
    role = make_role()
    make_posting(role=role, posted_at=FEB_20, first_seen=FEB_20, last_seen=NOW, level="senior")
    make_posting(role=role, posted_at=MAR_10, first_seen=MAR_10, last_seen=NOW, level="mid")

    computed = snapshot_compute(month=datetime.date(2026, 3, 1))

    assert (computed.postings, computed.sources, computed.previous_postings, computed.previous_sources) == (2, 2, 1, 1)
    assert computed.total_postings == 2
    assert computed.mom_change_pct is None
    assert computed.is_publishable  # a snapshot may leave the change unknown
    assert computed.problems() == [
        "February 2026 has postings from 1 job board; a figure needs 2 (POSTINGS_MIN_SOURCES), "
        "so the month-over-month change is not known."
    ]


def test_the_senior_share_needs_enough_boards_with_a_stated_level(settings):
    settings.POSTINGS_MIN_SOURCES = 2
    role = make_role()
    make_posting(role=role, posted_at=MAR_10, first_seen=MAR_10, last_seen=NOW, level="senior")
    make_posting(role=role, posted_at=MAR_10, first_seen=MAR_10, last_seen=NOW, level="unknown")

    computed = snapshot_compute(month=datetime.date(2026, 3, 1))

    assert computed.senior_plus_pct is None
    assert not computed.is_publishable
    assert "The senior share rests on postings with a stated level from 1 job board" in computed.problems()[0]


def test_counting_again_replaces_the_draft_but_never_a_published_count(known_month, edition):
    first = snapshot_compute(month=datetime.date(2026, 3, 1))
    again = snapshot_compute(month=datetime.date(2026, 3, 1))
    assert again.pk == first.pk
    assert ComputedSnapshot.objects.count() == 1

    make_snapshot(edition=edition, month=datetime.date(2026, 3, 1), computed_from=again)
    later = snapshot_compute(month=datetime.date(2026, 3, 1))

    assert later.pk != first.pk
    assert ComputedSnapshot.objects.count() == 2
    assert ComputedSnapshot.objects.get(pk=first.pk).postings == 40


def test_other_months_are_left_alone(known_month):
    april = make_computed_snapshot(month=datetime.date(2026, 4, 1))
    snapshot_compute(month=datetime.date(2026, 3, 1))
    assert ComputedSnapshot.objects.get(pk=april.pk).postings == 200


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2026-3-01", "--month takes a year and month as YYYY-MM, e.g. 2026-01, not '2026-3-01'."),
        ("March", "--month takes a year and month as YYYY-MM, e.g. 2026-01, not 'March'."),
        ("2999-01", "January 2999 has not begun: there is nothing to count yet."),
    ],
)
def test_a_wrong_month_is_explained(db, month, message):
    with pytest.raises(CommandError) as error:
        call_command("compute_snapshot", "--month", month)
    assert str(error.value) == message
    assert not ComputedSnapshot.objects.exists()
