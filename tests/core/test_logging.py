"""Structured logs: one JSON line per request with method, path, status and duration; errors with their traceback."""

import json
import logging
import os

import pytest
from django.test import Client
from django.urls import path, reverse

from core.logging import JsonFormatter
from tests.conftest import make_editor

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise RuntimeError("the figures table is on fire")


urlpatterns = [path("broken/", broken_view)]


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.INFO, logger="aihiring.request")
    return caplog


def request_records(caplog):
    return [r for r in caplog.records if r.name == "aihiring.request"]


def test_each_request_logs_one_line_with_method_path_status_and_duration(client, request_log):
    response = client.get("/healthz?probe=1")

    (record,) = request_records(request_log)
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "INFO"
    assert line["logger"] == "aihiring.request"
    assert line["message"] == "GET /healthz 200"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["user_id"] is None
    assert line["request_id"] == response["X-Request-ID"]
    assert line["time"].endswith("+00:00")


@pytest.mark.skipif(not os.path.exists("/proc/thread-self/schedstat"), reason="the scheduler's counts are Linux's")
def test_the_request_line_says_how_much_of_the_duration_was_cpu(client, request_log):
    """What is left of duration_ms after cpu_ms and cpu_wait_ms is time spent waiting for a dependency."""
    client.get("/")

    (record,) = request_records(request_log)
    line = json.loads(JsonFormatter().format(record))
    assert 0 < line["cpu_ms"] <= line["duration_ms"] + 1
    assert 0 <= line["cpu_wait_ms"] <= line["duration_ms"] + 1


def test_the_proxys_request_id_is_reused_when_well_formed(client, request_log):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-3f2a9c7e-0001"})
    assert response["X-Request-ID"] == "lb-3f2a9c7e-0001"
    assert request_records(request_log)[0].request_id == "lb-3f2a9c7e-0001"


@pytest.mark.parametrize("hostile", ["short", "x" * 65, 'id"\n{"level": "ERROR"}', "<script>alert(1)</script>"])
def test_a_malformed_request_id_is_replaced(client, request_log, hostile):
    response = client.get("/healthz", headers={"X-Request-ID": hostile})
    assert response["X-Request-ID"] != hostile
    assert len(response["X-Request-ID"]) == 32


def test_the_signed_in_users_id_is_logged(client, request_log):
    editor = make_editor()
    client.force_login(editor)
    client.get(reverse("admin:index"))
    assert request_records(request_log)[-1].user_id == editor.pk


def test_logging_the_user_costs_no_query(client, request_log, django_assert_num_queries):
    client.force_login(make_editor())
    # /healthz never looks at the user, so neither the session nor the user is loaded: one query, its own.
    with django_assert_num_queries(1):
        client.get("/healthz")
    assert request_records(request_log)[-1].user_id is None


@pytest.mark.urls("tests.core.test_logging")
def test_server_errors_are_logged_as_json_with_the_traceback(request_log):
    caplog = request_log
    response = Client(raise_request_exception=False).get("/broken/", headers={"X-Request-ID": "trace-me-0001"})

    assert response.status_code == 500
    error = next(r for r in caplog.records if r.name == "django.request")
    line = json.loads(JsonFormatter().format(error))
    assert line["level"] == "ERROR"
    assert (line["method"], line["path"], line["status_code"]) == ("GET", "/broken/", 500)
    assert line["request_id"] == "trace-me-0001"
    assert "Traceback (most recent call last)" in line["exception"]
    assert "RuntimeError: the figures table is on fire" in line["exception"]
    access = request_records(caplog)[-1]
    assert (access.status, access.request_id) == (500, "trace-me-0001")


def test_formatter_keeps_extra_fields_and_survives_odd_values():
    record = logging.LogRecord("aihiring.test", logging.WARNING, __file__, 1, "Imported %d rows", (3,), None)
    record.rows = {"companies": 25}
    record.when = object()
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Imported 3 rows"
    assert line["rows"] == {"companies": 25}
    assert line["when"].startswith("<object object")


def test_production_logging_writes_json_lines_to_stderr(settings):
    config = settings.LOGGING
    assert config["handlers"]["stderr"]["formatter"] == "json"
    assert config["formatters"]["json"]["()"] == "core.logging.JsonFormatter"
    assert "stderr" in config["root"]["handlers"]


def test_reset_and_unsubscribe_tokens_never_reach_the_log(client, request_log):
    client.get("/accounts/password/reset/MQ/abc123-secrettoken/")
    client.get("/alerts/unsubscribe/secret-unsubscribe-token/")
    logged = "\n".join(JsonFormatter().format(record) for record in request_log.records)
    assert "secrettoken" not in logged and "secret-unsubscribe-token" not in logged
    assert "/alerts/unsubscribe/[redacted]/" in logged


def test_a_proxy_in_front_without_a_trusted_proxy_count_is_reported_once(client, caplog, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    from django.test import Client

    fresh = Client()  # a new handler, so its middleware starts afresh
    for _ in range(3):
        fresh.get("/healthz", headers={"X-Forwarded-For": "203.0.113.9"})
    warnings = [r for r in caplog.records if "DJANGO_TRUSTED_PROXY_COUNT is 0" in r.getMessage()]
    assert len(warnings) == 1
