"""The world the authorization matrix and the HTML check run in: two readers, an editor, a superuser and their rows."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from rest_framework.authtoken.models import Token

from bookmarks.alerts import unsubscribe_token
from bookmarks.models import Bookmark
from companies.models import Company
from jobs.models import JobSource, SyncRun
from jobs.tasks import schedule_syncs
from tests.conftest import make_computed_snapshot, make_editor, make_posting, make_user


@pytest.fixture
def world(loaded_edition):
    alice = make_user(username="alice", password="alice-password-123")
    bob = make_user(username="bob", password="bob-password-123")
    editor = make_editor(username="eddie")
    superuser = make_user(username="root", is_staff=True, is_superuser=True)
    anthropic = Company.objects.get(slug="anthropic")
    bookmark = Bookmark.objects.create(user=alice, company=anthropic, note="Alice's private note")
    Bookmark.objects.create(user=bob, company=Company.objects.get(slug="cohere"))
    Token.objects.create(user=alice)
    AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", user_agent="t", failures_since_start=1)
    AccessLog.objects.create(username="x", ip_address="10.0.0.1", user_agent="t")
    AccessFailureLog.objects.create(username="x", ip_address="10.0.0.1", user_agent="t")
    anthropic.comp_note = "Top of market (checked)"
    anthropic.save()  # a second history record, for the admin's history pages
    source = JobSource.objects.create(company=anthropic, provider="greenhouse", board="anthropic")
    posting = make_posting(source=source, title="Research Engineer")
    SyncRun.objects.create(source=source, outcome="synced")
    make_computed_snapshot()  # a count of postings for editors to review and publish
    schedule_syncs.enqueue()  # a task row for the tasks admin
    return {
        "posting": posting,
        "users": {"user": alice, "other": bob, "editor": editor, "superuser": superuser},
        "bookmark": bookmark,
        "company": anthropic,
        "unsubscribe": unsubscribe_token(alice),
    }
