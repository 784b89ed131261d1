#!/usr/bin/env python
"""``make bench`` (jobs): syncing the job boards at 1,000,000 postings, and the postings' pages at that size.

It writes 5,000 boards of 200 postings each in the providers' own formats (Greenhouse, Lever and Ashby in turn,
from a seeded generator: the same files on every run), serves them as static files with an nginx of its own
(which answers ``ETag``/``If-None-Match`` with 304 by itself), and measures on PostgreSQL:

  sync      ``manage.py sync_postings`` from scratch (5,000 sources, 1,000,000 postings), again with nothing
            changed (304s for Greenhouse and Ashby; Lever sends no validator, so its pages are compared by digest),
            and again from a server that sends no ETag (every board read and compared by digest); wall time and
            the sync process's peak RSS, and a full sync of 500 sources in a database of its own beside it, so the
            two RSS figures show whether memory grows with the number of sources
  pages     ``/jobs/`` with each filter, a company profile and ``/api/jobs/``, from gunicorn with the production
            settings against the 1,000,000-posting database and against one of the edition's size (the demo
            boards of ``load_demo_postings``), with wrk in turns (edition, 1M, edition, 1M, ...); p50 of each, as
            signed-out requests that render every time (a harmless cookie skips Django's page cache, and
            ``DJANGO_PAGE_CACHE_SECONDS=0`` keeps no ``{% cache %}`` fragment), so the ratio is the render's cost
  explain   ``EXPLAIN (ANALYZE, BUFFERS)`` of each page's queries on the postings at 1,000,000

Targets: a full sync under 10 minutes, an unchanged one under 2, the sync's peak RSS at 5,000 sources within
1.25x of 500's, each page's p50 at 1,000,000 within 1.5x of the edition size's.

  python scripts/bench_jobs.py                 # the full run (about 25 minutes; the boards are written once)
  python scripts/bench_jobs.py --smoke         # 20 sources x 20 postings, a second per page: checks the harness
  python scripts/bench_jobs.py --skip-sync     # pages only, on the databases kept from the last run
  python scripts/bench_jobs.py --profile 100   # cProfile of a sync of 100 sources, top functions by time

Boards are kept under the temp folder (``aihiring-bench/jobs``) and databases as ``aihiring_bench_jobs*``;
``--rebuild`` writes and builds them again.
"""

import argparse
import contextlib
import datetime
import html
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import bench  # noqa: E402  (scripts/bench.py: databases, the server's environment, gunicorn, wrk)

nginx = bench.nginx  # deploy/nginx.py, which finds the binary

WORKDIR = bench.WORKDIR / "jobs"
SEED = 2026
GENERATOR_VERSION = 1  # bump when the generated boards change shape, so kept ones are written again
LEVER_PAGE_SIZE = 100  # jobs/sync.py pages Lever by this many
SIZES = {
    "full": {"sources": 5000, "postings": 200, "memory_sources": 500},
    "smoke": {"sources": 20, "postings": 20, "memory_sources": 5},
}
# Stand-in boards for the edition's companies, used only when the demo boards (fixtures/jobboards) are missing.
EDITION_BOARDS, EDITION_POSTINGS = 21, 14
PROVIDERS = ("greenhouse", "lever", "ashby")
COOKIE = {"Cookie": "bench=1"}  # Django's page cache skips a request with any cookie
FULL_SYNC_SECONDS, RESYNC_SECONDS, MAX_RSS_GROWTH, MAX_SLOWDOWN = 600, 120, 1.25, 1.5

# (label, path) of each page; {company} and {profile} are the company with the most open roles in each database.
PAGES = [
    ("jobs", "/jobs/"),
    ("q (a common word)", "/jobs/?q=engineer"),
    ("text search (a rarer word)", "/jobs/?q=interpretability"),
    ("company", "/jobs/?company={company}"),
    ("role", "/jobs/?role=ml-engineer"),
    ("level", "/jobs/?level=staff"),
    ("workplace", "/jobs/?workplace=remote"),
    ("location", "/jobs/?location=london"),
    ("has_pay", "/jobs/?has_pay=1"),
    ("posted_within", "/jobs/?posted_within=30"),
    ("state", "/jobs/?state=all"),
    ("filters combined", "/jobs/?role=research-engineer&level=senior&workplace=remote&has_pay=1"),
    ("company profile", "{profile}"),
    ("salaries", "/salaries/"),
    ("api jobs", "/api/jobs/"),
]
# The smoke run checks the harness on these.
SMOKE_PAGES = {"jobs", "q (a common word)", "company profile", "salaries", "api jobs"}


# ---------- The boards: a seeded generator in each provider's format ----------

LEVELS = [("", 40), ("Senior ", 22), ("Staff ", 8), ("Principal ", 3), ("Junior ", 4), ("Sr. ", 4), ("Lead ", 3),
          ("Mid-level ", 2), ("Senior Staff ", 2), ("New Grad ", 2)]  # fmt: skip
JOBS = [
    "Software Engineer", "Machine Learning Engineer", "Research Engineer", "Research Scientist", "Applied Scientist",
    "ML Platform Engineer", "Solutions Architect", "Forward Deployed Engineer", "AI Engineer", "Platform Engineer",
    "Data Scientist", "Product Manager", "Engineering Manager", "Technical Program Manager", "Recruiter",
    "Account Executive", "Member of Technical Staff", "Applied AI Engineer", "Security Engineer", "Data Engineer",
]  # fmt: skip
TEAMS = [
    "Inference", "Pre-training", "Safeguards", "Applied AI", "Machine Learning", "Platform", "Data Infrastructure",
    "Evaluations", "Developer Tools", "Search", "Interpretability", "Growth", "Security", "Reinforcement Learning",
    "Model Serving", "Trust & Safety", "Enterprise", "Agents", "Speech", "Vision",
]  # fmt: skip
DEPARTMENTS = ["Engineering", "Research", "Product", "Go To Market", "Operations", "Security"]
PLACES = [
    "San Francisco, CA", "New York City, NY", "Seattle, WA", "London, UK", "Remote - US", "Berlin, Germany",
    "Paris, France", "Toronto, Canada", "Austin, TX", "Dublin, IE", "Zurich, Switzerland", "Tokyo, Japan",
    "Remote", "Boston, MA", "Singapore", "Bangalore, India", "Amsterdam, Netherlands", "Hybrid - London, UK",
]  # fmt: skip
CURRENCIES = [("USD", "$", 70), ("EUR", "€", 15), ("GBP", "£", 10), ("CAD", "CA$", 5)]
SENTENCES = [
    "We build large models and the systems that train, evaluate and serve them to millions of people every day.",
    "You will work with researchers and engineers across the company to turn promising ideas into products.",
    "Our teams are small, and each engineer owns problems from the first prototype to production at scale.",
    "We care about safety, reliability and clear writing as much as we care about raw performance.",
    "The role sits at the boundary between research and engineering, with a great deal of room to shape it.",
    "You will join a team that ships often, measures carefully and shares what it learns with the rest of us.",
]  # fmt: skip
DUTIES = [
    "Design, build and run distributed systems for training and inference",
    "Profile and speed up model serving on GPUs and custom accelerators",
    "Write evaluation suites that tell a better model from a worse one",
    "Partner with customers to take prototypes into production",
    "Improve the data pipelines behind pre-training and fine-tuning",
    "Mentor engineers and raise the bar for code review and design docs",
    "Own on-call for the services your team runs, and make them quieter",
]  # fmt: skip
WANTS = [
    "Several years of experience building production software in Python, Go, Rust or C++",
    "Experience with PyTorch, JAX or another modern deep learning framework",
    "Comfort with ambiguity and a habit of writing things down",
    "A track record of shipping systems that other people depend on",
    "Familiarity with Kubernetes, cloud infrastructure and observability tooling",
]  # fmt: skip


def set_name(sources, postings, prefix="bench"):
    return f"{prefix}-{sources}x{postings}-seed{SEED}-v{GENERATOR_VERSION}"


def board_of(n, prefix="bench"):
    """(provider, board name) of the n-th generated board (from 1), the providers in turn."""
    return PROVIDERS[(n - 1) % 3], f"{prefix}-{n:05d}"


def _posting(rng, anchor):
    """One posting's content in neutral terms; each provider's writer puts it in its own shape."""
    level = rng.choices([text for text, _ in LEVELS], [weight for _, weight in LEVELS])[0]
    job = rng.choice(JOBS)
    title = f"{level}{job}, {rng.choice(TEAMS)}" if rng.random() < 0.75 else f"{level}{job}"
    if not level and rng.random() < 0.08:
        title = f"{job} {rng.choice(['II', 'III'])}"
    places = rng.sample(PLACES, k=rng.choice([1, 1, 1, 2, 3]))
    workplace = rng.choices(["remote", "hybrid", "onsite", ""], [25, 20, 20, 35])[0]
    currency, symbol = rng.choices([(c, s) for c, s, _ in CURRENCIES], [w for _, _, w in CURRENCIES])[0]
    low = rng.randrange(90, 300) * 1000
    high = low + rng.randrange(20, 150) * 1000
    pay_kind = rng.choices(["board", "text", "none"], [45, 10, 45])[0]
    paragraphs = [f"<p>{' '.join(rng.sample(SENTENCES, 3))}</p>"]
    for heading, items in (("What you will do", rng.sample(DUTIES, 4)), ("What we look for", rng.sample(WANTS, 3))):
        paragraphs.append(f"<h3>{heading}</h3><ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
    if pay_kind == "text":
        pay = f"{symbol}{low:,} - {symbol}{high:,} {currency}"
        paragraphs.append(f"<p>The annual base salary for this role is {pay}.</p>")
    paragraphs.append(f"<p><strong>{rng.choice(SENTENCES)}</strong> We welcome applicants from every background.</p>")
    return {
        "title": title,
        "places": places,
        "workplace": workplace,
        "department": rng.choice(DEPARTMENTS),
        "team": rng.choice(TEAMS),
        "posted": anchor - datetime.timedelta(seconds=rng.randrange(0, 180 * 86400)),
        "html": "".join(paragraphs),
        "pay": (low, high, currency) if pay_kind == "board" else None,
        "type": rng.choices(["FullTime", "Contract", "Intern"], [90, 6, 4])[0],
    }


def _plain(markup):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def greenhouse_board(rng, board, n, postings, anchor):
    jobs = []
    for j in range(postings):
        p = _posting(rng, anchor)
        job_id = 4_000_000_000 + n * 1000 + j
        location = " | ".join(p["places"])
        if p["workplace"] == "remote" and "Remote" not in location:
            location += " | Remote-Friendly"
        job = {
            "absolute_url": f"https://job-boards.greenhouse.io/{board}/jobs/{job_id}",
            "data_compliance": [{"type": "gdpr", "requires_consent": False, "retention_period": None}],
            "internal_job_id": job_id - 1_000_000_000,
            "location": {"name": location},
            "metadata": None,
            "id": job_id,
            "updated_at": (p["posted"] + datetime.timedelta(days=3)).isoformat(),
            "requisition_id": f"R{j:04d}",
            "title": p["title"],
            "company_name": board,
            "first_published": p["posted"].isoformat(),
            "content": html.escape(p["html"], quote=True),
            "departments": [{"id": 100 + j % 7, "name": p["department"], "child_ids": [], "parent_id": None}],
            "offices": [{"id": 200 + j % 5, "name": p["places"][0], "location": p["places"][0], "child_ids": []}],
        }
        if p["pay"]:
            low, high, currency = p["pay"]
            job["pay_input_ranges"] = [
                {"min_cents": low * 100, "max_cents": high * 100, "currency_type": currency,
                 "title": "Annual Salary", "blurb": "The base salary range for this role."}
            ]  # fmt: skip
        jobs.append(job)
    return {"jobs": jobs, "meta": {"total": len(jobs)}}


def lever_board(rng, board, n, postings, anchor):
    items = []
    for _ in range(postings):
        p = _posting(rng, anchor)
        posting_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        item = {
            "additional": "<div>We offer competitive pay, equity and generous leave.</div>",
            "additionalPlain": "We offer competitive pay, equity and generous leave.",
            "categories": {
                "commitment": {"FullTime": "Full-time", "Contract": "Contract", "Intern": "Internship"}[p["type"]],
                "department": p["department"],
                "location": p["places"][0],
                "team": p["team"],
                "allLocations": p["places"],
            },
            "createdAt": int(p["posted"].timestamp() * 1000),
            "descriptionPlain": _plain(p["html"]),
            "description": p["html"],
            "id": posting_id,
            "lists": [{"text": "Benefits", "content": "<li>Health, dental and vision</li><li>Learning budget</li>"}],
            "text": p["title"],
            "country": "US",
            "workplaceType": {"remote": "remote", "hybrid": "hybrid", "onsite": "on-site", "": "unspecified"}[
                p["workplace"]
            ],
            "hostedUrl": f"https://jobs.lever.co/{board}/{posting_id}",
            "applyUrl": f"https://jobs.lever.co/{board}/{posting_id}/apply",
        }
        if p["pay"]:
            low, high, currency = p["pay"]
            item["salaryRange"] = {"currency": currency, "interval": "per-year-salary", "min": low, "max": high}
            item["salaryDescription"] = "<div>The base salary range for this role is below.</div>"
            item["salaryDescriptionPlain"] = "The base salary range for this role is below."
        items.append(item)
    return items


def ashby_board(rng, board, n, postings, anchor):
    jobs = []
    for _ in range(postings):
        p = _posting(rng, anchor)
        job_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        job = {
            "id": job_id,
            "title": p["title"],
            "department": p["department"],
            "team": p["team"],
            "employmentType": p["type"],
            "location": p["places"][0],
            "secondaryLocations": [{"location": place, "address": {}} for place in p["places"][1:]],
            "publishedAt": p["posted"].isoformat(),
            "isListed": True,
            "isRemote": p["workplace"] == "remote",
            "workplaceType": {"remote": "Remote", "hybrid": "Hybrid", "onsite": "OnSite", "": None}[p["workplace"]],
            "address": {"postalAddress": {"addressLocality": p["places"][0].split(",")[0]}},
            "jobUrl": f"https://jobs.ashbyhq.com/{board}/{job_id}",
            "applyUrl": f"https://jobs.ashbyhq.com/{board}/{job_id}/application",
            "descriptionHtml": p["html"],
            "descriptionPlain": _plain(p["html"]),
            "shouldDisplayCompensationOnJobPostings": True,
        }
        if p["pay"]:
            low, high, currency = p["pay"]
            job["compensation"] = {
                "compensationTierSummary": f"{currency} {low // 1000}K - {high // 1000}K",
                "scrapeableCompensationSalarySummary": f"{currency} {low // 1000}K - {high // 1000}K",
                "summaryComponents": [
                    {"compensationType": "Salary", "interval": "1 YEAR", "currencyCode": currency,
                     "minValue": low, "maxValue": high},
                    {"compensationType": "EquityPercentage", "interval": "NONE", "currencyCode": None,
                     "minValue": 0.01, "maxValue": 0.05},
                ],
            }  # fmt: skip
        jobs.append(job)
    return {"apiVersion": "1", "jobs": jobs}


WRITERS = {"greenhouse": greenhouse_board, "lever": lever_board, "ashby": ashby_board}


def _dump(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def write_boards(root, name, sources, postings, rebuild=False, prefix="bench"):
    """The set of boards under ``root/name``, written unless a complete one is kept; returns its folder.

    Lever's pages are separate files by ``skip``; the last page holds fewer than a page's postings (``[]`` when the
    board fills its pages exactly), which is where the sync stops.
    """
    folder = root / name
    manifest = folder / "manifest.json"
    wanted = {"sources": sources, "postings": postings, "seed": SEED, "version": GENERATOR_VERSION}
    if not rebuild and manifest.exists() and json.loads(manifest.read_text())["boards"] == wanted:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    for provider in PROVIDERS:
        (folder / provider).mkdir(parents=True)
    started = time.perf_counter()
    # Dates count back from the day the set is written: the same seed writes the same boards that day.
    anchor = datetime.datetime.now(datetime.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    size = 0
    for n in range(1, sources + 1):
        provider, board = board_of(n, prefix)
        rng = random.Random(f"{SEED}:{prefix}:{n}")
        data = WRITERS[provider](rng, board, n, postings, anchor)
        if provider == "lever":
            (folder / "lever" / board).mkdir()
            for skip in range(0, len(data) + 1, LEVER_PAGE_SIZE):
                path = folder / "lever" / board / f"{skip}.json"
                _dump(path, data[skip : skip + LEVER_PAGE_SIZE])
                size += path.stat().st_size
        else:
            path = folder / provider / f"{board}.json"
            _dump(path, data)
            size += path.stat().st_size
    manifest.write_text(json.dumps({"boards": wanted, "anchor": anchor.isoformat(), "bytes": size}))
    print(f"wrote {sources:,} boards of {postings} postings ({size / 1024 / 1024:,.0f} MB) in "
          f"{time.perf_counter() - started:.0f}s: {folder}", file=sys.stderr, flush=True)  # fmt: skip
    return folder


# ---------- nginx serving the boards ----------

BOARDS_CONF = """\
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
{user}
events {{
    worker_connections 1024;
}}
http {{
    types {{ application/json json; }}
    default_type application/json;
    sendfile on;
    access_log off;
    keepalive_requests 100000;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    # As each provider's address is shaped, under /<set>/<provider>: the files of that set of boards.
    server {{
        listen 127.0.0.1:{port};
        root {root};
{locations}
    }}
    # The same files with no ETag and If-Modified-Since ignored: every answer is a 200, read and compared by digest.
    server {{
        listen 127.0.0.1:{plain_port};
        root {root};
        etag off;
        if_modified_since off;
{locations}
    }}
}}
"""
LOCATIONS = """\
        location ~ ^/([A-Za-z0-9._-]+)/greenhouse/([A-Za-z0-9._-]+)/jobs$ { try_files /$1/greenhouse/$2.json =404; }
        location ~ ^/([A-Za-z0-9._-]+)/lever/([A-Za-z0-9._-]+)$ { try_files /$1/lever/$2/$arg_skip.json =404; }
        location ~ ^/([A-Za-z0-9._-]+)/ashby/([A-Za-z0-9._-]+)$ { try_files /$1/ashby/$2.json =404; }
        location / { return 404; }"""


class BoardServer(nginx.NginxProcess):
    """nginx on two free ports of 127.0.0.1 serving every set of boards under ``root``: ``base`` answers 304 to
    ``If-None-Match``, ``plain_base`` sends no ETag. Its own config, pid, logs and temp folders in ``prefix``."""

    def __init__(self, root, prefix):
        super().__init__(prefix)
        self.root = Path(root)

    def urls(self, name, plain=False):
        base = f"http://127.0.0.1:{self.plain_port if plain else self.port}/{name}"
        return {f"POSTINGS_{p.upper()}_URL": f"{base}/{p}" for p in PROVIDERS}

    def write_config(self, port):
        self.plain_port = bench.free_port()
        (self.prefix / "nginx.conf").write_text(
            BOARDS_CONF.format(
                prefix=self.prefix,
                user=self.user,
                port=port,
                plain_port=self.plain_port,
                root=self.root,
                locations=LOCATIONS,
            )  # fmt: skip
        )


# ---------- Inside Django: databases, sources, page facts, EXPLAIN, a profiled sync ----------


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aihiring.settings.prod")
    import django

    django.setup()


def _truncate(*models):
    """Empty the tables of ``models`` and of every table that refers to them (other apps' rows about postings)."""
    from django.db import connection

    ordered = []

    def add(model):
        for relation in model._meta.related_objects:
            if relation.related_model not in ordered and relation.related_model not in models:
                add(relation.related_model)
        if model not in ordered:
            ordered.append(model)

    for model in models:
        add(model)
    tables = [connection.ops.quote_name(model._meta.db_table) for model in ordered]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")


def prepare(args):
    """Migrate, load the edition, make ``--sources`` synthetic companies with one board each (the first
    ``--enabled`` of them enabled, all by default), and empty the postings and runs, so the next sync is a full one."""
    _django()
    from django.core.management import call_command

    from companies.models import Company
    from jobs.models import JobSource, Posting, SyncRun

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_edition", verbosity=0)
    synthetic = Company.objects.filter(slug__startswith="synthetic-")
    if synthetic.count() != args.sources:
        _truncate(Posting, SyncRun, JobSource)
        call_command("generate_scale_data", remove=True, verbosity=0)
        call_command("generate_scale_data", companies=args.sources, verbosity=0)
    _truncate(Posting, SyncRun)
    boards = set(JobSource.objects.values_list("board", flat=True))
    missing = []
    for pk, slug in synthetic.values_list("pk", "slug"):
        provider, board = board_of(int(slug.removeprefix("synthetic-")))
        if board not in boards:
            missing.append(JobSource(company_id=pk, provider=provider, board=board))
    JobSource.objects.bulk_create(missing, batch_size=2000)
    JobSource.objects.update(etag="", last_modified="", payload_digest="", last_run_at=None, last_success_at=None)
    enabled = args.enabled or args.sources
    JobSource.objects.update(is_enabled=False)
    JobSource.objects.filter(board__in=[board_of(n)[1] for n in range(1, enabled + 1)]).update(is_enabled=True)
    print(json.dumps({"sources": JobSource.objects.count(), "enabled": JobSource.objects.enabled().count()}))


def prepare_edition(args):
    """The edition and its demo boards (``load_demo_postings``), or, where the demo boards are missing, stand-in
    boards for the edition's first companies, which the caller then syncs from nginx."""
    _django()
    from django.core.management import call_command

    from companies.models import Company
    from jobs.demo import DEMO_DIR
    from jobs.models import JobSource

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_edition", verbosity=0)
    if (DEMO_DIR / "sources.json").exists():
        call_command("load_demo_postings", verbosity=0)
        print(json.dumps({"boards": "demo"}))
        return
    companies = Company.objects.published().order_by("name").values_list("pk", flat=True)[: args.boards]
    for n, pk in enumerate(companies, start=1):
        provider, board = board_of(n, "edition")
        JobSource.objects.get_or_create(provider=provider, board=board, defaults={"company_id": pk})
    print(json.dumps({"boards": "stand-in"}))


def facts(args):
    """Postings and sources counted, the table's size, the company with the most open roles; ``--analyze``
    first refreshes the planner's statistics, as autovacuum would after a bulk load."""
    _django()
    from django.db import connection
    from django.db.models import Count, Q

    from companies.models import Company
    from jobs.models import JobSource, Posting, SyncRun

    if args.analyze:
        tables = ", ".join(m._meta.db_table for m in (Posting, JobSource, SyncRun))
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {tables}" if connection.vendor == "postgresql" else "ANALYZE")
    top = (
        Company.objects.published()
        .filter(job_sources__isnull=False)
        .annotate(open_roles=Count("postings", filter=Q(postings__closed_at__isnull=True), distinct=True))
        .order_by("-open_roles", "name")
        .first()
    )
    result = {
        "postings": Posting.objects.count(),
        "open": Posting.objects.open().count(),
        "sources": JobSource.objects.count(),
        "company": top.slug if top else "",
        "profile": top.get_absolute_url() if top else "/companies/",
        "company_roles": top.open_roles if top else 0,
        "outcomes": dict(SyncRun.objects.values_list("outcome").annotate(n=Count("pk")).order_by()),
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_relation_size('jobs_posting'), pg_indexes_size('jobs_posting')")
            result["table_mb"], result["indexes_mb"] = (size / 1024 / 1024 for size in cursor.fetchone())
    print(json.dumps(result))


def page_paths(info, smoke=False):
    return [(label, path.format(**info)) for label, path in PAGES if not smoke or label in SMOKE_PAGES]


def explain(args):
    """``EXPLAIN (ANALYZE, BUFFERS)`` of each page's queries on the postings, slowest first; the others timed."""
    _django()
    import logging

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    logging.disable(logging.CRITICAL)
    client = Client(HTTP_HOST="127.0.0.1", headers={**bench.HEADERS, **COOKIE})
    for label, path in page_paths(json.loads(args.info), args.smoke):
        client.get(path)  # the first request of a worker loads what every request shares
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        print(f"\n### {label}: GET {path} ({status}, {len(queries)} queries)\n")
        for ms, sql, plan in bench.explained(queries, "ANALYZE, BUFFERS"):
            if '"jobs_posting"' in sql:
                print(f"{ms:.3f} ms  {sql}")
                print("\n".join(f"    {line}" for line in plan))
            else:
                print(f"{ms:.3f} ms  {sql[:160]}{'…' if len(sql) > 160 else ''}")


def profile(args):
    """cProfile of one sync of the first ``--sources`` sources (one worker, so the profile sees every call)."""
    _django()
    import cProfile
    import pstats

    from jobs.models import JobSource
    from jobs.sync import sync_sources

    sources = JobSource.objects.enabled().select_related("company").order_by("pk")[: args.sources]
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    counts, failed = sync_sources(JobSource.objects.filter(pk__in=[s.pk for s in sources]).select_related("company"),
                                  workers=1)  # fmt: skip
    profiler.disable()
    print(f"{counts} {len(failed)} failed in {time.perf_counter() - started:.1f}s")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(30)


# ---------- Outside Django: the runs ----------


def child(command, env, timeout=3600, **options):
    """The JSON last line of ``bench_jobs.py <command>`` in a child process with ``env``."""
    cmd = [sys.executable, __file__, command, *[f"--{k}={v}" for k, v in options.items()]]
    return json.loads(bench.run(cmd, env, timeout=timeout).strip().splitlines()[-1])


class BackendCPU:
    """CPU seconds of the PostgreSQL backends serving ``url``'s database while it runs, from /proc (a server on this
    machine): sampled twice a second, each backend's last reading summed. 0 where they cannot be read."""

    def __init__(self, url):
        self.url, self.readings, self.stop = url, {}, threading.Event()
        self.ticks = os.sysconf("SC_CLK_TCK")

    def sample(self):
        import psycopg

        try:
            with psycopg.connect(self.url, autocommit=True) as conn:
                while not self.stop.wait(0.5):
                    pids = conn.execute(
                        "SELECT pid FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    ).fetchall()
                    for (pid,) in pids:
                        with contextlib.suppress(OSError, IndexError, ValueError):
                            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                            self.readings[pid] = (int(fields[11]) + int(fields[12])) / self.ticks
        except psycopg.Error:
            pass

    def __enter__(self):
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    @property
    def seconds(self):
        return sum(self.readings.values())


def timed_sync(env, what, out):
    """``manage.py sync_postings`` as its own process: wall time, CPU time and peak RSS (wait4's rusage: that process
    and the reader processes it started, RSS the largest of them), the database's CPU time, and its summary line."""
    log = out / f"sync-{re.sub(r'\W+', '-', what)}.log"
    started = time.perf_counter()
    postgres = env["DATABASE_URL"].startswith("postgres")
    with open(log, "w") as output, BackendCPU(env["DATABASE_URL"]) if postgres else contextlib.nullcontext() as db:
        process = subprocess.Popen([sys.executable, "manage.py", "sync_postings"], env=env, cwd=ROOT,
                                   stdout=output, stderr=subprocess.STDOUT)  # fmt: skip
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    text = log.read_text(errors="replace")
    if process.returncode:
        raise SystemExit(f"sync_postings ({what}) failed:\n{text[-3000:]}")
    summary = next((line for line in text.splitlines() if line.startswith("Synced ")), "")
    new = re.search(r"(\d+) new", summary)
    result = {"what": what, "seconds": seconds, "rss_mb": usage.ru_maxrss / 1024, "summary": summary,
              "cpu": usage.ru_utime + usage.ru_stime, "db_cpu": db.seconds if db else None,
              "new": int(new.group(1)) if new else 0}  # fmt: skip
    print(f"  sync, {what}: {seconds:.1f}s (CPU {result['cpu']:.0f}s, database {result['db_cpu'] or 0:.0f}s), "
          f"peak RSS {result['rss_mb']:.0f} MB; {summary}", flush=True)  # fmt: skip
    return result


def fetch_page(base, path):
    """(status, rows shown) of one signed-out GET without the page cache."""
    request = urllib.request.Request(base + path, headers={**bench.HEADERS, **COOKIE})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, 0
    if path.startswith("/api/"):
        return status, len(json.loads(body)["results"])
    return status, body.count('<li class="posting">')


def measure_pages(edition, large, args):
    """Each page against both servers in turns (edition, 1M, edition, 1M, ...): the median of each side's p50s."""
    results = []
    pairs = zip(page_paths(edition["info"], args.smoke), page_paths(large["info"], args.smoke), strict=True)
    for (label, edition_path), (_, large_path) in pairs:
        sides = {"edition": (edition["base"], edition_path), "large": (large["base"], large_path)}
        entry = {"page": label, "paths": {k: path for k, (_, path) in sides.items()}}
        for side, (base, path) in sides.items():
            entry[f"{side}_status"], entry[f"{side}_rows"] = fetch_page(base, path)
            if args.warmup:
                bench.wrk(base + path, {**bench.GZIP, **COOKIE}, args, args.warmup)
        samples = {"edition": [], "large": []}
        for _ in range(args.rounds):
            for side, (base, path) in sides.items():
                samples[side].append(bench.wrk(base + path, {**bench.GZIP, **COOKIE}, args, args.slice))
        for side, runs in samples.items():
            entry[f"{side}_p50"] = statistics.median(run["p50"] for run in runs)
            entry[f"{side}_rps"] = statistics.fmean(run["rps"] for run in runs)
            entry[f"{side}_errors"] = sum(run["errors"] for run in runs)
        entry["ratio"] = entry["large_p50"] / entry["edition_p50"]
        results.append(entry)
        print(
            f"  {label:28} edition {entry['edition_p50']:7.2f} ms ({entry['edition_rows']} rows)  "
            f"large {entry['large_p50']:7.2f} ms ({entry['large_rows']} rows)  {entry['ratio']:.2f}×",
            flush=True,
        )
    return results


def report(args, syncs, memory, pages, facts_large, facts_edition, loads):
    lines = [
        f"wrk -t{args.threads} -c{args.connections} -d{args.slice}s ×{args.rounds} per side, the edition size and "
        f"{facts_large['postings']:,} postings in turns, on 127.0.0.1; {bench.machine()}",
        "",
        f"Load average (1, 5, 15 min): {loads['start']} at the start, {loads['pages']} when the pages' load began, "
        f"{loads['end']} at the end.",
        "",
        "| sync | sources | postings after | seconds | CPU s, sync | CPU s, database | peak RSS MB | what it did "
        "| target | result |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    misses = []
    for entry in syncs:
        target = entry.get("target")
        ok = target is None or entry["seconds"] < target
        if not ok:
            misses.append(f"sync, {entry['what']}: {entry['seconds']:.0f}s, target under {target}s")
        verdict = "" if target is None else ("ok" if ok else "MISSED")
        lines.append(
            f"| {entry['what']} | {entry['sources']:,} | {entry['postings']:,} | {entry['seconds']:.1f} "
            f"| {entry.get('cpu', 0):.0f} | {'' if entry.get('db_cpu') is None else f'{entry["db_cpu"]:.0f}'} "
            f"| {entry['rss_mb']:.0f} | {entry['summary'].removesuffix('.')} "
            f"| {'' if target is None else f'< {target} s'} | {verdict} |"
        )
    large = f"{facts_large['postings']:,}"
    growth = memory["large_rss"] / memory["small_rss"]
    ok = growth <= MAX_RSS_GROWTH
    if not ok:
        misses.append(f"peak RSS {growth:.2f}× from {memory['small']:,} to {memory['large']:,} sources")
    lines += [
        "",
        f"Peak RSS of a full sync: {memory['small_rss']:.0f} MB at {memory['small']:,} sources, "
        f"{memory['large_rss']:.0f} MB at {memory['large']:,} sources: {growth:.2f}× (target ≤ {MAX_RSS_GROWTH}×, "
        f"{'ok' if ok else 'MISSED'}).",
        f"Postings table at {facts_large['postings']:,} rows: {facts_large.get('table_mb', 0):,.0f} MB, its indexes "
        f"{facts_large.get('indexes_mb', 0):,.0f} MB. Edition size: {facts_edition['postings']:,} postings from "
        f"{facts_edition['sources']:,} boards ({facts_edition['boards']}).",
        "",
        f"| page | rows shown (edition / {large}) | p50 ms edition | p50 ms {large} | × edition | target | result |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    for entry in pages:
        ok = entry["ratio"] <= MAX_SLOWDOWN
        problems = [f"{side} {entry[f'{side}_status']}" for side in ("edition", "large")
                    if entry[f"{side}_status"] != 200 or entry[f"{side}_errors"]]  # fmt: skip
        if not ok:
            misses.append(f"{entry['page']}: p50 {entry['ratio']:.2f}× the edition size's")
        if problems:
            misses.append(f"{entry['page']}: failed ({', '.join(problems)})")
        lines.append(
            f"| {entry['page']} | {entry['edition_rows']} / {entry['large_rows']} | {entry['edition_p50']:.2f} "
            f"| {entry['large_p50']:.2f} | {entry['ratio']:.2f} | ≤ {MAX_SLOWDOWN}× "
            f"| {'ok' if ok and not problems else 'MISSED'}{'; ' + ', '.join(problems) if problems else ''} |"
        )
    paths = {entry["page"]: entry["paths"] for entry in pages}
    lines += ["", "Paths: " + "; ".join(
        f"{page} `{p['large']}`" + (f" (edition `{p['edition']}`)" if p["edition"] != p["large"] else "")
        for page, p in paths.items()
    ) + "."]  # fmt: skip
    lines += ["", "Targets missed:" if misses else "All targets met."]
    lines += [f"- {miss}" for miss in misses]
    return "\n".join(lines), misses


def loadavg():
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    prep = sub.add_parser("prepare", help=argparse.SUPPRESS)
    prep.add_argument("--sources", type=int, required=True)
    prep.add_argument("--enabled", type=int, default=0)
    sub.add_parser("prepare-edition", help=argparse.SUPPRESS).add_argument("--boards", type=int, required=True)
    sub.add_parser("facts", help=argparse.SUPPRESS).add_argument("--analyze", type=int, default=0)
    explain_parser = sub.add_parser("explain", help=argparse.SUPPRESS)
    explain_parser.add_argument("--info", required=True)
    explain_parser.add_argument("--smoke", type=int, default=0)
    sub.add_parser("profile-sync", help=argparse.SUPPRESS).add_argument("--sources", type=int, required=True)
    parser.add_argument("--db", default="postgresql", help="postgresql (default) or sqlite")
    parser.add_argument("--duration", type=int, default=6, help="seconds of load per page and side, in --rounds")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--connections", type=int, default=2, help="wrk connections: 2, one per gunicorn worker")
    parser.add_argument("--skip-sync", action="store_true", help="measure the pages on the databases kept")
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument("--profile", type=int, metavar="SOURCES", help="cProfile a sync of N sources; stop")
    parser.add_argument("--rebuild", action="store_true", help="write the boards and build the databases again")
    parser.add_argument("--smoke", action="store_true", help="20 sources × 20 postings, a second per page")
    parser.add_argument("--output", help="also write the tables (Markdown) to this file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    commands = {"prepare": prepare, "prepare-edition": prepare_edition, "facts": facts, "explain": explain,
                "profile-sync": profile}  # fmt: skip
    if args.command:
        return commands[args.command](args)

    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    size = "smoke" if args.smoke else "full"
    if args.smoke:
        args.duration, args.rounds, args.warmup = 1, 1, 0
        if args.db == parser.get_default("db"):
            args.db = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    args.slice = max(1, round(args.duration / args.rounds))
    db = {"postgres": "postgresql"}.get(args.db, args.db)
    counts = SIZES[size]
    loads = {"start": loadavg()}
    boards_root = WORKDIR / "boards"
    name = set_name(counts["sources"], counts["postings"])
    write_boards(boards_root, name, counts["sources"], counts["postings"], rebuild=args.rebuild)
    edition_name = set_name(EDITION_BOARDS, EDITION_POSTINGS, "edition")
    write_boards(boards_root, edition_name, EDITION_BOARDS, EDITION_POSTINGS, args.rebuild, prefix="edition")

    prefix = "jobs_smoke" if args.smoke else "jobs"
    fresh = args.rebuild or args.smoke
    urls = {
        "large": bench.database_url(db, prefix, fresh=fresh),
        "edition": bench.database_url(db, f"{prefix}_edition", fresh=fresh),
    }
    scratch = Path(tempfile.mkdtemp(prefix="aihiring-bench-jobs-"))
    try:
        envs = {
            side: {**bench.server_env(url, scratch / "static", scratch / f"pages-{side}"),
                   "DJANGO_PAGE_CACHE_SECONDS": "0"}
            for side, url in urls.items()
        }  # fmt: skip
        # The pages' static files, for the explained pages as much as for gunicorn.
        bench.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], envs["large"], timeout=600)
        with BoardServer(boards_root, scratch / "nginx") as boards:
            if args.profile:
                child("prepare", envs["large"], sources=counts["sources"])
                env = {**envs["large"], **boards.urls(name)}
                cmd = [sys.executable, __file__, "profile-sync", f"--sources={args.profile}"]
                sys.stdout.write(bench.run(cmd, env, timeout=3600))
                return 0
            syncs, memory = [], {}
            if not args.skip_sync:
                print(f"\n## sync: {counts['sources']:,} sources × {counts['postings']} postings on {db}", flush=True)
                # The memory comparison first: the same database with only the first sources enabled, its postings
                # emptied before each full sync, as in a fresh database.
                small = counts["memory_sources"]
                child("prepare", envs["large"], sources=counts["sources"], enabled=small)
                entry = timed_sync({**envs["large"], **boards.urls(name)}, f"full, {small:,} sources", scratch)
                syncs.append({**entry, "sources": small, "postings": entry["new"]})
                child("prepare", envs["large"], sources=counts["sources"])
                runs = [
                    ("full", boards.urls(name), FULL_SYNC_SECONDS),
                    ("re-sync, unchanged (ETag: 304; Lever by digest)", boards.urls(name), RESYNC_SECONDS),
                    ("re-sync, no ETag (every board by digest)", boards.urls(name, plain=True), RESYNC_SECONDS),
                ]
                postings = 0
                for what, provider_urls, target in runs:
                    entry = timed_sync({**envs["large"], **provider_urls}, what, scratch)
                    postings += entry["new"]
                    syncs.append({**entry, "sources": counts["sources"], "postings": postings, "target": target})
                    if what == "full":
                        # What autovacuum does after a bulk load (this machine's PostgreSQL may run without it),
                        # timed apart: the re-syncs then plan with statistics, as they would in production.
                        started = time.perf_counter()
                        child("facts", envs["large"], analyze=1)
                        analyzed = time.perf_counter() - started
                        print(f"  VACUUM (ANALYZE) after the full sync: {analyzed:.1f}s", flush=True)
                        syncs.append({"what": "VACUUM (ANALYZE) after it, as autovacuum would", "seconds": analyzed,
                                      "sources": counts["sources"], "postings": postings, "rss_mb": 0,
                                      "summary": "statistics for the planner", "cpu": 0, "db_cpu": None})  # fmt: skip
                memory = {"small": small, "small_rss": syncs[0]["rss_mb"], "large": counts["sources"],
                          "large_rss": syncs[1]["rss_mb"]}  # fmt: skip
                kind = child("prepare-edition", envs["edition"], boards=EDITION_BOARDS)["boards"]
                if kind == "stand-in":
                    timed_sync({**envs["edition"], **boards.urls(edition_name)}, "edition size", scratch)
                (WORKDIR / f"{prefix}-syncs.json").write_text(json.dumps({"syncs": syncs, "memory": memory}))
            else:
                kept = json.loads((WORKDIR / f"{prefix}-syncs.json").read_text())
                syncs, memory = kept["syncs"], kept["memory"]
                kind = child("prepare-edition", envs["edition"], boards=EDITION_BOARDS)["boards"]
        facts_large = child("facts", envs["large"], analyze=1)
        facts_edition = {**child("facts", envs["edition"], analyze=1), "boards": kind}

        if not args.no_explain:
            print(f"\n## EXPLAIN (ANALYZE, BUFFERS) at {facts_large['postings']:,} postings", flush=True)
            cmd = [
                sys.executable,
                __file__,
                "explain",
                f"--info={json.dumps(facts_large)}",
                f"--smoke={int(args.smoke)}",
            ]
            explained = bench.run(cmd, envs["large"], timeout=1800)
            (WORKDIR / f"{prefix}-explain.txt").write_text(explained)
            sys.stdout.write(explained)

        print(f"\n## pages: the edition's size and {facts_large['postings']:,} postings in turns", flush=True)
        loads["pages"] = loadavg()
        with (
            bench.Server(envs["edition"], scratch / "gunicorn-edition.log") as edition_server,
            bench.Server(envs["large"], scratch / "gunicorn-large.log") as large_server,
        ):
            pages = measure_pages(
                {"base": edition_server.base, "info": facts_edition},
                {"base": large_server.base, "info": facts_large},
                args,
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    loads["end"] = loadavg()
    table, misses = report(args, syncs, memory, pages, facts_large, facts_edition, loads)
    print("\n" + table)
    if args.output:
        Path(args.output).write_text(table + "\n")
    failed = [p for p in pages if p["edition_status"] != 200 or p["large_status"] != 200]
    if failed:
        return 1
    return 1 if args.check and misses else 0


if __name__ == "__main__":
    sys.exit(main())
