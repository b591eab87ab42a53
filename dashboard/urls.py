from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from accounts.languages import language_switch_view

# Only the account pages the dashboard uses: no password reset by e-mail (there is no mail
# set up, and an admin resets passwords).
account_patterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

# Admins manage accounts and roles here: say whose admin it is, not "Django administration".
admin.site.site_header = _("Wonder customer dashboard: administration")
admin.site.site_title = _("Dashboard admin")
admin.site.index_title = _("Accounts, roles and reference data")
# "View site" goes to the dashboard itself.
admin.site.site_url = "/customers/"

urlpatterns = [
    path("", include("dashboard.health")),
    path("", RedirectView.as_view(pattern_name="customers:list", permanent=False)),
    path("accounts/", include(account_patterns)),
    # The header's language switch (Django's set_language, plus the user's stored choice).
    path("i18n/setlang/", language_switch_view, name="set_language"),
    path("customers/", include("customers_app.urls")),
    path("audit/", include("accounts.urls")),
    path("admin/", admin.site.urls),
]

# Every refusal is recorded, and a user without a role gets the "ask an admin" page.
handler403 = "accounts.views.permission_denied_view"
