"""The scan benchmarks still run end to end on a small sandbox and report a complete scan.
Their timings are figures to read, not asserted (see test_pages.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _run(script: str, *arguments: str) -> list[list[str]]:
    """Run ``bench/<script>`` and return its table's data rows, split into cells."""
    finished = subprocess.run(
        [sys.executable, f"bench/{script}", "--customers", "2000", "--latency-ms", "2", *arguments],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    lines = [line.split() for line in finished.stdout.splitlines() if line.strip()]
    return lines[1:]  # the first line is the header


@pytest.mark.slow
def test_scan_benchmark_runs_a_complete_scan_and_reports_its_failures():
    (row,) = _run("scan.py", "--mode", "warm", "--repeat", "2")
    assert row[0] == "warm"
    assert row[-1] == "completed"
    assert len(row[-2].split("/")) == 2  # both runs' wall times
    failing = int(row[14].replace(",", ""))
    assert 0 < failing < 2000


@pytest.mark.slow
def test_ceiling_experiment_walks_every_page_both_ways_and_finds_the_same_failures():
    rows = _run("scan_ceiling.py", "--repeat", "1")
    assert [row[0] for row in rows] == ["threads", "processes"]
    # Three pages: two of the 1,500 Users, one of the 500 Stores.
    assert {row[4] for row in rows} == {"3"}
    failing = {row[10] for row in rows}
    assert len(failing) == 1 and 0 < int(failing.pop().replace(",", "")) < 2000
