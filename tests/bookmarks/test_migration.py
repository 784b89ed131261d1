"""Bookmarks moved to their own app without moving a row: a database that has bookmarks keeps every one."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bookmarks.models import AlertDigest, Bookmark

BEFORE = [("companies", "0003_bookmark_alerts"), ("bookmarks", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1]]).apps


@pytest.mark.django_db(transaction=True)
def test_moving_bookmarks_keeps_every_bookmark_note_stage_and_digest():
    old = migrate(BEFORE)
    edition = old.get_model("market", "Edition").objects.create(
        slug="2026-q1", name="Q1 2026", published_on=datetime.date(2026, 1, 31), is_published=True
    )
    company = old.get_model("companies", "Company").objects.create(
        name="Anthropic", slug="anthropic", edition=edition, as_of=edition.published_on, source="The guide",
        last_verified=edition.published_on,
    )  # fmt: skip
    user = old.get_model("accounts", "User").objects.create(username="casey")
    old.get_model("companies", "Bookmark").objects.create(
        user=user, company=company, note="Apply in March", stage="applied", is_alert_enabled=True
    )
    sent = datetime.datetime(2026, 2, 1, 8, tzinfo=datetime.UTC)
    old.get_model("companies", "AlertDigest").objects.create(user=user, sent_on=sent.date(), sent_at=sent)
    content_types = old.get_model("contenttypes", "ContentType").objects
    content_types.get_or_create(app_label="companies", model="bookmark")

    new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    bookmark = Bookmark.objects.select_related("user", "company").get()
    assert (bookmark.user.username, bookmark.company.slug) == ("casey", "anthropic")
    assert (bookmark.note, bookmark.stage, bookmark.is_alert_enabled) == ("Apply in March", "applied", True)
    assert AlertDigest.objects.get().sent_at == sent
    assert new.get_model("contenttypes", "ContentType").objects.filter(app_label="bookmarks", model="bookmark").exists()
    assert not content_types.filter(app_label="companies", model="bookmark").exists()
