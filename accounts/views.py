"""Account pages: the audit log and its export, the 403 and no-access pages."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.audit import audit_event_record
from ui.list_views import TableList

from .exports import AUDIT_TIE_BREAKER, audit_events_csv_response
from .filters import AuditEventFilterSet
from .models import AuditEvent
from .tables import AuditEventTable

__all__ = [
    "AUDIT_EVENT_LIST",
    "audit_event_export_view",
    "audit_event_list_view",
    "permission_denied_view",
]

# The audit log's list page: sort, paging and export come from ui.list_views.
AUDIT_EVENT_LIST = TableList(
    table_class=AuditEventTable,
    filterset_class=AuditEventFilterSet,
    rows=AuditEvent.objects.all,
    template="accounts/audit_event_list.html",
    per_page=50,
    tie_breaker=AUDIT_TIE_BREAKER,
)


def _filter_errors(filterset: AuditEventFilterSet) -> list[str]:
    """``["Outcome: Select a valid choice. ..."]``, one line per error, in form order."""
    form = filterset.form
    return [f"{field.label}: {error}" for field in form for error in field.errors]


@permission_required("accounts.view_auditevent", raise_exception=True)
def audit_event_list_view(request):
    """The audit log, filtered and paginated; bad filters and pages are said, not hidden."""
    listing = AUDIT_EVENT_LIST.listing(request)
    export_query = request.GET.copy()
    export_query.pop("page", None)
    context = {
        **listing.context(),
        "filter_errors": _filter_errors(listing.filterset),
        "export_query": export_query.urlencode(),
    }
    return AUDIT_EVENT_LIST.response(request, context)


@permission_required("accounts.export_auditevent", raise_exception=True)
def audit_event_export_view(request):
    """The filtered audit log as CSV, streamed, in the page's sort; the export is audited
    with its row count.

    Filters the page would ignore are refused here (400): ignoring them would export more
    events than were asked for, and a file cannot say which filter it left out.
    """
    filterset, table = AUDIT_EVENT_LIST.filtered_table(request)
    if not filterset.is_valid():
        lines = "\n".join(_filter_errors(filterset))
        message = _("Not exported: these filters are not valid, correct them first.")
        message = f"{message}\n{lines}\n"
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    return audit_events_csv_response(request=request, table=table, target=request.GET.urlencode())


def permission_denied_view(request, exception=None):
    """403 for every refused request: recorded, and polite to users who have no role yet."""
    user = request.user
    audit_event_record(
        request=request, action="access_denied", target=request.path[:255], outcome="denied"
    )
    has_no_role = user.is_authenticated and not user.is_superuser and not user.groups.exists()
    template = "accounts/no_access.html" if has_no_role else "accounts/forbidden.html"
    return render(request, template, status=403)
