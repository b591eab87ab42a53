"""Instructions per request of one page case, counted by valgrind's callgrind.

    python -m bench.instructions list-100-warm [--requests 10]

Milliseconds on a shared 2-core VM move by 2x from one run to the next; the number of
instructions a request executes does not (repeat runs agree within 0.5%). This runs
``python -m bench.pages --profile CASE --profiler callgrind`` under callgrind with counting
off, the profile switches it on for the profiled requests only, and the total is divided
by the number of requests. Needs ``valgrind`` (Debian package); about a minute a case,
most of it Django starting up 50 times slower than usual.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["instructions_per_request", "main", "parse_collected", "run_under_callgrind"]

PROJECT_DIR = Path(__file__).resolve().parent.parent
_COLLECTED = re.compile(r"^==\d+== Collected : (\d+)$", re.MULTILINE)


def parse_collected(valgrind_output: str) -> int:
    """The instruction count callgrind reports at exit (its "Collected" line)."""
    found = _COLLECTED.findall(valgrind_output)
    if len(found) != 1:
        raise ValueError("callgrind reported no instruction count (is valgrind installed?)")
    return int(found[0])


def run_under_callgrind(command: list[str], *, env: dict | None = None):
    """Run ``command`` under callgrind with counting off until the program switches it on
    (``callgrind_control --instr=on``); the finished process, its output captured."""
    with tempfile.TemporaryDirectory(prefix="dashboard-callgrind-") as work_dir:
        return subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                f"--callgrind-out-file={Path(work_dir) / 'callgrind.out'}",
                *command,
            ],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )


def instructions_per_request(case: str, *, requests: int, customers: int = 20_000) -> int:
    """Instructions one request of ``case`` executes, averaged over ``requests``."""
    finished = run_under_callgrind(
        [
            sys.executable,
            "-m",
            "bench.pages",
            "--profile",
            case,
            "--profiler",
            "callgrind",
            "--requests",
            str(requests),
            # Latency only adds waiting, never instructions.
            "--latency-ms",
            "0",
            "--customers",
            str(customers),
        ]
    )
    if finished.returncode != 0:
        raise RuntimeError(f"the profile failed:\n{finished.stderr[-3000:]}")
    return parse_collected(finished.stderr) // requests


def main(argv: list[str] | None = None) -> int:
    """Print the instructions per request of each case named."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.instructions", description=__doc__.split("\n")[0]
    )
    parser.add_argument("cases", nargs="+", help="case names, as in bench/pages.py CASES")
    parser.add_argument("--requests", type=int, default=10, help="requests counted per case")
    arguments = parser.parse_args(argv)
    for case in arguments.cases:
        count = instructions_per_request(case, requests=arguments.requests)
        print(f"{case:20s} {count / 1e6:8.1f} M instructions per request")
    return 0


if __name__ == "__main__":
    sys.exit(main())
