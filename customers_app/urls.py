from django.urls import path

from customers_app.bindings import views as binding_views
from customers_app.browsing import views
from customers_app.digests import views as digest_views

__all__ = ["app_name", "urlpatterns"]

app_name = "customers"
# Fixed paths before the uuid catch-all, so "find" is never taken for a uuid.
urlpatterns = [
    path("", views.customer_list_view, name="list"),
    path(
        "failed-bindings/",
        binding_views.failed_binding_report_view,
        name="failed_bindings",
    ),
    path(
        "failed-bindings/export/",
        binding_views.failed_binding_export_view,
        name="failed_bindings_export",
    ),
    path(
        "failed-bindings/trend.csv",
        digest_views.trend_export_view,
        name="failed_bindings_trend_export",
    ),
    path(
        "failed-bindings/scan/",
        binding_views.binding_scan_refresh_view,
        name="binding_scan_refresh",
    ),
    path(
        "failed-bindings/scan/progress/",
        binding_views.binding_scan_progress_view,
        name="binding_scan_progress",
    ),
    path(
        "failed-bindings/<int:binding_id>/follow-up/",
        binding_views.failed_binding_followup_view,
        name="failed_binding_followup",
    ),
    path("find/", views.customer_find_view, name="find"),
    path("columns/", views.table_columns_view, name="columns"),
    path("<str:uuid>/", views.customer_detail_view, name="detail"),
]
