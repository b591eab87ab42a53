"""What other features ask of the sync: when the customer index was last complete."""

from __future__ import annotations

from datetime import datetime

from django.core.cache import cache

from customers_app.models import ScanRun, ScanStatus
from wonder.shared_cache import cache_attempt

__all__ = ["customer_index_as_of", "customer_index_as_of_forget"]

_CACHE_KEY = "customer-index-as-of"
# The customer list shows it on every page view: a minute in the cache saves that page a
# query; a completed sync forgets it at once (in the shared cache; a process-local cache
# catches up within the minute).
_CACHE_SECONDS = 60


def customer_index_as_of() -> datetime | None:
    """When the last complete sync made the customer index current; None before the first."""
    cached = cache_attempt(
        lambda: cache.get(_CACHE_KEY), fallback=None, doing=f"reading {_CACHE_KEY}"
    )
    if cached is not None:
        return cached
    as_of = (
        ScanRun.objects.filter(status=ScanStatus.COMPLETED)
        .values_list("finished_at", flat=True)
        .first()
    )
    if as_of is not None:
        # "No complete sync yet" is not cached: in the embedded default (a process-local
        # cache) the worker's forget does not reach the web process, and the list would go
        # on saying so for a minute after the first sync, beside search results from it.
        cache_attempt(
            lambda: cache.set(_CACHE_KEY, as_of, _CACHE_SECONDS),
            fallback=None,
            doing=f"writing {_CACHE_KEY}",
        )
    return as_of


def customer_index_as_of_forget() -> None:
    """Called when a sync completes, so the next page view reads the new time."""
    cache_attempt(lambda: cache.delete(_CACHE_KEY), fallback=None, doing=f"forgetting {_CACHE_KEY}")
