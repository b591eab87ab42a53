"""The report's addresses and a reader for its CSV export, shared by the report's tests."""

from __future__ import annotations

import csv
import io

__all__ = ["EXPORT", "REPORT", "csv_rows", "followup_url"]

REPORT = "/customers/failed-bindings/"
EXPORT = "/customers/failed-bindings/export/"


def csv_rows(response) -> list[list[str]]:
    """The rows of a streamed CSV export (its byte-order mark dropped)."""
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def followup_url(binding) -> str:
    """The follow-up page of one report row."""
    return f"/customers/failed-bindings/{binding.pk}/follow-up/"
