"""Reconciling the failed bindings report with a complete walk, in one transaction.

New failing customers are added, changed ones updated, ones failing again reopened, and
ones no longer failing resolved (with when, and when they were last seen failing), never
deleted. The work is proportional to what changed: a row still failing keeps no last-seen
time of its own (the latest complete sync saw it: ``models.FailedBinding``), so a sync that
finds the same 120,000 failures as the last one writes none of them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import fields
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from customers_app.bindings.rows import BindingRow, binding_row_values
from customers_app.copy_text import copy_column, copy_text, copy_value
from customers_app.models import FailedBinding, ScanRun, ScanStatus

__all__ = ["reconcile"]

_DB_BATCH = 500


def _batches(items: Iterable, size: int = _DB_BATCH) -> Iterator[list]:
    """Lists of at most ``size`` items, taken lazily: a generator is never held whole."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _row_fields(row: BindingRow) -> dict[str, str]:
    return {
        **{name: getattr(row, name) for name in BindingRow.__slots__},
        "fingerprint": row.fingerprint(),
    }


def _insert_new(rows: list[BindingRow], *, run: ScanRun, now: datetime) -> None:
    """Add new report rows: PostgreSQL's COPY there, one prepared INSERT elsewhere (SQLite).

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
        # Still failing: seen by the latest sync, which is this one once it commits.
        "last_seen_at": None,
        "last_scan_id": None,
        "new_in_scan_id": run.pk,
    }
    row_fields = [field.name for field in fields(BindingRow)]
    defaults = {
        field.column: field.get_db_prep_save(field.get_default(), connection)
        for field in meta.concrete_fields
        if not field.primary_key
        and not field.generated  # the database computes it (phone_digits)
        and field.name not in row_fields
        and field.attname not in per_scan
    }
    columns = [meta.get_field(name).column for name in row_fields] + [*per_scan, *defaults]
    # Table and column names come from the model and are quoted; every value is a parameter.
    table = connection.ops.quote_name(meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(column) for column in columns)
    scan_values = list(per_scan.values())[1:]
    default_values = list(defaults.values())
    values = (
        (*binding_row_values(row), row.fingerprint(), *scan_values, *default_values) for row in rows
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # An INSERT per row, even pipelined, took 12.5 s for 120,000 rows; COPY streams
            # them in one statement, as text made column by column (copy_text.py).
            constants = [copy_value(value) for value in (*scan_values, *default_values)]
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                # A batch at a time: the text of 120,000 rows at once doubled the worker's
                # peak memory.
                for batch in _batches(rows, 5000):
                    copy.write(
                        copy_text(
                            [
                                *map(
                                    copy_column, zip(*map(binding_row_values, batch), strict=True)
                                ),
                                [row.fingerprint() for row in batch],
                                *([value] * len(batch) for value in constants),
                            ]
                        )
                    )
            return
        placeholders = ", ".join(["%s"] * len(columns))
        statement = f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})"  # noqa: S608
        for batch in _batches(values, 2000):
            cursor.executemany(statement, batch)


def reconcile(run: ScanRun, rows: dict[str, BindingRow], now: datetime) -> int:
    """Make the report match ``rows`` (a complete walk) and mark ``run`` completed.

    Returns the rows added, changed, resolved or reopened.
    """
    existing = {
        uuid: (pk, fingerprint, resolved_at)
        for uuid, pk, fingerprint, resolved_at in FailedBinding.objects.values_list(
            "uuid", "pk", "fingerprint", "resolved_at"
        ).iterator(chunk_size=5000)
    }
    new_rows: list[BindingRow] = []
    changed: list[tuple[int, BindingRow]] = []
    reopened_ids: list[int] = []
    for uuid, row in rows.items():
        # Popped: what is left afterwards is what this scan did not see failing.
        known = existing.pop(uuid, None)
        if known is None:
            new_rows.append(row)
            continue
        pk, old_fingerprint, resolved_at = known
        if resolved_at is not None:
            reopened_ids.append(pk)
        if old_fingerprint != row.fingerprint():
            changed.append((pk, row))
    no_longer_failing = [pk for pk, _fp, resolved_at in existing.values() if resolved_at is None]
    del existing
    update_fields = [*BindingRow.__slots__, "fingerprint"]
    # The sync that last saw the rows this one no longer sees failing.
    previous = (
        ScanRun.objects.filter(status=ScanStatus.COMPLETED)
        .exclude(pk=run.pk)
        .order_by("-finished_at")
        .first()
    )
    with transaction.atomic():
        for batch in _batches(no_longer_failing):
            rows = FailedBinding.objects.filter(pk__in=batch)
            # A row with a last seen of its own (written another way) keeps it.
            unseen = rows.filter(last_seen_at__isnull=True)
            if previous is not None:
                unseen.update(last_seen_at=previous.finished_at, last_scan=previous)
            else:  # no earlier sync to name (rows written another way): when it was found
                unseen.update(last_seen_at=F("first_seen_at"))
            rows.update(resolved_at=now)
        for batch in _batches(reopened_ids):
            FailedBinding.objects.filter(pk__in=batch).update(
                resolved_at=None, new_in_scan=run, last_seen_at=None, last_scan=None
            )
        for batch in _batches(changed):
            FailedBinding.objects.bulk_update(
                [FailedBinding(pk=pk, **_row_fields(row)) for pk, row in batch], update_fields
            )
        _insert_new(new_rows, run=run, now=now)
        ScanRun.objects.filter(pk=run.pk).update(
            status=ScanStatus.COMPLETED, finished_at=timezone.now(), heartbeat_at=timezone.now()
        )
    return len(no_longer_failing) + len(reopened_ids) + len(changed) + len(new_rows)
