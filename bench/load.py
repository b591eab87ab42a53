"""Load and fault benchmark of the production profile against the sandbox.

    .venv/bin/python bench/load.py [--latency-ms 100] [--workers 4] [--threads 4]

Starts the Wonder sandbox (its own process, a set latency) and the dashboard as in
production (gunicorn, several workers, Redis for the cache, single-flight and the breaker;
a throwaway SQLite database), then lets 1, 8 and 32 concurrent agents browse pages and
prints requests/second, p50/p95 latency and the requests Wonder received. Then the same
with the sandbox failing 20% of requests, with it down, and with it hanging: how many 5xx
reached agents and the p95 while the circuit breaker was open. Everything runs on
127.0.0.1 with a bounded number of requests. Needs Redis on 127.0.0.1:6379 (or REDIS_URL).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

__all__ = ["main"]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from tests.keys import new_key_pair  # noqa: E402 - after the path is set
from tests.production import (  # noqa: E402
    free_port,
    redis_url_or_none,
    start_production_servers,
)

# Pages an agent picks from: 40 pages of 50 customers (the sandbox holds 3,000).
PAGES = range(1, 41)
# Short enough that the "down" run can wait for cached pages to go stale.
PAGE_CACHE_SECONDS = 10
BREAKER_COOLDOWN_SECONDS = 30
# The dashboard's WONDER_TIME_BUDGET in this benchmark (one call, retries included).
TIME_BUDGET_SECONDS = 5


@dataclass
class RunFigures:
    name: str
    agents: int
    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    upstream_requests: int = 0
    stale_pages: int = 0
    open_latencies: list[float] = field(default_factory=list)
    # Started once calls admitted before the circuit opened have had their time budget.
    settled_latencies: list[float] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    @property
    def dishonest_errors(self) -> int:
        """5xx that are not the dashboard's deliberate 502/503 "Wonder problem" pages."""
        return sum(
            count
            for status, count in self.statuses.items()
            if status >= 500 and status not in (502, 503)
        )


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Sandbox:
    """The sandbox as a subprocess, driven through its /__sandbox__/ control endpoints."""

    def __init__(self, workdir: Path, public_pem: bytes, latency_ms: float) -> None:
        key_file = workdir / "sandbox_public.pem"
        key_file.write_bytes(public_pem)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.latency_ms = latency_ms
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "wonder_sandbox",
                "--port",
                str(self.port),
                "--public-key-file",
                str(key_file),
                "--latency-ms",
                str(latency_ms),
                "--timeout-seconds",
                "30",
            ],
            cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                self.stats()
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("the sandbox did not start")

    def stats(self) -> int:
        return requests.get(f"{self.base_url}/__sandbox__/stats", timeout=5).json()["total"]

    def set_faults(self, **faults) -> None:
        body = {"latency_ms": self.latency_ms, "error_rate": 0, "fault": "none", **faults}
        requests.post(f"{self.base_url}/__sandbox__/faults", data=json.dumps(body), timeout=5)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def browse(
    server, *, name: str, agents: int, per_agent: int, sandbox: Sandbox, pages=PAGES
) -> RunFigures:
    """``agents`` threads, each opening ``per_agent`` random customer pages in a row."""
    figures = RunFigures(name, agents)
    lock = threading.Lock()
    circuit_opened_at: list[float] = []
    stop_watch = threading.Event()

    def watch_circuit() -> None:
        # When did the breaker open? /readyz says, without calling Wonder.
        while not stop_watch.wait(0.05):
            try:
                state = requests.get(f"{server.base_url}/readyz", timeout=2).json()
            except (requests.RequestException, ValueError):
                continue
            if state["checks"]["wonder_circuit"] == "open" and not circuit_opened_at:
                circuit_opened_at.append(time.monotonic())

    def agent(number: int) -> None:
        browser = server.session()
        chooser = random.Random(number)
        for _ in range(per_agent):
            page = chooser.choice(list(pages))
            started = time.monotonic()
            response = browser.get(
                f"{server.base_url}/customers/", params={"page": page}, timeout=60
            )
            elapsed = time.monotonic() - started
            with lock:
                figures.latencies.append(elapsed)
                figures.statuses[response.status_code] = (
                    figures.statuses.get(response.status_code, 0) + 1
                )
                figures.stale_pages += "Showing data from" in response.text
                if circuit_opened_at and started >= circuit_opened_at[0]:
                    figures.open_latencies.append(elapsed)
                    if started >= circuit_opened_at[0] + TIME_BUDGET_SECONDS:
                        figures.settled_latencies.append(elapsed)

    watcher = threading.Thread(target=watch_circuit, daemon=True)
    watcher.start()
    before = sandbox.stats()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=agents) as pool:
        list(pool.map(agent, range(agents)))
    figures.seconds = time.monotonic() - started
    stop_watch.set()
    watcher.join()
    figures.requests = len(figures.latencies)
    figures.upstream_requests = sandbox.stats() - before
    return figures


def _p95_ms(values: list[float]) -> str:
    return f"{percentile(values, 0.95) * 1000:>8.0f}" if values else f"{'-':>8}"


def print_row(figures: RunFigures) -> None:
    statuses = " ".join(f"{status}x{count}" for status, count in sorted(figures.statuses.items()))
    print(
        f"{figures.name:<20} {figures.agents:>6} {figures.requests:>5} "
        f"{figures.requests / figures.seconds:>6.1f} "
        f"{percentile(figures.latencies, 0.5) * 1000:>6.0f} "
        f"{percentile(figures.latencies, 0.95) * 1000:>6.0f} "
        f"{figures.upstream_requests:>8} {figures.dishonest_errors:>6} {figures.stale_pages:>5} "
        f"{_p95_ms(figures.open_latencies)} {_p95_ms(figures.settled_latencies)}  {statuses}",
        flush=True,
    )


def recreate_postgres_database(url: str) -> None:
    """Drop and create the benchmark's own PostgreSQL database, so every run starts empty."""
    from urllib.parse import urlsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not parts.scheme.startswith("postgres") or not name.startswith("dashboard_bench"):
        raise SystemExit("--database-url must be postgres://.../dashboard_bench...")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=float, default=100)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--database-url",
        help="e.g. postgres://postgres@127.0.0.1:5432/dashboard_bench (dropped and re-created); "
        "default: a throwaway SQLite file",
    )
    arguments = parser.parse_args()
    if arguments.database_url:
        recreate_postgres_database(arguments.database_url)
    redis_url = redis_url_or_none()
    if redis_url is None:
        print("bench: Redis is not reachable on 127.0.0.1:6379 (or REDIS_URL); it is required.")
        return 2
    keys = new_key_pair()
    with tempfile.TemporaryDirectory(prefix="dashboard-bench-") as tmp:
        workdir = Path(tmp)
        sandbox = Sandbox(workdir, keys.public_pem, arguments.latency_ms)
        servers = []
        try:
            servers = start_production_servers(
                workdir=workdir,
                wonder_base_url=sandbox.base_url,
                private_key_pem=keys.private_pem.decode(),
                redis_url=redis_url,
                database_url=arguments.database_url,
                workers=arguments.workers,
                threads=arguments.threads,
                extra_env={
                    "WONDER_PAGE_CACHE_SECONDS": str(PAGE_CACHE_SECONDS),
                    "WONDER_BREAKER_COOLDOWN": str(BREAKER_COOLDOWN_SECONDS),
                    # The hanging run: one call gives up after 2 s + retries within 5 s.
                    "WONDER_READ_TIMEOUT": "2",
                    "WONDER_TIME_BUDGET": str(TIME_BUDGET_SECONDS),
                },
            )
            run_all(servers[0], sandbox, arguments)
        finally:
            for server in servers:
                server.stop()
            if servers:
                servers[0].forget_cache()
            sandbox.stop()
    return 0


def run_all(server, sandbox: Sandbox, arguments) -> None:
    database = "PostgreSQL" if arguments.database_url else "SQLite"
    print(
        f"gunicorn {arguments.workers} workers x {arguments.threads} threads, {database}, Redis, "
        f"sandbox latency {arguments.latency_ms:.0f} ms, {len(PAGES)} pages of 50, "
        f"page cache {PAGE_CACHE_SECONDS} s, breaker 5 failures / {BREAKER_COOLDOWN_SECONDS} s"
    )
    print(
        f"{'run':<20} {'agents':>6} {'reqs':>5} {'req/s':>6} {'p50ms':>6} {'p95ms':>6} "
        f"{'upstream':>8} {'bad5xx':>6} {'stale':>5} {'open p95':>8} {'settled':>8}  statuses"
    )
    for agents, per_agent in ((1, 80), (8, 40), (32, 20)):
        server.forget_cache()  # each run starts cold
        print_row(
            browse(server, name="normal", agents=agents, per_agent=per_agent, sandbox=sandbox)
        )

    server.forget_cache()
    sandbox.set_faults(error_rate=0.2)
    print_row(browse(server, name="20% upstream errors", agents=32, per_agent=20, sandbox=sandbox))

    # Down: pages 1-20 were seen before (stale copies exist), pages 21-40 never were.
    server.forget_cache()
    sandbox.set_faults()
    browse(server, name="warm-up", agents=8, per_agent=10, sandbox=sandbox, pages=range(1, 21))
    time.sleep(PAGE_CACHE_SECONDS + 1)
    sandbox.set_faults(fault="down")
    print_row(browse(server, name="upstream down", agents=32, per_agent=20, sandbox=sandbox))

    server.forget_cache()
    sandbox.set_faults(fault="timeout")
    print_row(browse(server, name="upstream hanging", agents=32, per_agent=10, sandbox=sandbox))
    sandbox.set_faults()


if __name__ == "__main__":
    sys.exit(main())
