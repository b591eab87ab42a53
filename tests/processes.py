"""Run the project in a new Python process, for what a test process cannot show: settings read
at start-up, a refusal to start, a probe answered by a process configured otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["PROJECT_ROOT", "manage", "python_in_new_process"]

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def python_in_new_process(
    *arguments: str, without: tuple[str, ...] = (), timeout: int = 60, **environment: str
) -> subprocess.CompletedProcess:
    """``python *arguments`` in the project's folder, with this process's environment minus
    the variables whose names start with any of ``without``, plus ``environment``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(without)}
    env.update(environment)
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def manage(*arguments: str, without: tuple[str, ...] = (), timeout: int = 60, **environment: str):
    """``python manage.py *arguments`` in a new process (see ``python_in_new_process``)."""
    return python_in_new_process(
        "manage.py", *arguments, without=without, timeout=timeout, **environment
    )
