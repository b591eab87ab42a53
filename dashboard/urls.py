from allauth.account import views as allauth_views
from allauth.account.decorators import secure_admin_login
from allauth.socialaccount import views as socialaccount_views
from allauth.socialaccount.providers.openid_connect import urls as openid_connect_urls
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from accounts.languages import language_switch_view
from accounts.password_change import ThrottledPasswordChangeView
from accounts.signin.views import mfa_setup_required_view

# Only the account pages the dashboard uses: no sign-up and no password reset by e-mail
# (there is no mail set up, and an admin resets passwords). Sign-in is allauth's, so the
# password is followed by the second factor; "login" and "logout" keep their old names.
account_patterns = [
    path("login/", allauth_views.login, name="login"),
    path("login/", allauth_views.login, name="account_login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("logout/", allauth_views.logout, name="account_logout"),
    path("inactive/", allauth_views.account_inactive, name="account_inactive"),
    path("reauthenticate/", allauth_views.reauthenticate, name="account_reauthenticate"),
    # Wrong old passwords are throttled like logins (accounts/password_change.py).
    path("password_change/", ThrottledPasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("2fa/required/", mfa_setup_required_view, name="mfa_setup_required"),
    path("2fa/", include("allauth.mfa.urls")),
    # Single sign-on: the provider's callback, and where a failed or cancelled one lands.
    # No "connections" page: an account is joined to the provider by signing in through
    # it, never by a user linking one to their local account.
    path(
        "3rdparty/login/cancelled/",
        socialaccount_views.login_cancelled,
        name="socialaccount_login_cancelled",
    ),
    path(
        "3rdparty/login/error/", socialaccount_views.login_error, name="socialaccount_login_error"
    ),
    path("3rdparty/signup/", socialaccount_views.signup, name="socialaccount_signup"),
    *openid_connect_urls.urlpatterns,
]

# Admins manage accounts and roles here: say whose admin it is, not "Django administration".
admin.site.site_header = _("Wonder customer dashboard: administration")
admin.site.site_title = _("Dashboard admin")
admin.site.index_title = _("Accounts, roles and reference data")
# "View site" goes to the dashboard itself.
admin.site.site_url = "/customers/"
# The admin's own login form would skip the second factor: send it to the dashboard's.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("dashboard.health")),
    path("", RedirectView.as_view(pattern_name="customers:list", permanent=False)),
    path("accounts/", include(account_patterns)),
    # The header's language switch (Django's set_language, plus the user's stored choice).
    path("i18n/setlang/", language_switch_view, name="set_language"),
    path("customers/", include("customers_app.urls")),
    path("audit/", include("accounts.urls")),
    path("notifications/", include("customers_app.digests.urls")),
    path("admin/", admin.site.urls),
]

# Every refusal is recorded, and a user without a role gets the "ask an admin" page.
handler403 = "accounts.views.permission_denied_view"
