"""After every ``migrate``: SQLite's full-text index for search is complete (sqlite_index.py).

A migration that alters the customer index table on SQLite rebuilds the table and loses
its triggers; this puts them back and rebuilds the full-text index, so search never reads
a stale one. Nothing happens on PostgreSQL (its indexes survive an ALTER TABLE).
"""

from __future__ import annotations

from django.db import connections
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from customers_app.search.sqlite_index import search_index_ensure

__all__ = ["search_index_after_migrate"]


@receiver(post_migrate, dispatch_uid="customer-search-index-after-migrate")
def search_index_after_migrate(sender, using="default", **kwargs) -> None:
    if sender.name != "customers_app":
        return
    search_index_ensure(connections[using])
