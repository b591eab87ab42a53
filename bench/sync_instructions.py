"""Instructions per page of the sync's walk against its floor, counted by callgrind.

    python -m bench.sync_instructions [--customers 24000]

``bench/sync.py`` times the walk in CPU seconds, which on a shared 2-CPU machine move with
whatever else runs (the sandbox and PostgreSQL share the CPUs with the worker, and a
page's 500 KB go through the caches cold). Instructions do not. This runs, under
``valgrind --tool=callgrind`` with counting switched on for the measured part only:

- ``walk``: one partition's walk of every page of both source types, 8 requests in
  flight (``partition_walk``: signing, HTTP, gunzip, decoding into columns) and each
  page's staging values (``staged_columns``); no database;
- ``floor``: gunzip + msgspec decoding of the same pages' gzipped bytes, as in
  ``bench/sync.py``.

and prints each one's instructions per page and their ratio. Needs ``valgrind`` (Debian
package); a couple of minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.instructions import parse_collected, run_under_callgrind  # noqa: E402

__all__ = ["instructions_per_page", "main"]

# Run under callgrind: set up, warm up once, then count one pass of MODE.
_MEASURED = """
import json, os, subprocess
import django
django.setup()
from bench.floor import floor_pass, gzipped_customer_pages
from customers_app.sync.rows import staged_columns
from customers_app.sync.walk import partition_walk
from wonder.factory import wonder_client

def counting(on):
    subprocess.run(["callgrind_control", f"--instr={{'on' if on else 'off'}}", str(os.getpid())],
                   check=True, stdout=subprocess.DEVNULL)

client = wonder_client()
pages = []
def on_page(page, linked_source_type, totals):
    staged_columns(page.columns, linked_source_type)
    pages.append(page.rows_returned)
def walk():
    partition_walk(client=client, partition=0, partitions=1, page_size=1000, concurrency=8,
                   on_page=on_page)

if "{mode}" == "walk":
    walk()  # imports, connections, first-call caches: not counted
    pages.clear()
    counting(True)
    walk()
    counting(False)
    measured = sum(1 for rows in pages if rows)
else:
    bodies = gzipped_customer_pages(client, {{"User": {users}, "Store": {stores}}})
    floor_pass(bodies)  # first-call caches: not counted
    counting(True)
    floor_pass(bodies)
    counting(False)
    measured = len(bodies)
print(json.dumps({{"pages": measured}}))
"""


def _count(mode: str, env: dict, customers: int) -> tuple[int, int]:
    stores = customers // 4
    program = _MEASURED.format(mode=mode, users=customers - stores, stores=stores)
    finished = run_under_callgrind([sys.executable, "-c", program], env=env)
    if finished.returncode != 0:
        raise RuntimeError(f"the {mode} run failed:\n{finished.stderr[-3000:]}")
    pages = json.loads(finished.stdout.strip().splitlines()[-1])["pages"]
    return parse_collected(finished.stderr), pages


def instructions_per_page(customers: int) -> dict[str, float]:
    """Instructions per page of the walk and of the floor, over a sandbox of ``customers``."""
    from bench.sync import Bench

    with tempfile.TemporaryDirectory(prefix="sync-instructions-") as work_dir:
        bench = Bench(Path(work_dir), argparse.Namespace(partitions=1, concurrency=8))
        sandbox = bench.start_sandbox(customers)
        try:
            env = bench.env(f"sqlite:///{work_dir}/unused.sqlite3", LOG_LEVEL="WARNING")
            counts = {mode: _count(mode, env, customers) for mode in ("walk", "floor")}
        finally:
            sandbox.terminate()
    return {mode: total / pages for mode, (total, pages) in counts.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=24_000)
    arguments = parser.parse_args()
    per_page = instructions_per_page(arguments.customers)
    for mode, count in per_page.items():
        print(f"{mode:6s} {count / 1e6:8.2f} M instructions a page")
    print(f"walk / floor: {per_page['walk'] / per_page['floor']:.2f}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
    sys.exit(main())
