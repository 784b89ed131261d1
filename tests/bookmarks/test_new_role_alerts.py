"""New-role alerts: a bookmarked company's new roles in the daily digest, at the levels the reader chose, each once."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookmarks import alerts
from bookmarks.alerts import alert_digests_send, alert_preference_set, alert_set, digests_due
from bookmarks.models import AlertDigest, Bookmark, NewRoles, RoleAnnouncement
from jobs.models import Level
from jobs.providers import ParsedPosting
from jobs.sync import prepared_rows, write_postings
from tests.bookmarks.test_alerts import backdate_history, edit
from tests.conftest import make_bookmark, make_company, make_posting, make_source, make_user

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def watched(company=None, *, user=None, days_ago=7):
    """A bookmark with alerts on since ``days_ago`` days, on a company whose history is older still."""
    company = company or make_company()
    backdate_history(company)
    bookmark = make_bookmark(company=company, user=user or make_user())
    alert_set(bookmark=bookmark, enabled=True)
    Bookmark.objects.filter(pk=bookmark.pk).update(alert_enabled_at=timezone.now() - days_ago * DAY)
    bookmark.refresh_from_db()
    return bookmark


def role(company, *, first_seen=None, **fields):
    """An open role at ``company`` first seen ``first_seen`` (an hour ago by default)."""
    first_seen = first_seen or timezone.now() - HOUR
    return make_posting(company=company, first_seen=first_seen, last_seen=first_seen, **fields)


def titles(email):
    """The titles of the roles the plain-text email lists."""
    return re.findall(r"^- (?!and \d+ more: )(.+)$", email.body, flags=re.M)


def test_a_new_role_is_announced_once_with_its_title_level_location_pay_and_link():
    bookmark = watched(make_company(name="Cohere", slug="cohere"))
    posting = role(
        bookmark.company,
        title="Senior Research Engineer, Retrieval",
        level=Level.SENIOR,
        locations=["Toronto, Canada", "Remote"],
        pay_min=180_000,
        pay_max=240_000,
        pay_currency="USD",
        pay_period="year",
    )
    now = timezone.now()
    assert alert_digests_send(now=now) == 1
    assert alert_digests_send(now=now + DAY) == 0
    assert alert_digests_send(now=now + 2 * DAY) == 0
    [email] = mail.outbox
    assert email.subject == "AI Hiring Guide: 1 new role at Cohere"
    assert "New roles at companies you bookmarked:" in email.body
    assert "- Senior Research Engineer, Retrieval\n" in email.body
    assert "Senior · Toronto, Canada · Remote · $180K-240K a year" in email.body
    assert f"http://127.0.0.1:8000/jobs/{posting.pk}/" in email.body
    [announcement] = RoleAnnouncement.objects.all()
    assert (announcement.user, announcement.posting) == (bookmark.user, posting)
    assert announcement.digest == AlertDigest.objects.get(user=bookmark.user)


def test_roles_new_since_the_previous_digest_go_in_the_next_one():
    bookmark = watched()
    first = role(bookmark.company, title="Applied Scientist")
    now = timezone.now()
    alert_digests_send(now=now)
    second = role(bookmark.company, title="Research Engineer, Evals", first_seen=now + 2 * HOUR)
    assert alert_digests_send(now=now + DAY) == 1
    assert [titles(email) for email in mail.outbox] == [[first.title], [second.title]]


def sync(source, *external_ids, now):
    """The real sync's write of a board that lists ``external_ids``: new ones opened, missing ones closed."""
    parsed = [
        ParsedPosting(
            external_id=external_id,
            title=f"Senior Research Engineer {external_id}",
            url=f"https://boards.example/jobs/{external_id}",
            apply_url="",
            locations=("London, UK",),
            workplace_field="",
            is_remote=None,
            employment_type="Full-time",
            department="Research",
            posted_at=None,
            description_html="",
            description_text="",
            pay=None,
        )
        for external_id in external_ids
    ]
    write_postings(source, prepared_rows(parsed, {}), now)


def test_a_role_that_closed_and_reopened_is_not_announced_again():
    bookmark = watched()
    source = make_source(company=bookmark.company)
    now = timezone.now()
    sync(source, "a1", now=now - HOUR)
    assert alert_digests_send(now=now) == 1
    sync(source, now=now + HOUR)  # it left the board
    assert source.postings.get(external_id="a1").closed_at is not None
    sync(source, "a1", "a2", now=now + 2 * HOUR)  # and came back, with a new one beside it
    assert source.postings.get(external_id="a1").closed_at is None
    assert alert_digests_send(now=now + DAY) == 1
    assert alert_digests_send(now=now + 2 * DAY) == 0
    assert [titles(email) for email in mail.outbox] == [
        ["Senior Research Engineer a1"],
        ["Senior Research Engineer a2"],
    ]
    assert RoleAnnouncement.objects.count() == 2


def test_a_role_announced_once_is_not_announced_again_even_inside_the_next_digests_window():
    """The next digest looks a day back (for a sync still writing); the record, not the window, stops a repeat."""
    bookmark = watched()
    now = timezone.now()
    posting = role(bookmark.company, first_seen=now - HOUR)
    alert_digests_send(now=now)
    posting.closed_at = now + HOUR
    posting.save()
    posting.closed_at = None
    posting.save()
    assert alert_digests_send(now=now + 2 * HOUR + DAY) == 0
    assert len(mail.outbox) == 1


def test_a_role_a_sync_wrote_as_the_previous_digest_went_out_comes_in_the_next():
    bookmark = watched()
    now = timezone.now()
    alert_digests_send(now=now)  # nothing to say yet: no email, no digest
    role(bookmark.company, title="Unrelated", first_seen=now - 9 * DAY)  # before alerts were on
    assert alert_digests_send(now=now) == 0
    role(bookmark.company, title="Research Engineer")
    assert alert_digests_send(now=now) == 1
    late = role(bookmark.company, title="Written late", first_seen=now - datetime.timedelta(minutes=10))
    assert alert_digests_send(now=now + DAY) == 1
    assert titles(mail.outbox[-1]) == [late.title]


def test_only_open_roles_of_published_companies_first_seen_after_alerts_were_switched_on():
    bookmark = watched(days_ago=2)
    company = bookmark.company
    role(company, title="Before alerts", first_seen=timezone.now() - 3 * DAY)
    role(company, title="Already closed", closed_at=timezone.now())
    role(company, title="Wanted")
    hidden = watched(make_company(name="Hidden"), user=bookmark.user)
    role(hidden.company, title="At an unpublished company")
    hidden.company.is_published = False
    hidden.company.save()
    alert_digests_send()
    [email] = mail.outbox
    assert titles(email) == ["Wanted"]


def test_bookmarks_without_alerts_or_removed_ones_get_no_new_roles():
    user = make_user()
    quiet = make_bookmark(user=user)
    gone = watched(user=user)
    Bookmark.objects.filter(pk=gone.pk).update(removed_at=timezone.now())
    role(quiet.company)
    role(gone.company)
    assert alert_digests_send() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("new_roles", "levels", "expected"),
    [
        (NewRoles.ALL, [], ["Junior", "Mid", "Senior", "Staff", "Unstated"]),
        (NewRoles.ALL, [Level.SENIOR], ["Junior", "Mid", "Senior", "Staff", "Unstated"]),
        (NewRoles.LEVELS, [Level.SENIOR, Level.STAFF], ["Senior", "Staff"]),
        (NewRoles.LEVELS, [Level.UNKNOWN], ["Unstated"]),
    ],
)
def test_the_level_filter_is_respected(new_roles, levels, expected):
    bookmark = watched()
    alert_preference_set(user=bookmark.user, new_roles=new_roles, levels=levels)
    now = timezone.now()
    for n, (title, level) in enumerate(
        [("Junior", "junior"), ("Mid", "mid"), ("Senior", "senior"), ("Staff", "staff"), ("Unstated", "unknown")]
    ):
        role(bookmark.company, title=title, level=level, first_seen=now - (10 - n) * HOUR)
    alert_digests_send(now=now)
    [email] = mail.outbox
    assert sorted(titles(email)) == expected
    assert sorted(RoleAnnouncement.objects.values_list("posting__title", flat=True)) == expected


def test_roles_left_out_by_the_level_filter_are_not_recorded_and_come_once_the_reader_wants_them():
    bookmark = watched()
    alert_preference_set(user=bookmark.user, new_roles=NewRoles.LEVELS, levels=[Level.STAFF])
    now = timezone.now()
    role(bookmark.company, title="Senior", level=Level.SENIOR, first_seen=now - 2 * HOUR)
    role(bookmark.company, title="Staff", level=Level.STAFF, first_seen=now - HOUR)
    alert_digests_send(now=now)
    assert titles(mail.outbox[0]) == ["Staff"]
    alert_preference_set(user=bookmark.user, new_roles=NewRoles.ALL, levels=[Level.STAFF])
    alert_digests_send(now=now + HOUR + DAY)
    assert titles(mail.outbox[1]) == ["Senior"]


def test_choosing_no_new_roles_announces_none():
    bookmark = watched()
    alert_preference_set(user=bookmark.user, new_roles=NewRoles.NONE, levels=[])
    role(bookmark.company)
    assert alert_digests_send() == 0
    assert not RoleAnnouncement.objects.exists()


def test_another_users_bookmarks_never_leak():
    mine = watched(make_company(name="Alpha", slug="alpha"))
    theirs = watched(make_company(name="Beta", slug="beta"))
    make_bookmark(user=theirs.user, company=mine.company)  # they saved Alpha too, without alerts
    alert_preference_set(user=theirs.user, new_roles=NewRoles.LEVELS, levels=[Level.STAFF])
    role(mine.company, title="Alpha senior", level=Level.SENIOR)
    role(theirs.company, title="Beta staff", level=Level.STAFF)
    role(theirs.company, title="Beta senior", level=Level.SENIOR)
    alert_digests_send()
    emails = {email.to[0]: email for email in mail.outbox}
    assert titles(emails[mine.user.email]) == ["Alpha senior"]
    assert titles(emails[theirs.user.email]) == ["Beta staff"]
    assert "Beta" not in emails[mine.user.email].body
    assert "Alpha" not in emails[theirs.user.email].body
    assert set(RoleAnnouncement.objects.values_list("user__email", "posting__title")) == {
        (mine.user.email, "Alpha senior"),
        (theirs.user.email, "Beta staff"),
    }


def test_one_email_lists_at_most_ten_roles_per_company_then_links_to_the_rest():
    bookmark = watched(make_company(name="Cohere", slug="cohere"))
    now = timezone.now()
    for n in range(13):
        role(bookmark.company, title=f"Role {n:02}", first_seen=now - (20 - n) * HOUR)
    alert_digests_send(now=now)
    [email] = mail.outbox
    assert email.subject == "AI Hiring Guide: 13 new roles at Cohere"
    assert titles(email)[:10] == [f"Role {n:02}" for n in range(12, 2, -1)]  # newest first
    assert "- and 3 more: http://127.0.0.1:8000/jobs/?company=cohere" in email.body
    html = email.alternatives[0].content
    assert '<a href="http://127.0.0.1:8000/jobs/?company=cohere">and 3 more at Cohere</a>' in html
    assert "Role 02" not in html
    assert RoleAnnouncement.objects.count() == 13  # the three counted are announced too
    assert alert_digests_send(now=now + DAY) == 0


def test_the_email_renders_new_roles_in_plain_text_and_html():
    user = make_user()
    alpha = watched(make_company(name="Alpha", slug="alpha"), user=user)
    beta = watched(make_company(name="Beta <b>", slug="beta"), user=user)
    paid = role(
        alpha.company,
        title="Staff ML Engineer & Lead",
        level=Level.STAFF,
        locations=["Paris, France"],
        pay_min=90_000,
        pay_max=120_000,
        pay_currency="EUR",
        pay_period="year",
    )
    unpaid = role(beta.company, title="Research Engineer", locations=[])
    alert_digests_send()
    [email] = mail.outbox
    assert email.subject == "AI Hiring Guide: 2 new roles at 2 companies you follow"
    body = email.body
    assert "Alpha\n- Staff ML Engineer & Lead\n  Staff+ · Paris, France · €90K-120K a year\n" in body
    assert f"  http://127.0.0.1:8000/jobs/{paid.pk}/\n" in body
    assert "Beta <b>\n- Research Engineer\n  Level not stated · Location not stated · Pay not posted\n" in body
    assert "Choose which new roles you hear about: http://127.0.0.1:8000/alerts/" in body
    html = email.alternatives[0].content
    assert email.alternatives[0].mimetype == "text/html"
    assert "<h2>New roles at companies you bookmarked</h2>" in html
    assert "<h3>Beta &lt;b&gt;</h3>" in html
    assert f'<a href="http://127.0.0.1:8000/jobs/{paid.pk}/">Staff ML Engineer &amp; Lead</a>' in html
    assert "Staff+ · Paris, France · €90K-120K a year" in html
    assert f'<a href="http://127.0.0.1:8000/jobs/{unpaid.pk}/">Research Engineer</a>' in html
    assert '<a href="http://127.0.0.1:8000/alerts/">Choose which new roles you hear about</a>' in html
    assert html.index("Alpha") < html.index("Beta")


def test_a_digest_of_changes_and_roles_says_both_in_its_subject():
    bookmark = watched(make_company(name="Cohere"))
    backdate_history(bookmark.company)
    edit(bookmark.company, comp_max=400_000)
    role(bookmark.company)
    alert_digests_send()
    assert mail.outbox[0].subject == "AI Hiring Guide: Cohere changed and 1 new role at Cohere"


def test_a_role_announced_by_a_concurrent_digest_stops_this_one_and_the_next_run_leaves_it_out(monkeypatch):
    bookmark = watched()
    posting = role(bookmark.company)
    due = digests_due()
    # Another run (yesterday's, still open) announced it between this run's read and its write.
    RoleAnnouncement.objects.create(user=bookmark.user, posting=posting, announced_at=timezone.now())
    monkeypatch.setattr(alerts, "digests_due", lambda now: due)
    assert alert_digests_send() == 0
    assert mail.outbox == []
    assert not AlertDigest.objects.exists()
    monkeypatch.undo()
    assert alert_digests_send() == 0


def test_a_failed_send_announces_nothing_and_the_next_run_retries(monkeypatch):
    bookmark = watched()
    role(bookmark.company)

    def broken(self, *args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    assert alert_digests_send() == 0
    assert not RoleAnnouncement.objects.exists()
    monkeypatch.undo()
    assert alert_digests_send() == 1
    assert RoleAnnouncement.objects.count() == 1


def digest_queries(roles_per_company):
    """How many queries the digests take of three new readers, each with three bookmarked companies, and the
    digests; readers set up before are left out (their alerts switched off)."""
    Bookmark.objects.update(is_alert_enabled=False)
    now = timezone.now()
    for reader in range(3):
        user = make_user()
        if reader == 1:
            alert_preference_set(user=user, new_roles=NewRoles.LEVELS, levels=[Level.SENIOR])
        for _ in range(3):
            bookmark = watched(user=user)
            for n in range(roles_per_company):
                role(bookmark.company, level=[Level.SENIOR, Level.MID][n % 2], first_seen=now - (n + 1) * HOUR)
    with CaptureQueriesContext(connection) as queries:
        digests = digests_due(now=now)
    return len(queries), digests


def test_the_digest_runs_a_fixed_number_of_queries_whatever_the_number_of_roles():
    few, digests = digest_queries(2)
    assert sorted(len(digest.new_postings) for digest in digests) == [3, 6, 6]
    many, digests = digest_queries(17)
    assert sorted(len(digest.new_postings) for digest in digests) == [27, 51, 51]
    assert many == few <= 8


def test_sending_a_digest_of_fifty_roles_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    user = make_user()
    now = timezone.now()
    for _ in range(3):
        bookmark = watched(user=user)
        for n in range(17):
            role(bookmark.company, first_seen=now - (n + 1) * HOUR)
    # 7 to read the digest, 2 to record it and its 51 announcements, and a savepoint around them.
    with django_assert_max_num_queries(11):
        assert alert_digests_send(now=now) == 1
    assert RoleAnnouncement.objects.count() == 51
    assert len(titles(mail.outbox[0])) == 30
    assert mail.outbox[0].body.count("- and 7 more: ") == 3
