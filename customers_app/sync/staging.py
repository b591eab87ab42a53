"""Staging: the rows a running sync has read, written as pages arrive.

Each partition writes its pages here while its next pages are still in flight, so the
database work of a sync overlaps its walk instead of following it. Rows go in with
PostgreSQL's COPY, or one prepared INSERT per batch on SQLite: ``bulk_create`` prepares
every field of every row one at a time and cost more than the walk itself (see
``bindings/reconcile.py``). Nothing but the sync reads these rows; the snapshot step moves
them into the index and deletes them.
"""

from __future__ import annotations

import functools
import queue
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, transaction

from customers_app.copy_text import copy_column, copy_text
from customers_app.models import StagedCustomer
from customers_app.sync.rows import STAGED_FIELDS

__all__ = ["StagingWriter", "staged_columns_write", "staged_rows_delete"]


@functools.cache
def _insert_columns() -> tuple[str, list[str]]:
    meta = StagedCustomer._meta
    names = ["run", *STAGED_FIELDS]
    columns = [meta.get_field(name).column for name in names]
    table = connection.ops.quote_name(meta.db_table)
    return table, columns


def _copy_text(run_id: int, columns: list[list]) -> str:
    """The rows of ``columns`` (``rows.staged_columns``) for ``COPY ... FROM STDIN``."""
    run = [str(run_id)] * len(columns[0])
    return copy_text([run, *map(copy_column, columns)])


def staged_columns_write(*, run_id: int, columns: list[list]) -> int:
    """Add the rows of ``columns`` (``rows.staged_columns``: one list per staged field) of
    run ``run_id`` to staging in one transaction; returns how many."""
    count = len(columns[0]) if columns else 0
    if not count:
        return 0
    table, names = _insert_columns()
    column_list = ", ".join(connection.ops.quote_name(name) for name in names)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                copy.write(_copy_text(run_id, columns))
        else:
            placeholders = ", ".join(["%s"] * len(names))
            statement = f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})"  # noqa: S608
            cursor.executemany(statement, zip([run_id] * count, *columns, strict=True))
    return count


def staged_rows_delete(*, run_ids: Iterable[int]) -> None:
    """Forget the staging rows of these runs (completed, failed or abandoned)."""
    StagedCustomer.objects.filter(run_id__in=list(run_ids)).delete()


_DONE = object()


class StagingWriter:
    """Hands each arriving page to ``handle`` (build its rows, write them) on a thread of
    its own, so the walk's thread goes on receiving pages and sending requests meanwhile.

    The queue is short (back-pressure: a slow database slows the walk rather than filling
    memory). An exception in ``handle`` is raised to the walk on its next ``put`` or at
    ``close``. Inside a transaction (a test's) another connection could not see the rows
    it depends on, so there it calls ``handle`` inline instead.
    """

    def __init__(self, handle: Callable[..., None], *, backlog: int = 4) -> None:
        self._handle = handle
        self._error: BaseException | None = None
        self._threaded = not connection.in_atomic_block
        if self._threaded:
            self._queue: queue.Queue = queue.Queue(maxsize=backlog)
            self._thread = threading.Thread(target=self._run, name="sync-staging", daemon=True)
            self._thread.start()

    def put(self, *args: Any) -> None:
        if not self._threaded:
            self._handle(*args)
            return
        self._raise_if_failed()
        self._queue.put(args)

    def close(self) -> None:
        """Wait until every page put is handled; raise what ``handle`` raised, if anything."""
        if self._threaded:
            self._queue.put(_DONE)
            self._thread.join()
        self._raise_if_failed()

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _run(self) -> None:
        try:
            while (item := self._queue.get()) is not _DONE:
                if self._error is None:  # after a failure, only drain (the walk is stopping)
                    try:
                        self._handle(*item)
                    except BaseException as error:  # noqa: BLE001 - handed to the walk
                        self._error = error
        finally:
            # This thread's own database connection.
            connection.close()
