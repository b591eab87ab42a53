"""The failed bindings report: list, scan progress, "Refresh now", follow-up and export.

Thin, like every view here: read input, call ``services``, render. The rows come from the
dashboard's database (filled by the scan), never from Wonder directly.
"""

from __future__ import annotations

import itertools
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tables2 import RequestConfig

from accounts.audit import audit_event_record
from customers_app.bindings.filters import FailedBindingFilterSet
from customers_app.bindings.report import (
    binding_export_record,
    failed_binding_get,
    failed_binding_queryset,
    failed_binding_summary,
    followup_update,
    report_status_get,
)
from customers_app.bindings.scan import binding_scan_start_in_background
from customers_app.bindings.tables import FAILED_BINDING_TABLE_KEY, FailedBindingTable
from customers_app.browsing.forms import FollowUpForm
from customers_app.column_choice import column_choice_get, column_chooser, columns_excluded
from customers_app.models import FailedBinding
from ui.corrections import paginate_or_correct
from ui.exports import EXPORT_FORMATS, csv_lines, table_rows, xlsx_bytes

__all__ = [
    "binding_scan_progress_view",
    "binding_scan_refresh_view",
    "failed_binding_export_view",
    "failed_binding_followup_view",
    "failed_binding_report_view",
]

PER_PAGE = 50
_PROGRESS_TEMPLATE = "customers_app/bindings/_partials/binding_scan_progress.html"


def _filters_for_record(request) -> dict[str, str]:
    """The query as given, trimmed: recorded with exports and in the audit trail."""
    return {key: value[:200] for key, value in request.GET.items() if value and key != "page"}


def _filtered_table(request, *, shown) -> tuple[FailedBindingFilterSet, FailedBindingTable]:
    """The filter set and the sorted (not yet paged) table of the ``shown`` columns.

    The export builds on this table too, so it writes the columns the user sees, in order.
    """
    filterset = FailedBindingFilterSet(request.GET, queryset=failed_binding_queryset())
    table = FailedBindingTable(filterset.qs, exclude=columns_excluded(FailedBindingTable, shown))
    RequestConfig(request, paginate=False).configure(table)
    if table.order_by:
        # A tie-breaker on every sort: otherwise rows that tie come back in a different
        # order per query, which skips or repeats rows from page to page.
        queryset = table.data.data
        table.data.data = queryset.order_by(*queryset.query.order_by, "pk")
    return filterset, table


def _report_url_to_return_to(request) -> str:
    """The report page (with its filters, sort and page) a follow-up link came from, or the
    plain report. Only a path on the report itself is accepted: ``next`` is user input."""
    report = reverse("customers:failed_bindings")
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    on_this_site = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if on_this_site and urlsplit(wanted).path == report:
        return wanted
    return report


def _auto_refresh(status) -> object:
    """Start a background scan when the report is too old (and none is running)."""
    if settings.BINDING_SCAN_MAX_AGE_SECONDS <= 0 or status.running is not None:
        return status
    if not status.is_stale:
        return status
    binding_scan_start_in_background(trigger="automatic")
    return report_status_get()


@require_GET
@permission_required("customers_app.view_failed_bindings", raise_exception=True)
def failed_binding_report_view(request):
    """The report: scan status, summary charts, filters and the table of failing bindings."""
    status = _auto_refresh(report_status_get())
    shown, column_form = column_chooser(
        request=request, table_class=FailedBindingTable, table_key=FAILED_BINDING_TABLE_KEY
    )
    filterset, table = _filtered_table(request, shown=shown)
    corrections = paginate_or_correct(table, page=request.GET.get("page"), per_page=PER_PAGE)
    audit_event_record(
        request=request,
        action="failed_bindings.view",
        detail={"filters": _filters_for_record(request), "rows": table.paginator.count},
    )
    context = {
        "filterset": filterset,
        "table": table,
        "column_form": column_form,
        "corrections": corrections,
        "status": status,
        "export_cap": settings.BINDING_EXPORT_MAX_ROWS,
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "binding-table":
        return render(
            request, "customers_app/bindings/_partials/failed_binding_table.html", context
        )
    context["summary"] = failed_binding_summary(status=status)
    return render(request, "customers_app/bindings/failed_bindings.html", context)


@require_GET
@permission_required("customers_app.view_failed_bindings", raise_exception=True)
def binding_scan_progress_view(request):
    """The progress partial HTMX polls while a scan runs; reloads the page when it ends."""
    status = report_status_get()
    response = render(request, _PROGRESS_TEMPLATE, {"status": status})
    watched = request.GET.get("watching", "")
    if status.running is None and watched.isdigit():
        # The scan this page was watching has ended: show its result.
        response["HX-Refresh"] = "true"
    return response


@permission_required("customers_app.run_binding_scan", raise_exception=True)
@require_POST
def binding_scan_refresh_view(request):
    """Start a scan in the background, or join the one already running."""
    run, started = binding_scan_start_in_background(trigger="button")
    audit_event_record(
        request=request,
        action="failed_bindings.scan",
        target=f"scan:{run.pk}",
        detail={"joined_running_scan": not started},
    )
    if started:
        # Said with its time: a scan can fail before the page this redirects to is drawn,
        # and "started" beside "the latest scan failed" must read as one story.
        messages.info(
            request,
            _("Scan started at %(time)s. The report updates when it has finished.")
            % {"time": f"{timezone.localtime(run.started_at):%H:%M:%S}"},
        )
    else:
        messages.info(request, _("A scan is already running; this page follows its progress."))
    return redirect("customers:failed_bindings")


@permission_required("customers_app.change_followup", raise_exception=True)
@require_http_methods(["GET", "POST"])
def failed_binding_followup_view(request, binding_id: int):
    """Show one failure with its follow-up history, and change its follow-up."""
    try:
        binding = failed_binding_get(binding_id=binding_id)
    except FailedBinding.DoesNotExist:
        raise Http404("No such failed binding.") from None
    back_url = _report_url_to_return_to(request)
    form = FollowUpForm(
        request.POST or None,
        initial={"status": binding.followup_status, "note": binding.followup_note},
    )
    if request.method == "POST" and form.is_valid():
        change = followup_update(
            binding=binding,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            user=request.user,
        )
        if change is None:
            messages.info(
                request,
                _("Nothing changed for %(reference)s.") % {"reference": binding.reference_number},
            )
            return redirect(back_url)
        if change.note != form.cleaned_data["note"]:
            messages.warning(
                request,
                _(
                    "A card number in the note was masked: only its first 6 and last 4 digits "
                    "are kept."
                ),
            )
        audit_event_record(
            request=request,
            action="failed_bindings.followup",
            target=f"customer:{binding.uuid}",
            detail={"status": form.cleaned_data["status"]},
        )
        messages.success(
            request,
            _("Follow-up of %(reference)s saved.") % {"reference": binding.reference_number},
        )
        return redirect(back_url)
    audit_event_record(
        request=request, action="failed_bindings.view_one", target=f"customer:{binding.uuid}"
    )
    context = {
        "binding": binding,
        "form": form,
        "changes": binding.changes.all()[:50],
        "back_url": back_url,
    }
    return render(
        request,
        "customers_app/bindings/failed_binding_followup.html",
        context,
        status=400 if form.errors else 200,
    )


@require_GET
@permission_required("customers_app.export_failed_bindings", raise_exception=True)
def failed_binding_export_view(request):
    """The filtered rows as CSV (streamed) or XLSX, capped at BINDING_EXPORT_MAX_ROWS."""
    file_format = request.GET.get("export", "")
    if file_format not in EXPORT_FORMATS:
        return HttpResponseBadRequest(_("Choose an export format: csv or xlsx."))
    shown = column_choice_get(
        user=request.user, table_class=FailedBindingTable, table_key=FAILED_BINDING_TABLE_KEY
    )
    _filterset, table = _filtered_table(request, shown=shown)
    cap = settings.BINDING_EXPORT_MAX_ROWS
    matching = table.data.data.count()
    truncated = matching > cap
    if truncated:
        table.data.data = table.data.data[:cap]
    row_count = min(matching, cap)
    filters = _filters_for_record(request)
    binding_export_record(
        user=request.user,
        file_format=file_format,
        filters=filters,
        row_count=row_count,
        truncated=truncated,
    )
    audit_event_record(
        request=request,
        action="failed_bindings.export",
        detail={"format": file_format, "filters": filters, "rows": row_count},
    )
    filename = f"failed-bindings-{timezone.localtime():%Y%m%d-%H%M}.{file_format}"
    rows = table_rows(table)
    if truncated:
        notice = _(
            "Export stopped at %(rows)s of %(matching)s rows: narrow the filters for the rest."
        ) % {"rows": f"{row_count:,}", "matching": f"{matching:,}"}
        rows = itertools.chain(rows, [[notice]])
    if file_format == "csv":
        response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            xlsx_bytes(rows, title=_("Failed bindings")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if truncated:
        # Said in a header (and on the page's export link) so nobody mistakes it for everything.
        response["X-Export-Truncated"] = f"{row_count} of {matching} rows"
    return response
