"""A circuit breaker for calls to Wonder, its state kept in a store every app server shares.

When Wonder stops answering, every agent's page would otherwise wait for the full time
budget, on every app server, and the retries would pile more load on a struggling gateway.
After ``failure_threshold`` consecutive failed calls the circuit *opens*: calls fail at once
with ``WonderCircuitOpen`` for ``cooldown_seconds``. Then it is *half-open*: exactly one
trial call (across all servers) goes through; its outcome closes or re-opens the circuit.

Only "Wonder did not answer" failures (``WonderUnavailable``: timeouts, refused connections,
429/5xx after retries) count. A 4xx, a not-found or an unreadable answer means Wonder is up.

The store is anything with Django's cache API (``get``, ``set``, ``add``, ``incr``,
``delete_many``); this module does not import Django. Times are wall-clock (``time.time``)
because they are compared across processes and machines.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from .errors import WonderCircuitOpen, WonderError, WonderUnavailable
from .shared_cache import cache_attempt

__all__ = ["BreakerConfig", "CircuitBreaker", "CircuitState", "SharedStore"]

logger = logging.getLogger("wonder.breaker")
# What an unreadable store reads as, told apart from a store that holds nothing.
_UNREADABLE = object()

T = TypeVar("T")


class SharedStore(Protocol):
    """The subset of Django's cache API the breaker uses."""

    def get(self, key: str, default: Any = None) -> Any: ...
    def set(self, key: str, value: Any, timeout: float | None = ...) -> None: ...
    def add(self, key: str, value: Any, timeout: float | None = ...) -> bool: ...
    def incr(self, key: str, delta: int = 1) -> int: ...
    def delete_many(self, keys: list[str]) -> Any: ...


class CircuitState(enum.Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"
    # The shared store itself cannot be read; calls are let through (see ``_admit``).
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class BreakerConfig:
    """How sensitive the breaker is; built from settings by ``factory.py``."""

    failure_threshold: int = 5
    cooldown_seconds: float = 30.0
    # How long the half-open trial may take before another call may try; longer than the
    # client's time budget, so a trial is never overlapped by a second one.
    trial_timeout_seconds: float = 25.0
    name: str = "wonder"


class CircuitBreaker:
    """Fail fast while the upstream is known to be down; let one trial decide when to stop."""

    def __init__(
        self,
        store: SharedStore,
        config: BreakerConfig | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.config = config or BreakerConfig()
        self._clock = clock
        prefix = f"{self.config.name}:circuit"
        self._failures_key = f"{prefix}:failures"
        self._open_until_key = f"{prefix}:open-until"
        self._trial_key = f"{prefix}:trial"
        # An open circuit nobody tests again (no traffic) is forgotten after an hour.
        self._state_ttl = self.config.cooldown_seconds + 3600

    def state(self) -> CircuitState:
        """The circuit as every app server sees it now."""
        open_until = cache_attempt(
            lambda: self.store.get(self._open_until_key),
            fallback=_UNREADABLE,
            doing=f"reading circuit {self.config.name}",
        )
        if open_until is _UNREADABLE:
            # The store being down is reported, not raised.
            return CircuitState.UNKNOWN
        if open_until is None:
            return CircuitState.CLOSED
        return CircuitState.OPEN if self._clock() < open_until else CircuitState.HALF_OPEN

    def open_error(self) -> WonderCircuitOpen | None:
        """The error ``call`` would raise now because the circuit is open, or None.

        For callers that wait on another's call (single-flight): once the circuit opens,
        that call's answer is not worth waiting for.
        """
        # Unknown state (store down, read as None): not a reason to stop waiting.
        open_until = cache_attempt(
            lambda: self.store.get(self._open_until_key),
            fallback=None,
            doing=f"reading circuit {self.config.name}",
        )
        if open_until is None or self._clock() >= open_until:
            return None
        return _circuit_open(open_until - self._clock())

    def call(self, action: Callable[[], T]) -> T:
        """Run ``action`` (one upstream call, retries included) unless the circuit is open."""
        is_trial = self._admit()
        try:
            result = action()
        except WonderUnavailable:
            self._record_failure(is_trial=is_trial)
            raise
        except WonderError:
            # Wonder answered (4xx, not found, unreadable body): it is up.
            self._record_success()
            raise
        except BaseException:
            # Not an upstream outcome (a bug, an interrupted worker): decide nothing, but
            # free the trial slot so the next call can try.
            if is_trial:
                self._safely(lambda: self.store.delete_many([self._trial_key]))
            raise
        self._record_success()
        return result

    def _admit(self) -> bool:
        """Raise ``WonderCircuitOpen`` while open; True when this call is the half-open trial.

        Without the shared store nobody can know the state; calling Wonder is the honest
        fallback (each call still has its own timeouts and budget): an unreadable store
        reads as closed, and a trial slot it cannot take lets the call through (not as the trial).
        """
        open_until = cache_attempt(
            lambda: self.store.get(self._open_until_key),
            fallback=None,
            doing=f"reading circuit {self.config.name}",
        )
        if open_until is None:
            return False
        now = self._clock()
        if now < open_until:
            raise _circuit_open(open_until - now)
        is_trial = cache_attempt(
            lambda: self.store.add(self._trial_key, 1, self.config.trial_timeout_seconds),
            fallback=_UNREADABLE,
            doing=f"taking circuit {self.config.name}'s trial slot",
        )
        if is_trial is _UNREADABLE:
            return False
        if is_trial:
            logger.info("circuit %s half-open: this call is the trial", self.config.name)
            return True
        raise WonderCircuitOpen(
            "Wonder failed repeatedly; another request is testing whether it is back.",
            retry_in_seconds=self.config.trial_timeout_seconds,
        )

    def _record_failure(self, *, is_trial: bool) -> None:
        def record() -> None:
            if is_trial:
                self._open("the trial call failed")
                return
            self.store.add(self._failures_key, 0, self._state_ttl)
            failures = self.store.incr(self._failures_key)
            if failures >= self.config.failure_threshold:
                self._open(f"{failures} consecutive failures")

        self._safely(record)

    def _open(self, reason: str) -> None:
        self.store.set(
            self._open_until_key, self._clock() + self.config.cooldown_seconds, self._state_ttl
        )
        self.store.delete_many([self._failures_key, self._trial_key])
        logger.warning(
            "circuit %s OPEN for %.0f s: %s", self.config.name, self.config.cooldown_seconds, reason
        )

    def _record_success(self) -> None:
        # One round trip: clear the counter, the open mark and the trial slot together.
        self._safely(
            lambda: self.store.delete_many(
                [self._failures_key, self._open_until_key, self._trial_key]
            )
        )

    def _safely(self, operation: Callable[[], Any]) -> None:
        # A store outage must not turn into a failed page.
        cache_attempt(operation, fallback=None, doing=f"writing circuit {self.config.name}")


def _circuit_open(retry_in_seconds: float) -> WonderCircuitOpen:
    return WonderCircuitOpen(
        "Wonder failed repeatedly; the dashboard is not asking it again for "
        f"{retry_in_seconds:.0f} s.",
        retry_in_seconds=retry_in_seconds,
    )
