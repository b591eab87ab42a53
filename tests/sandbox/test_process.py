"""Configuration from the environment and ``python -m wonder_sandbox`` as its own process."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wonder_sandbox.config import ConfigError, SandboxConfig, config_from_env

from .signer import http_request

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def key_file(tmp_path, sandbox_public_pem) -> Path:
    path = tmp_path / "wonder_public.pem"
    path.write_bytes(sandbox_public_pem)
    return path


def test_defaults_and_env_values(key_file):
    defaults = config_from_env({"SANDBOX_PUBLIC_KEY_FILE": str(key_file)})
    assert (defaults.app_id, defaults.customers, defaults.seed) == ("sandbox-app", 3000, 1)
    assert (defaults.latency_ms, defaults.error_rate, defaults.fault) == (0, 0.0, "none")
    assert defaults.timeout_seconds == 30 and defaults.access_log is False
    configured = config_from_env(
        {
            "SANDBOX_PUBLIC_KEY_FILE": str(key_file),
            "SANDBOX_APP_ID": "my-app",
            "SANDBOX_CUSTOMERS": "1000000",
            "SANDBOX_SEED": "9",
            "SANDBOX_LATENCY_MS": "25",
            "SANDBOX_ERROR_RATE": "0.1",
            "SANDBOX_FAULT": "no_total",
            "SANDBOX_TIMEOUT_SECONDS": "2.5",
            "SANDBOX_ACCESS_LOG": "1",
        },
        seed=11,  # an override (a CLI flag) wins over the environment
    )
    assert configured.app_id == "my-app" and configured.customers == 1_000_000
    assert configured.seed == 11 and configured.latency_ms == 25 and configured.error_rate == 0.1
    assert configured.fault == "no_total" and configured.timeout_seconds == 2.5
    assert configured.access_log is True


def test_a_missing_or_unreadable_key_refuses_to_start(tmp_path):
    with pytest.raises(ConfigError, match="SANDBOX_PUBLIC_KEY_FILE is not set"):
        config_from_env({})
    with pytest.raises(ConfigError, match="cannot read public key file"):
        config_from_env({"SANDBOX_PUBLIC_KEY_FILE": str(tmp_path / "absent.pem")})
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("hello")
    with pytest.raises(ConfigError, match="garbage.pem: public key: not a PEM public key"):
        config_from_env({"SANDBOX_PUBLIC_KEY_FILE": str(garbage)})


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SANDBOX_CUSTOMERS", "many", "SANDBOX_CUSTOMERS='many' is not a valid int"),
        ("SANDBOX_CUSTOMERS", "-1", "customers must be >= 0"),
        ("SANDBOX_ERROR_RATE", "2", "error_rate must be between 0 and 1"),
        ("SANDBOX_FAULT", "chaos", "fault must be one of"),
    ],
)
def test_bad_values_are_named(key_file, variable, value, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        config_from_env({"SANDBOX_PUBLIC_KEY_FILE": str(key_file), variable: value})


def test_the_dataclass_checks_its_key_too():
    with pytest.raises(ConfigError, match="public key"):
        SandboxConfig(public_key_pem=b"nope")


def _sandbox_env(**variables: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    env.update(variables)
    return env


def test_the_process_refuses_to_start_without_a_key():
    finished = subprocess.run(
        [sys.executable, "-m", "wonder_sandbox", "--port", "0"],
        env=_sandbox_env(),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert finished.returncode == 2
    assert "SANDBOX_PUBLIC_KEY_FILE is not set" in finished.stderr


def _start_process(key_file: Path, **variables: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "wonder_sandbox", "--host", "127.0.0.1", "--port", "0"],
        env=_sandbox_env(SANDBOX_PUBLIC_KEY_FILE=str(key_file), **variables),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop_process(process: subprocess.Popen) -> str:
    """Terminate the process we started and return what it wrote to stderr."""
    process.terminate()
    process.wait(timeout=10)
    stderr = process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    return stderr


def test_the_process_announces_itself_and_serves(key_file):
    process = _start_process(key_file, SANDBOX_CUSTOMERS="1234")
    try:
        line = process.stdout.readline().strip()
        match = re.fullmatch(
            r"Wonder sandbox listening on (http://127\.0\.0\.1:\d+) \(1234 customers\)", line
        )
        assert match, line
        base_url = match.group(1)
        http_request(base_url + "/svc/payment/api/v1/openapi/customers")  # unsigned: a 401
        assert http_request(base_url + "/__sandbox__/stats").json() == {
            "requests": {"/svc/payment/api/v1/openapi/customers": 1},
            "total": 1,
        }
    finally:
        stderr = _stop_process(process)
    # No per-request access log unless SANDBOX_ACCESS_LOG=1.
    assert "GET /" not in stderr


def test_the_access_log_is_written_when_asked_for(key_file):
    process = _start_process(key_file, SANDBOX_ACCESS_LOG="1")
    try:
        base_url = process.stdout.readline().split()[4]
        assert http_request(base_url + "/__sandbox__/stats").status == 200
        # The server logs a request after answering it: wait for the line (bounded) rather
        # than stopping the process before it is written.
        logged = ""
        deadline = time.monotonic() + 10
        while "GET /__sandbox__/stats" not in logged and time.monotonic() < deadline:
            if select.select([process.stderr], [], [], 0.5)[0]:
                logged += process.stderr.readline()
    finally:
        _stop_process(process)
    assert "GET /__sandbox__/stats" in logged
