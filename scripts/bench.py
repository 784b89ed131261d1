#!/usr/bin/env python
"""``make bench``: the guide's pages under load, each measured against a static file in the same run.

For each database and data size it prepares a database (migrations, the edition, synthetic data from
``generate_scale_data``, a signed-in bench user with 20 bookmarks), starts the production settings under
gunicorn (2 sync workers, DEBUG off, static files collected into a temporary folder, the page cache in a
temporary folder of its own) on 127.0.0.1, puts nginx in front of it with ``deploy/nginx.conf`` (when nginx is
installed), and runs ``wrk`` against each page. Every row is interleaved with its reference, the static file
served by the same server (ref, page, ref, page, ...), and reports the page's requests/s as a ratio of the
reference's: on a shared machine the ratio holds where absolute figures drift. Every request says
``Accept-Encoding: gzip``, as browsers do, unless the row says "plain".

Rows, by the "visitor" column:
  nginx cache   anonymous, through nginx's proxy cache; reference: nginx serving the file from disk
  page cache    anonymous, straight to gunicorn: Django's cache middleware answers; reference: whitenoise
  anonymous     the API, straight to gunicorn (also kept by the cache middleware: no cookie is sent)
  signed-in     the bench user's session cookie, so every request goes through the view (and its fragments)
  uncached      anonymous with a harmless cookie (bench=1): Django's page cache skips any request with a
                cookie, so the view runs every time (its {% cache %} fragments are kept after the first)
The "cold ms" column is each page rendered in process, one request at a time, with every cache emptied first:
the first view of a page after an editor's change (median of 11). At 100,000 companies "cold × edition" compares
it with the edition size's, which must stay within 1.5×.

  python scripts/bench.py                      # SQLite and PostgreSQL, edition size and 100,000 companies
  python scripts/bench.py --db sqlite --size edition --duration 4
  python scripts/bench.py --smoke              # a few seconds on tiny data: CI checks the harness works
  python scripts/bench.py --explain            # EXPLAIN ANALYZE of every query of each page (PostgreSQL)
  python scripts/bench.py --max-requests-check # whitenoise static with and without --max-requests 2000

Databases are kept between runs (temp folder / ``aihiring_bench_*``) and only rebuilt when their synthetic data
does not match the requested size (or with ``--rebuild``).
"""

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy import nginx  # noqa: E402

BIN = Path(sys.executable).parent
WORKDIR = Path(tempfile.gettempdir()) / "aihiring-bench"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
HEADERS = {"X-Forwarded-Proto": "https"}  # as the TLS-terminating proxy sends it; prod redirects plain HTTP
GZIP = {"Accept-Encoding": "gzip"}
WORKERS = 2
# The gunicorn flags of the README's production command line, but --workers and --bind.
GUNICORN_FLAGS = ["--timeout", "30", "--graceful-timeout", "30"]

SIZES = {
    "edition": {"companies": 0, "users": 0, "bookmarks": 0},
    "large": {"companies": 100_000, "users": 10_000, "bookmarks": 1_000_000},
    "smoke": {"companies": 60, "users": 3, "bookmarks": 30},
}
BENCH_USER = "synthetic-bench"
BENCH_BOOKMARKS = 20
MAX_LARGE_SLOWDOWN = 1.5  # a cold render at 100,000 companies over the edition size's


# ---------- Inside Django: prepare a database, explain queries, cold renders ----------


def _django(settings="aihiring.settings.prod"):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    import django

    django.setup()


def _model(name):
    """A model by class name, whichever app holds it (the apps are being rearranged)."""
    from django.apps import apps

    return next(model for model in apps.get_models() if model.__name__ == name)


def prepare(args):
    """Migrate, load the edition, make the synthetic data match the size, sign in the bench user."""
    _django()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command

    Bookmark, Company = _model("Bookmark"), _model("Company")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_edition", verbosity=0)
    User = get_user_model()
    wanted = {"companies": args.companies, "users": args.users, "bookmarks": args.bookmarks}
    synthetic_users = User.objects.filter(username__startswith="synthetic-").exclude(username=BENCH_USER)
    have = {
        "companies": Company.objects.filter(slug__startswith="synthetic-").count(),
        "users": synthetic_users.count(),
        "bookmarks": Bookmark.objects.filter(user__in=synthetic_users).count(),
    }
    if have != wanted:
        started = time.perf_counter()
        call_command("generate_scale_data", remove=True, verbosity=0)
        call_command("generate_scale_data", verbosity=0, **wanted)
        print(f"generated {wanted} in {time.perf_counter() - started:.0f}s", file=sys.stderr)

    user, _ = User.objects.get_or_create(username=BENCH_USER)
    real = Company.objects.published().exclude(slug__startswith="synthetic-").order_by("name")
    for company in real[:BENCH_BOOKMARKS]:
        Bookmark.objects.get_or_create(user=user, company=company)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()

    profile = real.select_related("category").filter(category__isnull=False).first()
    print(
        json.dumps(
            {
                "session_cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
                "static": staticfiles_storage.url("css/base.css"),
                "profile": profile.get_absolute_url(),
                "category": profile.category.slug,
                "companies": Company.objects.count(),
                "bookmarks": Bookmark.objects.count(),
                "user_bookmarks": Bookmark.objects.filter(user=user).count(),
            }
        )
    )


def _clients(info):
    from django.test import Client

    anonymous = Client(HTTP_HOST="127.0.0.1", headers=HEADERS)
    uncached = Client(HTTP_HOST="127.0.0.1", headers=HEADERS)
    uncached.cookies["bench"] = "1"
    signed_in = Client(HTTP_HOST="127.0.0.1", headers={**HEADERS, "Cookie": info["session_cookie"]})
    return {"anonymous": anonymous, "uncached": uncached, "signed-in": signed_in}


def _rendered_rows(info):
    """(key, label, path, client name) of each row that renders through the view, once per path and visitor."""
    seen = set()
    for row in rows(info):
        if row.mode in ("uncached", "signed-in", "anonymous") and row.key not in seen:
            seen.add(row.key)
            yield row.key, row.label, row.path, "anonymous" if row.mode == "anonymous" else row.mode


def explained(queries, options):
    """[(ms, sql, plan lines)] of the SELECTs among ``queries`` (a CaptureQueriesContext's), slowest first: on
    PostgreSQL ``EXPLAIN (options)`` and its execution time, on SQLite the query timed and its query plan."""
    from django.db import connection

    timed = []
    for query in queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"EXPLAIN ({options}) {sql}")
                plan = [row[0] for row in cursor.fetchall()]
                ms = float(re.search(r"Execution Time: ([\d.]+)", plan[-1]).group(1))
            else:
                started = time.perf_counter()
                cursor.execute(sql).fetchall()
                ms = (time.perf_counter() - started) * 1000
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                plan = [row[-1] for row in cursor.fetchall()]
        timed.append((ms, sql, plan))
    return sorted(timed, key=lambda t: t[0], reverse=True)


def explain(args):
    """EXPLAIN ANALYZE every SELECT each page runs, slowest first (the page cache is bypassed)."""
    _django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    info = json.loads(args.info)
    clients = _clients(info)
    clients["anonymous"] = clients["uncached"]
    for _, label, path, who in _rendered_rows(info):
        with CaptureQueriesContext(connection) as queries:
            status = clients[who].get(path).status_code
        print(f"\n### {label} ({who}): GET {path} ({status}, {len(queries)} queries)\n")
        timed = explained(queries, "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON")
        for ms, sql, plan in timed[: args.top]:
            print(f"{ms:.3f} ms  {sql[:300]}{'…' if len(sql) > 300 else ''}")
            print("\n".join(f"    {line}" for line in plan))
        for ms, sql, _ in timed[args.top :]:
            print(f"{ms:.3f} ms  {sql[:140]}…")


def cold(args):
    """Median time of each page rendered with every cache emptied first: the first view after a content change."""
    _django()
    import logging

    from django.core.cache import caches

    logging.disable(logging.CRITICAL)  # the request log would go to this command's output
    info = json.loads(args.info)
    clients = _clients(info)
    times = {}
    for key, _, path, who in _rendered_rows(info):
        samples = []
        for _ in range(args.repeat):
            for cache in caches.all():
                cache.clear()
            started = time.perf_counter()
            clients[who].get(path)
            samples.append((time.perf_counter() - started) * 1000)
        times[key] = statistics.median(samples)
    print(json.dumps(times))


# ---------- Outside Django: databases, servers, load ----------


@dataclass
class Row:
    label: str
    mode: str  # nginx cache, page cache, anonymous, signed-in, uncached
    path: str
    headers: dict = field(default_factory=dict)
    target: float | None = None
    p50_within: float | None = None  # at 100,000 companies, the p50 under load over the edition size's

    @property
    def server(self):
        return "nginx" if self.mode.startswith("nginx") else "gunicorn"

    @property
    def key(self):
        return f"{self.mode}:{self.path}"


def rows(info):
    """Every row of the table but the two references, in the order they are measured."""
    session = {"Cookie": info["session_cookie"]}
    filtered = f"/companies/?category={info['category']}&comp_min=200000"
    pages = [("home", "/"), ("companies", "/companies/"), ("profile", info["profile"]), ("salaries", "/salaries/")]
    result = [Row(label, "nginx cache", path, GZIP, 0.5) for label, path in pages]
    result.append(Row("home", "nginx cache, plain", "/", {}, None))  # no Accept-Encoding: nothing to compress
    pages.insert(2, ("companies filtered", filtered))
    result += [Row(label, "page cache", path, GZIP, 0.7) for label, path in pages]
    result.append(Row("api companies", "anonymous", "/api/companies/", GZIP, 0.3))
    signed_in = [page for page in pages if page[0] in ("home", "companies", "profile")]
    result += [Row(label, "signed-in", path, {**GZIP, **session}, 0.15) for label, path in signed_in]
    result.append(Row(f"bookmarks ({info.get('user_bookmarks', BENCH_BOOKMARKS)})", "signed-in", "/bookmarks/",
                      {**GZIP, **session}, 0.08))  # fmt: skip
    result += [Row(label, "uncached", path, {**GZIP, "Cookie": "bench=1"}) for label, path in pages]
    # Site search renders every query afresh: a common word must cost no more at 100,000 companies.
    result.append(Row("search", "uncached", "/search/?q=engineer", {**GZIP, "Cookie": "bench=1"},
                      p50_within=MAX_LARGE_SLOWDOWN))  # fmt: skip
    return result


def database_url(db, size, fresh):
    """The database of this size, created when missing; ``fresh`` drops an existing one first."""
    if db == "sqlite":
        path = WORKDIR / f"{size}.sqlite3"
        if fresh:
            path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    name = f"aihiring_bench_{size}"
    import psycopg

    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES_URL}/{name}"


def server_env(url, static_root, page_cache_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "aihiring.settings.prod",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": url,
            "DJANGO_STATIC_ROOT": str(static_root),
            # The bench's own page cache, never the checkout's var/pages: emptied with each configuration.
            "DJANGO_PAGE_CACHE_DIR": str(page_cache_dir),
            "DJANGO_TRUSTED_PROXY_COUNT": "1",  # the production recipe: nginx appends to X-Forwarded-For
            # One address sends every request here; the API's throttles would answer 429 within a second.
            "API_ANON_RATE": "100000000/minute",
            "API_USER_RATE": "100000000/minute",
            "PYTHONPATH": str(ROOT),
        }
    )
    # Files for the pages and local memory for the rest, unless BENCH_REDIS_URL names a Redis to measure.
    if os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    return env


def run(cmd, env, timeout, hint=""):
    result = subprocess.run(cmd, env=env, cwd=ROOT, timeout=timeout, capture_output=True, text=True)
    if result.returncode:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(map(str, cmd[:3]))}{f' ({hint})' if hint else ''}")
    return result.stdout


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(base, path, headers):
    """(status, bytes as sent, X-Cache-Status) of one GET."""
    request = urllib.request.Request(base + path, headers={**HEADERS, **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, len(response.read()), response.headers.get("X-Cache-Status", "")
    except urllib.error.HTTPError as error:
        return error.code, len(error.read()), error.headers.get("X-Cache-Status", "")


class Server:
    """gunicorn with the production settings on a free port of 127.0.0.1."""

    def __init__(self, env, log, max_requests=0):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [str(BIN / "gunicorn"), "aihiring.wsgi", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{self.port}"]
        cmd += GUNICORN_FLAGS
        if max_requests:
            cmd += ["--max-requests", str(max_requests), "--max-requests-jitter", str(max_requests // 10)]
        cmd += ["--error-logfile", str(log), "--log-level", "warning"]
        # Request logs are formatted as in production, then dropped: a file would grow by gigabytes.
        self.process = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def __enter__(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn exited at start; see its log")
            try:
                if fetch(self.base, "/healthz", {})[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def wrk(url, headers, args, duration):
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    for name, value in {**HEADERS, **headers}.items():
        cmd += ["-H", f"{name}: {value}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=duration + 60).stdout
    unit = {"us": 0.001, "ms": 1.0, "s": 1000.0}

    def latency(pct):
        match = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)$", out, re.M)
        return float(match.group(1)) * unit[match.group(2)] if match else float("nan")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rps is None:
        raise SystemExit(f"wrk gave no result for {url}:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = (int(errors.group(1)) if errors else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0)
    return {"rps": float(rps.group(1)), "p50": latency(50), "p99": latency(99), "errors": failed}


def interleaved(ref_url, url, headers, args):
    """The page and its reference in turns (ref, page, ref, page, ...): means of each, so drift hits both."""
    encoding = {k: v for k, v in headers.items() if k == "Accept-Encoding"}
    if args.warmup:
        wrk(url, headers, args, args.warmup)
    refs, pages = [], []
    for _ in range(args.rounds):
        refs.append(wrk(ref_url, encoding, args, args.slice))
        pages.append(wrk(url, headers, args, args.slice))
    return {
        "rps": statistics.fmean(p["rps"] for p in pages),
        "ref_rps": statistics.fmean(r["rps"] for r in refs),
        "ref_samples": [r["rps"] for r in refs],
        "ref_gzip": bool(encoding),
        "p50": statistics.median(p["p50"] for p in pages),
        "p99": max(p["p99"] for p in pages),
        "errors": sum(p["errors"] for p in pages),
    }


def bench_config(db, size, args, static_root, results, loads):
    counts = SIZES[size]
    # The smoke run starts from an empty database every time, so edited migrations never trip it.
    url = database_url(db, size, fresh=args.rebuild or args.smoke)
    scratch = Path(tempfile.mkdtemp(prefix=f"aihiring-bench-{db}-{size}-"))
    try:
        env = server_env(url, static_root, scratch / "pages")
        started = time.perf_counter()
        cmd = [sys.executable, __file__, "prepare", *[f"--{k}={v}" for k, v in counts.items()]]
        hint = "if the kept database is out of step with the migrations, add --rebuild"
        info = json.loads(run(cmd, env, timeout=3600, hint=hint).strip().splitlines()[-1])
        print(f"\n## {db}, {size}: {info['companies']:,} companies, {info['bookmarks']:,} bookmarks "
              f"(prepared in {time.perf_counter() - started:.0f}s)", flush=True)  # fmt: skip
        if args.explain:
            if db == "postgresql" or args.smoke or args.explain_only:
                sys.stdout.write(run([sys.executable, __file__, "explain", f"--info={json.dumps(info)}"], env, 600))
            if args.explain_only:
                return
        repeat = 3 if args.smoke else 11
        output = run([sys.executable, __file__, "cold", f"--info={json.dumps(info)}", f"--repeat={repeat}"], env, 900)
        cold_ms = json.loads(output.strip().splitlines()[-1])
        shutil.rmtree(scratch / "pages", ignore_errors=True)  # gunicorn starts on an empty page cache
        loads.append((db, size, os.getloadavg()[0]))
        with Server(env, WORKDIR / f"gunicorn-{db}-{size}.log", args.max_requests) as server:
            proxy = None
            if nginx.binary() and not args.no_nginx:
                proxy = nginx.LocalNginx(scratch / "nginx", f"127.0.0.1:{server.port}", static_root).__enter__()
            try:
                bases = {"gunicorn": server.base, "nginx": proxy.base if proxy else None}
                measured = []
                for row in rows(info):
                    base = bases[row.server]
                    if base is None:
                        continue
                    status, size_bytes, _ = fetch(base, row.path, row.headers)
                    cache = fetch(base, row.path, row.headers)[2] if row.server == "nginx" else ""
                    result = interleaved(base + info["static"], base + row.path, row.headers, args)
                    entry = {"db": db, "size": size, "server": row.server, "page": row.label, "path": row.path}
                    entry.update(mode=row.mode, status=status, kb=size_bytes / 1024, cache=cache, target=row.target,
                                 p50_within=row.p50_within)  # fmt: skip
                    entry.update(result, cold_ms=cold_ms.get(row.key))
                    measured.append(entry)
                    print(
                        f"  {row.server:8} {row.label:22} {row.mode:18} {status} {entry['kb']:6.1f} KB "
                        f"{entry['rps']:8.0f} req/s ({entry['rps'] / entry['ref_rps']:.2f}× static) "
                        f"p50 {entry['p50']:6.2f} ms p99 {entry['p99']:7.2f} ms {cache}",
                        flush=True,
                    )
                static_kb = {srv: fetch(base, info["static"], GZIP)[1] / 1024 for srv, base in bases.items() if base}
            finally:
                if proxy is not None:
                    proxy.__exit__(None, None, None)
        for srv in ("nginx", "gunicorn"):
            samples = [s for m in measured if m["server"] == srv and m["ref_gzip"] for s in m["ref_samples"]]
            if samples:
                label = "static file (nginx)" if srv == "nginx" else "static file (whitenoise)"
                results.append({"db": db, "size": size, "server": srv, "page": label, "path": info["static"],
                                "mode": "static", "status": 200, "kb": static_kb.get(srv, 0), "cache": "",
                                "target": None, "rps": statistics.fmean(samples), "ref_rps": statistics.fmean(samples),
                                "p50": float("nan"), "p99": float("nan"), "errors": 0, "cold_ms": None})  # fmt: skip
            results.extend(m for m in measured if m["server"] == srv)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def machine():
    cpu = ""
    if Path("/proc/cpuinfo").exists():
        match = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = match.group(1).strip() if match else ""
    memory = ""
    if Path("/proc/meminfo").exists():
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    load = ", load average {:.1f} {:.1f} {:.1f} at start".format(*os.getloadavg())
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split(" [")[0].strip()
    gunicorn = subprocess.run([str(BIN / "gunicorn"), "--version"], capture_output=True, text=True).stdout.strip()
    proxy = ""
    if nginx.binary():
        proxy = "; " + subprocess.run([nginx.binary(), "-v"], capture_output=True, text=True).stderr.strip()
    return (
        f"{cpu or platform.processor()} ({os.cpu_count()} cores{memory}{load}); {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; {gunicorn}, {WORKERS} sync workers; "
        f"{wrk_version}{proxy}"
    )


def report(results, args, loads):
    edition = {(r["db"], r["page"], r["mode"]): r for r in results if r["size"] != "large"}
    lines = [
        f"wrk -t{args.threads} -c{args.connections} -d{args.slice}s ×{args.rounds}, interleaved with the static "
        f"file, on 127.0.0.1; {machine()}",
        "",
        "| database | data | server | page | visitor | status | KB | req/s | static req/s | × static | p50 ms "
        "| p99 ms | cold ms | cold × edition | target |",
        "|---|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    misses = []
    for r in results:
        ratio = r["rps"] / r["ref_rps"] if r["ref_rps"] else float("nan")
        notes, slowdown = [], ""
        where = f"{r['db']} {r['size']} {r['page']} ({r['mode']})"
        if r["target"] is not None:
            ok = ratio >= r["target"]
            notes.append(f"≥ {r['target']:.2f}× {'ok' if ok else 'MISSED'}")
            if not ok:
                misses.append(f"{where}: {ratio:.2f}× static < {r['target']}")
        base = edition.get((r["db"], r["page"], r["mode"]))
        # Under load a page's fragments are kept after its first render, so the path with nothing cached (the
        # first view after an editor's change) is the cold render: that is what must not grow with the data.
        if r["size"] == "large" and base and base.get("cold_ms") and r.get("cold_ms"):
            factor = r["cold_ms"] / base["cold_ms"]
            slowdown = f"{factor:.2f}"
            notes.append(f"cold ≤ {MAX_LARGE_SLOWDOWN}× edition {'ok' if factor <= MAX_LARGE_SLOWDOWN else 'MISSED'}")
            if factor > MAX_LARGE_SLOWDOWN:
                misses.append(f"{where}: cold render {factor:.2f}× the edition size's")
        if r["size"] == "large" and base and r.get("p50_within"):
            factor = r["p50"] / base["p50"]
            ok = factor <= r["p50_within"]
            notes.append(f"p50 {factor:.2f}× edition, ≤ {r['p50_within']}× {'ok' if ok else 'MISSED'}")
            if not ok:
                misses.append(f"{where}: p50 {factor:.2f}× the edition size's")
        if r["status"] != 200 or r["errors"]:
            notes.append(f"{r['errors']} errors")
        if r["cache"] and r["cache"] != "HIT":
            notes.append(f"X-Cache-Status {r['cache']}")
        cold = f"{r['cold_ms']:.1f}" if r.get("cold_ms") else ""
        p50 = "" if r["mode"] == "static" else f"{r['p50']:.2f}"
        p99 = "" if r["mode"] == "static" else f"{r['p99']:.2f}"
        lines.append(
            f"| {r['db']} | {r['size']} | {r['server']} | {r['page']} | {r['mode']} | {r['status']} | {r['kb']:.1f} "
            f"| {r['rps']:,.0f} | {r['ref_rps']:,.0f} | {ratio:.2f} | {p50} | {p99} | {cold} | {slowdown} "
            f"| {'; '.join(notes)} |"
        )
    lines.append("")
    lines.append(
        "Load average (1 min) when each configuration's load began: "
        + ", ".join(f"{db} {size} {load:.1f}" for db, size, load in loads)
        + "."
    )
    if not nginx.binary() or args.no_nginx:
        lines.append("nginx is not installed (apt-get install nginx-light): the nginx rows were skipped.")
    lines.append("")
    lines.append("Targets missed:" if misses else "All targets met.")
    lines.extend(f"- {miss}" for miss in misses)
    return "\n".join(lines), misses


def max_requests_check(args, static_root):
    """Whitenoise's static file from gunicorn with and without --max-requests 2000, interleaved."""
    url = database_url("sqlite", "edition", fresh=False)
    scratch = Path(tempfile.mkdtemp(prefix="aihiring-bench-max-requests-"))
    try:
        env = server_env(url, static_root, scratch / "pages")
        cmd = [sys.executable, __file__, "prepare", *[f"--{k}={v}" for k, v in SIZES["edition"].items()]]
        info = json.loads(run(cmd, env, timeout=3600).strip().splitlines()[-1])
        load = os.getloadavg()[0]
        with Server(env, scratch / "plain.log") as plain, Server(env, scratch / "max.log", 2000) as recycled:
            samples = {"none": [], "2000": []}
            for _ in range(args.rounds):
                samples["none"].append(wrk(plain.base + info["static"], GZIP, args, args.slice)["rps"])
                samples["2000"].append(wrk(recycled.base + info["static"], GZIP, args, args.slice)["rps"])
        none, recycled_rps = statistics.fmean(samples["none"]), statistics.fmean(samples["2000"])
        print(
            f"whitenoise static, wrk -t{args.threads} -c{args.connections}, {args.rounds}×{args.slice}s each, "
            f"interleaved, load average {load:.1f}: no --max-requests {none:,.0f} req/s; --max-requests 2000 "
            f"{recycled_rps:,.0f} req/s ({recycled_rps / none:.2f}×)"
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    prep = sub.add_parser("prepare", help=argparse.SUPPRESS)
    for name in ("companies", "users", "bookmarks"):
        prep.add_argument(f"--{name}", type=int, default=0)
    exp = sub.add_parser("explain", help=argparse.SUPPRESS)
    exp.add_argument("--info", required=True)
    exp.add_argument("--top", type=int, default=2)
    cold_parser = sub.add_parser("cold", help=argparse.SUPPRESS)
    cold_parser.add_argument("--info", required=True)
    cold_parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--db", default="sqlite,postgresql", help="sqlite, postgresql or both (comma-separated)")
    parser.add_argument("--size", default="edition,large", help="edition, large or both (comma-separated)")
    parser.add_argument("--duration", type=int, default=6, help="seconds of load per page, split into --rounds")
    parser.add_argument("--rounds", type=int, default=3, help="turns of reference and page per row")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of unrecorded load before each page")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--max-requests", type=int, default=0, help="gunicorn --max-requests (default: none)")
    parser.add_argument("--max-requests-check", action="store_true", help="static with and without it, then stop")
    parser.add_argument("--no-nginx", action="store_true", help="skip the rows through nginx")
    parser.add_argument("--rebuild", action="store_true", help="drop the kept databases and build them again")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of each page's queries")
    parser.add_argument("--explain-only", action="store_true", help="only EXPLAIN, no load")
    parser.add_argument("--smoke", action="store_true", help="tiny data, one second per page: checks the harness")
    parser.add_argument("--output", help="also write the table (Markdown) to this file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.command == "prepare":
        return prepare(args)
    if args.command == "explain":
        return explain(args)
    if args.command == "cold":
        return cold(args)

    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    args.explain = args.explain or args.explain_only
    if args.smoke:
        args.size, args.duration, args.rounds, args.warmup, args.threads, args.connections = "smoke", 1, 1, 0, 1, 2
        if args.db == parser.get_default("db"):
            args.db = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    args.slice = max(1, round(args.duration / args.rounds))
    aliases = {"sqlite": "sqlite", "postgres": "postgresql", "postgresql": "postgresql"}
    databases = [aliases[d.strip()] for d in args.db.split(",")]
    sizes = [s.strip() for s in args.size.split(",")]
    WORKDIR.mkdir(parents=True, exist_ok=True)
    results, loads = [], []
    with tempfile.TemporaryDirectory(prefix="aihiring-static-") as static_root:
        env = server_env(f"sqlite:///{WORKDIR / 'collectstatic.sqlite3'}", static_root, WORKDIR / "collectstatic-pages")
        run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env, timeout=600)
        if args.max_requests_check:
            return max_requests_check(args, static_root)
        for db in databases:
            for size in sizes:
                bench_config(db, size, args, static_root, results, loads)
    if args.explain_only:
        return 0
    (WORKDIR / "bench-results.json").write_text(json.dumps(results, indent=1))
    table, misses = report(results, args, loads)
    print("\n" + table)
    if args.output:
        Path(args.output).write_text(table + "\n")
    failures = [r for r in results if r["status"] != 200 or r["errors"]]
    if failures:
        print(f"\n{len(failures)} pages failed: " + ", ".join(f"{r['page']} ({r['status']})" for r in failures))
        return 1
    return 1 if args.check and misses else 0


if __name__ == "__main__":
    sys.exit(main())
