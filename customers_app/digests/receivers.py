"""What happens when a sync completes: its trend point is stored, its digest enqueued.

Receivers of ``sync_completed`` must never fail or slow the sync: the trend is one GROUP BY
over an index (done here, so the trend always matches the stored syncs, worker or not); the
digest is only enqueued, and a worker builds and sends it.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import receiver

from customers_app.digests.tasks import digest_after_sync
from customers_app.digests.trend import trend_record
from customers_app.signals import sync_completed

__all__ = ["digest_and_trend_after_sync"]

logger = logging.getLogger(__name__)


@receiver(sync_completed, dispatch_uid="customers_app.digests.after_sync")
def digest_and_trend_after_sync(sender, run, **kwargs) -> None:
    try:
        trend_record(run=run)
    except Exception:  # noqa: BLE001 - a lost trend point must not cost the digest
        logger.exception("sync %s: its trend point could not be stored", run.pk)
    # After the sync's own transaction, if it is still in one: a worker must find the run.
    transaction.on_commit(lambda: digest_after_sync.enqueue(run_id=run.pk), robust=True)
