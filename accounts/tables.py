"""django-tables2 table of audit events; the CSV export uses the same columns."""

import django_tables2 as tables

from .models import AuditEvent

__all__ = ["AUDIT_EXPORT_COLUMNS", "AuditEventTable"]

# (attribute, header) in the order the page shows them.
AUDIT_EXPORT_COLUMNS = (
    ("occurred_at", "When"),
    ("username", "User"),
    ("action", "Action"),
    ("target", "Target"),
    ("outcome", "Outcome"),
    ("client_ip", "Client IP"),
    ("request_id", "Request id"),
)

# A timestamp or request id broken over two lines is misread and cannot be copied whole.
_NO_WRAP = {"class": "text-nowrap"}


class AuditEventTable(tables.Table):
    """The audit log, newest first."""

    occurred_at = tables.DateTimeColumn(
        verbose_name="When", format="Y-m-d H:i:s", attrs={"td": _NO_WRAP}
    )
    username = tables.Column(verbose_name="User")
    action = tables.Column(verbose_name="Action")
    target = tables.Column(verbose_name="Target")
    outcome = tables.Column(verbose_name="Outcome")
    client_ip = tables.Column(verbose_name="Client IP")
    request_id = tables.Column(verbose_name="Request id", attrs={"td": _NO_WRAP})

    class Meta:
        model = AuditEvent
        fields = [name for name, _ in AUDIT_EXPORT_COLUMNS]
        # Sorting by id too: events in the same second would otherwise swap between pages.
        order_by = ("-occurred_at",)
        attrs = {"class": "table table-sm"}
        empty_text = "No audit events match these filters."
