"""Account pages: the audit log and its export, the 403 and no-access pages."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django_tables2 import RequestConfig

from customers_app.audit import audit_event_record

from .exports import audit_events_csv_response
from .filters import AuditEventFilterSet
from .models import AuditEvent
from .tables import AuditEventTable

__all__ = ["audit_event_export_view", "audit_event_list_view", "permission_denied_view"]

AUDIT_PAGE_SIZE = 50


@permission_required("accounts.view_auditevent", raise_exception=True)
def audit_event_list_view(request):
    """The audit log, filtered and paginated."""
    filterset = AuditEventFilterSet(request.GET or None, queryset=AuditEvent.objects.all())
    table = AuditEventTable(filterset.qs.order_by("-occurred_at", "-id"))
    RequestConfig(request, paginate={"per_page": AUDIT_PAGE_SIZE}).configure(table)
    return render(
        request,
        "accounts/audit_event_list.html",
        {"filterset": filterset, "table": table, "query": request.GET.urlencode()},
    )


@permission_required("accounts.export_auditevent", raise_exception=True)
def audit_event_export_view(request):
    """The filtered audit log as CSV, streamed; the export itself is audited."""
    filterset = AuditEventFilterSet(request.GET or None, queryset=AuditEvent.objects.all())
    return audit_events_csv_response(
        request=request, queryset=filterset.qs, target=request.GET.urlencode()
    )


def permission_denied_view(request, exception=None):
    """403 for every refused request: recorded, and polite to users who have no role yet."""
    user = request.user
    audit_event_record(
        request=request, action="access_denied", target=request.path[:255], outcome="denied"
    )
    has_no_role = user.is_authenticated and not user.is_superuser and not user.groups.exists()
    template = "accounts/no_access.html" if has_no_role else "accounts/forbidden.html"
    return render(request, template, status=403)
