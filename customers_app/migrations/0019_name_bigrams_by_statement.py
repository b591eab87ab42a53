"""The name bigram table (0016) kept by statement triggers over transition tables instead
of row triggers: the sync's snapshot inserts up to a million customers in one statement,
and adding each one's bigrams row by row doubled its time. On PostgreSQL this replaces the
triggers and refills the table (about half a minute for a million customers); nothing on
SQLite. Reversing keeps the new triggers: 0016's reversal drops them either way."""

from django.db import migrations


def name_bigrams_recreate(apps, schema_editor) -> None:
    from customers_app.search.name_bigrams import name_bigrams_create

    name_bigrams_create(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("customers_app", "0018_staging_indexed_by_the_snapshot"),
    ]

    operations = [
        migrations.RunPython(name_bigrams_recreate, migrations.RunPython.noop, elidable=False),
    ]
