"""The sync on the task queue: real ``db_worker`` processes on a file database, the sandbox
over HTTP. Who walks which page, what a dead worker leaves behind, and that a web process
never fetches anything itself."""

from __future__ import annotations

import math
import subprocess
import sys
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django_tasks_db.models import DBTaskResult

from customers_app.models import (
    FailedBinding,
    IndexedCustomer,
    ScanRun,
    ScanStatus,
    SyncPartition,
)
from customers_app.sync.runs import sync_enqueue, sync_run
from tests.workers import PROJECT_ROOT, wait_for

pytestmark = [pytest.mark.django_db(transaction=True)]

CUSTOMERS_PATH = "/svc/payment/api/v1/openapi/customers"
REPORT = "/customers/failed-bindings/"
PROGRESS = "/customers/failed-bindings/scan/progress/"


def _finance_client() -> Client:
    user = get_user_model().objects.create_user("finance-sync")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=("view_failed_bindings", "run_binding_scan"))
    )
    client = Client()
    client.force_login(user)
    return client


def _expected(store) -> tuple[set[str], set[str]]:
    """Every sandbox customer's uuid, and those whose default binding fails or is pending."""
    everyone, failing = set(), set()
    for source_type in ("User", "Store"):
        for customer in store.iter_customers(source_type):
            everyone.add(customer["uuid"])
            token = customer.get("default_payment_token") or {}
            state = str(token.get("state", "")).lower()
            if state in {"failed", "pending"} or token.get("error_code"):
                failing.add(customer["uuid"])
    return everyone, failing


def _finished(run: ScanRun) -> ScanRun | None:
    run.refresh_from_db()
    return run if run.status not in ("queued", "running") else None


def test_two_workers_share_the_partitions_and_no_page_is_read_twice(
    live_sandbox, settings, workers
):
    settings.SYNC_PARTITIONS = 4
    settings.SYNC_PAGE_SIZE = 50  # 500 customers: about 10 pages of 50 per partition
    settings.SYNC_CONCURRENCY = 2
    live_sandbox.set_faults(latency_ms=60)  # long enough for both workers to take partitions
    for worker in (workers(), workers()):
        worker.wait_until_polling()

    run, created = sync_enqueue(trigger="command")
    assert created
    run = wait_for(lambda: _finished(run), timeout=60, message="the sync did not finish")

    assert run.status == ScanStatus.COMPLETED, run.error
    everyone, failing = _expected(live_sandbox.store)
    assert set(IndexedCustomer.objects.values_list("uuid", flat=True)) == everyone
    assert set(FailedBinding.objects.values_list("uuid", flat=True)) == failing
    assert {"User", "Store"} == set(
        FailedBinding.objects.values_list("linked_source_type", flat=True)
    )
    uris = live_sandbox.requested_uris(CUSTOMERS_PATH)
    repeated = [uri for uri, count in Counter(uris).items() if count > 1]
    assert not repeated, f"pages requested twice: {repeated}"
    pages = sum(
        math.ceil(len(list(live_sandbox.store.iter_customers(source_type))) / 50)
        for source_type in ("User", "Store")
    )
    assert run.pages_done == run.pages_expected == pages
    assert run.customers_seen == len(everyone)
    walkers = set(SyncPartition.objects.filter(run=run).values_list("worker", flat=True))
    assert len(walkers) == 2, f"one worker did every partition: {walkers}"


def test_refresh_with_no_worker_fetches_nothing_and_waits_then_a_worker_completes_it(
    live_sandbox, settings, workers
):
    finance = _finance_client()

    response = finance.post("/customers/failed-bindings/scan/", follow=True)

    html = response.content.decode()
    assert "Sync queued at" in html
    assert "waiting for a worker to start it" in html
    assert "Sync running" not in html.replace("Sync running…</button>", "")
    assert live_sandbox.request_count() == 0
    run = ScanRun.objects.get()
    assert run.status == ScanStatus.QUEUED and run.requested_by.username == "finance-sync"

    workers()
    run = wait_for(lambda: _finished(run), timeout=60, message="the sync did not finish")

    assert run.status == ScanStatus.COMPLETED, run.error
    assert IndexedCustomer.objects.count() == live_sandbox.store.count()
    assert "waiting for a worker" not in finance.get(REPORT).content.decode()


def test_a_worker_killed_mid_sync_fails_the_run_and_leaves_the_previous_snapshot(
    live_sandbox, settings, workers
):
    settings.SYNC_STALE_SECONDS = 3
    settings.SYNC_PARTITIONS = 2
    settings.SYNC_PAGE_SIZE = 20
    settings.SYNC_CONCURRENCY = 1
    previous = sync_run()
    assert previous.status == ScanStatus.COMPLETED, previous.error
    index_before = list(IndexedCustomer.objects.order_by("pk").values())
    report_before = list(FailedBinding.objects.order_by("pk").values())
    live_sandbox.set_faults(latency_ms=200)  # 50 pages one at a time: about 10 s
    worker = workers()
    run, _ = sync_enqueue(trigger="command")
    wait_for(
        lambda: ScanRun.objects.filter(pk=run.pk, pages_done__gt=0).exists(),
        timeout=30,
        message="the worker never got going",
    )

    worker.kill()

    finance = _finance_client()
    failed = wait_for(
        lambda: (
            ScanRun.objects.filter(pk=run.pk, status=ScanStatus.FAILED).first()
            if finance.get(PROGRESS).status_code == 200
            else None
        ),
        timeout=3 + 5,
        message="the dead worker's sync was not failed within the stale limit",
    )
    assert "stopped reporting progress" in failed.error
    # django-tasks-db would call the dead worker's task running for ever.
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()
    assert list(IndexedCustomer.objects.order_by("pk").values()) == index_before
    assert list(FailedBinding.objects.order_by("pk").values()) == report_before
    html = finance.get(REPORT).content.decode()
    assert "failed and changed nothing: The sync stopped reporting progress" in html

    live_sandbox.set_faults(latency_ms=0)
    workers()
    following, created = sync_enqueue(trigger="command")
    assert created
    following = wait_for(lambda: _finished(following), timeout=60, message="no next sync")
    assert following.status == ScanStatus.COMPLETED, following.error


def test_two_enqueues_at_once_make_one_sync(live_sandbox, settings, worker_env):
    settings.SYNC_PARTITIONS = 3
    env = {**worker_env, "SYNC_PARTITIONS": "3"}
    command = [sys.executable, "manage.py", "sync_customers", "--enqueue"]
    both = [
        subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = sorted(process.communicate(timeout=60)[0].strip() for process in both)

    assert [process.returncode for process in both] == [0, 0]
    run = ScanRun.objects.get()
    assert outputs == sorted(
        [f"Sync {run.pk} queued for the workers.", f"Sync {run.pk} is already active; joined it."]
    )
    assert DBTaskResult.objects.count() == 3  # one task per partition, once
    assert live_sandbox.request_count() == 0


def test_enqueue_and_wait_reports_the_outcome_of_the_queued_sync(
    live_sandbox, settings, workers, worker_env
):
    workers()
    done = subprocess.run(
        [sys.executable, "manage.py", "sync_customers", "--enqueue", "--wait"],
        cwd=PROJECT_ROOT,
        env=worker_env,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    run = ScanRun.objects.get()
    assert done.stdout.strip().startswith(f"Sync {run.pk} completed: {run.customers_seen} ")
    assert run.status == ScanStatus.COMPLETED
