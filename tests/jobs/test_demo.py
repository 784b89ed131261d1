"""`make run`'s demo postings: the demo boards, served by the stand-in on 127.0.0.1 and read by the real sync."""

import json

import httpx
import pytest
from django.core.management import call_command

from jobs.demo import DEMO_DIR, demo_boards, demo_sources
from jobs.models import JobSource, Posting, SyncRun
from jobs.providers import PARSERS
from jobs.sync import sync_sources

pytestmark = pytest.mark.django_db


def listed_in_files():
    total = 0
    for entry in demo_sources():
        path = DEMO_DIR / entry["provider"] / f"{entry['board']}.json"
        total += len(PARSERS[entry["provider"]](json.loads(path.read_text())))
    return total


def test_the_demo_boards_load_through_the_sync_once(loaded_edition, capsys):
    call_command("load_demo_postings")

    assert JobSource.objects.count() == len(demo_sources())
    assert Posting.objects.count() == listed_in_files() > 250
    assert set(SyncRun.objects.values_list("outcome", flat=True)) == {"synced"}
    assert Posting.objects.filter(pay_currency="EUR").exists() and Posting.objects.filter(pay_from_text=True).exists()
    assert "Loaded the demo job boards" in capsys.readouterr().out

    call_command("load_demo_postings")
    assert "already loaded; nothing to do" in capsys.readouterr().out


def test_a_second_sync_of_the_demo_boards_is_answered_unchanged(loaded_edition):
    call_command("load_demo_postings")
    before = Posting.objects.count()

    with demo_boards():
        counts, failed = sync_sources(JobSource.objects.select_related("company").order_by("pk"))

    assert failed == [] and (counts["new"], counts["updated"], counts["closed"]) == (0, 0, 0)
    latest = [source.runs.first().outcome for source in JobSource.objects.all()]
    assert set(latest) == {"unchanged"}
    assert Posting.objects.count() == before


def test_the_stand_in_answers_only_the_providers_addresses(loaded_edition):
    with demo_boards() as server:
        assert httpx.get(f"{server.base}/greenhouse/anthropic/jobs").status_code == 200
        assert httpx.get(f"{server.base}/greenhouse/..%2Fsources/jobs").status_code == 404
        assert len(httpx.get(f"{server.base}/lever/mistral", params={"skip": 0, "limit": 2}).json()) == 2
        assert httpx.get(f"{server.base}/elsewhere").status_code == 404
