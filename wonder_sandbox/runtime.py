"""State that changes while the sandbox runs: the active faults and the request counts.

Both are shared by every request thread. Fault settings are an immutable snapshot that is
swapped whole under a lock, so a request reads one consistent set with a single attribute
access and never takes the lock itself.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from dataclasses import asdict, dataclass, replace
from typing import Any

from .config import SandboxConfig, validate_faults

__all__ = ["FaultSettings", "FaultSwitch", "RequestCounter"]


@dataclass(frozen=True)
class FaultSettings:
    """What the sandbox does wrong on purpose. See config.FAULT_MODES for each fault."""

    latency_ms: float = 0
    error_rate: float = 0.0
    fault: str = "none"
    timeout_seconds: float = 30.0

    @classmethod
    def from_config(cls, config: SandboxConfig) -> FaultSettings:
        """The start-up faults of a configuration."""
        return cls(
            latency_ms=config.latency_ms,
            error_rate=config.error_rate,
            fault=config.fault,
            timeout_seconds=config.timeout_seconds,
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, as the control endpoint shows it."""
        return asdict(self)


class FaultSwitch:
    """The current FaultSettings, changeable at runtime from any thread."""

    def __init__(self, initial: FaultSettings) -> None:
        self._initial = initial
        self._lock = threading.Lock()
        self.current = initial

    def update(
        self,
        *,
        latency_ms: float | None = None,
        error_rate: float | None = None,
        fault: str | None = None,
        timeout_seconds: float | None = None,
    ) -> FaultSettings:
        """Change the given settings (None keeps one as it is); raise ConfigError if invalid."""
        changes = {
            "latency_ms": latency_ms,
            "error_rate": error_rate,
            "fault": fault,
            "timeout_seconds": timeout_seconds,
        }
        with self._lock:
            updated = replace(
                self.current,
                **{name: value for name, value in changes.items() if value is not None},
            )
            validate_faults(**updated.as_dict())
            self.current = updated
        return updated

    def reset(self) -> FaultSettings:
        """Back to the start-up faults."""
        with self._lock:
            self.current = self._initial
        return self._initial


class RequestCounter:
    """How many Wonder API requests arrived, per path (query string excluded), and the
    latest requests' full URIs (so a test can tell that no page was asked for twice)."""

    # Enough for a 1M-customer sync at 1,000 a page, with room; bounded for a long-lived one.
    LOGGED_URIS = 100_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._uris: deque[str] = deque(maxlen=self.LOGGED_URIS)

    def record(self, path: str, uri: str | None = None) -> None:
        """Count one request to ``path``; log ``uri`` (path and query) when given."""
        with self._lock:
            self._counts[path] += 1
            self._uris.append(uri or path)

    def uris(self, path_prefix: str = "") -> list[str]:
        """The logged URIs under ``path_prefix``, oldest first."""
        with self._lock:
            return [uri for uri in self._uris if uri.startswith(path_prefix)]

    def snapshot(self) -> dict[str, int]:
        """A copy of the counts, path -> number of requests."""
        with self._lock:
            return dict(self._counts)

    def count(self, path_prefix: str | None = None) -> int:
        """Requests whose path starts with ``path_prefix`` (None: all requests)."""
        counts = self.snapshot()
        if path_prefix is None:
            return sum(counts.values())
        return sum(number for path, number in counts.items() if path.startswith(path_prefix))

    def reset(self) -> None:
        """Forget every count."""
        with self._lock:
            self._counts.clear()
            self._uris.clear()
