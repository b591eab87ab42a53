"""The search index follows the customer index however it is written: rows updated in
place (as a sync that rewrites only changed rows does), deleted, or a table whose
full-text triggers a SQLite table rebuild dropped."""

from __future__ import annotations

import pytest
from django.db import connection

from customers_app.models import IndexedCustomer
from customers_app.search.sqlite_index import search_index_ensure

from .helpers import search, shown_uuids

pytestmark = pytest.mark.django_db


def test_a_row_updated_in_place_is_found_by_its_new_values_only(agent_browser, customer_index):
    customer = customer_index.store.customer(44)
    row = IndexedCustomer.objects.get(uuid=customer["uuid"])
    row.name, row.email = "Zebedee Quartermaine", "zebedee.q@example.hk"
    row.full_phone_digits, row.phone_digits = "85290001234", "90001234"
    row.save()
    for typed in ("Quartermaine", "zebedee.q@", "9000 1234"):
        assert shown_uuids(search(agent_browser, typed)) == [customer["uuid"]], typed
    assert customer["uuid"] not in shown_uuids(search(agent_browser, customer["name"]))


def test_a_deleted_row_is_no_longer_found(agent_browser, customer_index):
    customer = customer_index.store.customer(2)
    IndexedCustomer.objects.filter(uuid=customer["uuid"]).delete()
    assert shown_uuids(search(agent_browser, "5850 7767")) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's full-text index only")
def test_lost_triggers_are_put_back_and_the_full_text_index_rebuilt(agent_browser, customer_index):
    with connection.cursor() as cursor:
        for name in ("ic_search_after_insert", "ic_search_after_update", "ic_search_after_delete"):
            cursor.execute(f"DROP TRIGGER {name}")
    customer = customer_index.store.customer(44)
    IndexedCustomer.objects.filter(uuid=customer["uuid"]).update(name="Ottoline Vandersloot")
    assert search_index_ensure(connection) is True
    assert shown_uuids(search(agent_browser, "Vandersloot")) == [customer["uuid"]]
    assert search_index_ensure(connection) is False  # nothing missing the second time
