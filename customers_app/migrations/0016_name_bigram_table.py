"""A table of the customer index's Chinese name bigrams, for two-character name parts.

On PostgreSQL: the table ``ic_name_bigram`` (one row per non-ASCII bigram of a name, with
the name), its B-tree and the triggers that keep it in step with the customer index; filled
from the rows already there (34 s for a million customers on a shared machine). Why and
how the search uses it: customers_app/search/name_bigrams.py. Nothing on SQLite, whose
full-text index serves search there.

Reversible: going back drops the table, its triggers and functions; search then finds
those name parts by the bigram index of 0012 again, as before.
"""

from django.db import migrations


def name_bigrams_create(apps, schema_editor) -> None:
    from customers_app.search.name_bigrams import name_bigrams_create

    name_bigrams_create(schema_editor.connection)


def name_bigrams_drop(apps, schema_editor) -> None:
    from customers_app.search.name_bigrams import name_bigrams_drop

    name_bigrams_drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("customers_app", "0015_admin_names_of_sync_index_and_digests"),
    ]

    operations = [
        migrations.RunPython(name_bigrams_create, name_bigrams_drop, elidable=False),
    ]
