"""The sync against a real local HTTP server (pytest-httpserver): what it writes, what it leaves alone, how it fails."""

import json
import time

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from werkzeug import Response

from jobs.models import JobSource, Posting, SyncRun
from jobs.sync import BoardClient, sync_source
from tests.conftest import make_company, make_role

pytestmark = pytest.mark.django_db


def gh_job(
    job_id, title="Senior Research Engineer", location="San Francisco, CA", content="<p>Build models.</p>", **more
):
    job = {
        "id": job_id,
        "title": title,
        "absolute_url": f"https://job-boards.greenhouse.io/acme/jobs/{job_id}",
        "location": {"name": location},
        "updated_at": "2026-11-20T10:00:00-05:00",
        "first_published": "2026-11-02T09:00:00-05:00",
        "content": content.replace("<", "&lt;").replace(">", "&gt;"),
        "departments": [{"id": 1, "name": "Research"}],
        "offices": [{"id": 2, "name": "San Francisco"}],
    }
    job.update(more)
    return job


def gh_payload(*jobs):
    return {"jobs": list(jobs), "meta": {"total": len(jobs)}}


@pytest.fixture
def board(httpserver, settings):
    """A Greenhouse source whose provider address is the local server."""
    settings.POSTINGS_GREENHOUSE_URL = httpserver.url_for("/gh")
    settings.POSTINGS_LEVER_URL = httpserver.url_for("/lever")
    settings.POSTINGS_ASHBY_URL = httpserver.url_for("/ashby")
    settings.POSTINGS_TIMEOUT_SECONDS = 1.0
    settings.POSTINGS_BACKOFF_SECONDS = 0.01
    make_role(name="Research Engineer", slug="research-engineer")
    company = make_company(name="Acme AI", slug="acme")
    return JobSource.objects.create(company=company, provider="greenhouse", board="acme")


def serve(httpserver, payload, path="/gh/acme/jobs", **kwargs):
    httpserver.clear()
    body = payload if isinstance(payload, bytes | str) else json.dumps(payload)
    httpserver.expect_request(path).respond_with_data(body, content_type="application/json", **kwargs)


def run(source):
    source.refresh_from_db()
    with BoardClient() as client:
        return sync_source(source, client)


def snapshot(source):
    return list(Posting.objects.filter(source=source).order_by("external_id").values())


def test_a_sync_stores_each_posting_in_the_guides_terms(board, httpserver):
    pay = [{"min_cents": 30000000, "max_cents": 40000000, "currency_type": "USD", "title": "Annual Salary"}]
    serve(httpserver, gh_payload(gh_job(1, pay_input_ranges=pay), gh_job(2, title="Recruiter", location="London, UK")))

    result = run(board)

    assert (result.outcome, result.new_count, result.updated_count, result.closed_count) == ("synced", 2, 0, 0)
    first = Posting.objects.get(source=board, external_id="1")
    assert first.title == "Senior Research Engineer"
    assert first.level == "senior" and first.role.slug == "research-engineer"
    assert (first.pay_min, first.pay_max, first.pay_currency, first.pay_period) == (300000, 400000, "USD", "year")
    assert first.locations == ["San Francisco, CA"]
    assert first.url == "https://job-boards.greenhouse.io/acme/jobs/1"
    assert first.description == "<p>Build models.</p>"
    assert first.company == board.company and first.closed_at is None
    other = Posting.objects.get(source=board, external_id="2")
    assert other.level == "unknown" and other.role is None and other.pay_min is None
    board.refresh_from_db()
    assert board.last_success_at is not None


def test_a_re_sync_of_the_same_payload_changes_nothing(board, httpserver):
    serve(httpserver, gh_payload(gh_job(1), gh_job(2, title="Staff ML Engineer")))
    run(board)
    before = snapshot(board)

    again = run(board)

    assert (again.outcome, again.new_count, again.updated_count, again.closed_count) == ("unchanged", 0, 0, 0)
    after = snapshot(board)
    for old, new in zip(before, after, strict=True):
        assert new["last_seen"] >= old["last_seen"]
        assert {k: v for k, v in old.items() if k != "last_seen"} == {k: v for k, v in new.items() if k != "last_seen"}


def test_an_unchanged_board_moves_its_open_postings_last_sighting_and_one_gone_keeps_the_last(board, httpserver):
    serve(httpserver, gh_payload(gh_job(1), gh_job(2)))
    run(board)
    again = run(board)  # unchanged: the board's postings are not rewritten, yet were seen again
    board.refresh_from_db()
    seen_again = board.last_success_at
    assert again.outcome == "unchanged" and again.seen_count == 2
    for posting in Posting.objects.filter(source=board).select_related("source"):
        assert posting.last_sighting == seen_again

    serve(httpserver, gh_payload(gh_job(1)))
    run(board)
    board.refresh_from_db()

    gone = Posting.objects.select_related("source").get(source=board, external_id="2")
    kept = Posting.objects.select_related("source").get(source=board, external_id="1")
    assert gone.closed_at == board.last_success_at
    assert gone.last_sighting == seen_again  # on the board at the unchanged sync, gone by the next
    assert kept.last_sighting == board.last_success_at


def test_the_sync_asks_with_the_boards_etag_and_a_304_changes_nothing(board, httpserver):
    body = json.dumps(gh_payload(gh_job(1)))
    httpserver.expect_request("/gh/acme/jobs").respond_with_data(
        body, content_type="application/json", headers={"ETag": '"v1"'}
    )
    run(board)
    before = snapshot(board)
    httpserver.clear()
    httpserver.expect_request("/gh/acme/jobs", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)

    again = run(board)

    assert again.outcome == "unchanged"
    assert len(httpserver.log) == 1 and httpserver.log[0][1].status_code == 304
    assert [{**p, "last_seen": None} for p in snapshot(board)] == [{**p, "last_seen": None} for p in before]


def test_a_changed_posting_is_updated_and_counted(board, httpserver):
    serve(httpserver, gh_payload(gh_job(1)))
    run(board)
    serve(httpserver, gh_payload(gh_job(1, title="Staff Research Engineer")))

    result = run(board)

    assert (result.new_count, result.updated_count) == (0, 1)
    posting = Posting.objects.get(source=board, external_id="1")
    assert posting.title == "Staff Research Engineer" and posting.level == "staff"


def test_a_posting_gone_from_its_board_is_closed_and_one_back_reopens(board, httpserver):
    serve(httpserver, gh_payload(gh_job(1), gh_job(2)))
    run(board)
    serve(httpserver, gh_payload(gh_job(1)))

    gone = run(board)

    assert gone.closed_count == 1
    closed = Posting.objects.get(source=board, external_id="2")
    assert closed.closed_at is not None
    assert Posting.objects.filter(source=board).count() == 2  # closed, never deleted
    first_seen = closed.first_seen

    serve(httpserver, gh_payload(gh_job(1), gh_job(2)))
    back = run(board)

    assert (back.new_count, back.updated_count, back.closed_count) == (0, 1, 0)
    reopened = Posting.objects.get(source=board, external_id="2")
    assert reopened.closed_at is None and reopened.first_seen == first_seen


def test_hostile_markup_is_removed_before_it_is_stored(board, httpserver):
    hostile = (
        '<p>Hi<script>alert(1)</script></p><img src=x onerror="alert(2)">'
        '<a href="javascript:alert(3)">apply</a><a href="https://example.com/" onclick="x()">site</a>'
    )
    serve(httpserver, gh_payload(gh_job(1, title="<b>Senior</b> <script>alert(4)</script>Engineer", content=hostile)))

    run(board)

    posting = Posting.objects.get(source=board)
    assert "<" not in posting.title and "alert" not in posting.title
    for bad in ("<script", "alert", "onerror", "onclick", "javascript:", "<img"):
        assert bad not in posting.description
    assert '<a href="https://example.com/" rel="nofollow noopener noreferrer">site</a>' in posting.description


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ({"response_data": '{"jobs": [', "content_type": "application/json"}, "not valid JSON"),
        ({"response_data": "[1, 2]", "content_type": "application/json"}, "Greenhouse"),
        ({"response_data": "{}", "content_type": "application/json"}, "Greenhouse"),
        ({"response_data": "not found", "status": 404}, "not found (404)"),
        (
            {"response_data": "", "status": 302, "headers": {"Location": "https://elsewhere.example/jobs"}},
            "another host",
        ),
        ({"response_data": "teapot", "status": 418}, "418"),
    ],
    ids=["truncated", "wrong-shape", "no-jobs", "404", "redirect", "odd-status"],
)
def test_a_failed_run_says_why_and_leaves_the_postings_as_they_were(board, httpserver, answer, error):
    serve(httpserver, gh_payload(gh_job(1), gh_job(2)))
    run(board)
    before = snapshot(board)
    httpserver.clear()
    httpserver.expect_request("/gh/acme/jobs").respond_with_data(**answer)

    result = run(board)

    assert result.outcome == "failed"
    assert error in result.error
    assert snapshot(board) == before


def test_an_oversized_payload_is_refused_unread(board, httpserver, settings):
    settings.POSTINGS_MAX_BYTES = 1000
    serve(httpserver, gh_payload(*[gh_job(n) for n in range(1, 20)]))

    result = run(board)

    assert result.outcome == "failed" and "larger than" in result.error
    assert not Posting.objects.exists()


def test_a_board_that_does_not_answer_in_time_fails_its_run(board, httpserver, settings):
    settings.POSTINGS_TIMEOUT_SECONDS = 0.3

    def slow(request):
        time.sleep(1.0)
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/gh/acme/jobs").respond_with_handler(slow)

    result = run(board)

    assert result.outcome == "failed" and "did not answer within 0.3 seconds" in result.error
    for _ in range(40):  # let the slow answer finish, so it is not logged into the next test
        if httpserver.log:
            break
        time.sleep(0.05)


def test_429_and_5xx_are_retried_honouring_retry_after(board, httpserver):
    httpserver.expect_ordered_request("/gh/acme/jobs").respond_with_data(
        "busy", status=429, headers={"Retry-After": "1"}
    )
    httpserver.expect_ordered_request("/gh/acme/jobs").respond_with_data("oops", status=503)
    httpserver.expect_ordered_request("/gh/acme/jobs").respond_with_data(
        json.dumps(gh_payload(gh_job(1))), content_type="application/json"
    )
    started = time.monotonic()

    result = run(board)

    assert result.outcome == "synced" and result.new_count == 1
    assert time.monotonic() - started >= 1.0  # waited as Retry-After asked
    assert [entry[1].status_code for entry in httpserver.log] == [429, 503, 200]


def test_a_board_that_keeps_failing_fails_after_its_retries(board, httpserver, settings):
    settings.POSTINGS_RETRIES = 2
    httpserver.expect_request("/gh/acme/jobs").respond_with_data("down", status=502)

    result = run(board)

    assert result.outcome == "failed" and "502 after 3 tries" in result.error


def test_a_retry_after_longer_than_the_sync_waits_fails_at_once(board, httpserver):
    httpserver.expect_request("/gh/acme/jobs").respond_with_data("later", status=429, headers={"Retry-After": "3600"})

    result = run(board)

    assert result.outcome == "failed" and "3600 seconds" in result.error
    assert len(httpserver.log) == 1


def test_only_the_providers_address_is_requested_never_a_url_from_the_payload(board, httpserver):
    job = gh_job(1, absolute_url=httpserver.url_for("/tracker"), content=f'<img src="{httpserver.url_for("/pixel")}">')
    serve(httpserver, gh_payload(job))

    run(board)

    assert [entry[0].path for entry in httpserver.log] == ["/gh/acme/jobs"]
    assert httpserver.log[0][0].args["content"] == "true"


def lever_posting(n):
    return {
        "id": f"lever-{n}",
        "text": f"Machine Learning Engineer {n}",
        "categories": {"location": "Paris", "commitment": "Full-time", "team": "ML"},
        "createdAt": 1762000000000 + n,
        "hostedUrl": f"https://jobs.lever.co/acme/lever-{n}",
        "applyUrl": f"https://jobs.lever.co/acme/lever-{n}/apply",
        "workplaceType": "hybrid",
        "description": "<p>Work on models.</p>",
        "descriptionPlain": "Work on models.",
    }


def test_lever_boards_are_read_page_by_page(board, httpserver):
    source = JobSource.objects.create(company=board.company, provider="lever", board="acme")
    everything = [lever_posting(n) for n in range(150)]

    def paged(request):
        skip, limit = int(request.args["skip"]), int(request.args["limit"])
        return Response(json.dumps(everything[skip : skip + limit]), content_type="application/json")

    httpserver.expect_request(
        "/lever/acme", query_string={"mode": "json", "skip": "0", "limit": "100"}
    ).respond_with_handler(paged)
    httpserver.expect_request(
        "/lever/acme", query_string={"mode": "json", "skip": "100", "limit": "100"}
    ).respond_with_handler(paged)

    result = run(source)

    assert result.outcome == "synced" and result.new_count == 150
    assert Posting.objects.filter(source=source, workplace="hybrid").count() == 150


def test_sync_postings_syncs_every_board_and_names_each_that_failed(board, httpserver):
    broken = JobSource.objects.create(company=make_company(slug="broken"), provider="greenhouse", board="broken")
    serve(httpserver, gh_payload(gh_job(1)))
    httpserver.expect_request("/gh/broken/jobs").respond_with_data("no such board", status=404)

    with pytest.raises(CommandError) as failure:
        call_command("sync_postings")

    assert Posting.objects.filter(source=board).count() == 1
    assert "broken greenhouse/broken" in str(failure.value) and "not found (404)" in str(failure.value)
    assert SyncRun.objects.get(source=broken).outcome == "failed"


def test_sync_postings_can_keep_to_one_company(board, httpserver):
    JobSource.objects.create(company=make_company(slug="other"), provider="greenhouse", board="other")
    serve(httpserver, gh_payload(gh_job(1)))

    call_command("sync_postings", company="acme")

    assert SyncRun.objects.filter(source__board="other").count() == 0


def test_add_job_source_checks_its_arguments(board):
    call_command("add_job_source", "acme", "lever", "acme-ai")
    assert JobSource.objects.filter(provider="lever", board="acme-ai", company=board.company).exists()
    with pytest.raises(CommandError, match="No company has the slug"):
        call_command("add_job_source", "nobody", "lever", "x")
    with pytest.raises(CommandError, match="board"):
        call_command("add_job_source", "acme", "ashby", "../etc/passwd")
    with pytest.raises(CommandError, match="already exists"):
        call_command("add_job_source", "acme", "greenhouse", "acme")


@pytest.mark.django_db(transaction=True)  # the worker claims tasks in transactions of its own, as in production
def test_a_worker_runs_the_scheduled_sync_and_books_the_next_round(board, httpserver):
    from django_tasks_db.models import DBTaskResult

    from jobs.tasks import schedule_syncs

    serve(httpserver, gh_payload(gh_job(1)))

    call_command("sync_postings", schedule=True)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert Posting.objects.filter(source=board).count() == 1
    assert SyncRun.objects.get(source=board).outcome == "synced"
    pending = DBTaskResult.objects.filter(status="READY", task_path=schedule_syncs.module_path)
    assert pending.count() == 1 and pending.get().run_after > timezone.now()


def test_a_board_synced_within_the_interval_is_not_fetched_again_by_the_schedule(board, httpserver):
    from jobs.tasks import sync_board

    serve(httpserver, gh_payload(gh_job(1)))
    run(board)
    requests = len(httpserver.log)

    assert sync_board.call(board.pk) == {"skipped": board.pk}
    assert len(httpserver.log) == requests


def test_the_same_tasks_run_on_redis_where_the_deployment_has_it(board, httpserver, settings):
    """DJANGO_TASKS_BACKEND=redis: the board's sync goes through Redis (RQ) to a worker, as on several machines."""
    import django_rq
    import redis
    from rq import SimpleWorker

    from jobs.tasks import sync_board

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.ConnectionError:
        pytest.fail("this test needs the Redis on 127.0.0.1:6379 that the machine runs")
    settings.RQ_QUEUES = {"default": {"URL": url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    serve(httpserver, gh_payload(gh_job(1)))

    result = sync_board.enqueue(board.pk)
    assert not Posting.objects.exists()  # queued, not run
    worker = django_rq.get_worker("default", job_class="django_tasks_rq.Job", worker_class=SimpleWorker)
    worker.work(burst=True)

    assert sync_board.get_result(result.id).status == "SUCCESSFUL"
    assert Posting.objects.filter(source=board).count() == 1
