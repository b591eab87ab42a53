from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", include("dashboard.health")),
    path("", RedirectView.as_view(pattern_name="customers:list", permanent=False)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("customers/", include("customers_app.urls")),
    path("admin/", admin.site.urls),
]
