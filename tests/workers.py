"""Real ``db_worker`` processes for tests, on the test database and the sandbox.

The workers are separate processes, so they see only what the test has committed: tests
using them take ``transactional_db`` (or ``live_server``). They reach the sandbox over
HTTP like any worker. The fixtures are registered in ``tests/conftest.py``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def test_database_url() -> str:
    """A DATABASE_URL naming the database the tests are using now."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(settings_dict['NAME']).resolve()}"
    user = settings_dict.get("USER") or ""
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


@dataclass
class Worker:
    process: subprocess.Popen
    log_path: Path
    name: str

    def kill(self) -> None:
        """SIGKILL: the worker gets no chance to clean up, as when a machine dies."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_until_polling(self, *, timeout: float = 60) -> None:
        """Wait until the worker has started its loop (it logs that just before): a test
        that needs several workers to take part must not enqueue while one is still
        importing Django, or the first one up may take every task (seen in CI under load)."""
        wait_for(
            lambda: "Starting worker" in self.log() or self.process.poll() is not None,
            timeout=timeout,
            message=f"{self.name} did not start",
        )
        assert self.process.poll() is None, f"{self.name} exited:\n{self.log()}"


@dataclass
class WorkerPool:
    env: dict[str, str]
    log_dir: Path
    started: list[Worker] = field(default_factory=list)

    def start(self, **extra_env: str) -> Worker:
        name = f"worker-{len(self.started)}-{uuid.uuid4().hex[:6]}"
        log_path = self.log_dir / f"{name}.log"
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--no-reload",
                    "--no-startup-delay",
                    "--interval",
                    "0.1",
                    "--worker-id",
                    name,
                ],  # fmt: skip
                cwd=PROJECT_ROOT,
                env={**self.env, **extra_env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        worker = Worker(process, log_path, name)
        self.started.append(worker)
        return worker

    def stop_all(self) -> None:
        for worker in self.started:
            worker.stop()


@pytest.fixture
def worker_env(live_sandbox, key_pair, settings, tmp_path) -> dict[str, str]:
    """What a worker process is started with: this test database, the sandbox, and the
    sync settings the test has made (tests change ``settings`` before starting workers)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dashboard.settings",
        "DATABASE_URL": test_database_url(),
        "DASHBOARD_VAR_DIR": str(tmp_path),
        "WONDER_BASE_URL": live_sandbox.base_url,
        "WONDER_PRIVATE_KEY": key_pair.private_pem.decode(),
        "WONDER_MAX_RETRIES": "1",
        "WONDER_RETRY_BACKOFF": "0.01",
        "LOG_LEVEL": "INFO",
    }
    env.pop("WONDER_APP_ID", None)
    return env


@pytest.fixture
def workers(worker_env, settings, tmp_path) -> Iterator[Callable[..., Worker]]:
    """``workers.start()`` starts a db_worker with the test's SYNC_* settings."""
    pool = WorkerPool(worker_env, tmp_path)

    def start(**extra_env: str) -> Worker:
        sync_env = {
            name: str(getattr(settings, name))
            for name in (
                "SYNC_PARTITIONS",
                "SYNC_CONCURRENCY",
                "SYNC_PAGE_SIZE",
                "SYNC_STALE_SECONDS",
                "SYNC_MAX_AGE_SECONDS",
            )
        }
        return pool.start(**sync_env, **extra_env)

    start.pool = pool  # type: ignore[attr-defined]
    yield start
    pool.stop_all()


def wait_for(condition: Callable[[], object], *, timeout: float, message: str) -> object:
    """Poll ``condition`` until it is truthy; fail with ``message`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"{message} (waited {timeout} s)")
