"""A task worker (``manage.py db_worker``) is its own process: its log lines go through the
same redacting, escaping filter as the web's (audit finding 1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Set up the worker's logging as the command does, then log what a failing task might.
_WORKER = """
import logging
import django
django.setup()
from django_tasks_db.management.commands.db_worker import Command
Command().configure_logging(verbosity=1)
logging.getLogger("django_tasks_db").info("task failed for card %s", "4111 1111 1111 1111")
logging.getLogger("django_tasks").warning("customer %s", "abc\\n2026-11-30 INFO forged line")
"""


def test_a_task_worker_redacts_and_escapes_its_log_lines(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dashboard.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "DASHBOARD_VAR_DIR": str(tmp_path),
    }
    finished = subprocess.run(
        [sys.executable, "-c", _WORKER],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    written = finished.stdout + finished.stderr
    assert "task failed for card [REDACTED]" in written
    assert "4111" not in written
    assert "customer abc\\n2026-11-30 INFO forged line" in written
    assert not any(line.startswith("2026-11-30 INFO forged") for line in written.splitlines())
