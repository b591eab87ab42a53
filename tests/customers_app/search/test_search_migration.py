"""The search migration on a PostgreSQL whose user may not create extensions: it stops
with a message saying what to do, and runs once an administrator created pg_trgm.

Needs the local PostgreSQL (127.0.0.1, user postgres); skipped, saying so, without it.
"""

from __future__ import annotations

import importlib
import types
import uuid

import pytest
from django.db import connections

psycopg = pytest.importorskip("psycopg")

ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
migration = importlib.import_module("customers_app.migrations.0012_customer_search_indexes")


@pytest.fixture
def database_without_create_rights():
    """A fresh database and a login role that may connect but not create anything in it."""
    try:
        admin = psycopg.connect(ADMIN_DSN, autocommit=True)
    except psycopg.OperationalError as error:
        pytest.skip(f"no local PostgreSQL to try the migration on: {error}")
    suffix = uuid.uuid4().hex[:8]
    database, role = f"search_mig_{suffix}", f"search_mig_{suffix}"
    admin.execute(f"CREATE DATABASE {database}")
    admin.execute(f"CREATE ROLE {role} LOGIN")
    admin.execute(f"REVOKE CREATE ON DATABASE {database} FROM PUBLIC")
    yield database, role
    admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    admin.execute(f"DROP ROLE IF EXISTS {role}")
    admin.close()


def _connection_as(database: str, role: str):
    from django.db.backends.postgresql.base import DatabaseWrapper

    settings = {
        **connections["default"].settings_dict,
        "ENGINE": "django.db.backends.postgresql",
        "NAME": database,
        "USER": role,
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": "5432",
        "OPTIONS": {},
    }
    alias = f"migration-{role}"
    wrapper = DatabaseWrapper(settings, alias=alias)
    connections[alias] = wrapper  # transaction.atomic(using=...) looks the alias up
    return wrapper


def test_without_the_right_to_create_pg_trgm_the_migration_says_what_to_do(
    database_without_create_rights, django_db_blocker
):
    database, role = database_without_create_rights
    connection = _connection_as(database, role)
    try:
        with django_db_blocker.unblock(), pytest.raises(RuntimeError) as refused:
            migration._create_trigram_extension(types.SimpleNamespace(connection=connection))
    finally:
        connection.close()
        del connections[connection.alias]
    message = str(refused.value)
    assert "needs PostgreSQL's pg_trgm extension" in message
    assert "CREATE EXTENSION IF NOT EXISTS pg_trgm;" in message
    assert "python manage.py migrate" in message


def test_once_an_administrator_created_pg_trgm_the_migration_needs_no_rights(
    database_without_create_rights, django_db_blocker
):
    database, role = database_without_create_rights
    with psycopg.connect(ADMIN_DSN.replace("dbname=postgres", f"dbname={database}")) as admin:
        admin.execute("CREATE EXTENSION pg_trgm")
    connection = _connection_as(database, role)
    try:
        with django_db_blocker.unblock():
            migration._create_trigram_extension(types.SimpleNamespace(connection=connection))
    finally:
        connection.close()
        del connections[connection.alias]
