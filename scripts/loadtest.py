#!/usr/bin/env python
"""Load test: nginx (deploy/nginx.conf) in front of gunicorn with the production settings on 127.0.0.1, a scratch
PostgreSQL database, N clients.

The load goes through nginx, as in production: anonymous pages come from its proxy cache, everything with a
session cookie passes through to gunicorn. The clients mix page reads (anonymous and signed in), real sign-ins
and sign-outs, and bookmark writes, for a bounded time. Afterwards the script counts every user's bookmarks in
the database against what the clients were told, and compares the gunicorn workers' memory after warm-up with
their memory at the end.

It fails (exit status 1) on any 5xx or connection error, on a bookmark lost or duplicated, on a worker that
restarted, on worker memory that grew by more than LOADTEST_MAX_GROWTH_MB, or on an error in nginx's log.

Settings, from the environment:
  LOADTEST_DATABASE_URL  scratch database, dropped and created again (its name must contain "loadtest");
                         default postgres://postgres@127.0.0.1:5432/aihiring_loadtest
  LOADTEST_CLIENTS       concurrent clients (default 64)
  LOADTEST_DURATION      seconds of load (default 60)
  LOADTEST_WORKERS       gunicorn workers (default 2 x CPU cores + 1)
  LOADTEST_MAX_GROWTH_MB allowed memory growth per worker after warm-up (default 20)
  LOADTEST_NGINX         1 (default): through nginx; 0: straight to gunicorn
Only 127.0.0.1 is ever contacted.
"""

import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import environ
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy import nginx  # noqa: E402

PYTHON = sys.executable
HOST = "127.0.0.1"
PASSWORD = "load-test-password-" + secrets.token_hex(8)
USER_PREFIX = "loadtest-"

CLIENTS = int(os.environ.get("LOADTEST_CLIENTS", "64"))
DURATION = float(os.environ.get("LOADTEST_DURATION", "60"))
WORKERS = int(os.environ.get("LOADTEST_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
MAX_GROWTH_MB = float(os.environ.get("LOADTEST_MAX_GROWTH_MB", "20"))
THROUGH_NGINX = os.environ.get("LOADTEST_NGINX", "1") != "0"
DATABASE_URL = os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aihiring_loadtest")
REQUEST_TIMEOUT = 60
WARMUP = min(15.0, DURATION / 4)

# Of every 8 clients: one signs in and out with a password over and over, five stay signed in (their
# sessions made beforehand, as if they had signed in earlier), two read anonymously.
KINDS = ["signin", "member", "member", "member", "member", "member", "anonymous", "anonymous"]


def say(message):
    print(message, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------- set-up


def scratch_database():
    db = environ.Env.db_url_config(DATABASE_URL)
    if "postgresql" not in db["ENGINE"]:
        sys.exit("LOADTEST_DATABASE_URL must be a PostgreSQL URL: the load test measures the production setup.")
    if "loadtest" not in db["NAME"]:
        sys.exit(f"Refusing to drop {db['NAME']!r}: the load test database's name must contain 'loadtest'.")
    server = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"] or None}
    if db["PASSWORD"]:
        server["password"] = db["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
    return db["NAME"], server


def start_redis(workdir):
    """A throwaway Redis on 127.0.0.1 for the shared cache, when redis-server is installed."""
    if not shutil.which("redis-server"):
        return None, ""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no", "--dir", workdir],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            socket.create_connection((HOST, port), timeout=0.2).close()
            return process, f"redis://{HOST}:{port}/0"
        except OSError:
            time.sleep(0.1)
    process.kill()
    return None, ""


SETUP = """
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
import json, os
User = get_user_model()
encoded = make_password(os.environ["LOADTEST_PASSWORD"])  # one hash for every load-test user: each costs ~1 s
users = User.objects.bulk_create(
    [User(username=f"{prefix}{n}", email=f"{prefix}{n}@example.com", password=encoded) for n in range(count)]
)
sessions = {}
for user in User.objects.filter(username__startswith=prefix):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    sessions[user.username] = store.session_key
print(json.dumps(sessions))
"""


def manage(env, *args, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=False, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args[:1])} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout if capture else None


def prepare(env):
    say("Preparing: migrate, load the edition, collect static files, create users and sessions")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_edition", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    script = f"prefix = {USER_PREFIX!r}; count = {CLIENTS}\n" + SETUP
    out = manage({**env, "LOADTEST_PASSWORD": PASSWORD}, "shell", "-c", script, capture=True)
    return json.loads(out.strip().splitlines()[-1])


# ---------------------------------------------------------------- gunicorn and its memory


def start_gunicorn(env, port, log_path):
    log = open(log_path, "w")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "aihiring.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(WORKERS),
            "--timeout",
            "60",
            "--backlog",
            "2048",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.5)
    process.kill()
    sys.exit(f"gunicorn did not answer /healthz within 120 s; see {log_path}")


def worker_pids(master):
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return sorted(pids)


def rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class MemoryWatch(threading.Thread):
    """Samples every worker's resident memory every two seconds, with the number of requests answered so far."""

    def __init__(self, master, stats):
        super().__init__(daemon=True)
        self.master = master
        self.stats = stats
        self.samples = []  # (seconds since start, requests answered, {pid: MB})
        self.stop = threading.Event()
        self.started = time.time()

    def run(self):
        while not self.stop.is_set():
            answered = sum(self.stats.statuses.values())
            memory = {p: rss_mb(p) for p in worker_pids(self.master)}
            self.samples.append((time.time() - self.started, answered, memory))
            self.stop.wait(2)


# ---------------------------------------------------------------- clients


@dataclass
class Stats:
    statuses: Counter = field(default_factory=Counter)
    cache: Counter = field(default_factory=Counter)  # nginx's X-Cache-Status of each answer
    latencies: dict = field(default_factory=lambda: defaultdict(list))
    errors: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    signins: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind, status, seconds, cache_status):
        with self.lock:
            self.statuses[status] += 1
            self.cache[cache_status or "none"] += 1
            self.latencies[kind].append(seconds)


class Browser:
    """One visitor: its own cookie jar, HTTPS as the proxy would report it, forms posted with their CSRF token."""

    def __init__(self, port, stats):
        self.port = port
        self.stats = stats
        self.cookies = {}
        self.origin = f"https://{HOST}:{port}"
        self.conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)

    def request(self, kind, method, path, form=None):
        headers = {
            "Host": f"{HOST}:{self.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "aihiring-loadtest",
            "Accept": "text/html,application/json",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("__Host-csrftoken", "")}
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + "/"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            with self.stats.lock:
                self.stats.errors.append(f"{method} {path}: {exc!r}")
            return None, b""
        self.stats.record(kind, response.status, time.perf_counter() - started, response.getheader("X-Cache-Status"))
        for header in response.msg.get_all("Set-Cookie") or []:
            self._store_cookie(header)
        if response.status >= 500:
            with self.stats.lock:
                self.stats.failures.append(f"{method} {path} -> {response.status}")
        if response.will_close:
            self.conn.close()
        return response, content

    def _store_cookie(self, header):
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"]):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def ensure_csrf(self, path):
        """Any page with a form sets the CSRF cookie; a company profile has the bookmark button."""
        if "__Host-csrftoken" not in self.cookies:
            self.request("read", "GET", path)


class Client(threading.Thread):
    def __init__(self, number, kind, port, stats, deadline, catalogue, session_key):
        super().__init__(daemon=True)
        self.number = number
        self.kind = kind
        self.username = f"{USER_PREFIX}{number}"
        self.stats = stats
        self.deadline = deadline
        self.catalogue = catalogue
        self.random = random.Random(number)
        self.browser = Browser(port, stats)
        if kind == "member":
            self.browser.cookies["__Host-sessionid"] = session_key
        self.signed_in = kind == "member"
        self.expected = set()  # slugs the server confirmed as bookmarked
        self.uncertain = set()  # slugs whose last write got no clear answer

    def run(self):
        while time.time() < self.deadline:
            try:
                self.step()
            except Exception as exc:  # a bug in the load test must not pass as a quiet run
                with self.stats.lock:
                    self.stats.errors.append(f"client {self.number}: {exc!r}")
                time.sleep(0.5)

    def step(self):
        roll = self.random.random()
        if self.kind == "signin" and not self.signed_in:
            return self.sign_in()
        if self.kind == "signin" and roll < 0.08:
            return self.sign_out()
        if self.signed_in and roll < 0.35:
            return self.write_bookmark()
        return self.read()

    def read(self):
        c = self.catalogue
        choice = self.random.random()
        if choice < 0.15:
            path = "/"
        elif choice < 0.35:
            params = self.random.choice(
                [{}, {"q": "ai"}, {"ordering": "-comp_max"}, {"outlook": "growing"}, {"comp_min": "200000"}]
            )
            path = "/companies/" + (f"?{urlencode(params)}" if params else "")
        elif choice < 0.55:
            path = f"/companies/{self.random.choice(c['companies'])}/"
        elif choice < 0.62:
            path = "/companies/compare/?" + urlencode({"c": self.random.sample(c["companies"], 2)}, doseq=True)
        elif choice < 0.69:
            path = "/salaries/"
        elif choice < 0.76:
            path = "/market/"
        elif choice < 0.83:
            path = self.random.choice(["/advice/"] + [f"/advice/{s}/" for s in c["advice"]])
        elif choice < 0.90:
            path = "/search/?" + urlencode({"q": self.random.choice(["rag", "safety", "negotiation", "staff"])})
        elif choice < 0.95:
            path = self.random.choice(["/api/companies/", "/api/salaries/", "/api/companies/?outlook=growing"])
        else:
            path = "/bookmarks/" if self.signed_in else "/sitemap.xml"
        self.browser.request("read", "GET", path)

    def sign_in(self):
        self.browser.request("signin", "GET", "/accounts/login/")
        response, _ = self.browser.request(
            "signin", "POST", "/accounts/login/", {"username": self.username, "password": PASSWORD}
        )
        if response is not None and response.status == 302 and "__Host-sessionid" in self.browser.cookies:
            self.signed_in = True
            with self.stats.lock:
                self.stats.signins += 1
            return
        if response is not None and response.status < 500:
            with self.stats.lock:
                self.stats.failures.append(f"sign-in of {self.username} answered {response.status}")
        time.sleep(2)  # a person waits before trying again; an instant retry loop would only add load

    def sign_out(self):
        self.browser.ensure_csrf(f"/companies/{self.catalogue['companies'][0]}/")
        response, _ = self.browser.request("signout", "POST", "/accounts/logout/", {})
        if response is not None and response.status == 302:
            self.signed_in = False

    def write_bookmark(self):
        slug = self.random.choice(self.catalogue["companies"])
        self.browser.ensure_csrf(f"/companies/{slug}/")
        saved = self.random.random() < 0.6
        form = {"saved": "1" if saved else "0", "next": f"/companies/{slug}/"}
        repeats = 2 if self.random.random() < 0.2 else 1  # a double submit changes nothing
        for _ in range(repeats):
            response, _ = self.browser.request("bookmark", "POST", f"/bookmarks/companies/{slug}/", form)
            if (
                response is not None
                and response.status == 302
                and "/accounts/login/" not in (response.getheader("Location") or "")
            ):
                (self.expected.add if saved else self.expected.discard)(slug)
                self.uncertain.discard(slug)
            else:
                self.uncertain.add(slug)
                if response is not None and response.status < 500:
                    with self.stats.lock:
                        self.stats.failures.append(f"bookmark {slug} for {self.username} answered {response.status}")


# ---------------------------------------------------------------- checks and summary


def stored_bookmarks(dbname, server):
    with psycopg.connect(dbname=dbname, **server) as conn:
        rows = conn.execute(
            "SELECT u.username, c.slug FROM companies_bookmark b "
            "JOIN accounts_user u ON u.id = b.user_id JOIN companies_company c ON c.id = b.company_id "
            "WHERE u.username LIKE %s",
            [USER_PREFIX + "%"],
        ).fetchall()
        duplicates = conn.execute(
            "SELECT count(*) FROM (SELECT user_id, company_id FROM companies_bookmark "
            "GROUP BY user_id, company_id HAVING count(*) > 1) d"
        ).fetchone()[0]
    stored = defaultdict(set)
    for username, slug in rows:
        stored[username].add(slug)
    return stored, duplicates, len(rows)


def catalogue_of(dbname, server):
    with psycopg.connect(dbname=dbname, **server) as conn:
        companies = [r[0] for r in conn.execute("SELECT slug FROM companies_company WHERE is_published")]
        advice = [r[0] for r in conn.execute("SELECT slug FROM advice_advicesection")]
    return {"companies": companies, "advice": advice}


def percentile(values, share):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))]


def memory_verdict(watch, pids_at_start):
    """Growth from the end of the warm-up (every worker has served every kind of page) to the end of the run."""
    warm_after = 25 * len(pids_at_start)
    warm = next((s for s in watch.samples if s[0] >= WARMUP and s[1] >= warm_after), None)
    lines, problems = [], []
    if warm is None:
        warm = watch.samples[len(watch.samples) // 2]
        lines.append(f"  (fewer than {warm_after} requests answered: warm-up taken at mid-run, t={warm[0]:.0f} s)")
    else:
        lines.append(f"  (warm-up ends at t={warm[0]:.0f} s, after {warm[1]} requests)")
    start, end = watch.samples[0][2], watch.samples[-1][2]
    for pid in pids_at_start:
        start_mb, warm_mb, end_mb = start.get(pid), warm[2].get(pid), end.get(pid)
        if end_mb is None:
            problems.append(f"worker {pid} is gone: it was restarted or killed")
            continue
        growth = end_mb - (warm_mb or start_mb)
        lines.append(f"  worker {pid}: {start_mb:.0f} MB at start, {warm_mb:.0f} after warm-up, {end_mb:.0f} at end")
        if growth > MAX_GROWTH_MB:
            problems.append(f"worker {pid} grew {growth:.1f} MB after warm-up (allowed {MAX_GROWTH_MB:.0f})")
    if set(worker_pids(watch.master)) != set(pids_at_start):
        problems.append("the set of gunicorn workers changed during the run (a worker was restarted)")
    return lines, problems


def main():
    dbname, server = scratch_database()
    workdir = tempfile.mkdtemp(prefix="aihiring-loadtest-")
    redis, redis_url = start_redis(workdir)
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))},
        "DJANGO_SETTINGS_MODULE": "aihiring.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": redis_url,
        "DJANGO_STATIC_ROOT": str(Path(workdir) / "static"),
        "DJANGO_PAGE_CACHE_DIR": str(Path(workdir) / "pages"),  # without Redis; never the checkout's var/pages
        "DJANGO_TRUSTED_PROXY_COUNT": "1" if THROUGH_NGINX else "0",  # the production recipe: nginx appends
        # Every client comes from 127.0.0.1: per-address limits would only measure themselves.
        "DJANGO_RATE_LIMITS": "false",
        "API_ANON_RATE": "1000000/minute",
        "API_USER_RATE": "1000000/minute",
        "DJANGO_REQUEST_LOG_LEVEL": "WARNING",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    gunicorn = proxy = None
    if THROUGH_NGINX and nginx.binary() is None:
        sys.exit("nginx is not installed (apt-get install nginx-light); LOADTEST_NGINX=0 loads gunicorn directly")
    try:
        sessions = prepare(env)
        catalogue = catalogue_of(dbname, server)
        log_path = Path(workdir) / "gunicorn.log"
        gunicorn = start_gunicorn(env, port, log_path)
        entry = port  # where the clients connect
        if THROUGH_NGINX:
            proxy = nginx.LocalNginx(Path(workdir) / "nginx", f"{HOST}:{port}", Path(workdir) / "static").__enter__()
            entry = proxy.port
        time.sleep(1)
        pids = worker_pids(gunicorn.pid)
        stats = Stats()
        watch = MemoryWatch(gunicorn.pid, stats)
        watch.start()
        front = f"nginx on {HOST}:{entry} in front of " if proxy else ""
        say(
            f"Load: {CLIENTS} clients for {DURATION:.0f} s against {front}gunicorn ({len(pids)} workers) "
            f"on {HOST}:{port}, "
            f"database {dbname}, cache {'Redis' if redis_url else 'local memory'}; "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before the run"
        )
        deadline = time.time() + DURATION
        clients = [
            Client(n, KINDS[n % len(KINDS)], entry, stats, deadline, catalogue, sessions[f"{USER_PREFIX}{n}"])
            for n in range(CLIENTS)
        ]
        started = time.time()
        for client in clients:
            client.start()
        for client in clients:
            client.join(timeout=DURATION + REQUEST_TIMEOUT + 30)
        elapsed = time.time() - started
        time.sleep(2.5)
        watch.stop.set()
        watch.join()

        stored, duplicates, total_rows = stored_bookmarks(dbname, server)
        lost, unexpected, checked = [], [], 0
        for client in clients:
            if client.kind == "anonymous":
                continue
            have = stored.get(client.username, set())
            for slug in set(catalogue["companies"]) - client.uncertain:
                checked += 1
                if slug in client.expected and slug not in have:
                    lost.append(f"{client.username}/{slug}")
                if slug not in client.expected and slug in have:
                    unexpected.append(f"{client.username}/{slug}")
        memory_lines, memory_problems = memory_verdict(watch, pids)
        log_text = log_path.read_text(errors="replace")
        logged_errors = len(re.findall(r'"level": "(?:ERROR|CRITICAL)"', log_text))
        logged_errors += log_text.count("[CRITICAL] WORKER TIMEOUT")

        total = sum(stats.statuses.values())
        fivexx = sum(n for status, n in stats.statuses.items() if status >= 500)
        statuses = dict(sorted(stats.statuses.items()))
        say(f"\nRequests: {total} in {elapsed:.1f} s ({total / elapsed:.0f}/s); statuses {statuses}")
        if proxy:
            say(f"  nginx X-Cache-Status: {dict(stats.cache.most_common())} (none: the cache is off for that path)")
        for kind, values in sorted(stats.latencies.items()):
            say(
                f"  {kind:9} {len(values):6} requests, median {statistics.median(values) * 1000:6.0f} ms, "
                f"p95 {percentile(values, 0.95) * 1000:6.0f} ms, p99 {percentile(values, 0.99) * 1000:6.0f} ms"
            )
        say(f"Sign-ins with a password: {stats.signins}; load average {os.getloadavg()[0]:.1f} after the run")
        say(
            f"Bookmarks: {total_rows} stored for load-test users; {checked} (user, company) pairs checked, "
            f"{len(lost)} lost, {len(unexpected)} unexpected, {duplicates} duplicated"
        )
        say("Worker memory (RSS):")
        for line in memory_lines:
            say(line)

        problems = []
        if fivexx:
            problems.append(f"{fivexx} responses were 5xx: {stats.failures[:5]}")
        if stats.errors:
            problems.append(f"{len(stats.errors)} requests failed without an answer: {stats.errors[:5]}")
        other_failures = [f for f in stats.failures if "->" not in f]
        if other_failures:
            problems.append(f"{len(other_failures)} unexpected answers: {other_failures[:5]}")
        if lost or unexpected or duplicates:
            problems.append(f"bookmarks lost {lost[:5]}, unexpected {unexpected[:5]}, duplicated {duplicates}")
        if logged_errors:
            problems.append(f"{logged_errors} errors in the server log {log_path}")
        nginx_log = proxy.errors().splitlines() if proxy else []
        nginx_errors = [line for line in nginx_log if "[error]" in line or "[crit]" in line or "[emerg]" in line]
        if nginx_errors:
            problems.append(f"{len(nginx_errors)} errors in nginx's log: {nginx_errors[:3]}")
        if total == 0:
            problems.append("no request was answered")
        problems += memory_problems
        if problems:
            say("\nFAIL")
            for problem in problems:
                say(f"  - {problem}")
            say(f"Server log: {log_path}")
            return 1
        say("\nPASS: no 5xx, no bookmark lost or duplicated, worker memory flat")
        shutil.rmtree(workdir, ignore_errors=True)
        return 0
    finally:
        if proxy is not None:
            proxy.stop()
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
