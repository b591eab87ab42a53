"""The failed bindings scan: walk every customer page of Wonder, then reconcile the report.

Wonder cannot filter on token state, so finding failed bindings means reading every page
of ``GET /customers`` for both source types. The walk keeps several pages in flight (a
bounded thread pool) and keeps only the failing rows it finds, never the customers, so
memory stays flat whatever the customer count. Nothing in the report changes until the walk
has finished: a scan that fails midway leaves the last complete report as it was.

One scan at a time across every worker is enforced by the database (a conditional unique
constraint on running ScanRuns); a scan whose process died is recognised by its stale
heartbeat, marked failed, and does not block the next.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import operator
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import FailedBinding, ScanRun, ScanStatus
from .wonder import Customer, CustomerPage, WonderError
from .wonder.client import MAX_PAGE_SIZE
from .wonder.factory import wonder_client
from .wonder.records import LINKED_SOURCE_TYPES

__all__ = [
    "BindingRow",
    "binding_row_from_customer",
    "binding_scan_claim",
    "binding_scan_execute",
    "binding_scan_expire_stale",
    "binding_scan_run",
    "binding_scan_start_in_background",
]

logger = logging.getLogger(__name__)

# Writes of ScanRun progress are throttled: a heartbeat per page would be a write per page.
_HEARTBEAT_EVERY_SECONDS = 1.0
_DB_BATCH = 500
_REPEATED_FIELDS = ("linked_source_type", "token_type", "state", "error_code", "error_message",
                    "card_brand", "dial_code")  # fmt: skip


@dataclass(frozen=True, slots=True)
class BindingRow:
    """What the report keeps of one failing customer: no token value, a masked card."""

    uuid: str
    reference_number: str
    name: str
    email: str
    dial_code: str
    phone: str
    linked_source_type: str
    token_type: str
    state: str
    error_code: str
    error_message: str
    card_number: str
    card_brand: str

    def fingerprint(self) -> str:
        """A digest of every field: a row whose digest is unchanged needs no update."""
        return hashlib.sha256("\x1f".join(_row_values(self)).encode()).hexdigest()


# The row's fields as a tuple, in declaration order; dataclasses.astuple deep-copies every
# field and cost more than the rest of the reconcile for 100,000 rows.
_row_values = operator.attrgetter(*(field.name for field in fields(BindingRow)))


@functools.cache
def _column_lengths() -> dict[str, int]:
    """Each BindingRow field's column length: looked up once, not 13 times per row."""
    return {
        field.name: FailedBinding._meta.get_field(field.name).max_length
        for field in fields(BindingRow)
    }


def _fit(value: str, field_name: str) -> str:
    """Trim upstream text to the column (PostgreSQL refuses longer) and drop NUL bytes."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    return value[: _column_lengths()[field_name]]


def binding_row_from_customer(customer: Customer, linked_source_type: str) -> BindingRow | None:
    """The report row for ``customer``, or None when its default token is not failing."""
    token = customer.default_payment_token
    if token is None or not token.has_binding_problem:
        return None
    card = token.credit_card
    values = {
        "uuid": customer.uuid,
        "reference_number": customer.reference_number,
        "name": customer.name,
        "email": customer.email,
        "dial_code": customer.dial_code,
        "phone": customer.phone,
        "linked_source_type": linked_source_type,
        "token_type": token.token_type,
        "state": token.state,
        "error_code": token.error_code,
        "error_message": token.error_msg,
        "card_number": card.number if card else "",
        "card_brand": card.brand if card else "",
    }
    fitted = {name: _fit(value, name) for name, value in values.items()}
    # These few values repeat across 100,000 rows: one shared copy each keeps memory flat.
    for name in _REPEATED_FIELDS:
        fitted[name] = sys.intern(fitted[name])
    return BindingRow(**fitted)


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


# --- the walk ------------------------------------------------------------------------------


@dataclass
class _SourceCursor:
    """Where the walk is in one source type's list."""

    linked_source_type: str
    next_offset: int = 0
    # Known once X-Total-Entries arrives or a short page shows where the list ends.
    end: int | None = None
    total: int | None = None
    answered: bool = False

    def next_page_offset(self, page_size: int) -> int | None:
        if self.end is not None and self.next_offset >= self.end:
            return None
        offset = self.next_offset
        self.next_offset += page_size
        return offset

    def learn(self, page: CustomerPage) -> None:
        self.answered = True
        if page.total is not None and self.total is None:
            self.total = page.total
            self.end = page.total if self.end is None else min(self.end, page.total)
        if page.rows_returned < page.limit:
            # A short page is the last one, whether or not Wonder sent a total.
            page_end = page.offset + page.rows_returned
            self.end = page_end if self.end is None else min(self.end, page_end)


@dataclass
class _WalkResult:
    rows: dict[str, BindingRow]
    customers_seen: int = 0
    requests: int = 0


def _walk(
    *, concurrency: int, page_size: int, on_progress: Callable[[_WalkResult, int | None], None]
) -> _WalkResult:
    """Read every page of both source types with up to ``concurrency`` requests in flight.

    Without a total, pages past the end are asked for speculatively (at most
    ``concurrency`` of them come back empty): cheaper than walking one page at a time.
    """
    client = wonder_client()
    cursors = [_SourceCursor(source_type) for source_type in LINKED_SOURCE_TYPES]
    result = _WalkResult(rows={})
    in_flight: dict[Future, _SourceCursor] = {}

    def submit(pool: ThreadPoolExecutor, cursor: _SourceCursor) -> bool:
        offset = cursor.next_page_offset(page_size)
        if offset is None:
            return False
        future = pool.submit(
            client.list_customers,
            limit=page_size,
            offset=offset,
            linked_source_type=cursor.linked_source_type,
            binding_problems_only=True,
        )
        in_flight[future] = cursor
        return True

    def refill(pool: ThreadPoolExecutor) -> None:
        # Round-robin over source types, so both make progress. A source type whose first
        # page has not come back waits: its total will say how far to go.
        progressed = True
        while len(in_flight) < concurrency and progressed:
            progressed = False
            for cursor in cursors:
                if len(in_flight) < concurrency and cursor.answered and submit(pool, cursor):
                    progressed = True

    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="binding-scan") as pool:
        # Start with one page per source type: its total tells how far to go.
        for cursor in cursors:
            submit(pool, cursor)
        try:
            while in_flight:
                done, _pending = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    cursor = in_flight.pop(future)
                    page = future.result()
                    result.requests += 1
                    cursor.learn(page)
                    _collect(page, cursor.linked_source_type, result)
                if all(cursor.total is not None for cursor in cursors):
                    expected = sum(cursor.total or 0 for cursor in cursors)
                else:
                    expected = None
                on_progress(result, expected)
                refill(pool)
        except BaseException:
            for future in in_flight:
                future.cancel()
            raise
    return result


def _collect(page: CustomerPage, linked_source_type: str, result: _WalkResult) -> None:
    # The client kept only customers with a binding problem; count every row Wonder sent.
    result.customers_seen += page.rows_returned
    for customer in page.customers:
        row = binding_row_from_customer(customer, linked_source_type)
        if row is not None:
            result.rows[row.uuid] = row


# --- reconciling the report ----------------------------------------------------------------


def _batches(items: list, size: int = _DB_BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _row_fields(row: BindingRow) -> dict[str, str]:
    return {
        **{name: getattr(row, name) for name in BindingRow.__slots__},
        "fingerprint": row.fingerprint(),
    }


def _insert_new(rows: list[BindingRow], *, run: ScanRun, now: datetime) -> None:
    """INSERT new report rows with one prepared statement, a batch at a time.

    bulk_create builds a model instance and prepares every field of every row one by one:
    for 120,000 rows that took longer than walking all of Wonder. The values here are
    plain strings already fitted to their columns, so only the datetimes need adapting,
    once. Every other column takes its model default.
    """
    if not rows:
        return
    meta = FailedBinding._meta
    per_scan = {
        "fingerprint": None,  # per row
        "first_seen_at": meta.get_field("first_seen_at").get_db_prep_save(now, connection),
        "last_seen_at": meta.get_field("last_seen_at").get_db_prep_save(now, connection),
        "last_scan_id": run.pk,
        "new_in_scan_id": run.pk,
    }
    row_fields = [field.name for field in fields(BindingRow)]
    defaults = {
        field.column: field.get_db_prep_save(field.get_default(), connection)
        for field in meta.concrete_fields
        if not field.primary_key and field.name not in row_fields and field.attname not in per_scan
    }
    columns = [meta.get_field(name).column for name in row_fields] + [*per_scan, *defaults]
    # Table and column names come from the model and are quoted; every value is a parameter.
    statement = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        connection.ops.quote_name(meta.db_table),
        ", ".join(connection.ops.quote_name(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    scan_values = list(per_scan.values())[1:]
    default_values = list(defaults.values())
    with connection.cursor() as cursor:
        for batch in _batches(rows, 2000):
            cursor.executemany(
                statement,
                [
                    (*_row_values(row), row.fingerprint(), *scan_values, *default_values)
                    for row in batch
                ],
            )


def _reconcile(run: ScanRun, rows: dict[str, BindingRow], now: datetime) -> None:
    """Make the report match ``rows`` in one transaction: add, update, resolve; never delete."""
    existing = {
        uuid: (pk, fingerprint, resolved_at)
        for uuid, pk, fingerprint, resolved_at in FailedBinding.objects.values_list(
            "uuid", "pk", "fingerprint", "resolved_at"
        ).iterator(chunk_size=5000)
    }
    new_rows: list[BindingRow] = []
    changed: list[tuple[int, BindingRow]] = []
    unchanged_ids: list[int] = []
    reopened_ids: list[int] = []
    for uuid, row in rows.items():
        known = existing.get(uuid)
        if known is None:
            new_rows.append(row)
            continue
        pk, old_fingerprint, resolved_at = known
        if resolved_at is not None:
            reopened_ids.append(pk)
        if old_fingerprint != row.fingerprint():
            changed.append((pk, row))
        else:
            unchanged_ids.append(pk)
    del existing
    fields = [*BindingRow.__slots__, "fingerprint"]
    with transaction.atomic():
        _insert_new(new_rows, run=run, now=now)
        for batch in _batches(changed):
            FailedBinding.objects.bulk_update(
                [FailedBinding(pk=pk, **_row_fields(row)) for pk, row in batch], fields
            )
        for batch in _batches([pk for pk, _row in changed] + unchanged_ids):
            FailedBinding.objects.filter(pk__in=batch).update(
                last_seen_at=now, last_scan=run, resolved_at=None
            )
        for batch in _batches(reopened_ids):
            FailedBinding.objects.filter(pk__in=batch).update(new_in_scan=run)
        # Whatever this complete scan did not see failing is no longer failing.
        FailedBinding.objects.filter(resolved_at__isnull=True).exclude(last_scan=run).update(
            resolved_at=now
        )
        ScanRun.objects.filter(pk=run.pk).update(
            status=ScanStatus.COMPLETED, finished_at=timezone.now(), heartbeat_at=timezone.now()
        )


# --- running -------------------------------------------------------------------------------


def binding_scan_execute(*, run: ScanRun, concurrency: int | None = None) -> ScanRun:
    """Walk Wonder and reconcile the report for a claimed ``run``; returns it, finished.

    Any failure marks the run failed with a reason and leaves the report untouched.
    """
    concurrency = max(1, concurrency or settings.BINDING_SCAN_CONCURRENCY)
    last_beat = [0.0]

    def on_progress(progress: _WalkResult, expected: int | None) -> None:
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

    try:
        walked = _walk(
            concurrency=concurrency,
            page_size=min(settings.BINDING_SCAN_PAGE_SIZE, MAX_PAGE_SIZE),
            on_progress=on_progress,
        )
    except (WonderError, ImproperlyConfigured) as error:
        return _fail(run, f"Wonder could not be read completely: {error}")
    except Exception as error:  # noqa: BLE001 - any failure must end the run, not hang it
        logger.exception("failed bindings scan %s crashed", run.pk)
        return _fail(run, f"The scan stopped on an unexpected error ({type(error).__name__}).")
    ScanRun.objects.filter(pk=run.pk).update(
        customers_seen=walked.customers_seen,
        upstream_requests=walked.requests,
        failures_found=len(walked.rows),
    )
    try:
        _reconcile(run, walked.rows, timezone.now())
    except Exception as error:  # noqa: BLE001
        logger.exception("failed bindings scan %s could not save its report", run.pk)
        return _fail(run, f"The report could not be saved ({type(error).__name__}).")
    run.refresh_from_db()
    logger.info(
        "failed bindings scan %s completed: %d customers, %d failing, %d requests",
        run.pk,
        run.customers_seen,
        run.failures_found,
        run.upstream_requests,
    )
    return run


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
