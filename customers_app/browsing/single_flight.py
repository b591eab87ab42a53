"""Single-flight through the shared cache: many requests for one thing, one upstream call.

When a popular page's cached copy expires, every agent looking at it (on every worker and
every app server) would ask Wonder at the same moment. Instead, the first takes a lock in
the shared cache (``cache.add`` is atomic in Redis and in the local-memory cache) and fetches;
the others poll the cache briefly for its result, or for the error it met, and use that.

The cache being down must cost speed, not the page: then every request simply fetches.
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from wonder.shared_cache import cache_attempt

__all__ = ["single_flight_run"]

logger = logging.getLogger(__name__)

T = TypeVar("T")
# How often a waiting request looks at the cache: a Redis round trip is ~0.2 ms, an upstream
# page tens to hundreds of milliseconds, so 50 ms adds little latency and little load.
POLL_SECONDS = 0.05


def single_flight_run(
    *,
    key: str,
    produce: Callable[[], T],
    result_ready: Callable[[], T | None],
    wait_seconds: float,
    lock_seconds: float,
    shared_errors: tuple[type[Exception], ...],
    stop_waiting: Callable[[], Exception | None] = lambda: None,
) -> T:
    """``produce()`` once across all workers for ``key``; the others wait for its outcome.

    ``produce`` must leave its result where ``result_ready()`` finds it (the page cache);
    ``result_ready`` returns None until a result newer than the caller's own is there.
    An error of a ``shared_errors`` type met by the producer is handed to the waiters too,
    so 20 waiters do not each wait for their own timeout. A waiter that has waited
    ``wait_seconds`` (the producer died, or is stuck) produces for itself. ``stop_waiting``
    is asked at every poll: an error it returns is raised at once (the upstream is known to
    be down, so the producer's answer is not worth waiting for).
    """
    lock_key, error_key = f"{key}:flight", f"{key}:flight-error"
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        token = uuid.uuid4().hex
        if _add(lock_key, token, math.ceil(lock_seconds)):
            try:
                # Another producer may have finished between the caller's cache read and
                # this lock: its result is as good as ours and costs no upstream call.
                result = result_ready()
                if result is not None:
                    return result
                return _produce_sharing_errors(produce, error_key, token, shared_errors)
            finally:
                # The lock outlives the longest fetch (time budget), so it is still ours.
                _delete(lock_key)
        outcome = _wait(lock_key, error_key, result_ready, deadline, stop_waiting)
        if isinstance(outcome, _Failed):
            raise outcome.error
        if outcome is not None:
            return outcome
    logger.warning("single-flight: waited %.1f s for %s; fetching directly", wait_seconds, key)
    return produce()


class _Failed:
    """The producer we waited for met this error."""

    def __init__(self, error: Exception) -> None:
        self.error = error


def _produce_sharing_errors(
    produce: Callable[[], T], error_key: str, token: str, shared_errors: tuple
) -> T:
    """Run ``produce``; an error the waiters should see is left in the cache under our token."""
    try:
        return produce()
    except shared_errors as error:
        # Error objects of our own hierarchy pickle cleanly (message and attributes).
        _set(error_key, (token, error), 30)
        raise


def _wait(
    lock_key: str,
    error_key: str,
    result_ready: Callable[[], T | None],
    deadline: float,
    stop_waiting: Callable[[], Exception | None],
) -> T | _Failed | None:
    """Poll until the producer we found holding ``lock_key`` finishes; its outcome or None."""
    holder = _get_many([lock_key]).get(lock_key)
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        result = result_ready()
        if result is not None:
            return result
        found = _get_many([lock_key, error_key])
        failed = found.get(error_key)
        if holder is not None and failed is not None and failed[0] == holder:
            return _Failed(failed[1])
        reason = stop_waiting()
        if reason is not None:
            return _Failed(reason)
        if found.get(lock_key) != holder or holder is None:
            # That producer is done (or gone) without a result for us: try to produce.
            return None
    return None


# Cache operations that degrade instead of raising when the cache is down (each fallback
# chosen here; the rule itself is wonder.shared_cache).


def _add(key: str, value: str, timeout: int) -> bool:
    # No shared lock possible: behave as the producer, i.e. fetch directly.
    return cache_attempt(
        lambda: cache.add(key, value, timeout), fallback=True, doing=f"locking {key}"
    )


def _get_many(keys: list[str]) -> dict:
    return cache_attempt(lambda: cache.get_many(keys), fallback={}, doing="polling for a result")


def _set(key: str, value, timeout: int) -> None:
    cache_attempt(lambda: cache.set(key, value, timeout), fallback=None, doing=f"sharing {key}")


def _delete(key: str) -> None:
    cache_attempt(lambda: cache.delete(key), fallback=None, doing=f"releasing {key}")
