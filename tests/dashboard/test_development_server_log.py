"""``make run``'s development server (runserver) writes its request lines through the same
filter, with query values left out, like gunicorn's access log (audit finding 1)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import requests

from tests.production import PROJECT_ROOT, free_port

pytestmark = pytest.mark.slow


def test_runserver_request_lines_carry_no_query_values_or_raw_newlines(tmp_path):
    port = free_port()
    log_path = tmp_path / "runserver.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dashboard.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}",
        "DASHBOARD_VAR_DIR": str(tmp_path),
    }
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(f"{base}/healthz", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        requests.get(f"{base}/healthz?q=4111%2B1111%2B1111%2B1111&page=2", timeout=5)
        login = f"{base}/accounts/login/?next=%2Fx%2F%3Fq%3D4111%2B1111%2B1111%2B1111"
        requests.get(login, timeout=5)
        requests.get(f"{base}/customers/abc%0a2026-11-30%20forged/", timeout=5)
        time.sleep(1)
    finally:
        server.terminate()
        server.wait(timeout=15)
    written = log_path.read_text()
    assert '"GET /healthz?q=...&page=... HTTP/1.1" 200' in written, written
    assert '"GET /accounts/login/?next=... HTTP/1.1" 200' in written, written
    # The card number in any spelling the request line could carry; not "4111" alone, which
    # the randomly chosen port (e.g. 41115, in the "Starting development server" line) can hold.
    for spelling in ("4111%2B1111", "4111+1111", "4111 1111", "41111111"):
        assert spelling not in written, written
    assert not any(line.startswith("2026-11-30 forged") for line in written.splitlines())
