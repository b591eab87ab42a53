"""Streaming CSV export of audit events, audited itself with its row count."""

from __future__ import annotations

import csv

from django.http import StreamingHttpResponse

from customers_app.audit import audit_event_record

from .tables import AUDIT_EXPORT_COLUMNS

__all__ = ["audit_events_csv_response"]


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can stream."""

    def write(self, value: str) -> str:
        """Return ``value`` unchanged."""
        return value


def _csv_cell(value) -> str:
    """Text for one CSV cell; a leading = + - @ is quoted so spreadsheets do not run it."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def audit_events_csv_response(*, request, queryset, target: str) -> StreamingHttpResponse:
    """Stream ``queryset`` as CSV, after recording the export and how many rows it holds."""
    queryset = queryset.order_by("-occurred_at", "-id")
    row_count = queryset.count()
    audit_event_record(
        request=request, action="audit_export", target=target[:255], detail={"rows": row_count}
    )
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow([header for _, header in AUDIT_EXPORT_COLUMNS])
        # Capped at the counted rows, so the recorded row count is what was handed out.
        for event in queryset[:row_count].iterator():
            yield writer.writerow(
                [_csv_cell(getattr(event, name)) for name, _ in AUDIT_EXPORT_COLUMNS]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-events.csv"'
    return response
