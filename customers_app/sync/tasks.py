"""The sync's tasks, written against ``django_tasks`` (Django 6's ``django.tasks``).

Run by ``python manage.py db_worker`` processes (django-tasks-db: they claim tasks from the
database, with SKIP LOCKED on PostgreSQL, so any number may run on any machine). Moving to
Django 6 is changing the import below.
"""

from __future__ import annotations

import os
import socket

from django_tasks import task

__all__ = ["sync_partition_task", "sync_scheduled_task"]


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@task()
def sync_partition_task(*, run_id: int, partition: int) -> None:
    """Walk one partition of a sync; the last partition to finish makes the sync current."""
    from customers_app.sync.runs import sync_partition_execute

    sync_partition_execute(run_id=run_id, partition=partition, worker=_worker_name())


@task()
def sync_scheduled_task() -> None:
    """Queue a sync when the last one is old (never beside an active one), and the next tick."""
    from customers_app.sync.schedule import sync_schedule_tick

    sync_schedule_tick()
