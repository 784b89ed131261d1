"""``make bench`` works: its smoke mode prepares a database, starts gunicorn with the production settings, loads
every page with wrk for a second and prints the table (on PostgreSQL when DATABASE_URL names one)."""

import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

PAGES = ["static file (ceiling)", "home", "companies", "companies filtered", "profile", "salaries"]
PAGES += ["api companies", "bookmarks"]


@pytest.mark.skipif(
    shutil.which("wrk") is None and not os.environ.get("CI"), reason="wrk is not installed: apt-get install wrk"
)
def test_bench_smoke_measures_every_page(tmp_path):
    table = tmp_path / "bench.md"
    result = subprocess.run(
        [sys.executable, "scripts/bench.py", "--smoke", "--output", str(table)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    rows = table.read_text().splitlines()
    assert rows[0].startswith("wrk -t1 -c2 -d1s on 127.0.0.1;")
    for page in PAGES:
        row = next((r for r in rows if f"| {page} |" in r), None)
        assert row is not None, page
        assert "| 200 |" in row, row
        if "| cached |" not in row and "| static |" not in row:
            cold_ms = row.split("|")[-3].strip()  # the first render after a content change, every cache empty
            assert float(cold_ms) > 0, row
    assert any("| cached |" in r for r in rows) and any("| uncached |" in r for r in rows)
    assert "Targets missed:" in result.stdout or "All targets met." in result.stdout
