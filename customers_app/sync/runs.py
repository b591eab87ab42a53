"""A customer sync's life: claimed (one at a time), walked by partitions, made current.

``sync_enqueue`` creates the run and its K partition tasks in one transaction (the workers
pick them up); ``sync_run`` does the same work in the calling process (the management
command, tests). Either way each partition streams its pages into staging; the partition
that finishes last makes the snapshot current in one transaction and sends
``sync_completed``.

One sync at a time across every process is enforced by the database (a conditional unique
constraint on queued or running ScanRuns), so two clicks, a cron line and the schedule can
race freely: one sync results. django-tasks-db leaves the task of a worker that died
"running" for ever; the sync's own heartbeats notice (``sync_expire_stale``), fail the run
with a reason and let the next one start.
"""

from __future__ import annotations

import logging
import math
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from customers_app.models import (
    ACTIVE_SCAN_STATUSES,
    ScanRun,
    ScanStatus,
    StagedCustomer,
    SyncPartition,
)
from customers_app.signals import sync_completed
from customers_app.sync.failure import (
    failure_facts_stale,
    failure_facts_unexpected,
    failure_facts_unsaved,
    failure_facts_upstream,
    failure_reason_in_english,
)
from customers_app.sync.rows import staged_columns
from customers_app.sync.schedule import sync_schedule_next
from customers_app.sync.snapshot import snapshot_make_current
from customers_app.sync.staging import StagingWriter, staged_columns_write
from customers_app.sync.status import customer_index_as_of_forget
from customers_app.sync.walk import partition_walk
from wonder import CustomerPage, WonderError
from wonder.client import MAX_PAGE_SIZE
from wonder.factory import wonder_client

__all__ = [
    "sync_claim",
    "sync_enqueue",
    "sync_expire_stale",
    "sync_partition_execute",
    "sync_run",
]

logger = logging.getLogger(__name__)

# Progress and heartbeat writes are throttled: one per page would be a write per page.
_HEARTBEAT_EVERY_SECONDS = 1.0
# While the last partition makes the snapshot current its heartbeat cannot move (the
# transaction holds the write lock on SQLite): it is set this many stale limits ahead.
_SAVING_GRACE_FACTOR = 10


class _SyncStopped(Exception):
    """The run was failed elsewhere (a partition failed, or the heartbeat check)."""


# --- claiming: one sync at a time -----------------------------------------------------------


def sync_expire_stale(*, now: datetime | None = None) -> int:
    """Fail running syncs whose heartbeat stopped (a worker died); returns how many.

    A run is stale when nothing of it reported progress within SYNC_STALE_SECONDS, or when
    one of its running partitions did not (the others may still be working). Safe to call
    from any process, web ones included: it reads first and writes only when one is stale.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.SYNC_STALE_SECONDS)
    stale = Q(heartbeat_at__lt=cutoff) | Q(
        partition_set__status=ScanStatus.RUNNING, partition_set__heartbeat_at__lt=cutoff
    )
    stale_ids = list(
        ScanRun.objects.filter(stale, status=ScanStatus.RUNNING).values_list("pk", flat=True)
    )
    failed = 0
    for run_id in set(stale_ids):
        try:
            failed += _fail(run_id, failure_facts_stale())
            _dead_tasks_failed(run_id=run_id, now=now)
        except OperationalError:  # the database is busy (SQLite): the next look will do it
            logger.info("could not fail stale sync %s now; the database is busy", run_id)
    return failed


def _dead_tasks_failed(*, run_id: int, now: datetime) -> None:
    """Mark the run's partition tasks that django-tasks-db still calls running as failed:
    their worker died, and nothing else would ever end them."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from customers_app.sync.tasks import sync_partition_task

    DBTaskResult.objects.filter(
        task_path=sync_partition_task.module_path,
        status=TaskResultStatus.RUNNING,
        args_kwargs__kwargs__run_id=run_id,
    ).update(status=TaskResultStatus.FAILED, finished_at=now)


def sync_claim(
    *, trigger: str, enqueue: bool, requested_by=None, partitions: int | None = None
) -> tuple[ScanRun, bool]:
    """Create a sync (queued for the workers, or running here) or join the active one.

    Returns ``(run, created)``. With ``enqueue`` the partition tasks are enqueued in the
    same transaction as the run, so there is never a queued run without its tasks.
    """
    sync_expire_stale()
    partitions = max(1, partitions or settings.SYNC_PARTITIONS)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                run = ScanRun.objects.create(
                    trigger=trigger,
                    requested_by=requested_by,
                    partitions=partitions,
                    status=ScanStatus.QUEUED if enqueue else ScanStatus.RUNNING,
                )
                SyncPartition.objects.bulk_create(
                    SyncPartition(run=run, number=number) for number in range(partitions)
                )
                if enqueue:
                    from customers_app.sync.tasks import sync_partition_task

                    for number in range(partitions):
                        sync_partition_task.enqueue(run_id=run.pk, partition=number)
        except IntegrityError:
            active = ScanRun.objects.filter(status__in=ACTIVE_SCAN_STATUSES).first()
            if active is not None:
                return active, False
            continue  # the active sync ended between our insert and our look-up
        return run, True
    raise RuntimeError("Could not start or join a customer sync.")


def sync_enqueue(*, trigger: str, requested_by=None) -> tuple[ScanRun, bool]:
    """Queue a sync for the workers (or join the active one); returns at once."""
    return sync_claim(trigger=trigger, requested_by=requested_by, enqueue=True)


def sync_run(
    *, trigger: str = "command", concurrency: int | None = None, partitions: int | None = None
) -> ScanRun:
    """Sync in this process and wait for the outcome; if one is active, return that one."""
    run, created = sync_claim(trigger=trigger, enqueue=False, partitions=partitions)
    if not created:
        return run
    _abandoned_staging_delete(run_id=run.pk)
    for number in range(run.partitions):
        sync_partition_execute(
            run_id=run.pk, partition=number, worker="foreground", concurrency=concurrency
        )
        run.refresh_from_db()
        if run.status != ScanStatus.RUNNING:
            break
    return run


# --- one partition --------------------------------------------------------------------------


@dataclass
class _Progress:
    """A partition's counts not yet written to its run, and when they last were."""

    run_id: int
    partition: int
    page_size: int
    pages: int = 0
    requests: int = 0
    customers: int = 0
    written_at: float = field(default_factory=time.monotonic)
    expected: tuple[int, int] | None = None
    # Where the partition's time goes, logged when it ends (bench/sync.py reads the line):
    # CPU of this thread building rows and writing them, and the writes' wall time.
    build_cpu: float = 0.0
    write_cpu: float = 0.0
    write_seconds: float = 0.0
    rows_staged: int = 0
    requests_total: int = 0

    def page(self, page: CustomerPage, linked_source_type: str, totals: dict) -> None:
        cpu_started = time.thread_time()
        columns = staged_columns(page.columns, linked_source_type)
        built, wall_started = time.thread_time(), time.perf_counter()
        self.rows_staged += staged_columns_write(run_id=self.run_id, columns=columns)
        self.write_seconds += time.perf_counter() - wall_started
        self.build_cpu += built - cpu_started
        self.write_cpu += time.thread_time() - built
        self.requests += 1
        self.requests_total += 1
        # An empty page past the end (asked for before the end was known) is no page.
        self.pages += 1 if page.rows_returned else 0
        self.customers += page.rows_returned
        if self.expected is None and all(total is not None for total in totals.values()):
            self.expected = (
                sum(totals.values()),
                sum(math.ceil(total / self.page_size) for total in totals.values()),
            )
        if time.monotonic() - self.written_at >= _HEARTBEAT_EVERY_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Add the counts to the run, beat both hearts, and stop if the run was failed."""
        now = timezone.now()
        changes = {
            "heartbeat_at": now,
            "customers_seen": F("customers_seen") + self.customers,
            "pages_done": F("pages_done") + self.pages,
            "upstream_requests": F("upstream_requests") + self.requests,
        }
        if self.expected is not None:
            changes["customers_expected"], changes["pages_expected"] = self.expected
        with transaction.atomic():
            still_running = ScanRun.objects.filter(
                pk=self.run_id, status=ScanStatus.RUNNING
            ).update(**changes)
            SyncPartition.objects.filter(run_id=self.run_id, number=self.partition).update(
                heartbeat_at=now,
                pages_done=F("pages_done") + self.pages,
                customers_seen=F("customers_seen") + self.customers,
            )
        self.pages = self.requests = self.customers = 0
        self.written_at = time.monotonic()
        if not still_running:
            raise _SyncStopped
        # A sibling partition whose worker died is noticed here, by those still working.
        sync_expire_stale(now=now)


def _partition_start(*, run_id: int, partition: int, worker: str) -> ScanRun | None:
    """Mark the partition (and a queued run) running; None when there is nothing to do."""
    now = timezone.now()
    with transaction.atomic():
        run = ScanRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status not in ACTIVE_SCAN_STATUSES:
            return None  # the sync failed meanwhile: its remaining partitions do nothing
        claimed = SyncPartition.objects.filter(
            run_id=run_id, number=partition, status=ScanStatus.QUEUED
        ).update(status=ScanStatus.RUNNING, heartbeat_at=now, worker=worker[:100])
        if not claimed:
            return None
        starting = run.status == ScanStatus.QUEUED
        if starting:
            ScanRun.objects.filter(pk=run_id).update(status=ScanStatus.RUNNING, heartbeat_at=now)
        run.status = ScanStatus.RUNNING
    if starting:
        _abandoned_staging_delete(run_id=run_id)
    return run


def _abandoned_staging_delete(*, run_id: int) -> None:
    """Drop the staging rows of syncs that failed or died: of no use to anyone now. Done
    by the sync starting (on a worker), never by the web request that failed a dead one."""
    StagedCustomer.objects.exclude(run_id=run_id).delete()


def sync_partition_execute(
    *, run_id: int, partition: int, worker: str = "", concurrency: int | None = None
) -> None:
    """Walk one partition of run ``run_id`` into staging; the last one makes it current.

    Any failure fails the whole run with a reason (no retries: the client already retried
    each request) and leaves the previous snapshot as it was.
    """
    run = _partition_start(run_id=run_id, partition=partition, worker=worker)
    if run is None:
        return
    page_size = min(settings.SYNC_PAGE_SIZE, MAX_PAGE_SIZE)
    progress = _Progress(run_id, partition, page_size)
    cpu_before, wall_before = sum(os.times()[:2]), time.perf_counter()
    writer = StagingWriter(progress.page)
    try:
        try:
            partition_walk(
                client=wonder_client(),
                partition=partition,
                partitions=run.partitions,
                page_size=page_size,
                concurrency=max(1, concurrency or settings.SYNC_CONCURRENCY),
                on_page=writer.put,
            )
        finally:
            writer.close()
        progress.flush()
    except _SyncStopped:
        logger.info("sync %s partition %s stopped: the sync was failed", run_id, partition)
        return
    except (WonderError, ImproperlyConfigured) as error:
        _fail(run_id, failure_facts_upstream(error))
        return
    except Exception as error:  # noqa: BLE001 - any failure must end the run, not hang it
        logger.exception("sync %s partition %s crashed", run_id, partition)
        _fail(run_id, failure_facts_unexpected(error))
        return
    logger.info(
        "sync %s partition %s walked: %d requests, %d rows staged in %.3f s; process cpu "
        "%.3f s, building rows %.3f s, writing %.3f s cpu / %.3f s wall",
        run_id,
        partition,
        progress.requests_total,
        progress.rows_staged,
        time.perf_counter() - wall_before,
        sum(os.times()[:2]) - cpu_before,
        progress.build_cpu,
        progress.write_cpu,
        progress.write_seconds,
    )
    if _partition_finished(run_id=run_id, partition=partition):
        _complete(run_id)


def _partition_finished(*, run_id: int, partition: int) -> bool:
    """Count this partition done; True for the one that finished last."""
    with transaction.atomic():
        SyncPartition.objects.filter(run_id=run_id, number=partition).update(
            status=ScanStatus.COMPLETED, heartbeat_at=timezone.now()
        )
        ScanRun.objects.filter(pk=run_id, status=ScanStatus.RUNNING).update(
            partitions_done=F("partitions_done") + 1
        )
        done, partitions, status = ScanRun.objects.values_list(
            "partitions_done", "partitions", "status"
        ).get(pk=run_id)
    return status == ScanStatus.RUNNING and done == partitions


def _complete(run_id: int) -> None:
    grace = timedelta(seconds=settings.SYNC_STALE_SECONDS * _SAVING_GRACE_FACTOR)
    ScanRun.objects.filter(pk=run_id).update(heartbeat_at=timezone.now() + grace)
    run = ScanRun.objects.get(pk=run_id)
    started, cpu_before = time.monotonic(), sum(os.times()[:2])
    try:
        index_written, failing = snapshot_make_current(run=run, now=timezone.now())
    except Exception as error:  # noqa: BLE001
        logger.exception("sync %s could not make its snapshot current", run_id)
        _fail(run_id, failure_facts_unsaved(error))
        return
    # The snapshot alone (bench/sync.py reads it as the sync's tail); what follows runs
    # after the run is already completed.
    saved_seconds, saved_cpu = time.monotonic() - started, sum(os.times()[:2]) - cpu_before
    run.refresh_from_db()
    customer_index_as_of_forget()
    try:
        sync_schedule_next()
    except Exception:  # noqa: BLE001 - the sync is saved; a missed schedule must not undo that
        logger.exception("after sync %s: the next scheduled sync could not be queued", run.pk)
    try:
        _old_task_results_delete()
    except Exception:  # noqa: BLE001 - housekeeping must not undo a saved sync
        logger.exception("after sync %s: old task results could not be deleted", run.pk)
    for receiver, outcome in sync_completed.send_robust(sender=ScanRun, run=run):
        if isinstance(outcome, Exception):
            logger.error("after sync %s: %s failed (%s)", run.pk, receiver, type(outcome).__name__)
    logger.info(
        "sync %s completed: %d customers, %d failing, %d pages, %d index rows written; "
        "saved in %.3f s (cpu %.3f s)",
        run.pk,
        run.customers_seen,
        failing,
        run.pages_done,
        index_written,
        saved_seconds,
        saved_cpu,
    )


def _old_task_results_delete() -> int:
    """Delete finished task results older than SYNC_TASK_RESULTS_KEEP_DAYS: django-tasks-db
    keeps them for ever otherwise (a row per partition task, more per sync than it needs).
    The same rule as its ``prune_db_task_results`` command, run where syncs already run."""
    from django_tasks_db.models import DBTaskResult

    if settings.SYNC_TASK_RESULTS_KEEP_DAYS <= 0:
        return 0
    cutoff = timezone.now() - timedelta(days=settings.SYNC_TASK_RESULTS_KEEP_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    return deleted


def _fail(run_id: int, facts: dict) -> int:
    """Fail an active run (and its unfinished partitions) for the reason ``facts`` record
    (``failure.py``); returns 1 if it was active."""
    now = timezone.now()
    reason = failure_reason_in_english(facts)
    with transaction.atomic():
        failed = ScanRun.objects.filter(pk=run_id, status__in=ACTIVE_SCAN_STATUSES).update(
            status=ScanStatus.FAILED, finished_at=now, error=reason[:2000], failure=facts
        )
        SyncPartition.objects.filter(run_id=run_id, status__in=ACTIVE_SCAN_STATUSES).update(
            status=ScanStatus.FAILED
        )
    if failed:
        # Its staging rows stay until the next sync starts (this may be a web request).
        logger.warning("sync %s failed: %s", run_id, reason)
    return failed
