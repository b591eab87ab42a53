"""SQLite, the embedded default, with many writers at once (audit finding 4): people saving
their columns on a real gunicorn (two worker processes) while a scan writes the report from
a process of its own. Nobody gets a 5xx ("database is locked")."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.production import PROJECT_ROOT, start_production_servers

pytestmark = pytest.mark.slow

PEOPLE = 12
SAVES_EACH = 5
COLUMN_SETS = [
    ["reference_number", "name"],
    ["reference_number", "email", "phone"],
    ["name", "linked_source_type"],
]


@pytest.fixture(scope="module")
def sqlite_server(sandbox_server, key_pair, tmp_path_factory):
    """gunicorn on a SQLite file, no Redis: sessions, lockouts and everything else in it."""
    (server,) = start_production_servers(
        workdir=tmp_path_factory.mktemp("sqlite-concurrency"),
        wonder_base_url=sandbox_server.base_url,
        private_key_pem=key_pair.private_pem.decode(),
        redis_url="",
        workers=2,
        threads=6,
        agents=PEOPLE,
        agent_permissions=("view_customers", "view_failed_bindings", "run_binding_scan"),
        extra_env={"SYNC_MAX_AGE_SECONDS": "0", "WONDER_RETRY_BACKOFF": "0.01"},
    )
    yield server
    server.stop()


def _people(server):
    """A logged-in browser per person, each with its CSRF cookie."""
    browsers = []
    for person in range(PEOPLE):
        browser = server.session(person)
        assert browser.get(f"{server.base_url}/accounts/password_change/").status_code == 200
        browsers.append(browser)
    return browsers


def _save_columns(server, browser, attempt: int) -> int:
    response = browser.post(
        f"{server.base_url}/customers/columns/",
        data={
            "table_key": "customers",
            "columns": COLUMN_SETS[attempt % len(COLUMN_SETS)],
            "next": "/customers/?page_size=25",
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=60,
    )
    return response.status_code


def _everyone_saves(server, browsers) -> list[int]:
    """60 saves from 12 threads: each person saves 5 times, all at once."""
    start = threading.Barrier(PEOPLE)

    def person(number: int) -> list[int]:
        start.wait()
        return [_save_columns(server, browsers[number], attempt) for attempt in range(SAVES_EACH)]

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        return [status for statuses in pool.map(person, range(PEOPLE)) for status in statuses]


def test_sixty_column_saves_from_twelve_people_at_once_all_succeed(sqlite_server):
    statuses = _everyone_saves(sqlite_server, _people(sqlite_server))
    assert len(statuses) == PEOPLE * SAVES_EACH
    assert statuses == [302] * len(statuses), Counter(statuses)


def test_saves_while_a_scan_writes_from_another_process_all_succeed(sqlite_server):
    browsers = _people(sqlite_server)
    scans = []
    stop = threading.Event()

    def keep_scanning() -> None:
        # Sync after sync (each stages every customer, then makes the snapshot current) until the
        # people are done saving.
        while not stop.is_set():
            scans.append(
                subprocess.run(
                    [sys.executable, "manage.py", "sync_customers"],
                    cwd=PROJECT_ROOT,
                    env=sqlite_server.environment,
                    capture_output=True,
                    text=True,
                    timeout=120,
                    check=False,
                )
            )

    scanner = threading.Thread(target=keep_scanning)
    scanner.start()
    try:
        rounds = [_everyone_saves(sqlite_server, browsers) for _ in range(3)]
    finally:
        stop.set()
        scanner.join()
    statuses = [status for saves in rounds for status in saves]
    assert statuses == [302] * len(statuses), Counter(statuses)
    assert scans, "no scan ran"
    assert all(scan.returncode == 0 for scan in scans), [scan.stderr[-2000:] for scan in scans]
    # The report page, read while nothing else runs, shows the scans' work.
    report = browsers[0].get(f"{sqlite_server.base_url}/customers/failed-bindings/", timeout=30)
    assert report.status_code == 200
