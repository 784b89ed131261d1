"""``make bench``'s jobs run works: its smoke mode writes boards in the three providers' formats, serves them with
nginx, syncs them (full, unchanged and without ETags), measures a few pages at both sizes with wrk and prints the
tables (on PostgreSQL when DATABASE_URL names one)."""

import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

from deploy import nginx

ANALYZE = "VACUUM (ANALYZE) after it, as autovacuum would"
SYNCS = ["full, 5 sources", "full", ANALYZE, "re-sync, unchanged (ETag: 304; Lever by digest)",
         "re-sync, no ETag (every board by digest)"]  # fmt: skip
PAGES = ["jobs", "q (a common word)", "company profile", "salaries", "api jobs"]


def table_rows(lines, first_header):
    """The rows of the Markdown table whose header starts with ``first_header``, as dicts by column."""
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    header = [cell.strip() for cell in lines[start].strip("|").split("|")]
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(dict(zip(header, (cell.strip() for cell in line.strip("|").split("|")), strict=True)))
    return rows


@pytest.mark.skipif(
    (shutil.which("wrk") is None or nginx.binary() is None) and not os.environ.get("CI"),
    reason="wrk and nginx are needed: apt-get install wrk nginx-light",
)
def test_jobs_bench_smoke_syncs_and_measures_every_row(tmp_path):
    table = tmp_path / "bench_jobs.md"
    result = subprocess.run(
        [sys.executable, "scripts/bench_jobs.py", "--smoke", "--output", str(table)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    lines = table.read_text().splitlines()
    assert lines[0].startswith("wrk -t1 -c2 -d1s ×1 per side")
    assert any(line.startswith("Load average (1, 5, 15 min):") for line in lines)

    syncs = {row["sync"]: row for row in table_rows(lines, "sync")}
    assert list(syncs) == SYNCS
    assert syncs["full, 5 sources"]["postings after"] == "100"
    assert "400 new" in syncs["full"]["what it did"]
    for what in SYNCS[3:]:
        assert "0 new, 0 updated, 0 closed" in syncs[what]["what it did"], syncs[what]
    assert all(float(row["peak RSS MB"]) > 0 for what, row in syncs.items() if what != ANALYZE)
    assert any(line.startswith("Peak RSS of a full sync:") for line in lines)

    pages = {row["page"]: row for row in table_rows(lines, "page")}
    assert list(pages) == PAGES
    for row in pages.values():
        assert float(row["p50 ms edition"]) > 0 and float(row["× edition"]) > 0, row
        assert "failed" not in row["result"], row
    assert "Targets missed:" in result.stdout or "All targets met." in result.stdout
