"""The audit log as CSV (from the audit page and the admin's selection), audited itself.

The columns are the audit page's (``AuditEventTable``), written by the shared export
(``ui.exports``): formulas neutralised, a byte-order mark for Excel, a file that stops short
says so, and times as the page shows them (local time, seconds).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from accounts.audit import audit_event_record
from ui.list_views import sort_with_tie_breaker, table_cut, table_export_response

from .tables import AuditEventTable

__all__ = ["AUDIT_TIE_BREAKER", "audit_event_table", "audit_events_csv_response"]

# Events in the same instant stay newest first, as the log has always listed them.
AUDIT_TIE_BREAKER = "-pk"


def audit_event_table(queryset: QuerySet) -> AuditEventTable:
    """The audit table of ``queryset`` in its default sort (newest first), not paged."""
    table = AuditEventTable(queryset)
    table.data.data = sort_with_tie_breaker(table.data.data, tie_breaker=AUDIT_TIE_BREAKER)
    return table


def audit_events_csv_response(*, request, table: AuditEventTable, target: str) -> HttpResponse:
    """Stream ``table`` (sorted, not paged) as CSV, after recording the export and its rows."""
    size = table_cut(table)
    audit_event_record(
        request=request, action="audit_export", target=target[:255], detail={"rows": size.rows}
    )
    return table_export_response(
        table, size=size, file_format="csv", filename="audit-events.csv", title=_("Audit events")
    )
