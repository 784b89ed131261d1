"""Change alerts: opt in per bookmark, one daily digest per user, one-click unsubscribe without signing in."""

import datetime
import io
import re
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from bookmarks.alerts import alert_digests_send, alert_set, digests_due, unsubscribe_token
from bookmarks.models import AlertDigest, Bookmark
from companies.models import Company, Outlook
from market.models import Edition
from tests.conftest import make_bookmark, make_company, make_edition, make_role, make_user

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def backdate_history(company, days=30):
    Company.history.filter(id=company.pk).update(history_date=F("history_date") - datetime.timedelta(days=days))


def watched(company=None, *, user=None, days_ago=7):
    """A bookmark with alerts on since ``days_ago`` days, on a company whose history is older still."""
    company = company or make_company()
    backdate_history(company)
    bookmark = make_bookmark(company=company, user=user or make_user())
    alert_set(bookmark=bookmark, enabled=True)
    Bookmark.objects.filter(pk=bookmark.pk).update(alert_enabled_at=timezone.now() - days_ago * DAY)
    bookmark.refresh_from_db()
    return bookmark


def edit(company, **fields):
    company.refresh_from_db()
    for name, value in fields.items():
        setattr(company, name, value)
    company.save()


def send(now=None):
    """Run the cron command, or send the digests due at ``now``."""
    if now is None:
        call_command("send_alerts", stdout=io.StringIO())
        return None
    return alert_digests_send(now=now)


def test_a_change_to_a_bookmarked_company_sends_exactly_one_digest():
    bookmark = watched(make_company(name="Cohere", slug="cohere", comp_min=170_000, comp_max=280_000))
    edit(bookmark.company, comp_min=180_000, comp_max=290_000)
    send()
    send()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [bookmark.user.email]
    assert email.subject == "AI Hiring Guide: Cohere changed"
    assert "Cohere (" in email.body
    assert "pay range $170K-280K → $180K-290K" in email.body
    assert "http://127.0.0.1:8000/companies/cohere/" in email.body
    html = email.alternatives[0].content
    assert "pay range $170K-280K → $180K-290K" in html
    assert AlertDigest.objects.get(user=bookmark.user).change_count == 1


def test_the_command_reports_what_it_sent(capsys):
    bookmark = watched()
    edit(bookmark.company, comp_max=300_000)
    call_command("send_alerts")
    assert "Sent 1 alert digest." in capsys.readouterr().out


def test_several_changes_go_in_one_digest_per_user():
    user = make_user()
    first = watched(make_company(name="Alpha"), user=user)
    second = watched(make_company(name="Beta", outlook=Outlook.GROWING), user=user)
    role = make_role(name="Applied Scientist")
    edit(first.company, wants="Shipping record")
    second.company.roles.add(role)
    edit(second.company, outlook=Outlook.STABLE)
    send()
    [email] = mail.outbox
    assert email.subject == "AI Hiring Guide: 2 companies you follow changed"
    assert "Alpha (" in email.body and "what they want Production experience → Shipping record" in email.body
    assert "outlook Growing team → Stable employer" in email.body
    assert "roles: + Applied Scientist" in email.body


def test_cosmetic_edits_send_nothing():
    bookmark = watched()
    edit(bookmark.company, focus="New focus", position=3, source="Typo fixed", last_verified=timezone.localdate())
    send()
    assert mail.outbox == []
    assert not AlertDigest.objects.exists()


def test_edits_to_an_unpublished_company_send_nothing():
    bookmark = watched()
    edit(bookmark.company, is_published=False)
    edit(bookmark.company, comp_max=400_000)
    send()
    assert mail.outbox == []


def test_changes_before_alerts_were_switched_on_are_not_sent():
    bookmark = watched(days_ago=0)
    company = bookmark.company
    Bookmark.objects.filter(pk=bookmark.pk).update(alert_enabled_at=timezone.now() + datetime.timedelta(seconds=1))
    edit(company, comp_max=400_000)
    send()
    assert mail.outbox == []


def test_bookmarks_without_alerts_send_nothing():
    company = make_company()
    backdate_history(company)
    make_bookmark(company=company)
    edit(company, comp_max=400_000)
    send()
    assert mail.outbox == []


def move_last_change(company, when):
    """Date the company's latest history record ``when``."""
    latest = Company.history.filter(id=company.pk).order_by("-history_id").first()
    Company.history.filter(history_id=latest.history_id).update(history_date=when)


def test_at_most_one_digest_a_day_and_the_next_day_only_new_changes():
    bookmark = watched(make_company(comp_min=150_000, comp_max=250_000))
    morning = (timezone.now() - 3 * DAY).replace(hour=10, minute=0, second=0, microsecond=0)
    edit(bookmark.company, comp_max=260_000)
    move_last_change(bookmark.company, morning - datetime.timedelta(hours=1))
    assert send(now=morning) == 1
    edit(bookmark.company, comp_max=270_000)
    move_last_change(bookmark.company, morning + datetime.timedelta(hours=1))
    assert send(now=morning + datetime.timedelta(hours=2)) == 0  # same day: held back
    assert send(now=morning + DAY) == 1
    assert send(now=morning + DAY + datetime.timedelta(hours=1)) == 0
    assert len(mail.outbox) == 2
    assert "$150K-250K → $150K-260K" in mail.outbox[0].body
    assert "$150K-260K → $150K-270K" in mail.outbox[1].body
    assert "$150K-250K" not in mail.outbox[1].body


def test_a_new_edition_is_announced():
    watched()
    q2 = make_edition(name="Q2 2026", slug="2026-q2", published_on=datetime.date(2026, 4, 30), is_current=False)
    Edition.objects.filter(pk=q2.pk).update(published_at=timezone.now())
    send()
    [email] = mail.outbox
    assert email.subject == "AI Hiring Guide: The Q2 2026 edition is out"
    assert (
        "The Q2 2026 edition of the AI Hiring Guide is published: http://127.0.0.1:8000/salaries/?edition=2026-q2"
        in (email.body)
    )


def test_a_failed_send_is_retried_by_the_next_run(monkeypatch):
    bookmark = watched()
    edit(bookmark.company, comp_max=400_000)

    def broken(self, *args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    assert alert_digests_send() == 0
    assert not AlertDigest.objects.exists()
    monkeypatch.undo()
    assert alert_digests_send() == 1


def test_digests_due_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    for n in range(5):
        bookmark = watched(make_company(name=f"Company {n}"))
        edit(bookmark.company, comp_max=300_000 + n)
    with django_assert_max_num_queries(8):  # and 2 for new roles: the postings and their announcements
        digests = digests_due()
    assert len(digests) == 5


# The unsubscribe link


def test_email_carries_one_click_unsubscribe_headers():
    bookmark = watched()
    edit(bookmark.company, comp_max=400_000)
    send()
    [email] = mail.outbox
    url = f"http://127.0.0.1:8000/alerts/unsubscribe/{unsubscribe_token(bookmark.user)}/"
    assert email.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in email.body
    raw = email.message().as_bytes()  # as the SMTP backend sends it
    assert f"\nList-Unsubscribe: <{url}>\n".encode() in raw.replace(b"\r\n", b"\n")


def test_unsubscribe_works_without_signing_in(client):
    user = make_user()
    watched(user=user)
    watched(user=user)
    url = reverse("alerts:unsubscribe", args=[unsubscribe_token(user)])
    page = client.get(url)
    assert page.status_code == 200
    assert "Stop the emails about changes to your 2 bookmarked companies" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert Bookmark.objects.filter(user=user, is_alert_enabled=True).count() == 2  # a GET changes nothing
    done = client.post(url)
    assert done.status_code == 200
    assert "Alerts stopped" in done.content.decode()
    assert not Bookmark.objects.filter(user=user, is_alert_enabled=True).exists()
    assert Bookmark.objects.filter(user=user).count() == 2


def test_one_click_unsubscribe_from_a_mail_client_needs_no_csrf_token():
    from django.test import Client

    user = make_user()
    watched(user=user)
    client = Client(enforce_csrf_checks=True)
    url = reverse("alerts:unsubscribe", args=[unsubscribe_token(user)])
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Bookmark.objects.filter(user=user, is_alert_enabled=True).exists()


@pytest.mark.parametrize("token", ["nonsense", "1:forged:signature", "x" * 300])
def test_a_damaged_unsubscribe_link_says_so(client, token):
    user = make_user()
    watched(user=user)
    for response in (client.get(f"/alerts/unsubscribe/{token}/"), client.post(f"/alerts/unsubscribe/{token}/")):
        assert response.status_code == 400
        assert "This unsubscribe link does not work" in response.content.decode()
    assert Bookmark.objects.get(user=user).is_alert_enabled


def test_a_token_only_unsubscribes_its_own_user(client):
    mine, theirs = watched(), watched()
    client.post(reverse("alerts:unsubscribe", args=[unsubscribe_token(mine.user)]))
    theirs.refresh_from_db()
    assert theirs.is_alert_enabled


# The switch on the bookmarks page


def test_alert_switch_turns_alerts_on_and_off(client):
    bookmark = make_bookmark(company=make_company(name="Cohere"))
    client.force_login(bookmark.user)
    url = reverse("alerts:alert_set", args=[bookmark.pk])
    response = client.post(url, {"alerts": "on"}, follow=True)
    assert "Email alerts on for Cohere" in response.content.decode()
    bookmark.refresh_from_db()
    assert bookmark.is_alert_enabled and bookmark.alert_enabled_at is not None
    started = bookmark.alert_enabled_at
    client.post(url, {"alerts": "on"})
    bookmark.refresh_from_db()
    assert bookmark.alert_enabled_at == started  # repeating changes nothing
    client.post(url, {"alerts": "off"})
    bookmark.refresh_from_db()
    assert not bookmark.is_alert_enabled and bookmark.alert_enabled_at is None


def test_alert_switch_answers_htmx_with_the_new_switch(client):
    bookmark = make_bookmark(company=make_company(name="Cohere"))
    client.force_login(bookmark.user)
    response = client.post(reverse("alerts:alert_set", args=[bookmark.pk]), {"alerts": "on"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Email alerts on" in page and "Stop emails" in page
    assert "<html" not in page


def test_alert_switch_rejects_bad_input_in_words(client):
    bookmark = make_bookmark()
    client.force_login(bookmark.user)
    response = client.post(reverse("alerts:alert_set", args=[bookmark.pk]), {"alerts": "maybe"}, follow=True)
    assert "Choose whether to switch email alerts on or off." in response.content.decode()
    bookmark.refresh_from_db()
    assert not bookmark.is_alert_enabled


def test_alert_switch_is_only_for_the_owner_and_only_by_post(client):
    bookmark = make_bookmark()
    url = reverse("alerts:alert_set", args=[bookmark.pk])
    assert client.post(url, {"alerts": "on"}).status_code == 302  # to sign in
    client.force_login(make_user())
    assert client.post(url, {"alerts": "on"}).status_code == 404
    client.force_login(bookmark.user)
    assert client.get(url).status_code == 405
    bookmark.refresh_from_db()
    assert not bookmark.is_alert_enabled


def test_alert_switch_partial_renders_for_a_bookmark(rf):
    from django.template.loader import render_to_string

    bookmark = make_bookmark(company=make_company(name="Cohere"))
    request = rf.get("/bookmarks/")
    html = render_to_string("bookmarks/includes/_alert_toggle.html", {"bookmark": bookmark}, request=request)
    assert "Email me changes" in re.sub(r"<[^>]+>", "", html)
    assert reverse("alerts:alert_set", args=[bookmark.pk]) in html


def test_bookmarks_page_has_an_alert_switch_per_bookmark(client):
    user = make_user()
    on = watched(make_company(name="Alpha"), user=user)
    off = make_bookmark(company=make_company(name="Beta"), user=user)
    client.force_login(user)
    page = client.get(reverse("bookmarks:bookmark_list")).content.decode()
    assert reverse("alerts:alert_set", args=[on.pk]) in page
    assert reverse("alerts:alert_set", args=[off.pk]) in page
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Email alerts on Stop emails about Alpha" in text
    assert "Email me changes to Beta" in text


def test_an_unsubscribe_link_older_than_120_days_no_longer_works(client, monkeypatch):
    user = make_user()
    token = unsubscribe_token(user)
    later = time.time() + 121 * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = client.get(reverse("alerts:unsubscribe", args=[token]))
    assert response.status_code == 400
