"""django-tables2 table of audit events; its export writes the same columns."""

import django_tables2 as tables

from ui.tables import LocalDateTimeColumn

from .models import AuditEvent

__all__ = ["AuditEventTable"]

# A timestamp or request id broken over two lines is misread and cannot be copied whole.
_NO_WRAP = {"class": "text-nowrap"}


class AuditEventTable(tables.Table):
    """The audit log, newest first (ties: newest first too, see accounts.views)."""

    # In local time, to the second, on the page and in the export alike.
    occurred_at = LocalDateTimeColumn(
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
        fields = (
            "occurred_at",
            "username",
            "action",
            "target",
            "outcome",
            "client_ip",
            "request_id",
        )
        order_by = ("-occurred_at",)
        attrs = {"class": "table table-sm"}
        empty_text = "No audit events match these filters."

    def value_outcome(self, record) -> str:
        """The export keeps the recorded code (``not_found``), which scripts match on; the
        page shows its label."""
        return record.outcome
