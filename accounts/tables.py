"""django-tables2 table of audit events; the CSV export uses the same columns."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

__all__ = ["AUDIT_EXPORT_COLUMNS", "AuditEventTable"]

# (attribute, header) in the order the page shows them.
AUDIT_EXPORT_COLUMNS = (
    ("occurred_at", _("When")),
    ("username", _("User")),
    ("action", _("Action")),
    ("target", _("Target")),
    ("outcome", _("Outcome")),
    ("client_ip", _("Client IP")),
    ("request_id", _("Request id")),
)

# A timestamp or request id broken over two lines is misread and cannot be copied whole.
_NO_WRAP = {"class": "text-nowrap"}
# What was recorded (usernames, action names, targets), not the dashboard's words.
_DATA = {"translate": "no"}


class AuditEventTable(tables.Table):
    """The audit log, newest first."""

    occurred_at = tables.DateTimeColumn(
        verbose_name=_("When"), format="Y-m-d H:i:s", attrs={"td": _NO_WRAP}
    )
    username = tables.Column(verbose_name=_("User"), attrs={"td": _DATA})
    action = tables.Column(verbose_name=_("Action"), attrs={"td": _DATA})
    target = tables.Column(
        verbose_name=_("Target"), attrs={"td": {**_DATA, "class": "wrap-anywhere"}}
    )
    outcome = tables.Column(verbose_name=_("Outcome"))
    client_ip = tables.Column(verbose_name=_("Client IP"), attrs={"td": _DATA})
    request_id = tables.Column(verbose_name=_("Request id"), attrs={"td": _NO_WRAP})

    class Meta:
        model = AuditEvent
        fields = [name for name, _ in AUDIT_EXPORT_COLUMNS]
        # Sorting by id too: events in the same second would otherwise swap between pages.
        order_by = ("-occurred_at",)
        attrs = {"class": "table table-sm"}
        empty_text = _("No audit events match these filters.")
