"""SQLite's index for search: an FTS5 trigram table over the customer index's text columns.

SQLite has no trigram indexes, and a ``LIKE '%...%'`` over a million rows reads them all
(bench/README.md has the figures). FTS5's trigram tokenizer (SQLite 3.34+) indexes every
three characters and answers ``LIKE`` on its columns from that index. The table holds no
copy of the text (``content=`` the index table itself); triggers keep it in step with
every insert, update and delete, whoever writes (the sync's bulk writes included).

Django rebuilds a SQLite table to alter it (new table, copy, drop, rename), which drops its
triggers: ``search_index_ensure`` runs after every ``migrate`` and puts back what is missing,
rebuilding the full-text index when its triggers were gone.
"""

# ruff: noqa: S608  (every name in this SQL is a constant of this module, never input)

from __future__ import annotations

import logging

__all__ = ["FTS_COLUMNS", "FTS_TABLE", "search_index_drop", "search_index_ensure"]

logger = logging.getLogger(__name__)

FTS_TABLE = "ic_search"
FTS_COLUMNS = ("name", "email", "reference_number", "full_phone_digits")
_TABLE = "customers_app_indexedcustomer"
_COLUMNS = ", ".join(FTS_COLUMNS)
_NEW = ", ".join(f"new.{column}" for column in FTS_COLUMNS)
_OLD = ", ".join(f"old.{column}" for column in FTS_COLUMNS)

_CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({_COLUMNS}, "
    f"content='{_TABLE}', content_rowid='id', tokenize='trigram')"
)
_TRIGGERS = {
    "ic_search_after_insert": f"AFTER INSERT ON {_TABLE} BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, {_COLUMNS}) VALUES (new.id, {_NEW}); END",
    "ic_search_after_delete": f"AFTER DELETE ON {_TABLE} BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLUMNS}) VALUES ('delete', old.id, {_OLD}); "
    "END",
    "ic_search_after_update": f"AFTER UPDATE ON {_TABLE} BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLUMNS}) VALUES ('delete', old.id, {_OLD}); "
    f"INSERT INTO {FTS_TABLE}(rowid, {_COLUMNS}) VALUES (new.id, {_NEW}); END",
}


def search_index_ensure(connection) -> bool:
    """Create the full-text table and its triggers where missing; True when it rebuilt.

    Does nothing on other databases, or before the customer index table exists.
    """
    if connection.vendor != "sqlite" or _TABLE not in connection.introspection.table_names():
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [_TABLE]
        )
        present = {row[0] for row in cursor.fetchall()}
        missing = [name for name in _TRIGGERS if name not in present]
        if not missing:
            return False
        cursor.execute(_CREATE_TABLE)
        for name in missing:
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {_TRIGGERS[name]}")
        # Rows written while a trigger was missing are not in the full-text index yet.
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    logger.info("customer search: SQLite full-text index (re)built")
    return True


def search_index_drop(connection) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in _TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
