"""The processes a benchmark measures: the sandbox at a fixed latency and the dashboard in
gunicorn with DEBUG off, each its own process, on free ports in 8500-8599.

Everything they write (keys, SQLite database, logs) goes to one temporary folder.
"""

from __future__ import annotations

import base64
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

__all__ = [
    "BENCH_PASSWORD",
    "BENCH_TOTP_SECRET",
    "BENCH_USERNAME",
    "Servers",
    "dashboard_env",
    "running_servers",
]

PROJECT_DIR = Path(__file__).resolve().parent.parent
BENCH_USERNAME = "bench-finance"
BENCH_PASSWORD = secrets.token_urlsafe(16)
# Finance needs a second factor (MFA_REQUIRED_ROLES): the bench user has an authenticator
# app with this secret and signs in with its code, as finance staff do.
BENCH_TOTP_SECRET = base64.b32encode(secrets.token_bytes(20)).decode()
# The ports this team reserves for servers started by hand or by scripts.
PORT_RANGE = range(8500, 8600)


@dataclass(frozen=True)
class Servers:
    """Where the two processes answer, and the folder holding their files and logs."""

    dashboard_url: str
    sandbox_url: str
    work_dir: Path
    dashboard_pid: int

    def seed_failed_bindings(self, rows: int) -> None:
        """Replace the report's rows with ``rows`` seeded failures (``bench/seed.py``)."""
        subprocess.run(
            [sys.executable, "-m", "bench.seed", "--rows", str(rows)],
            cwd=PROJECT_DIR,
            env=dashboard_env(self.work_dir, self.sandbox_url),
            check=True,
        )

    def dashboard_cpu_ms(self) -> float:
        """CPU time used so far by the gunicorn master and its workers (Linux /proc).

        Unlike wall-clock time, it does not grow when other processes share the machine.
        """
        pids = [self.dashboard_pid]
        children = Path(f"/proc/{self.dashboard_pid}/task/{self.dashboard_pid}/children")
        pids += [int(pid) for pid in children.read_text().split()]
        ticks = 0
        for pid in pids:
            # utime and stime are fields 14 and 15; the name field (2) may hold spaces.
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def _free_port(taken: set[int]) -> int:
    for port in PORT_RANGE:
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8500-8599")


def _wait_until_answering(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early; see {log}:\n{log.read_text()[-2000:]}")
        try:
            requests.get(url, timeout=5)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within 30 s; see {log}")


def dashboard_env(work_dir: Path, sandbox_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Production settings but plain HTTP on loopback: no TLS proxy in front here.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "DASHBOARD_VAR_DIR": str(work_dir),
        "STATIC_ROOT": str(work_dir / "static"),
        "DATABASE_URL": f"sqlite:///{work_dir / 'bench.sqlite3'}",
        # Sandbox mode with the keys made in work_dir, whatever the caller's environment says.
        "WONDER_APP_ID": "",
        "WONDER_PRIVATE_KEY": "",
        "WONDER_PRIVATE_KEY_FILE": str(work_dir / "wonder_dev_private.pem"),
        "WONDER_BASE_URL": sandbox_url,
        # The process's own memory cache: a shared Redis could hold pages from an earlier
        # run, and the cold cases would then not be cold.
        "REDIS_URL": "",
        # Long enough that a warm page stays warm for the whole run.
        "WONDER_PAGE_CACHE_SECONDS": "3600",
    }


def _manage(env: dict[str, str], *arguments: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextmanager
def running_servers(
    *, work_dir: Path, latency_ms: float, customers: int, threads: int = 4
) -> Iterator[Servers]:
    """Start the sandbox and the dashboard, yield where they are, stop both on the way out."""
    sandbox_port = _free_port(set())
    dashboard_port = _free_port({sandbox_port})
    sandbox_url = f"http://127.0.0.1:{sandbox_port}"
    dashboard_url = f"http://127.0.0.1:{dashboard_port}"
    env = dashboard_env(work_dir, sandbox_url)
    _manage(env, "wonder_dev_keys")
    _manage(env, "migrate", "--noinput")
    # Production static storage serves hashed names from a manifest: collect them first.
    _manage(env, "collectstatic", "--noinput")
    # A Finance user, as finance staff log in (list, detail and report), not a superuser:
    # a superuser skips the two permission queries every real user's page makes.
    password_file = work_dir / "bench-password.txt"
    password_file.write_text(BENCH_PASSWORD + "\n")
    _manage(
        env,
        "create_user",
        BENCH_USERNAME,
        "--role",
        "finance",
        "--password-file",
        str(password_file),
    )
    _manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model;"
        "from allauth.mfa.totp.internal.auth import TOTP;"
        f"TOTP.activate(get_user_model().objects.get(username='{BENCH_USERNAME}'),"
        f" '{BENCH_TOTP_SECRET}')",
    )
    # A dashboard in its steady state has completed a sync: the customer list's "index last
    # complete" is then cached, as before any sync it is not (customers_app/sync/status.py).
    # The report cases seed their own runs over this one (seed.py).
    _manage(
        env,
        "shell",
        "-c",
        "from django.utils import timezone;"
        "from customers_app.models import ScanRun, ScanStatus;"
        "ScanRun.objects.create(status=ScanStatus.COMPLETED, finished_at=timezone.now())",
    )

    processes: list[subprocess.Popen] = []
    try:
        sandbox_log = work_dir / "sandbox.log"
        sandbox = subprocess.Popen(
            [sys.executable, "-m", "wonder_sandbox", "--port", str(sandbox_port)],
            cwd=PROJECT_DIR,
            env={
                **os.environ,
                "SANDBOX_PUBLIC_KEY_FILE": str(work_dir / "wonder_dev_public.pem"),
                "SANDBOX_CUSTOMERS": str(customers),
                "SANDBOX_LATENCY_MS": str(latency_ms),
            },
            stdout=sandbox_log.open("w"),
            stderr=subprocess.STDOUT,
        )
        processes.append(sandbox)
        _wait_until_answering(f"{sandbox_url}/__sandbox__/stats", sandbox, sandbox_log)

        dashboard_log = work_dir / "dashboard.log"
        # One worker: the local-memory cache is per process, so a second worker would turn
        # "warm" requests cold at random. Threads serve the static and login requests.
        dashboard = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "dashboard.wsgi:application",
                "--bind",
                f"127.0.0.1:{dashboard_port}",
                "--workers",
                "1",
                "--threads",
                str(threads),
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=dashboard_log.open("w"),
            stderr=subprocess.STDOUT,
        )
        processes.append(dashboard)
        _wait_until_answering(f"{dashboard_url}/accounts/login/", dashboard, dashboard_log)
        yield Servers(
            dashboard_url=dashboard_url,
            sandbox_url=sandbox_url,
            work_dir=work_dir,
            dashboard_pid=dashboard.pid,
        )
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
