"""``make bench`` works: its smoke mode prepares a database, starts gunicorn with the production settings and
nginx in front of it (when nginx is installed), loads every row with wrk for a second, interleaved with the
static file, and prints the table (on PostgreSQL when DATABASE_URL names one)."""

import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

from deploy import nginx

GUNICORN_ROWS = [
    ("static file (whitenoise)", "static"),
    ("home", "page cache"),
    ("companies", "page cache"),
    ("companies filtered", "page cache"),
    ("profile", "page cache"),
    ("salaries", "page cache"),
    ("api companies", "anonymous"),
    ("home", "signed-in"),
    ("companies", "signed-in"),
    ("profile", "signed-in"),
    ("bookmarks (20)", "signed-in"),
    ("home", "uncached"),
    ("companies", "uncached"),
    ("profile", "uncached"),
    ("salaries", "uncached"),
]
NGINX_ROWS = [
    ("static file (nginx)", "static"),
    ("home", "nginx cache"),
    ("companies", "nginx cache"),
    ("profile", "nginx cache"),
    ("salaries", "nginx cache"),
    ("home", "nginx cache, plain"),
]


@pytest.mark.skipif(
    shutil.which("wrk") is None and not os.environ.get("CI"), reason="wrk is not installed: apt-get install wrk"
)
def test_bench_smoke_measures_every_row(tmp_path):
    table = tmp_path / "bench.md"
    result = subprocess.run(
        [sys.executable, "scripts/bench.py", "--smoke", "--output", str(table)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    lines = table.read_text().splitlines()
    assert lines[0].startswith("wrk -t1 -c2 -d1s ×1, interleaved with the static file, on 127.0.0.1;")
    assert "load average" in lines[0]
    header = [cell.strip() for cell in lines[2].strip("|").split("|")]
    rows = [dict(zip(header, (c.strip() for c in line.strip("|").split("|")), strict=True)) for line in lines[4:]
            if line.startswith("|")]  # fmt: skip
    expected = GUNICORN_ROWS + (NGINX_ROWS if nginx.binary() else [])
    for page, visitor in expected:
        row = next((r for r in rows if r["page"] == page and r["visitor"] == visitor), None)
        assert row is not None, (page, visitor)
        assert row["status"] == "200", row
        assert float(row["req/s"].replace(",", "")) > 0, row
        assert float(row["× static"]) > 0, row
        if visitor in ("signed-in", "uncached", "anonymous"):
            assert float(row["cold ms"]) > 0, row  # the first render after a content change, every cache empty
        if visitor.startswith("nginx cache"):
            assert "X-Cache-Status" not in row["target"], row  # the second request was a HIT
    if not nginx.binary():
        assert any("nginx rows were skipped" in line for line in lines)
    assert any(line.startswith("Load average (1 min) when each configuration's load began:") for line in lines)
    assert "Targets missed:" in result.stdout or "All targets met." in result.stdout
