"""The sync benchmark still runs end to end on a small sandbox with a real worker and
reports two complete syncs. Its timings are figures to read, not asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_sync_benchmark_runs_two_complete_syncs_and_the_second_writes_nothing():
    finished = subprocess.run(
        [
            sys.executable,
            "bench/sync.py",
            "--customers",
            "2000",
            "--latency-ms",
            "2",
            "--workers",
            "1",
            "--partitions",
            "2",
        ],  # fmt: skip
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    rows = [
        line.split()
        for line in finished.stdout.splitlines()
        if line.strip() and not line.startswith("#") and not line.split()[0] == "db"
    ]
    (row,) = rows
    assert row[0] == "sqlite" and row[1] == "2,000"
    assert row[-1] == "completed/completed"
    assert row[-2] == "0"  # the unchanged second sync wrote no row
    assert float(row[10]) > 0  # the floor was measured in the same run
