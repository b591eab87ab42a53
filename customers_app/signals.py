"""Signals of the customers app, and its receivers (imported once from ``apps.ready``)."""

from django.dispatch import Signal

from wonder import factory  # noqa: F401  (registers the setting_changed receiver)

__all__ = ["sync_completed"]

# Sent once a customer sync (customers_app/sync/) has made its new snapshot current, after
# that transaction committed, with ``run``: the finished ScanRun. Receivers (digests, for
# one) must not fail the sync: an exception in a receiver is logged, never raised.
sync_completed = Signal()
