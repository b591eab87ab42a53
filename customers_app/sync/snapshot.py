"""Making a complete sync's snapshot current: the customer index and the report, at once.

One transaction, after the last partition has finished: the staged rows replace the
customer index (new customers inserted, changed ones rewritten, absent ones removed;
unchanged rows are not touched, so a sync that finds nothing new writes almost nothing),
and the failed bindings report is reconciled from the same rows exactly as the scan did
(``bindings/reconcile.py``: first seen, last seen, resolved, new since the previous sync,
follow-ups untouched). Until this commits nobody sees anything of the sync; if it fails,
nothing of it is visible.

The index statements are set-based SQL that PostgreSQL and SQLite (3.33+, for UPDATE ...
FROM) both run: the rows never travel to Python and back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from customers_app.bindings.reconcile import reconcile
from customers_app.bindings.rows import BindingRow
from customers_app.models import IndexedCustomer, ScanRun, StagedCustomer
from customers_app.sync.rows import INDEX_FIELDS

__all__ = ["snapshot_make_current"]


def _quoted(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


_STAGED_UUID_INDEX = "staged_run_uuid"
# The snapshot's own scratch table (temporary: this connection's, gone if it rolls back).
_DIFF = "sync_snapshot_diff"


def _any_differs(index: str, names) -> str:
    """SQL true when any of these columns differs between the index row and ``s``, NULL
    (token_is_default of a customer without a token) equal to NULL."""
    operator = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    return " OR ".join(
        f"{index}.{_quoted(IndexedCustomer, name)} {operator} s.{_quoted(StagedCustomer, name)}"
        for name in names
    )


def _staged_uuids_indexed(cursor, staged: str, run_id: int) -> None:
    """Index staging by (run, uuid), keeping one row per uuid: offset paging over a list
    that changes while it is walked can return a customer twice; the last row read wins.

    The index is built unique first: one sort that, when it succeeds (nearly always),
    also proves there is nothing to merge. Counting duplicates before building it cost a
    second sort of every staged row (1.3 s at 1M on PostgreSQL).
    """
    unique = f"CREATE UNIQUE INDEX {_STAGED_UUID_INDEX} ON {staged} (run_id, uuid)"
    try:
        with transaction.atomic():  # a savepoint: the failed statement is undone alone
            cursor.execute(unique)
        return
    except IntegrityError:
        pass
    cursor.execute(
        f"DELETE FROM {staged} WHERE run_id = %s AND id NOT IN "  # noqa: S608
        f"(SELECT MAX(id) FROM {staged} WHERE run_id = %s GROUP BY uuid)",
        [run_id, run_id],
    )
    cursor.execute(unique)


@contextmanager
def _secondary_indexes_rebuilt(cursor, table: str) -> Iterator[None]:
    """Drop ``table``'s indexes other than its primary key and unique constraints, and
    create them again as they were when the block ends (in the same transaction: if it
    fails they are back as they were). Building an index from a million rows at once is
    a sort; keeping it while inserting them is a million random updates.

    Meanwhile the table is locked against readers. Only a first sync does this: until
    then the search says the index is being built, without reading it.
    """
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() AND tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, connection.ops.quote_name(table)],
        )
    else:
        # SQLite's own indexes for unique constraints have no SQL and stay.
        cursor.execute(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
            [table],
        )
    definitions = cursor.fetchall()
    for name, _definition in definitions:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    for _name, definition in definitions:
        cursor.execute(definition)


def _index_apply(cursor, *, run_id: int, now: datetime) -> int:
    """Make the index equal to run ``run_id``'s staged rows; returns rows written."""
    index = connection.ops.quote_name(IndexedCustomer._meta.db_table)
    staged = connection.ops.quote_name(StagedCustomer._meta.db_table)
    # Built once, sorted, now that every row is in (see StagedCustomer): finding which
    # index rows a sync did not see probes staging by uuid.
    _staged_uuids_indexed(cursor, staged, run_id)
    moment = IndexedCustomer._meta.get_field("last_seen_at").get_db_prep_save(now, connection)
    copied = INDEX_FIELDS
    target_columns = ", ".join(_quoted(IndexedCustomer, name) for name in copied)
    source_columns = ", ".join(f"s.{_quoted(StagedCustomer, name)}" for name in copied)
    first_seen = _quoted(IndexedCustomer, "first_seen_at")
    last_seen = _quoted(IndexedCustomer, "last_seen_at")
    written = 0
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {index})")  # noqa: S608
    index_was_empty = not cursor.fetchone()[0]
    if index_was_empty:
        # A first sync: every staged row is new. Its search indexes are dropped for the
        # insert and built again after it, each in one sorted pass (PostgreSQL, 1M: 48 s
        # instead of 85 row by row). In uuid order, the unique index on it fills page
        # after page instead of at random.
        with _secondary_indexes_rebuilt(cursor, IndexedCustomer._meta.db_table):
            cursor.execute(
                f"INSERT INTO {index} ({target_columns}, {first_seen}, {last_seen}) "  # noqa: S608
                f"SELECT {source_columns}, %s, %s FROM {staged} s WHERE s.run_id = %s "
                f"ORDER BY s.uuid",
                [moment, moment, run_id],
            )
            inserted = max(cursor.rowcount, 0)
        return inserted
    if connection.vendor == "postgresql":
        # Rows streamed in seconds ago, before autovacuum could look: with only the last
        # sync's statistics the planner takes this run's rows for one, and builds the
        # join's hash by reading staging through its uuid index, at random (measured at
        # 1M: as slow as ANALYZE plus the join, and less predictable: bench/README.md).
        # A first sync (above) joins nothing and skips it.
        cursor.execute(f"ANALYZE {staged}")
    # What differs, found in one pass over both tables: index rows absent from this
    # complete sync (no staged row), staged customers the index lacks (no index row), and
    # pairs with any column changed (the database comparing them: cheaper than a digest
    # per customer in Python). Three anti- and semi-joins of a million rows each took
    # 5 s at 1M on PostgreSQL (bench/README.md); after this one, the statements below
    # touch only what changed, which after a quiet day is next to nothing.
    cursor.execute(
        f"CREATE TEMP TABLE {_DIFF} AS SELECT s.id AS staged_id, i.id AS index_id "  # noqa: S608
        f"FROM (SELECT * FROM {staged} WHERE run_id = %s) s "
        f"FULL JOIN {index} i ON i.uuid = s.uuid "
        f"WHERE s.id IS NULL OR i.id IS NULL OR ({_any_differs('i', copied)})",
        [run_id],
    )
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {_DIFF}")
    # Absent from a complete sync: the customer is no longer Wonder's; it leaves the index.
    cursor.execute(
        f"DELETE FROM {index} WHERE id IN "  # noqa: S608
        f"(SELECT index_id FROM {_DIFF} WHERE staged_id IS NULL)"
    )
    written += max(cursor.rowcount, 0)
    # Changed: every column rewritten from staging. Unchanged rows are left alone, last
    # seen included: every row of the index was seen by the last complete sync, which is
    # what "last complete" on the customer list says.
    assignments = ", ".join(
        f"{_quoted(IndexedCustomer, name)} = s.{_quoted(StagedCustomer, name)}" for name in copied
    )
    cursor.execute(
        f"UPDATE {index} SET {assignments}, {last_seen} = %s "  # noqa: S608
        f"FROM {staged} s JOIN {_DIFF} d ON d.staged_id = s.id WHERE d.index_id = {index}.id",
        [moment],
    )
    written += max(cursor.rowcount, 0)
    cursor.execute(
        f"INSERT INTO {index} ({target_columns}, {first_seen}, {last_seen}) "  # noqa: S608
        f"SELECT {source_columns}, %s, %s FROM {staged} s JOIN {_DIFF} d ON d.staged_id = s.id "
        f"WHERE d.index_id IS NULL",
        [moment, moment],
    )
    written += max(cursor.rowcount, 0)
    cursor.execute(f"DROP TABLE {_DIFF}")
    return written


def _failing_rows(run_id: int) -> dict[str, BindingRow]:
    """The report rows of the staged customers whose default token fails to bind."""
    names = [
        "uuid", "reference_number", "name", "email", "dial_code", "phone",
        "linked_source_type", "token_type", "token_state", "error_code", "error_message",
        "card_number", "card_brand",
    ]  # fmt: skip
    staged = StagedCustomer.objects.filter(run_id=run_id, binding_problem=True)
    # Duplicates were merged before this is read, so each uuid comes once.
    return {
        values[0]: BindingRow(*values)
        for values in staged.values_list(*names).iterator(chunk_size=5000)
    }


def snapshot_make_current(*, run: ScanRun, now: datetime) -> tuple[int, int]:
    """Index and report from ``run``'s staged rows, in one transaction; marks it completed.

    Returns ``(index rows written, failures found)``. Raises when the run is no longer
    running (the heartbeat check failed it meanwhile): then nothing changes.
    """
    with transaction.atomic():
        # Lock the run first: a stale check that comes while this commits waits for it (and
        # then finds the run completed) instead of failing a sync that is saving.
        current = ScanRun.objects.select_for_update().get(pk=run.pk)
        if current.status != "running":
            raise RuntimeError(f"Sync {run.pk} is {current.status}, not running.")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # CREATE INDEX and TRUNCATE on staging refuse a table with deferred foreign
                # key checks pending (rows staged in this same transaction, as when a test
                # runs the sync inside one): run them now, for the rest of the transaction.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                # The statements below join a million staged rows to a million index rows:
                # with the default 4 MB each hash or sort spills to disk (an unchanged
                # sync's comparison took 4.3 s at 1M, 2.3 s with 256 MB). For this
                # transaction only.
                for name in ("work_mem", "maintenance_work_mem"):
                    cursor.execute(
                        "SELECT set_config(%s, %s, true)", [name, settings.SYNC_SNAPSHOT_WORK_MEM]
                    )
            index_written = _index_apply(cursor, run_id=run.pk, now=now)
        failing = _failing_rows(run.pk)
        report_written = reconcile(run, failing, now)
        ScanRun.objects.filter(pk=run.pk).update(
            failures_found=len(failing), rows_written=index_written + report_written
        )
        _staging_empty()
    return index_written, len(failing)


def _staging_empty() -> None:
    """Delete every staged row: this run's are applied, and any other run's belong to a sync
    that failed (one sync at a time). Emptying the table whole skips deleting a million
    rows one by one from the table and its index (PostgreSQL's TRUNCATE, SQLite's
    unconditional DELETE)."""
    table = connection.ops.quote_name(StagedCustomer._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {table}")
        else:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(f"DROP INDEX IF EXISTS {_STAGED_UUID_INDEX}")
