"""Benchmark the failed bindings scan against a sandbox process.

For each (customers, latency) case: start the sandbox with that many customers and that
latency, migrate a throwaway SQLite database, and run one scan in a fresh process (so its
peak RSS is the scan's own), three times by default (``--repeat``) against the same
sandbox, each into an empty database: the figures are the median run's, with every run's
wall time in the last column. Prints customers/s, peak memory and the ideal time
(pages x latency / concurrency) beside the wall time, split into the walk (reading Wonder)
and the save (the reconcile), and the CPU per page of the scanning process (``cpu/pg``,
walk and save together) and of the sandbox (``sbx cpu/pg``). On 2 CPUs, a scan cannot
beat (cpu/pg + sbx cpu/pg) x pages / 2 whatever its concurrency.

Each case runs in two modes:

- ``cold``: sandbox processes (one per CPU) generate and encode every page as it is asked
  for, on the same CPUs as the scanner: the end-to-end figure on this machine.
- ``warm``: one sandbox process with its page cache (``SANDBOX_PAGE_CACHE``) filled BEFORE
  the timed scan, so the upstream costs little more than its latency, as the real Wonder
  (whose CPU is not ours) would. Also prints the sandbox's peak RSS holding the cache.

    .venv/bin/python bench/scan.py                      # 100k and 1M at 20 ms and 100 ms
    .venv/bin/python bench/scan.py --customers 100000 --latency-ms 20 --mode warm
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import recreate_postgres_database  # noqa: E402
from tests.keys import new_key_pair  # noqa: E402

__all__ = ["main"]

# One scan inside a fresh process: prints a JSON line with its figures.
_CHILD = """
import json, logging, os, resource, time, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from customers_app.bindings.scan import binding_scan_run

class Phases(logging.Handler):
    # The scan's completion line carries its walk and save times as its last two arguments.
    seconds = (0.0, 0.0)
    def emit(self, record):
        if "completed" in record.msg:
            Phases.seconds = record.args[-2:]

scan_logger = logging.getLogger("customers_app.bindings.scan")
scan_logger.addHandler(Phases())
scan_logger.setLevel(logging.INFO)
cpu_before = sum(os.times()[:2])
started = time.perf_counter()
run = binding_scan_run(concurrency={concurrency})
wall = time.perf_counter() - started
print(json.dumps({{
    "status": run.status, "error": run.error, "seen": run.customers_seen,
    "failing": run.failures_found, "requests": run.upstream_requests, "wall": wall,
    "walk": Phases.seconds[0], "save": Phases.seconds[1],
    "cpu": sum(os.times()[:2]) - cpu_before,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}}))
"""


# ``python -m wonder_sandbox`` is one process, and generating a page of 1,000 customers costs
# it ~70 ms of CPU under one GIL: several processes share the port (SO_REUSEPORT) so the
# sandbox is not what the benchmark measures. Benchmark-only; the sandbox is unchanged.
_SANDBOX_WORKER = """
import sys
from wonder_sandbox.app import make_app
from wonder_sandbox.config import config_from_env
from wonder_sandbox.server import SandboxHTTPServer, SandboxRequestHandler

class SharedPortServer(SandboxHTTPServer):
    allow_reuse_port = True

server = SharedPortServer(("127.0.0.1", int(sys.argv[1])), SandboxRequestHandler)
server.set_app(make_app(config_from_env()))
server.serve_forever()
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(base_url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the sandbox exited at start-up")
        try:
            urllib.request.urlopen(f"{base_url}/__sandbox__/stats", timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the sandbox did not start in 30 s")


def _peak_rss_mb(pid: int) -> float:
    """A live process's peak resident memory (VmHWM), in MB; 0 when it cannot be read."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu_seconds(pid: int) -> float:
    """A live process's user + system CPU time so far, in seconds; 0 when it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _warm(base_url: str) -> dict:
    """Fill the (single) sandbox's page cache with every 1,000-customer page."""
    request = urllib.request.Request(
        f"{base_url}/__sandbox__/page_cache", data=json.dumps({"limit": 1000}).encode()
    )
    with urllib.request.urlopen(request, timeout=900) as answer:
        return json.loads(answer.read())


def run_case(
    *,
    customers: int,
    latency_ms: float,
    concurrency: int,
    sandboxes: int,
    workdir: Path,
    warm: bool = False,
    database_url: str | None = None,
    repeat: int = 1,
) -> dict:
    """One benchmark case; returns the figures of its median run (by wall time) of
    ``repeat`` scans against the same sandbox, each into an empty database, with every
    run's wall time in ``walls``. ``database_url``: a PostgreSQL database, re-created empty
    for each run (default: a throwaway SQLite file)."""
    pages = sum(math.ceil(n / 1000) for n in (customers - customers // 4, customers // 4))
    keys = new_key_pair()
    (workdir / "public.pem").write_bytes(keys.public_pem)
    (workdir / "private.pem").write_bytes(keys.private_pem)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    sandbox_env = {
        **os.environ,
        "SANDBOX_PUBLIC_KEY_FILE": str(workdir / "public.pem"),
        "SANDBOX_CUSTOMERS": str(customers),
        "SANDBOX_LATENCY_MS": str(latency_ms),
        "SANDBOX_PAGE_CACHE": str(pages if warm else 0),
    }
    # A warm cache lives in one process: with several sharing the port, a page would be
    # cached in one and asked of another.
    sandboxes = 1 if warm else sandboxes
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _SANDBOX_WORKER, str(port)],
            cwd=ROOT,
            env=sandbox_env,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(sandboxes)
    ]
    try:
        for worker in workers:
            _wait_until_up(base_url, worker)
        warm_seconds = 0.0
        cache: dict = {}
        if warm:
            started = time.perf_counter()
            cache = _warm(base_url)
            warm_seconds = time.perf_counter() - started
        runs = []
        for attempt in range(repeat):
            runs.append(
                _scan_once(
                    workers=workers,
                    base_url=base_url,
                    workdir=workdir,
                    database_url=database_url,
                    name=f"bench-{customers}-{latency_ms}-{attempt}",
                    concurrency=concurrency,
                )
            )
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=10)
    ideal = pages * latency_ms / 1000 / concurrency
    median = sorted(runs, key=lambda run: run["wall"])[len(runs) // 2]
    return {
        "mode": "warm" if warm else "cold",
        "walls": [run["wall"] for run in runs],
        "warm_seconds": warm_seconds,
        "cache_mb": cache.get("compressed_bytes", 0) / 1024 / 1024,
        **median,
        "customers": customers,
        "latency_ms": latency_ms,
        "concurrency": concurrency,
        "pages": pages,
        "sandboxes": sandboxes,
        "ideal": ideal,
    }


def _scan_once(
    *,
    workers: list[subprocess.Popen],
    base_url: str,
    workdir: Path,
    database_url: str | None,
    name: str,
    concurrency: int,
) -> dict:
    """One scan in a fresh process, into an empty database; its figures and the sandbox's
    CPU and peak memory meanwhile."""
    if database_url:
        recreate_postgres_database(database_url)
    else:
        database = workdir / f"{name}.sqlite3"
        database.unlink(missing_ok=True)
        database_url = f"sqlite:///{database}"
    child_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dashboard.settings",
        "DEBUG": "true",
        "DATABASE_URL": database_url,
        "WONDER_BASE_URL": base_url,
        "WONDER_PRIVATE_KEY_FILE": str(workdir / "private.pem"),
        "DASHBOARD_VAR_DIR": str(workdir),
        "LOG_LEVEL": "WARNING",
    }
    sandbox_cpu_before = sum(_cpu_seconds(worker.pid) for worker in workers)
    output = subprocess.run(
        [sys.executable, "-c", _CHILD.format(concurrency=concurrency)],
        cwd=ROOT,
        env=child_env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    figures["sandbox_cpu"] = sum(_cpu_seconds(w.pid) for w in workers) - sandbox_cpu_before
    figures["sandbox_mb"] = max(_peak_rss_mb(worker.pid) for worker in workers)
    return figures


def main() -> int:
    """Run the cases and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, action="append")
    parser.add_argument("--latency-ms", type=float, action="append")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--sandboxes", type=int, default=os.cpu_count() or 1, help="sandbox processes (cold)"
    )
    parser.add_argument("--mode", choices=("cold", "warm", "both"), default="both")
    parser.add_argument(
        "--repeat", type=int, default=3, help="scans per case; the median run is printed"
    )
    parser.add_argument(
        "--database-url",
        help="e.g. postgres://postgres@127.0.0.1:5432/dashboard_bench (dropped and re-created "
        "for each case); default: a throwaway SQLite file",
    )
    arguments = parser.parse_args()
    header = (
        f"{'mode':>4} {'customers':>10} {'latency':>8} {'conc':>5} {'pages':>6} {'wall s':>8} "
        f"{'ideal s':>8} {'ratio':>6} {'walk s':>7} {'save s':>7} {'cpu/pg':>7} "
        f"{'sbx cpu/pg':>10} {'cust/s':>9} {'peak MB':>8} {'failing':>8} "
        f"{'sandbox MB':>10} {'cache MB':>8} {'warm-up s':>9} {'walls s':>16} status"
    )
    modes = {"cold": [False], "warm": [True], "both": [False, True]}[arguments.mode]
    print(header, flush=True)
    with tempfile.TemporaryDirectory(prefix="scan-bench-") as tmp:
        for customers in arguments.customers or [100_000, 1_000_000]:
            for latency_ms in arguments.latency_ms or [20.0, 100.0]:
                for warm in modes:
                    _print_case(
                        run_case(
                            customers=customers,
                            latency_ms=latency_ms,
                            concurrency=arguments.concurrency,
                            sandboxes=arguments.sandboxes,
                            workdir=Path(tmp),
                            warm=warm,
                            database_url=arguments.database_url,
                            repeat=max(1, arguments.repeat),
                        )
                    )
    return 0


def _print_case(r: dict) -> None:
    print(
        f"{r['mode']:>4} {r['customers']:>10,} {r['latency_ms']:>6.0f}ms {r['concurrency']:>5} "
        f"{r['pages']:>6} {r['wall']:>8.2f} {r['ideal']:>8.2f} "
        f"{r['wall'] / r['ideal']:>6.2f} {r['walk']:>7.2f} {r['save']:>7.2f} "
        f"{r['cpu'] / r['pages'] * 1000:>7.1f} {r['sandbox_cpu'] / r['pages'] * 1000:>10.1f} "
        f"{r['seen'] / r['wall']:>9,.0f} "
        f"{r['peak_mb']:>8.0f} {r['failing']:>8,} {r['sandbox_mb']:>10.0f} "
        f"{r['cache_mb']:>8.0f} {r['warm_seconds']:>9.1f} "
        f"{'/'.join(f'{wall:.2f}' for wall in sorted(r['walls'])):>16} {r['status']}",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
