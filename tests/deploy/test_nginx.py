"""The production recipe works: deploy/nginx.conf, rendered and run by a real nginx in front of a real gunicorn
with the production settings, keeps anonymous pages, lets personal ones through, and serves static files itself.

The app is a scratch SQLite database with the edition loaded (``migrate`` + ``load_edition``) and
``collectstatic`` into a temporary folder, whatever DATABASE_URL says: the recipe is under test, not the
database. The database and static files are built once per run; each pytest worker that runs these tests
starts its own gunicorn and nginx on free ports, with its own page cache folders.
"""

import fcntl
import gzip
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deploy import nginx

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(
    nginx.binary() is None and not os.environ.get("CI"),
    reason="nginx is not installed: apt-get install nginx-light",
)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _app_env(app, tmp):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="aihiring.settings.prod",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"sqlite:///{app / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(app / "static"),
        DJANGO_PAGE_CACHE_DIR=str(tmp / "pages"),
        DJANGO_TRUSTED_PROXY_COUNT="1",  # the production recipe: exactly this nginx appends to X-Forwarded-For
        DJANGO_REQUEST_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def _manage(env, *args):
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


def _finish(process, what):
    out, _ = process.communicate(timeout=300)
    assert process.returncode == 0, f"{what} failed:\n{out.decode(errors='replace')[-3000:]}"


class Site:
    """What a client of the nginx sees, and which requests reached gunicorn (its access log, by request id)."""

    def __init__(self, nginx_server, access_log, static_root):
        self.nginx = nginx_server
        self.upstream = nginx_server.upstream
        self.access_log = access_log
        self.static_root = static_root

    def get(self, path, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.nginx.port, timeout=30)
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        for name, value in {"Host": f"127.0.0.1:{self.nginx.port}", **(headers or {})}.items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response, body

    def reached_app(self, response, wait=3.0):
        """Whether gunicorn logged this response's request id (nginx sends its $request_id upstream)."""
        request_id = response.getheader("X-Request-ID")
        assert request_id, "nginx gives every proxied answer an X-Request-ID"
        deadline = time.monotonic() + wait
        while True:
            if request_id in self.access_log.read_text():
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)

    def static_url(self, name):
        manifest = json.loads((self.static_root / "staticfiles.json").read_text())
        return "/static/" + manifest["paths"][name]


@pytest.fixture(scope="session")
def prepared_app(tmp_path_factory):
    """The scratch database and collected static files, built once per test run and shared by pytest workers."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    app = base / "nginx-recipe-app"
    with open(base / "nginx-recipe-app.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (app / "ready").exists():
            app.mkdir(exist_ok=True)
            env = _app_env(app, app)
            collect = _manage(env, "collectstatic", "--noinput", "-v0")  # needs no database: beside migrate
            _finish(_manage(env, "migrate", "--noinput", "-v0"), "migrate")
            _finish(_manage(env, "load_edition", "-v0"), "load_edition")
            _finish(collect, "collectstatic")
            (app / "ready").touch()
    return app


@pytest.fixture(scope="module")
def site(prepared_app, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nginx-recipe")
    env = _app_env(prepared_app, tmp)
    port = _free_port()
    access_log = tmp / "gunicorn-access.log"
    gunicorn = subprocess.Popen(
        [str(BIN / "gunicorn"), "aihiring.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
        + [
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%({x-request-id}i)s [%({x-forwarded-for}i)s] %(r)s %(s)s",
        ]
        + ["--error-logfile", str(tmp / "gunicorn-error.log")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert gunicorn.poll() is None, (tmp / "gunicorn-error.log").read_text()[-3000:]
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer /healthz within 60 s"
            time.sleep(0.1)
        with nginx.LocalNginx(tmp / "nginx", f"127.0.0.1:{port}", prepared_app / "static") as server:
            yield Site(server, access_log, prepared_app / "static")
    finally:
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            gunicorn.kill()


@pytest.mark.parametrize("path", ["/", "/companies/"])
def test_the_second_anonymous_visit_is_answered_by_nginx(site, path):
    first, first_body = site.get(path)
    assert first.status == 200
    assert "public" in first.getheader("Cache-Control")
    again, again_body = site.get(path)
    assert again.status == 200
    assert again.getheader("X-Cache-Status") == "HIT"
    assert again_body == first_body
    assert not site.reached_app(again, wait=0.5)


@pytest.mark.parametrize(
    "headers",
    [
        {"Cookie": "__Host-sessionid=not-a-session"},  # production's session cookie
        {"Cookie": "csrftoken=abc; sessionid=not-a-session"},  # development's, after another cookie
        {"Cookie": "messages=a-flash-message"},
        {"Authorization": "Token not-a-real-token"},
    ],
    ids=["prod-session", "dev-session", "messages", "authorization"],
)
def test_a_visitor_who_names_themselves_bypasses_the_cache_and_reaches_the_app(site, headers):
    path = "/api/companies/" if "Authorization" in headers else "/companies/"
    site.get(path)  # the anonymous copy is in the cache
    response, _ = site.get(path, headers)
    assert response.getheader("X-Cache-Status") == "BYPASS"
    assert site.reached_app(response)
    if "sessionid=" not in headers.get("Cookie", "x sessionid="):  # development's name means nothing to prod
        assert "public" not in response.getheader("Cache-Control", "")
    # ... and their answer was not stored for the next anonymous visitor
    anonymous, _ = site.get(path)
    assert anonymous.getheader("X-Cache-Status") == "HIT"
    assert "public" in anonymous.getheader("Cache-Control")


def test_a_cookie_that_names_nobody_still_gets_the_kept_page(site):
    site.get("/salaries/")
    response, _ = site.get("/salaries/", {"Cookie": "csrftoken=abc; theme=dark"})
    assert response.getheader("X-Cache-Status") == "HIT"


def test_an_address_with_a_parameter_no_page_reads_is_never_kept(site):
    site.get("/companies/?utm_x=1")
    again, _ = site.get("/companies/?utm_x=1")
    assert again.status == 200
    assert again.getheader("X-Cache-Status") == "BYPASS"
    assert site.reached_app(again)
    site.get("/companies/?ordering=-comp_max&page=1")
    kept, _ = site.get("/companies/?ordering=-comp_max&page=1")
    assert kept.getheader("X-Cache-Status") == "HIT"


def test_static_files_come_from_disk_with_a_far_future_header(site):
    url = site.static_url("css/base.css")
    response, body = site.get(url)
    assert response.status == 200
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert response.getheader("Content-Type").startswith("text/css")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert body == (site.static_root / url.removeprefix("/static/")).read_bytes()
    assert response.getheader("X-Request-ID") is None  # never proxied
    compressed, gz_body = site.get(url, {"Accept-Encoding": "gzip"})
    assert compressed.getheader("Content-Encoding") == "gzip"
    assert gz_body == (site.static_root / (url.removeprefix("/static/") + ".gz")).read_bytes()  # gzip_static
    time.sleep(0.3)
    assert "/static/" not in site.access_log.read_text()


def test_an_unhashed_static_name_is_not_immutable(site):
    response, _ = site.get("/static/css/base.css")
    assert response.status == 200
    assert "immutable" not in response.getheader("Cache-Control")


def test_gzip_and_plain_clients_each_get_a_kept_copy_in_their_encoding(site):
    path = "/market/"
    first, _ = site.get(path, {"Accept-Encoding": "gzip"})
    assert first.status == 200
    compressed, gz_body = site.get(path, {"Accept-Encoding": "gzip, deflate, br"})  # a browser's header
    assert compressed.getheader("X-Cache-Status") == "HIT"  # the same copy as for a bare "gzip"
    assert compressed.getheader("Content-Encoding") == "gzip"
    site.get(path)
    plain, plain_body = site.get(path)
    assert plain.getheader("X-Cache-Status") == "HIT"
    assert plain.getheader("Content-Encoding") is None
    assert plain_body.lower().startswith(b"<!doctype html>")
    assert gzip.decompress(gz_body) == plain_body
    assert "Accept-Encoding" in plain.getheader("Vary")  # browsers and CDNs in front still keep them apart


def test_the_api_keeps_json_and_csv_apart(site):
    site.get("/api/companies/", {"Accept": "application/json"})
    json_again, body = site.get("/api/companies/", {"Accept": "application/json"})
    assert json_again.getheader("X-Cache-Status") == "HIT"
    assert json_again.getheader("Content-Type").startswith("application/json")
    assert json.loads(body)["results"]
    csv, csv_body = site.get("/api/companies/", {"Accept": "text/csv"})
    assert csv.getheader("Content-Type").startswith("text/csv")
    invented, _ = site.get("/api/companies/", {"Accept": "application/json, x/made-up"})
    assert invented.getheader("X-Cache-Status") == "HIT"  # one JSON copy, whatever else the header names
    assert csv_body.startswith(b"id,") or b"," in csv_body.splitlines()[0]


@pytest.mark.parametrize("path", ["/bookmarks/", "/accounts/login/", "/admin/login/"])
def test_personal_and_editor_pages_are_never_cached(site, path):
    for headers in ({}, {}, {"Cookie": "__Host-sessionid=not-a-session"}):
        response, _ = site.get(path, headers)
        assert response.status in (200, 302)
        assert response.getheader("X-Cache-Status") is None  # the cache is off there, not merely missed
        assert site.reached_app(response)


def test_the_app_sees_https_and_the_address_nginx_saw_last_in_x_forwarded_for(site):
    headers = {"X-Forwarded-Proto": "http", "X-Forwarded-For": "203.0.113.9"}
    response, body = site.get("/advice/", headers)
    assert response.status == 200  # not redirected to https: nginx replaced the client's X-Forwarded-Proto
    assert re.search(rb'<link rel="canonical" href="https://127\.0\.0\.1:\d+/advice/">', body)
    response, _ = site.get("/bookmarks/", headers)
    assert site.reached_app(response)
    line = next(line for line in site.access_log.read_text().splitlines() if response.getheader("X-Request-ID") in line)
    assert "[203.0.113.9, 127.0.0.1]" in line  # DJANGO_TRUSTED_PROXY_COUNT=1 takes the last: nginx's peer


def test_with_tls_ending_at_nginx_plain_http_is_sent_to_https(site, tmp_path):
    # The production rendering: X-Forwarded-Proto is nginx's own $scheme, here http.
    with nginx.LocalNginx(tmp_path, site.upstream, site.static_root, forwarded_proto="$scheme") as server:
        for _ in range(2):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            conn.request("GET", "/companies/", headers={"X-Forwarded-Proto": "https"})
            response = conn.getresponse()
            assert response.status == 301
            assert response.getheader("Location") == f"https://127.0.0.1:{server.port}/companies/"
            assert response.getheader("X-Cache-Status") == "MISS"  # the redirect is not kept
            conn.close()


def test_envsubst_renders_the_same_file(tmp_path):
    if shutil.which("envsubst") is None:
        pytest.skip("envsubst is not installed (gettext-base)")
    values = {**nginx.DEFAULTS, "DJANGO_STATIC_ROOT": "/srv/aihiring/staticfiles"}
    names = " ".join(f"${name}" for name in nginx.PLACEHOLDERS)
    rendered = subprocess.run(
        ["envsubst", names], input=nginx.TEMPLATE.read_text(), env=values, capture_output=True, text=True, check=True
    ).stdout
    assert rendered == nginx.render(values)
    assert "${" not in rendered
    assert "$scheme" in rendered and "$proxy_add_x_forwarded_for" in rendered
