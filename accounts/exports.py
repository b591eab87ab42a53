"""Streaming CSV export of audit events, audited itself with its row count.

Written like the failed bindings export (``ui.exports``): the same formula
neutralising, the same byte-order mark for Excel, the same guard against a file that stops
short without saying so, and times as the audit page shows them (local time, seconds).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

from accounts.audit import audit_event_record
from ui.exports import csv_lines, spreadsheet_safe

from .tables import AUDIT_EXPORT_COLUMNS

__all__ = ["audit_events_csv_response"]

# The audit page's format (accounts/tables.py), in the dashboard's time zone.
_WHEN_FORMAT = "%Y-%m-%d %H:%M:%S"


def _cell(value) -> str:
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value).strftime(_WHEN_FORMAT)
    return spreadsheet_safe(value)


def audit_events_csv_response(*, request, queryset, target: str) -> StreamingHttpResponse:
    """Stream ``queryset`` as CSV, after recording the export and how many rows it holds."""
    queryset = queryset.order_by("-occurred_at", "-id")
    row_count = queryset.count()
    audit_event_record(
        request=request, action="audit_export", target=target[:255], detail={"rows": row_count}
    )

    def rows() -> Iterator[list[str]]:
        yield [str(header) for _, header in AUDIT_EXPORT_COLUMNS]
        # Capped at the counted rows, so the recorded row count is what was handed out.
        for event in queryset[:row_count].iterator():
            yield [_cell(getattr(event, name)) for name, _ in AUDIT_EXPORT_COLUMNS]

    response = StreamingHttpResponse(csv_lines(rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-events.csv"'
    return response
