"""How fast could the scan's walk go on this machine, whatever its design? An experiment.

``bench/scan.py`` times the real scan: walk (threads in one process, under one GIL) and
save. This script times the walk ALONE, with nothing written, two ways:

- ``threads``: the product's ``binding_walk.walk`` in this process (no database work);
- ``processes``: the same pages, each fetched and filtered by the product's client and
  ``binding_row_from_customer``, in N forked worker processes (one request each at a time,
  so N in flight), the parent only merging rows. No GIL is shared, so this is the most the
  walk could gain from spreading its CPU over every core. It is NOT how the product scans:
  forking inside a threaded web worker (the "Refresh now" button) is unsafe.

The sandbox is warm (pages built before the timed walk), as in ``bench/scan.py --mode warm``.
``cpu/pg`` is the CPU of this process and its workers per page; ``sbx/pg`` the sandbox's.
If ``processes`` misses 2x the ideal with nothing saved, no scan design on this machine
meets it; the save (``bench/scan.py``'s ``save s``) only adds to it.

    .venv/bin/python bench/scan_ceiling.py --customers 1000000 --latency-ms 20
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scan import (  # noqa: E402
    _SANDBOX_WORKER,
    _cpu_seconds,
    _free_port,
    _wait_until_up,
    _warm,
)
from tests.keys import new_key_pair  # noqa: E402

__all__ = ["main"]

PAGE_SIZE = 1000


def _page_tasks(customers: int) -> list[tuple[str, int]]:
    """(source type, offset) of every page: 3/4 of the sandbox's customers are Users."""
    stores = customers // 4
    return [("User", offset) for offset in range(0, customers - stores, PAGE_SIZE)] + [
        ("Store", offset) for offset in range(0, stores, PAGE_SIZE)
    ]


def _fresh_client() -> None:
    # A forked worker builds its own client: sockets and sessions are not shared.
    from wonder.factory import wonder_breaker, wonder_client

    wonder_client.cache_clear()
    wonder_breaker.cache_clear()


def _walk_page(task: tuple[str, int]) -> tuple[int, list]:
    from customers_app.bindings.walk import binding_row_from_customer
    from wonder.factory import wonder_client

    linked_source_type, offset = task
    page = wonder_client().list_customers(
        limit=PAGE_SIZE,
        offset=offset,
        linked_source_type=linked_source_type,
        binding_problems_only=True,
    )
    rows = [binding_row_from_customer(customer, linked_source_type) for customer in page.customers]
    return page.rows_returned, [row for row in rows if row is not None]


def _walk_threads(concurrency: int) -> tuple[int, int]:
    from customers_app.bindings.walk import walk

    result = walk(concurrency=concurrency, page_size=PAGE_SIZE, on_progress=lambda *_: None)
    return result.customers_seen, len(result.rows)


def _walk_processes(concurrency: int, customers: int) -> tuple[int, int]:
    seen, rows = 0, {}
    context = multiprocessing.get_context("fork")
    with context.Pool(concurrency, initializer=_fresh_client) as pool:
        for rows_returned, page_rows in pool.imap_unordered(_walk_page, _page_tasks(customers)):
            seen += rows_returned
            rows.update((row.uuid, row) for row in page_rows)
    return seen, len(rows)


def run_case(*, customers: int, latency_ms: float, concurrency: int, design: str) -> dict:
    """One walk against a fresh warm sandbox; returns its figures."""
    with tempfile.TemporaryDirectory(prefix="scan-ceiling-") as tmp:
        workdir = Path(tmp)
        keys = new_key_pair()
        (workdir / "public.pem").write_bytes(keys.public_pem)
        (workdir / "private.pem").write_bytes(keys.private_pem)
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        pages = len(_page_tasks(customers))
        sandbox = subprocess.Popen(
            [sys.executable, "-c", _SANDBOX_WORKER, str(port)],
            cwd=ROOT,
            env={
                **os.environ,
                "SANDBOX_PUBLIC_KEY_FILE": str(workdir / "public.pem"),
                "SANDBOX_CUSTOMERS": str(customers),
                "SANDBOX_LATENCY_MS": str(latency_ms),
                "SANDBOX_PAGE_CACHE": str(pages),
            },
            stdout=subprocess.DEVNULL,
        )
        try:
            _wait_until_up(base_url, sandbox)
            _warm(base_url)
            os.environ.update(
                {
                    "DJANGO_SETTINGS_MODULE": "dashboard.settings",
                    "DEBUG": "true",
                    "LOG_LEVEL": "WARNING",
                    "WONDER_BASE_URL": base_url,
                    "WONDER_PRIVATE_KEY_FILE": str(workdir / "private.pem"),
                    "DASHBOARD_VAR_DIR": str(workdir),
                    "DATABASE_URL": f"sqlite:///{workdir / 'unused.sqlite3'}",
                }
            )
            import django

            django.setup()
            _fresh_client()
            sandbox_before = _cpu_seconds(sandbox.pid)
            cpu_before = sum(os.times()[:4])  # this process and its (reaped) workers
            started = time.perf_counter()
            if design == "threads":
                seen, failing = _walk_threads(concurrency)
            else:
                seen, failing = _walk_processes(concurrency, customers)
            wall = time.perf_counter() - started
            cpu = sum(os.times()[:4]) - cpu_before
            sandbox_cpu = _cpu_seconds(sandbox.pid) - sandbox_before
        finally:
            sandbox.terminate()
            sandbox.wait(timeout=10)
    if seen != customers:
        raise SystemExit(f"walked {seen:,} customers of {customers:,}")
    return {
        "design": design,
        "customers": customers,
        "latency_ms": latency_ms,
        "concurrency": concurrency,
        "pages": pages,
        "failing": failing,
        "wall": wall,
        "ideal": pages * latency_ms / 1000 / concurrency,
        "cpu": cpu,
        "sandbox_cpu": sandbox_cpu,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, action="append")
    parser.add_argument("--latency-ms", type=float, action="append")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--design", choices=("threads", "processes"), action="append")
    parser.add_argument("--repeat", type=int, default=3, help="walks per case; median printed")
    arguments = parser.parse_args()
    print(
        f"{'design':>9} {'customers':>10} {'latency':>8} {'conc':>5} {'pages':>6} "
        f"{'walk s':>7} {'ideal s':>8} {'ratio':>6} {'cpu/pg':>7} {'sbx/pg':>7} {'failing':>8} "
        f"{'walls s':>16}",
        flush=True,
    )
    for customers in arguments.customers or [100_000, 1_000_000]:
        for latency_ms in arguments.latency_ms or [20.0]:
            for design in arguments.design or ["threads", "processes"]:
                # Each walk in a fresh interpreter (and sandbox): Django is set up once per
                # process. The median walk by wall time is printed, every wall time last.
                runs = sorted(
                    (
                        _run_in_child(customers, latency_ms, arguments.concurrency, design)
                        for _ in range(max(1, arguments.repeat))
                    ),
                    key=lambda run: run["wall"],
                )
                figures = runs[len(runs) // 2]
                walls = "/".join(format(run["wall"], ".2f") for run in runs)
                print(
                    f"{figures['design']:>9} {figures['customers']:>10,} "
                    f"{figures['latency_ms']:>6.0f}ms {figures['concurrency']:>5} "
                    f"{figures['pages']:>6} {figures['wall']:>7.2f} {figures['ideal']:>8.2f} "
                    f"{figures['wall'] / figures['ideal']:>6.2f} "
                    f"{figures['cpu'] / figures['pages'] * 1000:>7.1f} "
                    f"{figures['sandbox_cpu'] / figures['pages'] * 1000:>7.1f} "
                    f"{figures['failing']:>8,} "
                    f"{walls:>16}",
                    flush=True,
                )
    return 0


def _run_in_child(customers: int, latency_ms: float, concurrency: int, design: str) -> dict:
    import json

    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); from bench.scan_ceiling import "
        "run_case; print(json.dumps(run_case(customers=int(sys.argv[2]), "
        "latency_ms=float(sys.argv[3]), concurrency=int(sys.argv[4]), design=sys.argv[5])))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code, str(ROOT), str(customers), str(latency_ms),
         str(concurrency), design],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout  # fmt: skip
    return json.loads(output.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())
