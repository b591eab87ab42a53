"""PostgreSQL's table for two-character Chinese name parts: one row per bigram of a name.

A Chinese given name ("大文") is two characters, and a common one is in about 1% of all
names. The bigram GIN index (migration ``customer_search_indexes``) finds those rows, but
ranking them by name then reads every one of them from the table, one row a page: about
9,500 pages for "大文" at a million customers, most of a 70 ms search (bench/README.md).
A B-tree cannot walk the names in order and filter instead: Chinese names all sort after
the Latin ones, so the first match comes after three quarters of the table.

This table holds, for each customer, the bigrams of its upper-cased name made of two
non-ASCII characters, with the name, under a B-tree on (bigram, name, customer id): a page
of such a search is read from that index in name order, stopping after the page, and its
matches are counted from the index alone (about 600,000 rows for a million customers).
Triggers keep it in step with every write to the customer index, TRUNCATE included.

Only characters that have no case (Chinese, Japanese, Korean) are looked up here: their
upper case is themselves in PostgreSQL and in Python alike, so the bigram searched is the
bigram stored. Anything else keeps the bigram GIN index (search/queryset.py).
"""

# ruff: noqa: S608  (every name in this SQL is a constant of this module, never input)

from __future__ import annotations

__all__ = [
    "name_bigrams_create",
    "name_bigrams_drop",
    "name_part_count",
    "name_part_page_ids",
    "name_part_served",
]

TABLE = "ic_name_bigram"
_CUSTOMERS = "customers_app_indexedcustomer"
# The name's bigrams as the GIN index has them (ic_bigrams, same migration family), kept
# when both characters are non-ASCII.
_BIGRAMS_OF = f"""
CREATE OR REPLACE FUNCTION {TABLE}s_of(value text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT bigram FROM unnest(ic_bigrams(UPPER(value))) AS bigram
    WHERE bigram ~ '^[^[:ascii:]]{{2}}$'
$$
"""
_CREATE_TABLE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (customer_id bigint NOT NULL, bigram text NOT NULL, "
    f"name text NOT NULL, PRIMARY KEY (customer_id, bigram))"
)
# Same order as the search's ORDER BY name, id: text and varchar compare alike, and both
# columns have the database's collation.
_CREATE_INDEX = f"CREATE INDEX IF NOT EXISTS {TABLE}_order ON {TABLE} (bigram, name, customer_id)"
# Statement triggers over transition tables: the sync inserts (and rewrites) customers a
# million rows per statement, and a row trigger adding each one's bigrams took longer than
# the insert itself (14 s instead of 7 for 100,000 new customers: bench/README.md). Set-based,
# one statement adds them all. (PostgreSQL allows one event per trigger with transition
# tables, hence three.)
_BIGRAM_ROWS_OF = (
    "SELECT n.id, bigram, n.name FROM {rows} AS n "
    f"CROSS JOIN LATERAL {TABLE}s_of(n.name) AS bigram "
    # Most names are all ASCII and have no such bigram: one regex instead of listing them.
    "WHERE n.name ~ '[^[:ascii:]]'"
)
_INSERT = f"INSERT INTO {TABLE} (customer_id, bigram, name)"
_FILL = f"{_INSERT} {_BIGRAM_ROWS_OF.format(rows=_CUSTOMERS)}"
_INSERTED_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TABLE}_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_INSERT} {_BIGRAM_ROWS_OF.format(rows="new_rows")};
    RETURN NULL;
END
$$
"""
_DELETED_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TABLE}_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {TABLE} AS b USING old_rows AS o WHERE b.customer_id = o.id;
    RETURN NULL;
END
$$
"""
# The sync rewrites whole rows: only a changed name (or id) needs its bigrams again.
_UPDATED_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TABLE}_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {TABLE} AS b USING old_rows AS o
    WHERE b.customer_id = o.id AND NOT EXISTS
        (SELECT 1 FROM new_rows AS n WHERE n.id = o.id AND n.name IS NOT DISTINCT FROM o.name);
    {_INSERT} {_BIGRAM_ROWS_OF.format(rows="new_rows")}
    AND NOT EXISTS
        (SELECT 1 FROM old_rows AS o WHERE o.id = n.id AND o.name IS NOT DISTINCT FROM n.name);
    RETURN NULL;
END
$$
"""
_EMPTY_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TABLE}_empty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE {TABLE};
    RETURN NULL;
END
$$
"""
_TRIGGERS = {
    f"{TABLE}_insert": f"AFTER INSERT ON {_CUSTOMERS} REFERENCING NEW TABLE AS new_rows "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_inserted()",
    f"{TABLE}_delete": f"AFTER DELETE ON {_CUSTOMERS} REFERENCING OLD TABLE AS old_rows "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_deleted()",
    f"{TABLE}_update": f"AFTER UPDATE ON {_CUSTOMERS} "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_updated()",
    # Django's test flush empties tables with TRUNCATE, which fires no row trigger.
    f"{TABLE}_truncate": f"AFTER TRUNCATE ON {_CUSTOMERS} FOR EACH STATEMENT "
    f"EXECUTE FUNCTION {TABLE}_empty()",
}
# The first version's row triggers and function (migration 0016 before 0019 replaced them).
_FORMER_TRIGGERS = (f"{TABLE}_insert_delete",)
_FORMER_FUNCTIONS = (f"{TABLE}_follow()",)
_FUNCTIONS = (
    f"{TABLE}_inserted()",
    f"{TABLE}_deleted()",
    f"{TABLE}_updated()",
    f"{TABLE}_empty()",
    f"{TABLE}s_of(text)",
)


def name_part_served(word: str) -> bool:
    """Whether this table answers ``word``: two characters without case, neither ASCII."""
    return (
        len(word) == 2
        and not any(character.isascii() for character in word)
        and word.upper() == word == word.lower()
    )


def name_bigrams_create(connection) -> None:
    """Create the table, fill it from the customer index, and add its triggers (PostgreSQL;
    nothing elsewhere). Needs ``ic_bigrams`` (migration 0012)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(_BIGRAMS_OF)
        cursor.execute(_CREATE_TABLE)
        cursor.execute(f"TRUNCATE {TABLE}")
        cursor.execute(_FILL)
        # Built after the fill: one sort instead of a million insertions into the B-tree.
        cursor.execute(_CREATE_INDEX)
        for function in (_INSERTED_FUNCTION, _DELETED_FUNCTION, _UPDATED_FUNCTION, _EMPTY_FUNCTION):
            cursor.execute(function)
        # Every trigger first (0016's update trigger had the name today's has), then the
        # function only 0016's triggers used.
        for name in (*_TRIGGERS, *_FORMER_TRIGGERS):
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {_CUSTOMERS}")
        for function in _FORMER_FUNCTIONS:
            cursor.execute(f"DROP FUNCTION IF EXISTS {function}")
        for name, definition in _TRIGGERS.items():
            cursor.execute(f"CREATE TRIGGER {name} {definition}")
        cursor.execute(f"ANALYZE {TABLE}")


def name_bigrams_drop(connection) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name in (*_TRIGGERS, *_FORMER_TRIGGERS):
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {_CUSTOMERS}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        for function in (*_FUNCTIONS, *_FORMER_FUNCTIONS):
            cursor.execute(f"DROP FUNCTION IF EXISTS {function}")


def name_part_count(connection, word: str, *, limit: int) -> int:
    """How many customers' names hold ``word``, counted up to ``limit`` + 1."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE bigram = %s LIMIT %s) AS found",
            [word, limit + 1],
        )
        return cursor.fetchone()[0]


def name_part_page_ids(
    connection, word: str, *, leaving_out: list[int], offset: int, count: int
) -> list[int]:
    """Ids of the customers whose names hold ``word``, by name then id, from ``offset``,
    at most ``count`` of them, leaving out the ids ``leaving_out`` (listed elsewhere)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT customer_id FROM {TABLE} "
            "WHERE bigram = %s AND NOT (customer_id = ANY(%s::bigint[])) "
            "ORDER BY name, customer_id OFFSET %s LIMIT %s",
            [word, leaving_out, offset, count],
        )
        return [row[0] for row in cursor.fetchall()]
