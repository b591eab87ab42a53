"""Benchmark the customer sync: real ``db_worker`` processes against a warm sandbox process.

Per case (customers x latency x database x workers): a fresh database (migrated), N
``db_worker`` processes, then ``sync_customers --enqueue --wait`` twice (the second with
nothing changed upstream). Printed per case:

- ``wall``: the first sync, from its ScanRun's start to when the waiting process saw it
  end (polling every 0.2 s; the run's own finished_at is stamped before its commit);
  ``ideal``: pages x latency / requests in flight (SYNC_CONCURRENCY per partition, one
  partition at a time per worker, so ``min(workers, partitions) x concurrency``), and
  their ratio; ``thr``: customers per second;
- ``walk/pg``: the workers' CPU per page while walking (fetching, decoding, building rows:
  the partition processes' CPU less the CPU spent writing to staging), beside ``floor/pg``:
  gunzip plus msgspec decoding of the same page bytes in a tight loop, timed in this run
  (no design can spend less per page), and their ratio;
- ``wr/1k``: CPU per 1,000 rows written (staging writes and the snapshot transaction; on
  PostgreSQL the server's own CPU is not included); ``tail``: seconds of writing not
  overlapped with walking (the snapshot transaction, after the last page);
- ``walk``: the first sync's wall less its tail (the walk, staging writes overlapped) and
  ``w/id`` its ratio to the ideal; ``wall2``, ``r2``, ``tail2``: the second sync's wall,
  its ratio to the ideal and its tail (the steady state: a sync that finds nothing new);
- ``rss``: peak RSS of each worker (MB); ``2nd rows``: rows written by the second sync.

The sandbox is one process whose page cache is filled before any timed sync (``warm``), so
upstream costs little more than its latency, as Wonder's own CPU would.

    .venv/bin/python bench/sync.py                                     # every case
    .venv/bin/python bench/sync.py --customers 100000 --latency-ms 100 --workers 1
    .venv/bin/python bench/sync.py --database-url postgres://postgres@127.0.0.1:5432/dashboard_bench_sync
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
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

# The floor, in a Django process with the dashboard's key: fetch some pages' raw gzip bytes
# once, then gunzip + msgspec-decode them in a tight loop; prints CPU ms per page.
_FLOOR = """
import json, time, django
django.setup()
from bench.floor import floor_pass, gzipped_customer_pages
from wonder.factory import wonder_client
bodies = gzipped_customer_pages(wonder_client(), {{"User": {pages} * 1000}})
started = time.process_time()
rounds = 0
while time.process_time() - started < 2.0:
    floor_pass(bodies)
    rounds += 1
per_page = (time.process_time() - started) / (rounds * len(bodies))
gzip_kb = sum(map(len, bodies)) / len(bodies) / 1024
print(json.dumps({{"floor_ms": per_page * 1000, "gzip_kb": gzip_kb}}))
"""

# Enqueue a sync, wait for it, print its figures (a fresh process, like cron would).
_SYNC = """
import json, time, django
django.setup()
from django.utils import timezone
from customers_app.models import ScanRun
from customers_app.sync.runs import sync_enqueue
run, _ = sync_enqueue(trigger="command")
while run.status in ("queued", "running"):
    time.sleep(0.2)
    run.refresh_from_db()
print(json.dumps({
    "status": run.status, "error": run.error, "seen": run.customers_seen,
    "pages": run.pages_done, "requests": run.upstream_requests,
    "rows_written": run.rows_written, "failing": run.failures_found,
    # Until this process saw it end: finished_at is stamped inside the snapshot
    # transaction, before its last statements and its commit.
    "wall": (timezone.now() - run.started_at).total_seconds(),
}))
"""

_PARTITION_LINE = re.compile(
    r"sync (\d+) partition \d+ walked: (\d+) requests, (\d+) rows staged in ([\d.]+) s; "
    r"process cpu "
    r"([\d.]+) s, building rows ([\d.]+) s, writing ([\d.]+) s cpu / ([\d.]+) s wall"
)
_COMPLETED_LINE = re.compile(r"sync (\d+) completed: .* saved in ([\d.]+) s \(cpu ([\d.]+) s\)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _post(url: str, body: dict, timeout: float = 900) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode())
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return json.loads(answer.read())


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
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Bench:
    def __init__(self, workdir: Path, arguments: argparse.Namespace) -> None:
        self.workdir = workdir
        self.arguments = arguments
        keys = new_key_pair()
        (workdir / "public.pem").write_bytes(keys.public_pem)
        (workdir / "private.pem").write_bytes(keys.private_pem)
        self.base_url = ""

    def env(self, database_url: str, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "dashboard.settings",
            "DEBUG": "true",
            "DATABASE_URL": database_url,
            "WONDER_BASE_URL": self.base_url,
            "WONDER_PRIVATE_KEY_FILE": str(self.workdir / "private.pem"),
            "DASHBOARD_VAR_DIR": str(self.workdir),
            "SYNC_MAX_AGE_SECONDS": "0",
            "SYNC_PARTITIONS": str(self.arguments.partitions),
            "SYNC_CONCURRENCY": str(self.arguments.concurrency),
            "LOG_LEVEL": "INFO",
            **extra,
        }

    def start_sandbox(self, customers: int) -> subprocess.Popen:
        pages = sum(math.ceil(n / 1000) for n in (customers - customers // 4, customers // 4))
        port = _free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        sandbox = subprocess.Popen(
            [sys.executable, "-m", "wonder_sandbox", "--port", str(port)],
            cwd=ROOT,
            env={
                **os.environ,
                "SANDBOX_PUBLIC_KEY_FILE": str(self.workdir / "public.pem"),
                "SANDBOX_CUSTOMERS": str(customers),
                "SANDBOX_PAGE_CACHE": str(pages + 10),
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_until_up(self.base_url, sandbox)
        started = time.perf_counter()
        _post(f"{self.base_url}/__sandbox__/page_cache", {"limit": 1000})
        print(f"# sandbox {customers:,} customers warmed in {time.perf_counter() - started:.1f} s")
        return sandbox

    def floor(self, database_url: str, customers: int) -> dict:
        # Full pages of Users only (3/4 of the sandbox's customers), at most 20.
        pages = max(1, min(20, (customers - customers // 4) // 1000))
        output = subprocess.run(
            [sys.executable, "-c", _FLOOR.format(pages=pages)],
            cwd=ROOT,
            env=self.env(database_url, LOG_LEVEL="WARNING"),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return json.loads(output.strip().splitlines()[-1])

    def fresh_database(self, name: str) -> str:
        if self.arguments.database_url:
            recreate_postgres_database(self.arguments.database_url)
            url = self.arguments.database_url
        else:
            path = self.workdir / f"{name}.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            url = f"sqlite:///{path}"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
            cwd=ROOT,
            env=self.env(url, LOG_LEVEL="WARNING"),
            check=True,
        )
        return url

    def sync_once(self, database_url: str) -> dict:
        output = subprocess.run(
            [sys.executable, "-c", _SYNC],
            cwd=ROOT,
            env=self.env(database_url, LOG_LEVEL="WARNING"),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return json.loads(output.strip().splitlines()[-1])

    def case(self, *, customers: int, latency_ms: float, workers: int, floor: dict) -> dict:
        _post(f"{self.base_url}/__sandbox__/faults", {"latency_ms": latency_ms})
        name = f"sync-{customers}-{latency_ms:.0f}-{workers}"
        database_url = self.fresh_database(name)
        logs = [self.workdir / f"{name}-worker{number}.log" for number in range(workers)]
        processes = []
        for log_path in logs:
            with log_path.open("w") as log:
                processes.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            "manage.py",
                            "db_worker",
                            "--no-reload",
                            "--no-startup-delay",
                            "--interval",
                            "0.2",
                        ],  # fmt: skip
                        cwd=ROOT,
                        env=self.env(database_url),
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
        try:
            time.sleep(2)  # the workers' Django start-up is not the sync's time
            first = self.sync_once(database_url)
            peaks = [_peak_rss_mb(process.pid) for process in processes]
            second = self.sync_once(database_url)
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=30)
        text = "\n".join(path.read_text(errors="replace") for path in logs)
        if self.arguments.verbose:
            for line in text.splitlines():
                if "walked" in line or "completed" in line:
                    print("#", line[line.index("sync ") :], flush=True)
        first_id = min(int(match[0]) for match in _COMPLETED_LINE.findall(text))
        partitions = [
            tuple(float(value) for value in match[1:])
            for match in _PARTITION_LINE.findall(text)
            if int(match[0]) == first_id
        ]
        commits = {
            int(run_id): (float(save), float(cpu))
            for run_id, save, cpu in _COMPLETED_LINE.findall(text)
        }
        commit, second_commit = commits[first_id], commits.get(first_id + 1, (0.0, 0.0))
        walk_cpu = sum(cpu - write for _r, _rows, _w, cpu, _b, write, _ww in partitions)
        write_cpu = sum(write for *_rest, write, _ww in partitions) + commit[1]
        rows = sum(rows for _r, rows, *_rest in partitions)
        pages = first["pages"]
        in_flight = min(workers, self.arguments.partitions) * self.arguments.concurrency
        ideal = pages * latency_ms / 1000 / in_flight
        return {
            "customers": customers,
            "latency_ms": latency_ms,
            "workers": workers,
            "database": "pg" if self.arguments.database_url else "sqlite",
            "pages": pages,
            "wall": first["wall"],
            "ideal": ideal,
            "throughput": first["seen"] / first["wall"],
            "walk_ms": walk_cpu / pages * 1000,
            "floor_ms": floor["floor_ms"],
            "write_per_1k": write_cpu / max(rows, 1) * 1000 * 1000,  # ms per 1,000 rows
            "tail": commit[0],
            # Until the snapshot transaction began: the walk, with staging writes overlapped.
            "walk_wall": first["wall"] - commit[0],
            "wall2": second["wall"],
            "tail2": second_commit[0],
            "peaks": peaks,
            "second_rows": second["rows_written"],
            "status": f"{first['status']}/{second['status']}",
            "error": first["error"] or second["error"],
        }


def _print(r: dict) -> None:
    print(
        f"{r['database']:>6} {r['customers']:>9,} {r['latency_ms']:>5.0f}ms {r['workers']:>3} "
        f"{r['pages']:>5} {r['wall']:>7.2f} {r['ideal']:>7.2f} {r['wall'] / r['ideal']:>5.2f} "
        f"{r['throughput']:>8,.0f} {r['walk_ms']:>7.2f} {r['floor_ms']:>8.2f} "
        f"{r['walk_ms'] / r['floor_ms']:>5.2f} {r['write_per_1k']:>6.1f} {r['tail']:>6.2f} "
        f"{r['walk_wall']:>6.2f} {r['walk_wall'] / r['ideal']:>5.2f} "
        f"{r['wall2']:>6.2f} {r['wall2'] / r['ideal']:>5.2f} {r['tail2']:>6.2f} "
        f"{'/'.join(f'{peak:.0f}' for peak in r['peaks']):>9} {r['second_rows']:>8} "
        f"{r['status']} {r['error'][:80]}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, action="append")
    parser.add_argument("--latency-ms", type=float, action="append")
    parser.add_argument("--workers", type=int, action="append")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--verbose", action="store_true", help="print the workers' sync lines")
    parser.add_argument(
        "--database-url",
        help="postgres://.../dashboard_bench... (dropped and re-created per case); "
        "default: a throwaway SQLite file",
    )
    arguments = parser.parse_args()
    print(f"# load average at start: {os.getloadavg()}", flush=True)
    print(
        f"{'db':>6} {'customers':>9} {'latency':>7} {'wk':>3} {'pages':>5} {'wall':>7} "
        f"{'ideal':>7} {'ratio':>5} {'thr c/s':>8} {'walk/pg':>7} {'floor/pg':>8} {'x':>5} "
        f"{'wr/1k':>6} {'tail':>6} {'walk':>6} {'w/id':>5} {'wall2':>6} {'r2':>5} "
        f"{'tail2':>6} {'rss MB':>9} {'2nd rows':>8} status",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="sync-bench-") as tmp:
        bench = Bench(Path(tmp), arguments)
        for customers in arguments.customers or [100_000, 1_000_000]:
            sandbox = bench.start_sandbox(customers)
            try:
                floor = bench.floor(bench.fresh_database("floor"), customers)
                print(
                    f"# floor: {floor['floor_ms']:.2f} ms CPU per page "
                    f"({floor['gzip_kb']:.0f} KB gzipped)",
                    flush=True,
                )
                for latency_ms in arguments.latency_ms or [20.0, 100.0]:
                    for workers in arguments.workers or [1, 2]:
                        _print(
                            bench.case(
                                customers=customers,
                                latency_ms=latency_ms,
                                workers=workers,
                                floor=floor,
                            )
                        )
            finally:
                sandbox.terminate()
                sandbox.wait(timeout=30)
    print(f"# load average at end: {os.getloadavg()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
