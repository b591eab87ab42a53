"""The failed bindings scan: claim it, walk every customer page of Wonder, reconcile.

The walk (``binding_walk.py``) reads both source types' pages with several in flight and
keeps only failing rows; the reconcile (``binding_reconcile.py``) then changes the report in
one transaction. Nothing in the report changes until the walk has finished: a scan that
fails midway leaves the last complete report as it was.

One scan at a time across every worker is enforced by the database (a conditional unique
constraint on running ScanRuns); a scan whose process died is recognised by its stale
heartbeat, marked failed, and does not block the next.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from customers_app.bindings.reconcile import reconcile
from customers_app.bindings.walk import WalkResult, walk
from customers_app.models import ScanRun, ScanStatus
from customers_app.signals import sync_completed
from wonder import WonderCircuitOpen, WonderError
from wonder.client import MAX_PAGE_SIZE

__all__ = [
    "binding_scan_claim",
    "binding_scan_execute",
    "binding_scan_expire_stale",
    "binding_scan_run",
    "binding_scan_start_in_background",
]

logger = logging.getLogger(__name__)

# Writes of ScanRun progress are throttled: a heartbeat per page would be a write per page.
_HEARTBEAT_EVERY_SECONDS = 1.0


# --- claiming: one scan at a time ----------------------------------------------------------


def binding_scan_expire_stale(*, now: datetime | None = None) -> int:
    """Mark running scans whose heartbeat stopped as failed; returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.BINDING_SCAN_STALE_SECONDS)
    return ScanRun.objects.filter(status=ScanStatus.RUNNING, heartbeat_at__lt=cutoff).update(
        status=ScanStatus.FAILED,
        finished_at=now,
        error="The scan stopped reporting progress (its process probably died or restarted).",
    )


def binding_scan_claim(*, trigger: str) -> tuple[ScanRun, bool]:
    """Start a scan record, or join the one already running: ``(run, started_by_us)``."""
    binding_scan_expire_stale()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return ScanRun.objects.create(trigger=trigger), True
        except IntegrityError:
            running = ScanRun.objects.filter(status=ScanStatus.RUNNING).first()
            if running is not None:
                return running, False
            # The running scan finished between our insert and our look-up: try again.
    raise RuntimeError("Could not start or join a failed bindings scan.")


# --- running -------------------------------------------------------------------------------


def binding_scan_execute(*, run: ScanRun, concurrency: int | None = None) -> ScanRun:
    """Walk Wonder and reconcile the report for a claimed ``run``; returns it, finished.

    Any failure marks the run failed with a reason and leaves the report untouched.
    """
    concurrency = max(1, concurrency or settings.BINDING_SCAN_CONCURRENCY)
    last_beat = [0.0]

    def on_progress(progress: WalkResult, expected: int | None) -> None:
        moment = timezone.now()
        if moment.timestamp() - last_beat[0] < _HEARTBEAT_EVERY_SECONDS:
            return
        last_beat[0] = moment.timestamp()
        ScanRun.objects.filter(pk=run.pk).update(
            heartbeat_at=moment,
            customers_seen=progress.customers_seen,
            customers_expected=expected,
            upstream_requests=progress.requests,
        )

    started = time.monotonic()
    try:
        walked = walk(
            concurrency=concurrency,
            page_size=min(settings.BINDING_SCAN_PAGE_SIZE, MAX_PAGE_SIZE),
            on_progress=on_progress,
        )
    except (WonderError, ImproperlyConfigured) as error:
        return _fail(run, f"Wonder could not be read completely: {_failure_reason(error)}")
    except Exception as error:  # noqa: BLE001 - any failure must end the run, not hang it
        logger.exception("failed bindings scan %s crashed", run.pk)
        return _fail(run, f"The scan stopped on an unexpected error ({type(error).__name__}).")
    walked_at = time.monotonic()
    ScanRun.objects.filter(pk=run.pk).update(
        customers_seen=walked.customers_seen,
        upstream_requests=walked.requests,
        failures_found=len(walked.rows),
    )
    try:
        reconcile(run, walked.rows, timezone.now())
    except Exception as error:  # noqa: BLE001
        logger.exception("failed bindings scan %s could not save its report", run.pk)
        return _fail(run, f"The report could not be saved ({type(error).__name__}).")
    run.refresh_from_db()
    for receiver, outcome in sync_completed.send_robust(sender=ScanRun, run=run):
        if isinstance(outcome, Exception):
            logger.error("after scan %s: %s failed (%s)", run.pk, receiver, type(outcome).__name__)
    logger.info(
        "failed bindings scan %s completed: %d customers, %d failing, %d requests; "
        "walk %.2f s, report saved in %.2f s",
        run.pk,
        run.customers_seen,
        run.failures_found,
        run.upstream_requests,
        walked_at - started,
        time.monotonic() - walked_at,
    )
    return run


def _failure_reason(error: WonderError | ImproperlyConfigured) -> str:
    """Why the walk stopped, worded to be read later: the reason is stored with the run and
    shown for as long as it is the latest failure."""
    if isinstance(error, WonderCircuitOpen):
        # Its message counts down ("not asking it again for 29 s"): frozen in a stored
        # reason, that countdown would be wrong on every later reading.
        return (
            "Wonder had failed several times in a row, so the dashboard had stopped asking it "
            "for a short while."
        )
    request_id = getattr(error, "request_id", "")
    return f"{error} (request id {request_id})" if request_id else str(error)


def _fail(run: ScanRun, reason: str) -> ScanRun:
    ScanRun.objects.filter(pk=run.pk).update(
        status=ScanStatus.FAILED, finished_at=timezone.now(), error=reason[:2000]
    )
    run.refresh_from_db()
    logger.warning("failed bindings scan %s failed: %s", run.pk, reason)
    return run


def binding_scan_run(*, trigger: str = "command", concurrency: int | None = None) -> ScanRun:
    """Scan now and wait for the result; if a scan is already running, return that one."""
    run, started = binding_scan_claim(trigger=trigger)
    if not started:
        return run
    return binding_scan_execute(run=run, concurrency=concurrency)


def binding_scan_start_in_background(*, trigger: str) -> tuple[ScanRun, bool]:
    """Start a scan in a thread of this process, or join the running one; returns at once."""
    run, started = binding_scan_claim(trigger=trigger)
    if started:
        thread = threading.Thread(
            target=_execute_in_thread, args=(run,), name=f"binding-scan-{run.pk}", daemon=True
        )
        thread.start()
    return run, started


def _execute_in_thread(run: ScanRun) -> None:
    # A thread gets its own database connection; close it when done so it does not leak.
    try:
        binding_scan_execute(run=run)
    finally:
        connection.close()
