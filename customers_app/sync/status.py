"""What other features ask of the sync: when the customer index was last complete."""

from __future__ import annotations

from datetime import datetime

from customers_app.models import ScanRun, ScanStatus

__all__ = ["customer_index_as_of"]


def customer_index_as_of() -> datetime | None:
    """When the last complete sync made the customer index current; None before the first."""
    return (
        ScanRun.objects.filter(status=ScanStatus.COMPLETED)
        .values_list("finished_at", flat=True)
        .first()
    )
