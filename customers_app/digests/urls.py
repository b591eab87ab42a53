from django.urls import path

from customers_app.digests import views

__all__ = ["app_name", "urlpatterns"]

app_name = "digests"
urlpatterns = [path("", views.notification_settings_view, name="settings")]
