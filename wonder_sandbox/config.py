"""Start-up configuration of the sandbox, read once from the environment.

Environment variables (the CLI flags of ``python -m wonder_sandbox`` override them):

=========================  =========  ===============================================
variable                   default    meaning
=========================  =========  ===============================================
SANDBOX_PUBLIC_KEY_FILE    required   PEM RSA public key that verifies signatures
SANDBOX_APP_ID             sandbox-app the APPID every Credential must carry
SANDBOX_CUSTOMERS          3000       how many customers exist
SANDBOX_SEED               1          seed of the generated data
SANDBOX_LATENCY_MS         0          extra sleep before answering each request
SANDBOX_ERROR_RATE         0          fraction (0..1) of requests answered 500
SANDBOX_FAULT              none       none|timeout|malformed|bad_shape|down|no_total
SANDBOX_TIMEOUT_SECONDS    30         how long the ``timeout`` fault sleeps
SANDBOX_ACCESS_LOG         0          1 prints one stderr line per request
SANDBOX_PAGE_CACHE         0          keep up to N encoded customer-list pages (LRU,
                                      compressed; see page_cache.py); 0 = off
=========================  =========  ===============================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .signature import load_rsa_public_key

__all__ = [
    "DEFAULT_APP_ID",
    "FAULT_MODES",
    "ConfigError",
    "SandboxConfig",
    "config_from_env",
    "validate_faults",
]

DEFAULT_APP_ID = "sandbox-app"

# What each fault does to a Wonder request (control endpoints are never affected):
#   timeout   sleep SANDBOX_TIMEOUT_SECONDS, then answer normally
#   malformed HTTP 200 whose body is not JSON (a truncated copy of the real one)
#   bad_shape HTTP 200, valid JSON, but ``data`` lacks customers/customer/payment_tokens
#   down      503 for everything
#   no_total  the list answers without the X-Total-Entries header
FAULT_MODES = ("none", "timeout", "malformed", "bad_shape", "down", "no_total")


class ConfigError(ValueError):
    """The configuration cannot start a sandbox; the message says which setting and why."""


@dataclass(frozen=True)
class SandboxConfig:
    """Everything a sandbox needs to start. Faults here are the start-up faults."""

    public_key_pem: bytes
    app_id: str = DEFAULT_APP_ID
    customers: int = 3000
    seed: int = 1
    latency_ms: float = 0
    error_rate: float = 0.0
    fault: str = "none"
    timeout_seconds: float = 30.0
    access_log: bool = False
    page_cache: int = 0

    def __post_init__(self) -> None:
        try:
            load_rsa_public_key(self.public_key_pem)
        except ValueError as error:
            raise ConfigError(f"public key: {error}") from None
        if not self.app_id:
            raise ConfigError("app_id must not be empty")
        if self.customers < 0:
            raise ConfigError(f"customers must be >= 0, not {self.customers}")
        if self.page_cache < 0:
            raise ConfigError(f"page_cache must be >= 0 pages, not {self.page_cache}")
        validate_faults(
            latency_ms=self.latency_ms,
            error_rate=self.error_rate,
            fault=self.fault,
            timeout_seconds=self.timeout_seconds,
        )


def validate_faults(
    *, latency_ms: float, error_rate: float, fault: str, timeout_seconds: float
) -> None:
    """Raise ConfigError unless the fault settings make sense (shared by start-up and runtime)."""
    if latency_ms < 0:
        raise ConfigError(f"latency_ms must be >= 0, not {latency_ms}")
    if not 0 <= error_rate <= 1:
        raise ConfigError(f"error_rate must be between 0 and 1, not {error_rate}")
    if fault not in FAULT_MODES:
        raise ConfigError(f"fault must be one of {', '.join(FAULT_MODES)}, not {fault!r}")
    if timeout_seconds < 0:
        raise ConfigError(f"timeout_seconds must be >= 0, not {timeout_seconds}")


_ENV_FIELDS: dict[str, tuple[str, type]] = {
    "SANDBOX_APP_ID": ("app_id", str),
    "SANDBOX_CUSTOMERS": ("customers", int),
    "SANDBOX_SEED": ("seed", int),
    "SANDBOX_LATENCY_MS": ("latency_ms", float),
    "SANDBOX_ERROR_RATE": ("error_rate", float),
    "SANDBOX_FAULT": ("fault", str),
    "SANDBOX_TIMEOUT_SECONDS": ("timeout_seconds", float),
    "SANDBOX_PAGE_CACHE": ("page_cache", int),
}


def config_from_env(environ: Mapping[str, str] | None = None, **overrides: Any) -> SandboxConfig:
    """Build a SandboxConfig from ``SANDBOX_*`` variables; keyword overrides win when not None.

    ``public_key_file`` may be given as an override instead of SANDBOX_PUBLIC_KEY_FILE.
    """
    environ = os.environ if environ is None else environ
    key_file = overrides.pop("public_key_file", None) or environ.get("SANDBOX_PUBLIC_KEY_FILE")
    if not key_file:
        raise ConfigError(
            "SANDBOX_PUBLIC_KEY_FILE is not set: point it (or --public-key-file) at the PEM "
            "RSA public key whose private half signs the dashboard's requests"
        )
    try:
        public_key_pem = Path(key_file).read_bytes()
    except OSError as error:
        raise ConfigError(f"cannot read public key file {key_file!r}: {error.strerror}") from None

    values: dict[str, Any] = {}
    for variable, (field_name, convert) in _ENV_FIELDS.items():
        raw = environ.get(variable, "").strip()
        if raw:
            try:
                values[field_name] = convert(raw)
            except ValueError:
                raise ConfigError(f"{variable}={raw!r} is not a valid {convert.__name__}") from None
    values["access_log"] = environ.get("SANDBOX_ACCESS_LOG", "").strip() == "1"
    known = {field.name for field in fields(SandboxConfig)}
    values.update({k: v for k, v in overrides.items() if v is not None and k in known})
    unknown = set(overrides) - known
    if unknown:
        raise TypeError(f"unknown config overrides: {sorted(unknown)}")
    try:
        return SandboxConfig(public_key_pem=public_key_pem, **values)
    except ConfigError as error:
        if str(error).startswith("public key"):
            # Name the file: "public key: not a PEM public key" alone does not say which.
            raise ConfigError(f"{key_file}: {error}") from None
        raise
