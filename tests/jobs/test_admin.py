"""Editors manage job boards in the admin: add one, sync it now, read each run's outcome and error in words."""

import pytest
from django.urls import reverse

from jobs.models import JobSource, Posting, SyncRun
from tests.conftest import make_company, make_posting, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def boards(httpserver, settings):
    settings.POSTINGS_GREENHOUSE_URL = httpserver.url_for("/gh")
    settings.POSTINGS_RETRIES = 0
    job = {"id": 7, "title": "Staff Research Engineer", "absolute_url": "https://boards.example/7", "content": ""}
    httpserver.expect_request("/gh/acme/jobs").respond_with_json({"jobs": [job], "meta": {"total": 1}})
    httpserver.expect_request("/gh/gone/jobs").respond_with_data("missing", status=404)
    return httpserver


def test_an_editor_adds_a_board_and_a_bad_name_is_explained(client, editor):
    client.force_login(editor)
    company = make_company(name="Acme AI")
    url = reverse("admin:jobs_jobsource_add")
    runs = {"runs-TOTAL_FORMS": "0", "runs-INITIAL_FORMS": "0"}  # the inline of sync runs, empty

    bad = client.post(
        url, {"company": company.pk, "provider": "greenhouse", "board": "a/b?x=1", "is_enabled": "on", **runs}
    )
    assert bad.status_code == 200 and "letters, digits, dots, dashes and underscores" in bad.content.decode()

    good = client.post(
        url, {"company": company.pk, "provider": "greenhouse", "board": "acme", "is_enabled": "on", **runs}
    )
    assert good.status_code == 302
    assert JobSource.objects.filter(company=company, board="acme").exists()


def test_sync_now_reports_each_board_and_the_list_shows_the_last_run(client, editor, boards):
    client.force_login(editor)
    company = make_company(name="Acme AI")
    ok = make_source(company=company, board="acme")
    gone = make_source(company=company, board="gone")

    response = client.post(
        reverse("admin:jobs_jobsource_changelist"),
        {"action": "sync_now", "_selected_action": [ok.pk, gone.pk]},
        follow=True,
    )

    page = response.content.decode()
    assert "synced, 1 new, 0 updated, 0 closed" in page
    assert "not found (404)" in page
    assert Posting.objects.get(source=ok).level == "staff"
    listing = client.get(reverse("admin:jobs_jobsource_changelist")).content.decode()
    assert "Failed" in listing and "Synced" in listing
    run = SyncRun.objects.get(source=gone)
    detail = client.get(reverse("admin:jobs_jobsource_change", args=[gone.pk])).content.decode()
    assert run.error in detail.replace("&#x27;", "'")


def test_an_editor_may_correct_a_postings_level_but_not_delete_it(client, editor):
    client.force_login(editor)
    posting = make_posting(title="Research Engineer")
    url = reverse("admin:jobs_posting_change", args=[posting.pk])

    response = client.post(url, {"level": "senior", "role": "", "workplace": "remote"})

    assert response.status_code == 302
    posting.refresh_from_db()
    assert (posting.level, posting.workplace, posting.title) == ("senior", "remote", "Research Engineer")
    assert client.get(reverse("admin:jobs_posting_delete", args=[posting.pk])).status_code == 403
