"""The digest work the task workers (``manage.py db_worker``) do; never a web request.

A sync only enqueues ``digest_after_sync`` (``receivers.py``); that plans the deliveries
and enqueues one ``digest_send`` each, which retries itself with back-off
(``run_after``) until sent or given up. ``digest_daily_check`` runs hourly for the daily
digests (see ``plans.py`` for how the hourly chain keeps itself alive).
"""

from __future__ import annotations

from django.conf import settings
from django_tasks import TaskResultStatus, task

from customers_app.digests.delivery import digest_delivery_attempt
from customers_app.digests.plans import daily_check_due_at, digest_daily_plan, digest_sync_plan

__all__ = [
    "daily_check_ensure_scheduled",
    "digest_after_sync",
    "digest_daily_check",
    "digest_send",
]


@task()
def digest_send(delivery_id: int) -> str:
    """One attempt at one delivery; a failure schedules the next attempt."""
    outcome = digest_delivery_attempt(delivery_id=delivery_id)
    if outcome.retry_at is not None:
        digest_send.using(run_after=outcome.retry_at).enqueue(delivery_id=delivery_id)
    return outcome.status


@task()
def digest_after_sync(run_id: int) -> list[int]:
    """Plan and enqueue the digests of a completed sync; returns the deliveries planned."""
    planned = digest_sync_plan(run_id=run_id, webhook=bool(settings.DIGEST_WEBHOOK_URL))
    for delivery_id in planned:
        digest_send.enqueue(delivery_id=delivery_id)
    daily_check_ensure_scheduled()
    return planned


@task()
def digest_daily_check() -> list[int]:
    """Send the daily digests whose hour has come, then wait for the next hour."""
    planned = digest_daily_plan()
    for delivery_id in planned:
        digest_send.enqueue(delivery_id=delivery_id)
    daily_check_ensure_scheduled()
    return planned


def daily_check_ensure_scheduled() -> bool:
    """Enqueue the next hourly check unless one is already waiting; True if enqueued.

    Two workers racing here may both enqueue one: harmless, a check is idempotent (each
    subscriber is served once a day, each delivery planned once).
    """
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=digest_daily_check.module_path, status=TaskResultStatus.READY
    )
    if waiting.exists():
        return False
    digest_daily_check.using(run_after=daily_check_due_at()).enqueue()
    return True
