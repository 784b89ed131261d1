"""make backup / make restore: a backup restored into an empty database holds every row of the original."""

import io
import sqlite3
import uuid

import pytest
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from bookmarks.models import Bookmark, BookmarkStage
from companies.models import Company
from tests.conftest import make_bookmark, make_user

# pg_dump and the SQLite backup read committed data through their own connections.
pytestmark = pytest.mark.django_db(transaction=True)

POSTGRES = connection.vendor == "postgresql"


def snapshot(cursor, tables):
    """Every row of every table, sorted, so two databases compare equal only when they hold the same data."""
    rows = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')
        rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


@pytest.fixture
def guide_with_users(loaded_edition):
    """The Q1 2026 edition plus users with bookmarks and notes, including text that is easy to mangle."""
    alice = make_user(username="alice")
    bob = make_user(username="bøb")
    for company in Company.objects.order_by("name")[:5]:
        make_bookmark(user=alice, company=company, note="Ask about the team's on-call ✓", stage=BookmarkStage.APPLIED)
    make_bookmark(user=bob, company=Company.objects.get(slug="anthropic"), note="'; DROP TABLE x; -- <b>")
    return connection.introspection.table_names()


@pytest.fixture
def empty_database(tmp_path):
    """A URL of a brand-new database with nothing in it, and a function that opens a cursor on it."""
    if not POSTGRES:
        path = tmp_path / "restored.sqlite3"

        def open_cursor():
            return sqlite3.connect(path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES).cursor()

        yield f"sqlite:///{path}", open_cursor
        return

    import psycopg

    settings = connection.settings_dict
    name = f"{settings['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    server = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    opened = []

    def open_cursor():
        opened.append(psycopg.connect(dbname=name, **server))
        return opened[-1].cursor()

    auth = f"{server['user'] or ''}{':' + server['password'] if server['password'] else ''}@"
    yield f"postgres://{auth}{server['host'] or ''}:{server['port'] or 5432}/{name}", open_cursor
    for conn in opened:
        conn.close()
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_restored_into_an_empty_database_has_every_row(guide_with_users, empty_database, tmp_path):
    url, open_cursor = empty_database
    with connection.cursor() as cursor:
        original = snapshot(cursor, guide_with_users)
    backup = tmp_path / ("guide.dump" if POSTGRES else "guide.sqlite3")

    call_command("backup_db", output=str(backup), stdout=io.StringIO())
    call_command("restore_db", str(backup), database_url=url, interactive=False, stdout=io.StringIO())

    restored = snapshot(open_cursor(), guide_with_users)
    assert restored == original
    assert len(restored["companies_company"]) == 25
    assert len(restored["companies_bookmark"]) == 6
    assert len(restored["market_salarybenchmark"]) == 4
    assert sum(len(rows) for rows in restored.values()) > 200


def test_restore_brings_back_rows_deleted_after_the_backup(guide_with_users, tmp_path, capsys, client):
    backup = tmp_path / ("guide.dump" if POSTGRES else "guide.sqlite3")
    call_command("backup_db", output=str(backup))
    assert capsys.readouterr().out.strip() == str(backup)
    Bookmark.objects.all().delete()
    Company.objects.filter(slug="anthropic").update(comp_note="Overwritten by mistake")
    assert "Overwritten by mistake" in client.get("/companies/anthropic/").content.decode()  # now in the page cache

    call_command("restore_db", str(backup), interactive=False)

    assert "Overwritten by mistake" not in client.get("/companies/anthropic/").content.decode()

    assert Bookmark.objects.count() == 6
    assert Company.objects.get(slug="anthropic").comp_note == "Top of market"
    assert Bookmark.objects.get(user__username="bøb").note == "'; DROP TABLE x; -- <b>"


def test_restore_empties_both_caches_and_ends_sessions_begun_after_the_backup(guide_with_users, tmp_path, client):
    backup = tmp_path / ("guide.dump" if POSTGRES else "guide.sqlite3")
    call_command("backup_db", output=str(backup), stdout=io.StringIO())
    user = make_user(username="after-the-backup")
    client.force_login(user)
    assert client.get(reverse("accounts:account")).status_code == 200
    caches["default"].set("kept-from-before", "stale")
    caches["pages"].set("template.cache.company-list.x", "stale")

    call_command("restore_db", str(backup), interactive=False, stdout=io.StringIO())

    assert caches["default"].get("kept-from-before") is None
    assert caches["pages"].get("template.cache.company-list.x") is None
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302  # the session row is not in the backup, so the session is over
    assert response["Location"].startswith(reverse("accounts:login"))


def test_backup_without_output_goes_to_the_backups_folder(db, settings, tmp_path, capsys):
    settings.BASE_DIR = tmp_path
    call_command("backup_db")
    written = capsys.readouterr().out.strip()
    assert written.startswith(str(tmp_path / "backups"))
    assert written.endswith(".dump" if POSTGRES else ".sqlite3")
    assert list((tmp_path / "backups").iterdir()) == [tmp_path / "backups" / written.rsplit("/", 1)[1]]


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    with pytest.raises(CommandError, match="is not a"):
        call_command("restore_db", str(bogus), interactive=False)
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore_db", str(tmp_path / "missing.dump"), interactive=False)


def test_restore_asks_before_replacing_the_database(db, tmp_path, monkeypatch):
    backup = tmp_path / ("guide.dump" if POSTGRES else "guide.sqlite3")
    call_command("backup_db", output=str(backup), stdout=io.StringIO())
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Restore cancelled"):
        call_command("restore_db", str(backup))
