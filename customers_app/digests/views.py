"""My notifications: each user chooses their own digest (off, every sync, daily)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.audit import audit_event_record
from customers_app.digests.forms import DigestSubscriptionForm
from customers_app.digests.tasks import daily_check_ensure_scheduled
from customers_app.digests.trend import trend_days_from, trend_get
from customers_app.models import DigestDelivery, DigestFrequency, DigestSubscription
from ui.exports import csv_lines

__all__ = ["notification_settings_view", "trend_export_view"]

_RECENT_DELIVERIES = 10


@require_http_methods(["GET", "POST"])
@permission_required("customers_app.view_failed_bindings", raise_exception=True)
def notification_settings_view(request):
    """Show and change the signed-in user's digest choice, with their latest digests."""
    subscription = DigestSubscription.objects.filter(
        user=request.user
    ).first() or DigestSubscription(user=request.user)
    # An empty POST is still a POST: bound, so it is refused with a message, not ignored.
    form = DigestSubscriptionForm(
        request.POST if request.method == "POST" else None, instance=subscription
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        if saved.frequency == DigestFrequency.DAILY:
            # Only enqueues the hourly check (if none waits yet); a worker sends the mails.
            daily_check_ensure_scheduled()
        audit_event_record(
            request=request,
            action="digest.subscription",
            target=f"user:{request.user.get_username()}",
            detail={"frequency": saved.frequency, "daily_hour": saved.daily_hour},
        )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("digests:settings")
    context = {
        "form": form,
        "has_email": bool(request.user.email),
        "deliveries": DigestDelivery.objects.filter(user=request.user)[:_RECENT_DELIVERIES],
    }
    return render(
        request,
        "customers_app/digests/notification_settings.html",
        context,
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET"])
@permission_required("customers_app.export_failed_bindings", raise_exception=True)
def trend_export_view(request):
    """The trend's figures (the table beside the chart) as CSV, for the chosen period."""
    days, _correction = trend_days_from(request.GET.get("trend_days"))
    trend = trend_get(days=days)
    header = [_("Sync"), _("Completed"), _("Failing"), _("Pending")]
    rows = [
        [str(sync.run_id), f"{timezone.localtime(sync.finished_at):%Y-%m-%d %H:%M}",
         str(sync.failing), str(sync.pending)]
        for sync in trend.syncs
    ]  # fmt: skip
    audit_event_record(
        request=request,
        action="failed_bindings.trend_export",
        detail={"days": days, "rows": len(rows)},
    )
    response = StreamingHttpResponse(
        csv_lines(iter([header, *rows])), content_type="text/csv; charset=utf-8"
    )
    filename = f"failed-bindings-trend-{days}d-{timezone.localtime():%Y%m%d-%H%M}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
