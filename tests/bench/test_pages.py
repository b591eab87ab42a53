"""The page benchmark still runs end to end and reports what it promises. Its timings are
figures to read, not asserted: a timed test would fail on a busy machine, not a slow page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _run_bench_pages(*arguments: str) -> subprocess.CompletedProcess:
    """``python -m bench.pages`` on a small, fast sandbox, with ``arguments`` added."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.pages",
            "--requests",
            "3",
            "--latency-ms",
            "5",
            "--customers",
            "1000",
            *arguments,
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_benchmark_reports_each_list_case_with_its_upstream_calls():
    finished = _run_bench_pages("--only", "list-25")
    # 1 only means a target was missed, which a loaded test machine may well do.
    assert finished.returncode in (0, 1), finished.stderr[-3000:]
    rows = {line.split()[0]: line.split() for line in finished.stdout.splitlines() if line.strip()}
    assert rows["list-25-cold"][1] == "1"  # each cold request made exactly one upstream call
    assert rows["list-25-warm"][1] == "0"  # warm requests made none
    assert "limit=100" in finished.stdout  # the Wonder-call-alone reference


@pytest.mark.slow
def test_cprofile_profile_counts_calls_and_names_the_queries_of_one_request():
    finished = _run_bench_pages("--profile", "list-25-warm", "--profiler", "cprofile")
    assert finished.returncode == 0, finished.stderr[-3000:]
    # A warm page still reads the session, its user, the user's and the user's groups'
    # permissions (the benchmark's user is in the Finance role), whether the user has a
    # second factor (Finance needs one: accounts/signin/middleware.py) and the column choice.
    assert "Database queries in one request: 6" in finished.stdout
    assert "django_session" in finished.stdout
    assert "Ordered by: internal time" in finished.stdout  # cProfile, by self time
    assert "Ordered by: cumulative time" in finished.stdout
    assert "customer_list_view" in finished.stdout
