"""django-tables2 table of audit events; its export writes the same columns."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ui.tables import LocalDateTimeColumn

from .models import AuditEvent

__all__ = ["AuditEventTable"]

# A timestamp or request id broken over two lines is misread and cannot be copied whole.
_NO_WRAP = {"class": "text-nowrap"}
# Recorded as they happened (usernames, action codes such as ``login``, targets): data, not
# words of the dashboard, so a page in Chinese (or a browser's translator) leaves them as is.
_DATA = {"translate": "no"}


class AuditEventTable(tables.Table):
    """The audit log, newest first (ties: newest first too, see accounts.views)."""

    # In local time, to the second, on the page and in the export alike.
    occurred_at = LocalDateTimeColumn(
        verbose_name=_("When"), format="Y-m-d H:i:s", attrs={"td": _NO_WRAP}
    )
    username = tables.Column(verbose_name=_("User"), attrs={"td": _DATA})
    action = tables.Column(verbose_name=_("Action"), attrs={"td": _DATA})
    target = tables.Column(verbose_name=_("Target"), attrs={"td": _DATA})
    outcome = tables.Column(verbose_name=_("Outcome"))
    client_ip = tables.Column(verbose_name=_("Client IP"))
    request_id = tables.Column(verbose_name=_("Request id"), attrs={"td": _NO_WRAP})

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
        empty_text = _("No audit events match these filters.")

    def value_outcome(self, record) -> str:
        """The export keeps the recorded code (``not_found``), which scripts match on; the
        page shows its label."""
        return record.outcome
