"""Periodic syncs kept by the workers themselves: a scheduled task queues a sync when the
last one is old, never beside an active one, and always leaves exactly one next tick."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from customers_app.models import ScanRun, ScanStatus
from customers_app.sync.runs import sync_enqueue
from customers_app.sync.schedule import sync_schedule_tick
from customers_app.sync.tasks import sync_scheduled_task
from tests.workers import wait_for

HOUR = 3600


def _scheduled_ticks():
    return DBTaskResult.objects.filter(
        task_path=sync_scheduled_task.module_path, status=TaskResultStatus.READY
    )


@pytest.mark.django_db
def test_a_tick_with_no_recent_sync_queues_one_and_the_next_tick(live_sandbox, settings):
    settings.SYNC_MAX_AGE_SECONDS = HOUR
    before = timezone.now()

    queued = sync_schedule_tick()

    assert queued is not None and queued.status == ScanStatus.QUEUED
    assert queued.trigger == "schedule"
    (tick,) = _scheduled_ticks()
    assert before + timedelta(seconds=HOUR) <= tick.run_after
    assert live_sandbox.request_count() == 0  # queued, not run here
    # A second tick now neither queues a second sync nor a second next tick.
    assert sync_schedule_tick() is None
    assert ScanRun.objects.count() == 1 and _scheduled_ticks().count() == 1


@pytest.mark.django_db
def test_a_tick_after_a_recent_sync_only_schedules_the_next(live_sandbox, settings):
    settings.SYNC_MAX_AGE_SECONDS = HOUR
    finished = timezone.now() - timedelta(minutes=10)
    ScanRun.objects.create(status=ScanStatus.COMPLETED, finished_at=finished)

    assert sync_schedule_tick() is None

    assert not ScanRun.objects.filter(status__in=("queued", "running")).exists()
    (tick,) = _scheduled_ticks()
    assert tick.run_after == finished + timedelta(seconds=HOUR)


@pytest.mark.django_db
def test_with_max_age_zero_there_is_no_schedule(live_sandbox, settings):
    settings.SYNC_MAX_AGE_SECONDS = 0
    assert sync_schedule_tick() is None
    assert not ScanRun.objects.exists() and not _scheduled_ticks().exists()


@pytest.mark.django_db(transaction=True)
def test_a_scheduled_sync_never_overlaps_a_running_one(live_sandbox, settings, workers):
    settings.SYNC_MAX_AGE_SECONDS = HOUR
    settings.SYNC_PARTITIONS = 1
    settings.SYNC_PAGE_SIZE = 50
    settings.SYNC_CONCURRENCY = 1
    live_sandbox.set_faults(latency_ms=150)  # about 2 s of walking
    workers()
    workers()
    running, _ = sync_enqueue(trigger="button")
    wait_for(
        lambda: ScanRun.objects.filter(pk=running.pk, status=ScanStatus.RUNNING).exists(),
        timeout=30,
        message="the sync did not start",
    )

    # Due now, while the sync runs: the other worker takes it at once.
    tick = sync_scheduled_task.using(run_after=timezone.now()).enqueue()
    wait_for(
        lambda: DBTaskResult.objects.filter(
            pk=tick.id, status=TaskResultStatus.SUCCESSFUL
        ).exists(),
        timeout=30,
        message="the scheduled tick did not run",
    )
    assert ScanRun.objects.count() == 1  # it joined nothing and started nothing

    wait_for(
        lambda: ScanRun.objects.filter(pk=running.pk, status=ScanStatus.COMPLETED).exists(),
        timeout=60,
        message="the sync did not complete",
    )
    assert ScanRun.objects.count() == 1
    (next_tick,) = _scheduled_ticks()
    assert next_tick.run_after > timezone.now() + timedelta(seconds=HOUR - 60)
