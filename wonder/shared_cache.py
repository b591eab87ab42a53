"""The one rule for every use of the shared cache (Redis): an outage costs speed, not the page.

The cache holds nothing that cannot be worked out again: fetched pages of customers, rendered
tables, report summaries, the single-flight locks and the circuit breaker's state. So when it
is down (or hands back something unreadable) each use carries on without it, with a fallback
its caller chose, and says so in the log. Here in ``wonder/`` because the circuit breaker
uses it too, and ``wonder/`` imports nothing of the apps; the apps import it from here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

__all__ = ["cache_attempt"]

T = TypeVar("T")

logger = logging.getLogger("wonder.shared_cache")


def cache_attempt(operation: Callable[[], T], *, fallback: T, doing: str) -> T:
    """``operation()`` (one call on the cache), or ``fallback`` when the cache fails.

    ``doing`` says what was attempted, for the log line: ``"reading customers:page:3"``.
    """
    try:
        return operation()
    except Exception:  # noqa: BLE001 - any backend error: Redis down, a timeout, a bad pickle
        logger.warning("shared cache failed %s; carrying on without it", doing, exc_info=True)
        return fallback
