"""Periodic syncs without a scheduler: each scheduled task queues the next one.

django-tasks has no periodic tasks. For the embedded default (one ``db_worker``, no cron)
the workers keep a chain instead: a ``sync_scheduled_task`` enqueued with ``run_after``
SYNC_MAX_AGE_SECONDS ahead; when it runs it queues a sync (or, if one is active, leaves it
alone: two syncs never overlap) and the next scheduled task. A completed sync also makes
sure one is queued, so the chain starts with the first sync however that was started.
Deployments with cron can turn this off (SYNC_MAX_AGE_SECONDS=0) and run
``sync_customers --enqueue`` instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus

from customers_app.models import ScanRun, ScanStatus

__all__ = ["sync_schedule_next", "sync_schedule_tick"]

# However old the report, a scheduled sync follows the previous one by at least this much,
# so a sync failing at once does not turn the schedule into a loop.
_MINIMUM_GAP = timedelta(minutes=1)


def _pending_scheduled_tasks():
    from django_tasks_db.models import DBTaskResult

    from customers_app.sync.tasks import sync_scheduled_task

    return DBTaskResult.objects.filter(
        task_path=sync_scheduled_task.module_path, status=TaskResultStatus.READY
    )


def sync_schedule_next(*, now: datetime | None = None) -> datetime | None:
    """Queue the next scheduled sync unless one is queued; returns when it will run."""
    if settings.SYNC_MAX_AGE_SECONDS <= 0 or _pending_scheduled_tasks().exists():
        return None
    from customers_app.sync.tasks import sync_scheduled_task

    now = now or timezone.now()
    max_age = timedelta(seconds=settings.SYNC_MAX_AGE_SECONDS)
    last_complete = ScanRun.objects.filter(status=ScanStatus.COMPLETED).first()
    due = (last_complete.finished_at if last_complete else now) + max_age
    run_after = max(due, now + _MINIMUM_GAP)
    sync_scheduled_task.using(run_after=run_after).enqueue()
    return run_after


def sync_schedule_tick(*, now: datetime | None = None) -> ScanRun | None:
    """What a scheduled task does: queue a sync if the last one is old and none is active,
    then schedule the next. Returns the sync it queued, if any."""
    from customers_app.sync.runs import sync_enqueue

    if settings.SYNC_MAX_AGE_SECONDS <= 0:
        return None
    now = now or timezone.now()
    last_complete = ScanRun.objects.filter(status=ScanStatus.COMPLETED).first()
    max_age = timedelta(seconds=settings.SYNC_MAX_AGE_SECONDS)
    queued = None
    if last_complete is None or now - last_complete.finished_at >= max_age - _MINIMUM_GAP:
        run, created = sync_enqueue(trigger="schedule")
        queued = run if created else None
    sync_schedule_next(now=now)
    return queued
