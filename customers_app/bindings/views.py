"""The failed bindings report: list, scan progress, "Refresh now", follow-up and export.

Thin, like every view here: read input, call ``services``, render. The rows come from the
dashboard's database (filled by the scan), never from Wonder directly.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

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
from customers_app.bindings.tables import FAILED_BINDING_TABLE_KEY, FailedBindingTable
from customers_app.browsing.forms import FollowUpForm
from customers_app.column_choice import column_choice_get, column_chooser, columns_excluded
from customers_app.digests.trend import (
    TREND_DEFAULT_DAYS,
    TREND_PERIODS,
    trend_days_from,
    trend_get_cached,
)
from customers_app.models import FailedBinding
from customers_app.sync.runs import sync_enqueue, sync_expire_stale
from ui.exports import EXPORT_FORMATS
from ui.list_views import TableList

__all__ = [
    "FAILED_BINDING_LIST",
    "binding_scan_progress_view",
    "binding_scan_refresh_view",
    "failed_binding_export_view",
    "failed_binding_followup_view",
    "failed_binding_report_view",
]

_PROGRESS_TEMPLATE = "customers_app/bindings/_partials/binding_scan_progress.html"

# The report's list page: columns, sort, paging, htmx and export all come from ui.list_views.
FAILED_BINDING_LIST = TableList(
    table_class=FailedBindingTable,
    filterset_class=FailedBindingFilterSet,
    rows=failed_binding_queryset,
    template="customers_app/bindings/failed_bindings.html",
    fragment_template="customers_app/bindings/_partials/failed_binding_table.html",
    fragment_target="binding-table",
    per_page=50,
    export_title=gettext_lazy("Failed bindings"),
)


def _filters_for_record(request) -> dict[str, str]:
    """The query as given, trimmed: recorded with exports and in the audit trail."""
    return {key: value[:200] for key, value in request.GET.items() if value and key != "page"}


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


def _current_status():
    """The report's sync status, after failing any sync whose worker died (a cheap read
    unless one did), so the page says why instead of "running" for ever."""
    sync_expire_stale()
    return report_status_get()


def _auto_refresh(status) -> object:
    """Queue a sync for the workers when the report is too old (and none is active).

    Only queued: no sync work runs in a web process."""
    if settings.SYNC_MAX_AGE_SECONDS <= 0 or status.running is not None:
        return status
    if not status.is_stale:
        return status
    sync_enqueue(trigger="automatic")
    return report_status_get()


def _trend_context(request) -> dict:
    """The trend of the period asked for (``trend_days``), and links to the other periods
    that keep the page's filters."""
    days, correction = trend_days_from(request.GET.get("trend_days"))
    periods = []
    for period in TREND_PERIODS:
        query = request.GET.copy()
        query["trend_days"] = str(period)
        query.pop("page", None)
        periods.append({"days": period, "query": query.urlencode(), "current": period == days})
    return {
        "trend": trend_get_cached(days=days),
        "trend_days": days,
        # Kept in the filter form's URLs only when chosen: default URLs stay short.
        "trend_days_chosen": days if days != TREND_DEFAULT_DAYS else None,
        "trend_periods": periods,
        "trend_correction": correction,
    }


@require_GET
@permission_required("customers_app.view_failed_bindings", raise_exception=True)
def failed_binding_report_view(request):
    """The report: scan status, summary charts, filters and the table of failing bindings."""
    status = _auto_refresh(_current_status())
    shown, column_form = column_chooser(
        request=request, table_class=FailedBindingTable, table_key=FAILED_BINDING_TABLE_KEY
    )
    listing = FAILED_BINDING_LIST.listing(
        request, columns_excluded=columns_excluded(FailedBindingTable, shown)
    )
    audit_event_record(
        request=request,
        action="failed_bindings.view",
        detail={"filters": _filters_for_record(request), "rows": listing.table.paginator.count},
    )
    context = {
        **listing.context(),
        "column_form": column_form,
        "status": status,
        "export_cap": settings.BINDING_EXPORT_MAX_ROWS,
    }
    return FAILED_BINDING_LIST.response(
        request,
        context,
        page_context=lambda: {
            "summary": failed_binding_summary(status=status),
            **_trend_context(request),
        },
    )


@require_GET
@permission_required("customers_app.view_failed_bindings", raise_exception=True)
def binding_scan_progress_view(request):
    """The progress partial HTMX polls while a sync runs; reloads the page when it ends."""
    status = _current_status()
    response = render(request, _PROGRESS_TEMPLATE, {"status": status})
    watched = request.GET.get("watching", "")
    if status.running is None and watched.isdigit():
        # The scan this page was watching has ended: show its result.
        response["HX-Refresh"] = "true"
    return response


@permission_required("customers_app.run_binding_scan", raise_exception=True)
@require_POST
def binding_scan_refresh_view(request):
    """Queue a sync for the workers, or join the active one; nothing is fetched here."""
    run, started = sync_enqueue(trigger="button", requested_by=request.user)
    audit_event_record(
        request=request,
        action="failed_bindings.scan",
        target=f"scan:{run.pk}",
        detail={"joined_running_scan": not started},
    )
    if started:
        # Said with its time: a sync can fail before the page this redirects to is drawn,
        # and "queued" beside "the latest sync failed" must read as one story.
        messages.info(
            request,
            _("Sync queued at %(time)s for the workers. The report updates when it has finished.")
            % {"time": f"{timezone.localtime(run.started_at):%H:%M:%S}"},
        )
    elif run.is_queued:
        messages.info(request, _("A sync is already waiting for a worker; this page follows it."))
    else:
        messages.info(request, _("A sync is already running; this page follows its progress."))
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
    table, size = FAILED_BINDING_LIST.export_table(
        request,
        columns_excluded=columns_excluded(FailedBindingTable, shown),
        cap=settings.BINDING_EXPORT_MAX_ROWS,
    )
    filters = _filters_for_record(request)
    binding_export_record(
        user=request.user,
        file_format=file_format,
        filters=filters,
        row_count=size.rows,
        truncated=size.truncated,
    )
    audit_event_record(
        request=request,
        action="failed_bindings.export",
        detail={"format": file_format, "filters": filters, "rows": size.rows},
    )
    filename = f"failed-bindings-{timezone.localtime():%Y%m%d-%H%M}.{file_format}"
    return FAILED_BINDING_LIST.export_response(
        table, size=size, file_format=file_format, filename=filename
    )
