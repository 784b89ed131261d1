#!/usr/bin/env python
"""Load test with faults: nginx (deploy/nginx.conf) in front of gunicorn with the production settings on 127.0.0.1,
a scratch PostgreSQL database, a Redis of its own, N clients.

The load goes through nginx, as in production: anonymous pages come from its proxy cache, everything with a
session cookie passes through to gunicorn. The clients mix page reads (anonymous and signed in), real sign-ins
and sign-outs, and bookmark writes, for a bounded time. Unless LOADTEST_FAULTS=0, the dependencies fail during
the run, one at a time, at fixed shares of its duration (for 60 s: Redis killed at 12 s and started again at
32 s, one gunicorn worker killed with SIGKILL at 36 s, the database refusing connections from 42 s to 52 s).
Afterwards the script counts every user's bookmarks in the database against what the clients were told, and
compares the gunicorn workers' memory after warm-up with their memory at the end.

It fails (exit status 1) on any 5xx other than those a fault explains, on any answer slower than
LOADTEST_MAX_SECONDS, on a bookmark lost or duplicated, on a worker the master did not replace, on worker memory
that grew by more than LOADTEST_MAX_GROWTH_MB, or on an error in gunicorn's or nginx's log that no fault explains.
A fault explains a 503 with Retry-After while the database refuses connections (and in the second after), and
one 502 from nginx for the request the killed worker was answering (nginx cannot replay it elsewhere).

Settings, from the environment:
  LOADTEST_DATABASE_URL  scratch database, dropped and created again (its name must contain "loadtest");
                         default postgres://postgres@127.0.0.1:5432/aihiring_loadtest
  LOADTEST_CLIENTS       concurrent clients (default 64)
  LOADTEST_DURATION      seconds of load (default 60)
  LOADTEST_FAULTS        1 (default): Redis, a worker and the database fail during the run; 0: no faults
  LOADTEST_MAX_SECONDS   the longest any answer may take (default 2)
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
FAULTS = os.environ.get("LOADTEST_FAULTS", "1") != "0"
MAX_SECONDS = float(os.environ.get("LOADTEST_MAX_SECONDS", "2"))
DATABASE_URL = os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aihiring_loadtest")
REQUEST_TIMEOUT = 60
WARMUP = min(15.0, DURATION / 4)

# Of every 16 clients: one signs in and out with a password, ten stay signed in (their sessions made beforehand,
# as if they had signed in earlier), five read anonymously. A sign-in costs about 0.33 s of CPU (the password
# hasher), so sign-ins stay a small share: a client signing in as often as it reads would fill a core alone.
KINDS = ["signin"] + ["member"] * 10 + ["anonymous"] * 5
SIGN_OUT_SHARE = 0.1  # of a signed-in "signin" client's steps: a sign-in every ~10 requests

# When each fault starts and how long it lasts, as shares of LOADTEST_DURATION: for 60 s, Redis is down from
# 12 s to 32 s, a worker is killed at 36 s, the database refuses connections from 42 s to 52 s.
REDIS_DOWN_AT, REDIS_DOWN_FOR = 0.2, 1 / 3
WORKER_KILLED_AT = 0.6
DATABASE_REFUSED_AT, DATABASE_REFUSED_FOR = 0.7, 1 / 6
RECOVERY_SECONDS = 1.0  # a 503 is still explained this long after the database accepts connections again


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


class OwnRedis:
    """A throwaway redis-server on a free port of 127.0.0.1 (never the shared one), which the faults kill and start."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.port = free_port()
        self.process = None
        self.url = f"redis://{HOST}:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--bind", HOST, "--port", str(self.port), "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                socket.create_connection((HOST, self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        self.kill()
        sys.exit(f"redis-server did not start on {HOST}:{self.port}")

    def kill(self):
        """SIGKILL, as a crash: its clients' connections drop and new ones are refused."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


SETUP = """
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
import json, os
User = get_user_model()
encoded = make_password(os.environ["LOADTEST_PASSWORD"])  # one hash for every load-test user: each costs ~0.33 s
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
            answered = len(self.stats.answers)
            memory = {p: rss_mb(p) for p in worker_pids(self.master)}
            self.samples.append((time.time() - self.started, answered, memory))
            self.stop.wait(2)


# ---------------------------------------------------------------- clients


@dataclass
class Answer:
    started: float  # seconds since the load began
    seconds: float
    kind: str
    method: str
    path: str
    status: int  # 0: no answer (the connection failed or dropped)
    retry_after: str | None
    request_id: str | None  # nginx's, which the app logs with the time it spent on the request
    cache: str | None  # nginx's X-Cache-Status


@dataclass
class Stats:
    started: float = field(default_factory=time.monotonic)
    answers: list = field(default_factory=list)
    cache: Counter = field(default_factory=Counter)  # nginx's X-Cache-Status of each answer
    errors: list = field(default_factory=list)  # a client that failed (a bug in the load test)
    failures: list = field(default_factory=list)  # answers below 500 that a client did not expect
    signins: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, answer):
        with self.lock:
            self.answers.append(answer)
            self.cache[answer.cache or "none"] += 1

    def fail(self, message):
        with self.lock:
            self.failures.append(message)


class Browser:
    """One visitor: its own cookie jar, HTTPS as the proxy would report it, forms posted with their CSRF token."""

    def __init__(self, port, stats):
        self.port = port
        self.stats = stats
        self.cookies = {}
        self.origin = f"https://{HOST}:{port}"
        self.conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)

    def request(self, kind, method, path, form=None):
        if kind == "read":
            kind = "read, signed in" if "__Host-sessionid" in self.cookies else "read, anonymous"
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
        started = time.monotonic()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.stats.record(
                Answer(
                    started - self.stats.started, time.monotonic() - started, kind, method, path, 0, None, None, None
                )
            )
            return None
        answer = Answer(
            started - self.stats.started,
            time.monotonic() - started,
            kind,
            method,
            path,
            response.status,
            response.getheader("Retry-After"),
            response.getheader("X-Request-ID"),
            response.getheader("X-Cache-Status"),
        )
        self.stats.record(answer)
        for header in response.msg.get_all("Set-Cookie") or []:
            self._store_cookie(header)
        if response.will_close:
            self.conn.close()
        return response

    def _store_cookie(self, header):
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"]):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def ensure_csrf(self, path):
        """Any page with a form sets the CSRF cookie; a company profile has the bookmark button. False if not set."""
        if "__Host-csrftoken" not in self.cookies:
            self.request("read", "GET", path)
        return "__Host-csrftoken" in self.cookies


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
        self.uncertain = set()  # slugs whose last write got no clear answer (a 502 or 503 may have come after it)

    def run(self):
        if self.kind == "signin":  # people do not all sign in at the same moment
            time.sleep(self.random.uniform(0, min(5, DURATION / 10)))
        while time.monotonic() < self.deadline:
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
        if self.kind == "signin" and roll < SIGN_OUT_SHARE:
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
        page = self.browser.request("signin", "GET", "/accounts/login/")
        if page is not None and page.status == 200:
            response = self.browser.request(
                "signin", "POST", "/accounts/login/", {"username": self.username, "password": PASSWORD}
            )
            if response is not None and response.status == 302 and "__Host-sessionid" in self.browser.cookies:
                self.signed_in = True
                with self.stats.lock:
                    self.stats.signins += 1
                return
            if response is not None and response.status < 500:
                self.stats.fail(f"sign-in of {self.username} answered {response.status}")
        time.sleep(2)  # a person waits before trying again; an instant retry loop would only add load

    def sign_out(self):
        if not self.browser.ensure_csrf(f"/companies/{self.catalogue['companies'][0]}/"):
            return
        response = self.browser.request("signout", "POST", "/accounts/logout/", {})
        if response is not None and response.status == 302:
            self.signed_in = False

    def write_bookmark(self):
        slug = self.random.choice(self.catalogue["companies"])
        if not self.browser.ensure_csrf(f"/companies/{slug}/"):
            return  # the page did not come (the database refusing connections): nothing to post from
        saved = self.random.random() < 0.6
        form = {"saved": "1" if saved else "0", "next": f"/companies/{slug}/"}
        repeats = 2 if self.random.random() < 0.2 else 1  # a double submit changes nothing
        for _ in range(repeats):
            response = self.browser.request("bookmark", "POST", f"/bookmarks/companies/{slug}/", form)
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
                    self.stats.fail(f"bookmark {slug} for {self.username} answered {response.status}")


# ---------------------------------------------------------------- faults


class Database:
    """Refuses and allows connections to the scratch database, as a PostgreSQL restart or failover would."""

    def __init__(self, dbname, server):
        self.dbname = dbname
        self.server = server

    def _admin(self, *statements):
        with psycopg.connect(dbname="postgres", autocommit=True, **self.server) as conn:
            for statement, params in statements:
                conn.execute(statement, params)

    def refuse(self):
        self._admin(
            (f'ALTER DATABASE "{self.dbname}" ALLOW_CONNECTIONS false', None),
            ("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [self.dbname]),
        )

    def allow(self):
        self._admin((f'ALTER DATABASE "{self.dbname}" ALLOW_CONNECTIONS true', None))


def warm_up(port, catalogue, sessions):
    """Each kind of page from four visitors per worker, and a sign-in per worker, before the clock starts: a cold
    worker is no dead dependency."""
    slugs = catalogue["companies"][:3]
    paths = ["/", "/companies/", "/salaries/", "/market/", "/advice/", "/search/?q=rag", "/api/companies/"]
    paths += [f"/companies/{slug}/" for slug in slugs] + [f"/advice/{slug}/" for slug in catalogue["advice"]]
    paths += ["/companies/compare/?" + urlencode({"c": slugs[:2]}, doseq=True), "/sitemap.xml", "/api/salaries/"]
    keys = list(sessions.values())

    def visit(n):
        browser = Browser(port, Stats())
        if n % 2:
            browser.cookies["__Host-sessionid"] = keys[n % len(keys)]
        for path in [*paths, "/bookmarks/", "/accounts/login/"]:
            browser.request("read", "GET", path)
        if n % 4 == 0:  # sign-ins, one per worker: the first costs a worker more than the hasher
            form = {"username": f"{USER_PREFIX}{n}", "password": PASSWORD}
            browser.request("signin", "POST", "/accounts/login/", form)

    threads = [threading.Thread(target=visit, args=(n,)) for n in range(4 * WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


class Faults(threading.Thread):
    """Redis killed and started again, a gunicorn worker killed with SIGKILL, the database refusing connections."""

    def __init__(self, stats, redis, master, database):
        super().__init__(daemon=True)
        self.stats = stats
        self.redis = redis
        self.master = master
        self.database = database
        self.events = []  # (seconds since the load began, what happened, the phase it begins or None)
        self.killed = []  # (seconds since the load began, pid)
        self.refused = None  # (from, to) seconds since the load began
        self.stop = threading.Event()

    def now(self):
        return time.monotonic() - self.stats.started

    def note(self, what, phase=None):
        at = self.now()
        self.events.append((at, what, phase))
        say(f"  t={at:5.1f} s  {what}")
        return at

    def wait_for(self, share):
        self.stop.wait(max(0.0, share * DURATION - self.now()))
        return not self.stop.is_set()

    def run(self):
        if not self.wait_for(REDIS_DOWN_AT):
            return
        self.redis.kill()
        self.note(f"Redis killed (SIGKILL) for {REDIS_DOWN_FOR * DURATION:.0f} s", "Redis down")
        if not self.wait_for(REDIS_DOWN_AT + REDIS_DOWN_FOR):
            return
        self.redis.start()
        self.note("Redis started again (empty)", "Redis back")
        if not self.wait_for(WORKER_KILLED_AT):
            return
        before = worker_pids(self.master)
        victim = random.Random(0).choice(before)
        os.kill(victim, signal.SIGKILL)
        self.killed.append((self.note(f"worker {victim} killed (SIGKILL)", "worker killed"), victim))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not self.stop.is_set():
            new = set(worker_pids(self.master)) - set(before)
            if new:
                self.note(f"worker {min(new)} started by the gunicorn master in its place")
                break
            time.sleep(0.05)
        if not self.wait_for(DATABASE_REFUSED_AT):
            return
        self.database.refuse()
        outage = DATABASE_REFUSED_FOR * DURATION
        began = self.note(f"database refusing connections for {outage:.0f} s", "database refused")
        self.refused = (began, None)
        self.stop.wait(outage)
        self.database.allow()
        self.refused = (began, self.note("database accepting connections again", "database back"))


# ---------------------------------------------------------------- checks and summary


def stored_bookmarks(dbname, server):
    """Each load-test user's bookmarks in use (a removed one keeps its row, with removed_at), and duplicate rows."""
    with psycopg.connect(dbname=dbname, **server) as conn:
        rows = conn.execute(
            "SELECT u.username, c.slug FROM companies_bookmark b "
            "JOIN accounts_user u ON u.id = b.user_id JOIN companies_company c ON c.id = b.company_id "
            "WHERE u.username LIKE %s AND b.removed_at IS NULL",
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


def bookmark_verdict(clients, catalogue, dbname, server):
    """Each signed-in client's bookmarks in the database against what the server confirmed: a summary line and
    the problems. Pairs whose last write got no clear answer are left out."""
    stored, duplicates, total_rows = stored_bookmarks(dbname, server)
    lost, unexpected, checked, uncertain = [], [], 0, 0
    for client in clients:
        if client.kind == "anonymous":
            continue
        uncertain += len(client.uncertain)
        have = stored.get(client.username, set())
        for slug in set(catalogue["companies"]) - client.uncertain:
            checked += 1
            if slug in client.expected and slug not in have:
                lost.append(f"{client.username}/{slug}")
            if slug not in client.expected and slug in have:
                unexpected.append(f"{client.username}/{slug}")
    line = (
        f"Bookmarks: {total_rows} in use for load-test users; {checked} (user, company) pairs checked, "
        f"{len(lost)} lost, {len(unexpected)} unexpected, {duplicates} duplicated "
        f"({uncertain} pairs left unchecked: their last write was answered 5xx or not at all)"
    )
    if lost or unexpected or duplicates:
        return line, [f"bookmarks lost {lost[:5]}, unexpected {unexpected[:5]}, duplicated {duplicates}"]
    return line, []


def nginx_problems(proxy, explained):
    """Errors in nginx's log beyond its line for the killed worker's request: a 502 if the worker had not sent
    its headers, a cut answer (status 0) if it had."""
    errors = [line for line in proxy.errors().splitlines() if re.search(r"\[(?:error|crit|emerg)\]", line)]
    excused = sum(1 for a in explained if a.status in (502, 0))
    cut = [line for line in errors if "upstream prematurely closed" in line or "reset by peer" in line]
    if len(errors) > min(excused, len(cut)):
        return [f"{len(errors)} errors in nginx's log, {min(excused, len(cut))} explained: {errors[:3]}"]
    return []


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


def latency_row(label, answers, width, app_times):
    """Count, end-to-end p50/p99/max, the longest any of them waited in the app for a dependency, the statuses."""
    seconds = [a.seconds for a in answers]
    blocked = max((app_times[a.request_id].blocked for a in answers if a.request_id in app_times), default=0)
    statuses = Counter(a.status for a in answers)
    return (
        f"  {label:{width}} {len(answers):6} answers, p50 {percentile(seconds, 0.5) * 1000:5.0f} ms, "
        f"p99 {percentile(seconds, 0.99) * 1000:5.0f} ms, max {max(seconds, default=0) * 1000:5.0f} ms, "
        f"blocked max {blocked * 1000:4.0f} ms; " + ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
    )


def phases_of(faults, elapsed):
    """(label, from, to) in seconds since the load began: the spans between the faults' events."""
    starts = [(0.0, "before the faults" if FAULTS else "steady load")]
    starts += [(at, phase) for at, _, phase in (faults.events if faults else []) if phase]
    ends = [at for at, _ in starts[1:]] + [elapsed]
    return [(label, start, end) for (start, label), end in zip(starts, ends, strict=True)]


def explained_5xx(answers, faults):
    """The 5xx answers (and requests with no answer) a fault explains, and those it does not."""
    explained, unexplained = [], []
    refused = faults.refused if faults else None
    kills = [at for at, _ in faults.killed] if faults else []
    for a in sorted((a for a in answers if a.status >= 500 or a.status == 0), key=lambda a: a.started):
        ended = a.started + a.seconds
        if (
            a.status == 503
            and a.retry_after
            and refused
            and refused[0] <= ended
            and a.started <= (refused[1] if refused[1] is not None else float("inf")) + RECOVERY_SECONDS
        ):
            explained.append(a)
        elif (
            a.status in (502, 0)
            and any(a.started <= at + 0.5 and ended >= at - 0.5 for at in kills)
            and (sum(1 for e in explained if e.status in (502, 0)) < len(kills))
        ):
            explained.append(a)  # the request the killed worker was answering: nginx's 502, or a dropped connection
        else:
            unexplained.append(a)
    return explained, unexplained


@dataclass
class AppTime:
    """What the app's request log says of one request, in seconds."""

    total: float
    cpu: float  # on a CPU
    cpu_wait: float  # ready, waiting for a CPU: a saturated machine

    @property
    def blocked(self):
        """Neither on a CPU nor waiting for one: waiting for the database, Redis or the client."""
        return max(0.0, self.total - self.cpu - self.cpu_wait)


def read_log(log_text, killed_pids):
    """The app's time on each request (AppTime by request id), and the errors in gunicorn's log other than the
    503s (judged from the answers) and the killed worker's own line."""
    problems, app_times = [], {}
    for line in log_text.splitlines():
        if line.startswith("{"):
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("logger") == "aihiring.request" and "duration_ms" in entry:
                app_times[entry.get("request_id")] = AppTime(
                    entry["duration_ms"] / 1000, entry.get("cpu_ms", 0) / 1000, entry.get("cpu_wait_ms", 0) / 1000
                )
            if entry.get("level") not in ("ERROR", "CRITICAL"):
                continue
            if entry.get("logger") == "django.request" and entry.get("status_code") == 503:
                continue
            problems.append(f"{entry.get('logger')}: {entry.get('message')}")
        elif "[ERROR]" in line or "[CRITICAL]" in line:
            if any(f"Worker (pid:{pid}) was sent SIGKILL" in line for pid in killed_pids):
                continue
            problems.append(line.strip())
    return app_times, problems


def queued_only(answer, app_times):
    """Whether a slow answer waited only for CPUs: the app's log shows it spent at most MAX_SECONDS waiting for
    anything else (the rest was on a CPU, in the run queue, or in gunicorn's queue for a free worker), or nginx
    answered it from its cache after waiting for the one request that fills a missing page (judged by its own)."""
    if answer.request_id in app_times:
        return app_times[answer.request_id].blocked <= MAX_SECONDS
    return answer.cache in ("HIT", "MISS", "EXPIRED", "STALE", "UPDATING", "REVALIDATED")


def memory_verdict(watch, pids_at_start, killed_pids):
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
        if pid in killed_pids:
            lines.append(f"  worker {pid}: {start.get(pid) or 0:.0f} MB at start, killed")
            continue
        start_mb, warm_mb, end_mb = start.get(pid), warm[2].get(pid), end.get(pid)
        if end_mb is None:
            problems.append(f"worker {pid} is gone: it was restarted or killed")
            continue
        growth = end_mb - (warm_mb or start_mb)
        lines.append(f"  worker {pid}: {start_mb:.0f} MB at start, {warm_mb:.0f} after warm-up, {end_mb:.0f} at end")
        if growth > MAX_GROWTH_MB:
            problems.append(f"worker {pid} grew {growth:.1f} MB after warm-up (allowed {MAX_GROWTH_MB:.0f})")
    workers = set(worker_pids(watch.master))
    for pid in sorted(workers - set(pids_at_start)):
        lines.append(f"  worker {pid}: {rss_mb(pid) or 0:.0f} MB at end (started in place of the killed one)")
    if set(pids_at_start) - workers != set(killed_pids) or len(workers) != len(pids_at_start):
        problems.append(
            f"gunicorn has workers {sorted(workers)} at the end, having started with {pids_at_start} "
            f"and lost {sorted(killed_pids)} to the faults: a worker was restarted or not replaced"
        )
    return lines, problems


def load_average():
    return "/".join(f"{n:.2f}" for n in os.getloadavg())


def main():
    if FAULTS and not shutil.which("redis-server"):
        sys.exit("The faults need redis-server (apt-get install redis-server); LOADTEST_FAULTS=0 runs without them")
    dbname, server = scratch_database()
    database = Database(dbname, server)
    workdir = tempfile.mkdtemp(prefix="aihiring-loadtest-")
    redis = OwnRedis(workdir) if shutil.which("redis-server") else None
    if redis is not None:
        redis.start()
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_"))},
        "DJANGO_SETTINGS_MODULE": "aihiring.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": redis.url if redis else "",
        "DJANGO_STATIC_ROOT": str(Path(workdir) / "static"),
        "DJANGO_PAGE_CACHE_DIR": str(Path(workdir) / "pages"),  # without Redis; never the checkout's var/pages
        "DJANGO_TRUSTED_PROXY_COUNT": "1" if THROUGH_NGINX else "0",  # the production recipe: nginx appends
        # Every client comes from 127.0.0.1: per-address limits would only measure themselves.
        "DJANGO_RATE_LIMITS": "false",
        "API_ANON_RATE": "1000000/minute",
        "API_USER_RATE": "1000000/minute",
        "DJANGO_REQUEST_LOG_LEVEL": "INFO",  # a line per request, with the time the app spent on it
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    gunicorn = proxy = faults = None
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
        warm_up(entry, catalogue, sessions)
        pids = worker_pids(gunicorn.pid)
        front = f"nginx on {HOST}:{entry} in front of " if proxy else ""
        say(
            f"Load: {CLIENTS} clients for {DURATION:.0f} s against {front}gunicorn ({len(pids)} workers) "
            f"on {HOST}:{port}, database {dbname}, cache {f'Redis on port {redis.port}' if redis else 'local memory'}; "
            f"{'with' if FAULTS else 'without'} faults; {os.cpu_count()} CPUs, "
            f"load average {load_average()} (1, 5, 15 min) before the run"
        )
        stats = Stats()
        watch = MemoryWatch(gunicorn.pid, stats)
        watch.start()
        deadline = stats.started + DURATION
        clients = [
            Client(n, KINDS[n % len(KINDS)], entry, stats, deadline, catalogue, sessions[f"{USER_PREFIX}{n}"])
            for n in range(CLIENTS)
        ]
        if FAULTS:
            faults = Faults(stats, redis, gunicorn.pid, database)
            faults.start()
        for client in clients:
            client.start()
        for client in clients:
            client.join(timeout=DURATION + REQUEST_TIMEOUT + 30)
        elapsed = time.monotonic() - stats.started
        if faults is not None:
            faults.join(timeout=DURATION)
        time.sleep(2.5)
        watch.stop.set()
        watch.join()

        bookmark_line, bookmark_problems = bookmark_verdict(clients, catalogue, dbname, server)
        killed_pids = {pid for _, pid in faults.killed} if faults else set()
        memory_lines, memory_problems = memory_verdict(watch, pids, killed_pids)
        explained, unexplained = explained_5xx(stats.answers, faults)
        app_times, logged = read_log(log_path.read_text(errors="replace"), killed_pids)
        slow = [a for a in stats.answers if a.seconds > MAX_SECONDS]
        queued = [a for a in slow if queued_only(a, app_times)]
        waited = [a for a in slow if not queued_only(a, app_times)]

        answers = stats.answers
        with open(Path(workdir) / "answers.jsonl", "w") as out:  # kept with the logs when the run fails
            for a in answers:
                out.write(json.dumps(vars(a)) + "\n")
        statuses = dict(sorted(Counter(a.status for a in answers).items()))
        say(
            f"\nRequests: {len(answers)} in {elapsed:.1f} s ({len(answers) / elapsed:.0f}/s); "
            f"statuses {statuses} (0: no answer)"
        )
        if proxy:
            say(f"  nginx X-Cache-Status: {dict(stats.cache.most_common())} (none: the cache is off for that path)")
        say("By kind:")
        by_kind = defaultdict(list)
        for a in answers:
            by_kind[a.kind].append(a)
        for kind, group in sorted(by_kind.items()):
            say(latency_row(kind, group, 16, app_times))
        say("By phase (an answer counts in the phase its request began in):")
        for label, start, end in phases_of(faults, elapsed):
            group = [a for a in answers if start <= a.started < end]
            say(latency_row(f"{start:4.0f}-{end:2.0f} s {label}", group, 28, app_times))
        say(
            f"Sign-ins with a password: {stats.signins} ({stats.signins / elapsed:.1f}/s); "
            f"load average {load_average()} after the run"
        )
        say(bookmark_line)
        say(f"5xx a fault explains: {dict(Counter(a.status for a in explained))}; unexplained: {len(unexplained)}")
        measured = [app_times[a.request_id] for a in answers if a.request_id in app_times]
        longest = max(measured, key=lambda t: t.total, default=AppTime(0, 0, 0))
        most_blocked = max((t.blocked for t in measured), default=0)
        say(
            f"Slower than {MAX_SECONDS:g} s end to end: {len(slow)} answers, {len(queued)} of them waiting only for "
            f"CPUs, {len(waited)} for something else. In the app: the longest request {longest.total * 1000:.0f} ms "
            f"({longest.cpu * 1000:.0f} on a CPU, {longest.cpu_wait * 1000:.0f} waiting for one), the longest "
            f"wait for a dependency {most_blocked * 1000:.0f} ms"
        )
        say("Worker memory (RSS):")
        for line in memory_lines:
            say(line)

        problems = []
        if unexplained:
            sample = [f"{a.method} {a.path} -> {a.status} at t={a.started:.1f} s" for a in unexplained[:5]]
            problems.append(f"{len(unexplained)} 5xx answers (0: none) no fault explains: {sample}")
        if waited:
            sample = [
                f"{a.method} {a.path} {a.seconds:.1f} s at t={a.started:.1f} s, app {app_times.get(a.request_id)}"
                for a in waited[:5]
            ]
            problems.append(f"{len(waited)} answers waited longer than {MAX_SECONDS:g} s: {sample}")
        if stats.errors:
            problems.append(f"{len(stats.errors)} clients failed: {stats.errors[:5]}")
        if stats.failures:
            problems.append(f"{len(stats.failures)} unexpected answers: {stats.failures[:5]}")
        problems += bookmark_problems
        if logged:
            problems.append(f"{len(logged)} errors in the server log {log_path}: {logged[:3]}")
        if proxy:
            problems += nginx_problems(proxy, explained)
        if not answers:
            problems.append("no request was answered")
        if faults is not None and faults.refused is None:
            problems.append("the faults did not all happen: the run ended before the database was refused")
        problems += memory_problems
        if problems:
            say("\nFAIL")
            for problem in problems:
                say(f"  - {problem}")
            say(f"Server log: {log_path}")
            return 1
        say(
            f"\nPASS: no unexplained 5xx, no request waiting longer than {MAX_SECONDS:g} s for a dependency, "
            f"no bookmark lost or duplicated, worker memory flat{', every fault survived' if faults else ''}"
        )
        shutil.rmtree(workdir, ignore_errors=True)
        return 0
    finally:
        if faults is not None:
            faults.stop.set()
            faults.join(timeout=30)
        database.allow()
        if proxy is not None:
            proxy.stop()
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        if redis is not None:
            redis.kill()
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
