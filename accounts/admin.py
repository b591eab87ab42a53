"""The audit log in the Django admin: read-only, filterable, exportable as CSV."""

from django.contrib import admin

from .exports import audit_events_csv_response
from .models import AuditEvent

__all__ = ["AuditEventAdmin"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Nobody, not even a superuser, may add, change or delete an audit event here."""

    list_display = ("occurred_at", "username", "action", "target", "outcome", "client_ip")
    list_filter = ("action", "outcome", "occurred_at")
    search_fields = ("username", "target", "request_id")
    date_hierarchy = "occurred_at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]
    actions = ["export_selected"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Export selected events as CSV", permissions=["export"])
    def export_selected(self, request, queryset):
        """The selected events as CSV; the export is recorded like any other."""
        return audit_events_csv_response(
            request=request, queryset=queryset, target="admin selection"
        )

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm("accounts.export_auditevent")
