#!/usr/bin/env python
"""``make bench``: the guide's pages under load, side by side with a static file, on SQLite and PostgreSQL.

For each database and data size it prepares a database (migrations, the edition, synthetic data from
``generate_scale_data``, a signed-in bench user), starts the production settings under gunicorn (2 sync
workers, DEBUG off, static files collected into a temporary folder and served by WhiteNoise) on 127.0.0.1,
and runs ``wrk`` against each page for a fixed time. It prints requests/s, p50/p99 latency and each page's
ratio to the static file's requests/s (the ceiling), then checks the targets of the performance issue.

  python scripts/bench.py                      # SQLite and PostgreSQL, edition size and 100,000 companies
  python scripts/bench.py --db sqlite --size edition --duration 5
  python scripts/bench.py --smoke              # a few seconds on tiny data: CI checks the harness works
  python scripts/bench.py --explain            # EXPLAIN ANALYZE of every query of each page (PostgreSQL)

Pages marked "cached" are requested as a first-time anonymous visitor (served by the page cache after the
first request); "uncached" sends a ``messages`` cookie, which the page cache must skip, so every request goes
through the view, as a signed-in reader's does (content blocks, bookmark cards and API lists stored since the
last content change still apply). The "cold ms" column is the other case: one request at a time, in process,
with every cache emptied first, as the first view of a page after an editor's change. Databases are kept
between runs (temp folder / ``aihiring_bench_*``) and only rebuilt when their synthetic data does not match
the requested size (or with ``--rebuild``).
"""

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKDIR = Path(tempfile.gettempdir()) / "aihiring-bench"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
HEADERS = {"X-Forwarded-Proto": "https"}  # as the TLS-terminating proxy sends it; prod redirects plain HTTP

SIZES = {
    "edition": {"companies": 0, "users": 0, "bookmarks": 0},
    "large": {"companies": 100_000, "users": 10_000, "bookmarks": 1_000_000},
    "smoke": {"companies": 60, "users": 3, "bookmarks": 30},
}
BENCH_USER = "synthetic-bench"
BENCH_BOOKMARKS = 20

# (target name, minimum ratio of the static file's requests/s)
TARGETS = {"cached": 0.70, "uncached": 0.10, "api": 0.10, "signed-in": 0.08}
MAX_P99_MS = 100
MAX_LARGE_SLOWDOWN = 1.5


# ---------- Inside Django: prepare a database, explain queries ----------


def _django(settings="aihiring.settings.prod"):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    import django

    django.setup()


def prepare(args):
    """Migrate, load the edition, make the synthetic data match the size, sign in the bench user."""
    _django()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command

    from companies.models import Bookmark, Company

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
            }
        )
    )


def explain(args):
    """EXPLAIN ANALYZE every SELECT each page runs, slowest first (the page cache is bypassed)."""
    _django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    info = json.loads(args.info)
    client = Client(HTTP_HOST="127.0.0.1", headers=HEADERS)
    client.cookies["messages"] = "bench"
    signed_in = Client(HTTP_HOST="127.0.0.1", headers={**HEADERS, "Cookie": info["session_cookie"]})
    seen = set()
    for label, path, who in pages(info):
        if path.startswith("/static/") or path in seen:
            continue
        seen.add(path)
        with CaptureQueriesContext(connection) as queries:
            status = (signed_in if who == "signed-in" else client).get(path).status_code
        print(f"\n### {label}: GET {path} ({status}, {len(queries)} queries)\n")
        timed = []
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) {sql}")
                    plan = [row[0] for row in cursor.fetchall()]
                    ms = float(re.search(r"Execution Time: ([\d.]+)", plan[-1]).group(1))
                else:
                    started = time.perf_counter()
                    cursor.execute(sql).fetchall()
                    ms = (time.perf_counter() - started) * 1000
                    cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                    plan = [row[-1] for row in cursor.fetchall()]
            timed.append((ms, sql, plan))
        for ms, sql, plan in sorted(timed, key=lambda t: t[0], reverse=True)[: args.top]:
            print(f"{ms:.3f} ms  {sql[:300]}{'…' if len(sql) > 300 else ''}")
            print("\n".join(f"    {line}" for line in plan))
        for ms, sql, _ in sorted(timed, key=lambda t: t[0], reverse=True)[args.top :]:
            print(f"{ms:.3f} ms  {sql[:140]}…")


def cold(args):
    """Median time of each page rendered with every cache emptied first: the first view after a content change."""
    _django()
    import logging

    from django.core.cache import caches
    from django.test import Client

    logging.disable(logging.CRITICAL)  # the request log would go to this command's output
    info = json.loads(args.info)
    clients = {
        "anonymous": Client(HTTP_HOST="127.0.0.1", headers=HEADERS),
        "signed-in": Client(HTTP_HOST="127.0.0.1", headers={**HEADERS, "Cookie": info["session_cookie"]}),
    }
    clients["anonymous"].cookies["messages"] = "bench"
    times = {}
    for _, path, who in pages(info):
        if who == "static" or path in times:
            continue
        client = clients["signed-in" if who == "signed-in" else "anonymous"]
        samples = []
        for _ in range(args.repeat):
            for cache in caches.all():
                cache.clear()
            started = time.perf_counter()
            client.get(path)
            samples.append((time.perf_counter() - started) * 1000)
        times[path] = sorted(samples)[len(samples) // 2]
    print(json.dumps(times))


# ---------- Outside Django: databases, server, load ----------


def pages(info):
    """(label, path, who) for every row of the table; who is cached, uncached, api, signed-in or static."""
    filtered = f"/companies/?category={info['category']}&comp_min=200000"
    rows = [("static file (ceiling)", info["static"], "static")]
    for label, path in [
        ("home", "/"),
        ("companies", "/companies/"),
        ("companies filtered", filtered),
        ("profile", info["profile"]),
        ("salaries", "/salaries/"),
    ]:
        rows.append((label, path, "cached"))
        rows.append((label, path, "uncached"))
    rows.append(("api companies", "/api/companies/", "api"))
    rows.append(("bookmarks", "/bookmarks/", "signed-in"))
    return rows


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


def server_env(url, static_root):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aihiring.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": url,
        "DJANGO_STATIC_ROOT": str(static_root),
        # One address sends every request here; the API's throttles would answer 429 within a second.
        "API_ANON_RATE": "100000000/minute",
        "API_USER_RATE": "100000000/minute",
        "PYTHONPATH": str(ROOT),
    }
    # The local-memory cache unless BENCH_REDIS_URL names a Redis to measure instead.
    env.pop("REDIS_URL", None)
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
    request = urllib.request.Request(base + path, headers={**HEADERS, **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, len(response.read()), response.headers.get("X-Cache", "")
    except urllib.error.HTTPError as error:
        return error.code, len(error.read()), error.headers.get("X-Cache", "")


class Server:
    def __init__(self, env, log):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [str(BIN / "gunicorn"), "aihiring.wsgi:application", "--workers", "2", "--bind", f"127.0.0.1:{self.port}"]
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
    return {
        "rps": float(rps.group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "errors": int(errors.group(1)) if errors else 0,
    }


def bench_config(db, size, args, static_root, results):
    counts = SIZES[size]
    # The smoke run starts from an empty database every time, so edited migrations never trip it.
    url = database_url(db, size, fresh=args.rebuild or args.smoke)
    env = server_env(url, static_root)
    started = time.perf_counter()
    cmd = [sys.executable, __file__, "prepare", *[f"--{k}={v}" for k, v in counts.items()]]
    output = run(cmd, env, timeout=3600, hint="if the kept database is out of step with the migrations, add --rebuild")
    info = json.loads(output.strip().splitlines()[-1])
    print(f"\n## {db}, {size}: {info['companies']:,} companies, {info['bookmarks']:,} bookmarks "
          f"(prepared in {time.perf_counter() - started:.0f}s)", flush=True)  # fmt: skip
    if args.explain:
        if db == "postgresql" or args.smoke or args.explain_only:
            sys.stdout.write(run([sys.executable, __file__, "explain", f"--info={json.dumps(info)}"], env, 600))
        if args.explain_only:
            return
    repeat = 3 if args.smoke else 11
    output = run([sys.executable, __file__, "cold", f"--info={json.dumps(info)}", f"--repeat={repeat}"], env, 600)
    cold_ms = json.loads(output.strip().splitlines()[-1])
    log = WORKDIR / f"gunicorn-{db}-{size}.log"
    with Server(env, log) as server:
        for label, path, who in pages(info):
            headers = {}
            if who == "uncached":
                headers["Cookie"] = "messages=bench"
            elif who == "signed-in":
                headers["Cookie"] = info["session_cookie"]
            status, size_bytes, _ = fetch(server.base, path, headers)
            cache_state = fetch(server.base, path, headers)[2] if who == "cached" else ""
            if args.warmup:
                wrk(server.base + path, headers, args, args.warmup)
            row = {"db": db, "size": size, "page": label, "path": path, "mode": who, "status": status}
            row["cold_ms"] = cold_ms.get(path) if who != "cached" else None
            row.update(kb=size_bytes / 1024, cache=cache_state, **wrk(server.base + path, headers, args, args.duration))
            results.append(row)
            print(
                f"  {label:22} {who:10} {status} {row['kb']:6.1f} KB {row['rps']:8.0f} req/s "
                f"p50 {row['p50']:6.2f} ms p99 {row['p99']:7.2f} ms {cache_state}",
                flush=True,
            )


def machine():
    cpu = ""
    if Path("/proc/cpuinfo").exists():
        match = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = match.group(1).strip() if match else ""
    memory = ""
    if Path("/proc/meminfo").exists():
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    load = ", load average {:.1f} {:.1f} {:.1f} at start".format(*os.getloadavg()) if hasattr(os, "getloadavg") else ""
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split(" [")[0].strip()
    gunicorn = subprocess.run([str(BIN / "gunicorn"), "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{cpu or platform.processor()} ({os.cpu_count()} cores{memory}{load}); {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; {gunicorn}, 2 sync workers; {wrk_version}"
    )


def report(results, args):
    static = {(r["db"], r["size"]): r["rps"] for r in results if r["mode"] == "static"}
    edition = {(r["db"], r["page"], r["mode"]): r for r in results if r["size"] != "large"}
    lines = [
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s on 127.0.0.1; {machine()}",
        "",
        "| database | data | page | visitor | status | KB | req/s | × static | p50 ms | p99 ms | p50 × edition "
        "| cold ms | target |",
        "|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    misses = []
    for r in results:
        ceiling = static.get((r["db"], r["size"])) or float("nan")
        ratio = r["rps"] / ceiling
        notes = []
        slowdown = ""
        if r["mode"] != "static":
            minimum = TARGETS[r["mode"]]
            notes.append(f"≥ {minimum:.2f}× {'ok' if ratio >= minimum else 'MISSED'}")
            if ratio < minimum:
                misses.append(f"{r['db']} {r['size']} {r['page']} ({r['mode']}): {ratio:.2f}× static < {minimum}")
            if r["p99"] >= MAX_P99_MS:
                notes.append(f"p99 ≥ {MAX_P99_MS} ms MISSED")
                misses.append(f"{r['db']} {r['size']} {r['page']} ({r['mode']}): p99 {r['p99']:.1f} ms")
            base = edition.get((r["db"], r["page"], r["mode"]))
            if r["size"] == "large" and base and base["p50"] > 0 and r["p50"] > 0:
                factor = r["p50"] / base["p50"]
                slowdown = f"{factor:.2f}"
                if factor > MAX_LARGE_SLOWDOWN:
                    notes.append(f"≤ {MAX_LARGE_SLOWDOWN}× edition MISSED")
                    misses.append(f"{r['db']} large {r['page']} ({r['mode']}): p50 {factor:.2f}× edition size")
        if r["status"] != 200 or r["errors"]:
            notes.append(f"{r['errors']} errors")
        cold = f"{r['cold_ms']:.1f}" if r.get("cold_ms") else ""
        lines.append(
            f"| {r['db']} | {r['size']} | {r['page']} | {r['mode']} | {r['status']} | {r['kb']:.1f} | {r['rps']:,.0f} "
            f"| {ratio:.2f} | {r['p50']:.2f} | {r['p99']:.2f} | {slowdown} | {cold} | {'; '.join(notes)} |"
        )
    lines.append("")
    lines.append("Targets missed:" if misses else "All targets met.")
    lines.extend(f"- {miss}" for miss in misses)
    return "\n".join(lines), misses


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
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of unrecorded load before each page")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
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
        args.size, args.duration, args.warmup, args.threads, args.connections = "smoke", 1, 0, 1, 2
        if args.db == parser.get_default("db"):
            args.db = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    aliases = {"sqlite": "sqlite", "postgres": "postgresql", "postgresql": "postgresql"}
    databases = [aliases[d.strip()] for d in args.db.split(",")]
    sizes = [s.strip() for s in args.size.split(",")]
    WORKDIR.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="aihiring-static-") as static_root:
        env = server_env(f"sqlite:///{WORKDIR / 'collectstatic.sqlite3'}", static_root)
        run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env, timeout=600)
        for db in databases:
            for size in sizes:
                bench_config(db, size, args, static_root, results)
    if args.explain_only:
        return 0
    (WORKDIR / "bench-results.json").write_text(json.dumps(results, indent=1))
    table, misses = report(results, args)
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
