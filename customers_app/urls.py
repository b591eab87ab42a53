from django.urls import path

from . import views

__all__ = ["app_name", "urlpatterns"]

app_name = "customers"
# Fixed paths before the uuid catch-all, so "find" is never taken for a uuid.
urlpatterns = [
    path("", views.customer_list_view, name="list"),
    path("find/", views.customer_find_view, name="find"),
    path("columns/", views.table_columns_view, name="columns"),
    path("<str:uuid>/", views.customer_detail_view, name="detail"),
]
