"""Indexes for customer search (customers_app/search) over the customer index.

Search matches parts of names, emails and phone numbers (``LIKE '%...%'``), which an
ordinary index cannot serve. On PostgreSQL this migration creates the ``pg_trgm``
extension and trigram (GIN) indexes on exactly the expressions Django's lookups compare
(``UPPER(name::text)`` for ``icontains``; the plain phone digits for ``contains``), a
B-tree for reference number prefixes, and, for two-character parts of names (a Chinese
given name, "大文") that hold no trigram, a GIN index over the name's bigrams. Everywhere,
an index on (name, id) gives filter-only searches their order without sorting the whole
table. SQLite has no trigram indexes: it gets an FTS5 trigram table kept by triggers
(customers_app/search/sqlite_index.py; figures in bench/README.md).

IF THE EXTENSION CANNOT BE CREATED (the database user may not create extensions, as on
many managed databases), this migration stops with a message saying so. Then ask whoever
administers the database to run, once, as a superuser, in the dashboard's database:

    CREATE EXTENSION IF NOT EXISTS pg_trgm;

(on Amazon RDS / Cloud SQL / Azure the admin user may do it; pg_trgm is on their allowed
lists), and run ``python manage.py migrate`` again. Nothing else needs doing by hand.
"""

from django.db import migrations

_TABLE = "customers_app_indexedcustomer"

# index name -> the expression it covers, written as Django's lookups write it on PostgreSQL
# (a different spelling, e.g. without ::text, would leave the index unused).
TRIGRAM_INDEXES = {
    "ic_name_trgm": 'UPPER("name"::text)',
    "ic_email_trgm": 'UPPER("email"::text)',
    "ic_full_phone_digits_trgm": '"full_phone_digits"',
}

# Two-character parts of names ("大文", a Chinese given name) hold no trigram; the name's
# bigrams, upper-cased, in an array with a GIN index find them (see search/queryset.py).
# COST 1000 so that, beside cheaper conditions, the planner evaluates it last.
_BIGRAM_FUNCTION = """
CREATE OR REPLACE FUNCTION ic_bigrams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
    SELECT coalesce(array_agg(DISTINCT substr(value, position, 2)), '{}')
    FROM generate_series(1, char_length(value) - 1) AS position
$$
"""
# A reference number is matched exactly or by its start: a B-tree range scan serves that at
# once, where a trigram index would read the long lists of "CUS", "UST", "000" and so on.
_REFERENCE_PREFIX_INDEX = (
    "CREATE INDEX IF NOT EXISTS ic_reference_upper_prefix ON customers_app_indexedcustomer "
    '(UPPER("reference_number"::text) text_pattern_ops)'
)
_BIGRAM_INDEX = (
    "CREATE INDEX IF NOT EXISTS ic_name_bigrams ON customers_app_indexedcustomer "
    'USING gin (ic_bigrams(UPPER("name"::text)))'
)

_EXTENSION_HELP = (
    "Customer search needs PostgreSQL's pg_trgm extension, and this database user could not "
    "create it ({error}). Ask the database's administrator to run, as a superuser, in this "
    "database:  CREATE EXTENSION IF NOT EXISTS pg_trgm;  then run `python manage.py migrate` "
    "again. (See customers_app/migrations/0012_customer_search_indexes.py.)"
)


def _create_trigram_extension(schema_editor) -> None:
    from django.db import DatabaseError, transaction

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            return  # created by an administrator beforehand: no privilege needed
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError as error:
            raise RuntimeError(_EXTENSION_HELP.format(error=str(error).strip())) from error


def search_indexes_create(apps, schema_editor) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE INDEX IF NOT EXISTS ic_name_id ON {_TABLE} ("name", "id")')
    if connection.vendor == "sqlite":
        from customers_app.search.sqlite_index import search_index_ensure

        search_index_ensure(connection)
        with connection.cursor() as cursor:
            # Reference prefixes as a range over upper-cased numbers (search/queryset.py).
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS ic_reference_upper "
                f'ON {_TABLE} (UPPER("reference_number"))'
            )
    if connection.vendor != "postgresql":
        return
    _create_trigram_extension(schema_editor)
    with connection.cursor() as cursor:
        for name, expression in TRIGRAM_INDEXES.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {_TABLE} "
                f"USING gin (({expression}) gin_trgm_ops)"
            )
        cursor.execute(_REFERENCE_PREFIX_INDEX)
        cursor.execute(_BIGRAM_FUNCTION)
        cursor.execute(_BIGRAM_INDEX)


def search_indexes_drop(apps, schema_editor) -> None:
    # The extension stays: other databases objects may use it, and dropping it needs rights.
    from customers_app.search.sqlite_index import search_index_drop

    search_index_drop(schema_editor.connection)
    names = ["ic_name_id"]
    if schema_editor.connection.vendor == "sqlite":
        names.append("ic_reference_upper")
    if schema_editor.connection.vendor == "postgresql":
        names += [*TRIGRAM_INDEXES, "ic_reference_upper_prefix", "ic_name_bigrams"]
    with schema_editor.connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("customers_app", "0011_customer_sync"),
    ]

    operations = [
        migrations.RunPython(search_indexes_create, search_indexes_drop, elidable=False),
    ]
