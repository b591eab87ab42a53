"""What other features ask of the sync: when the customer index was last complete."""

from __future__ import annotations

from datetime import datetime

from django.core.cache import cache
from django.dispatch import receiver

from customers_app.models import ScanRun, ScanStatus
from customers_app.signals import sync_completed
from wonder.shared_cache import cache_attempt

__all__ = ["customer_index_as_of"]

_AS_OF_CACHE_KEY = "customer-index:as-of"
# Every customer list page shows this: read from the cache, not the database, on a warm
# page. A completed sync replaces it at once (below); the timeout only bounds how long a
# per-process cache (no Redis) may lag another process's sync.
_AS_OF_CACHE_SECONDS = 30
# "No complete sync yet" is worth caching too; None would read as a miss.
_NEVER = "never"


def customer_index_as_of() -> datetime | None:
    """When the last complete sync made the customer index current; None before the first."""
    cached = cache_attempt(
        lambda: cache.get(_AS_OF_CACHE_KEY), fallback=None, doing=f"reading {_AS_OF_CACHE_KEY}"
    )
    if cached is not None:
        return None if cached == _NEVER else cached
    as_of = (
        ScanRun.objects.filter(status=ScanStatus.COMPLETED)
        .values_list("finished_at", flat=True)
        .first()
    )
    cache_attempt(
        lambda: cache.set(_AS_OF_CACHE_KEY, as_of or _NEVER, _AS_OF_CACHE_SECONDS),
        fallback=None,
        doing=f"writing {_AS_OF_CACHE_KEY}",
    )
    return as_of


@receiver(sync_completed, dispatch_uid="customer_index_as_of_forget")
def _forget_as_of(sender, run, **kwargs) -> None:
    cache_attempt(
        lambda: cache.delete(_AS_OF_CACHE_KEY),
        fallback=None,
        doing=f"forgetting {_AS_OF_CACHE_KEY}",
    )
