from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_event_list_view, name="list"),
    path("export.csv", views.audit_event_export_view, name="export"),
]
