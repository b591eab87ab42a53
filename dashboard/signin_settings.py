"""Sign-in settings: django-allauth (accounts, two-factor, single sign-on), read from the
environment once at start-up like every setting (imported by ``dashboard/settings.py``)."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

from dashboard.environment import env_bool, env_list

# Accounts are made by admins (create_user, the admin) or by single sign-on: no sign-up, no
# e-mail (there is no mail set up; an admin resets passwords).
ACCOUNT_ADAPTER = "accounts.signin.adapters.DashboardAccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.signin.adapters.DashboardSocialAccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.signin.forms.DashboardLoginForm"}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "/accounts/login/"
# Failed passwords are counted by django-axes (one lockout for passwords and second-factor
# codes alike, which admins can lift); allauth's own per-login limit would be a second,
# differently worded lockout.
ACCOUNT_RATE_LIMITS = {"login_failed": False}
MFA_ADAPTER = "accounts.signin.adapters.DashboardMFAAdapter"
MFA_FORMS = {
    "authenticate": "accounts.signin.forms.LockoutAwareAuthenticateForm",
    "reauthenticate": "accounts.signin.forms.LockoutAwareReauthenticateForm",
    "authenticate_webauthn": "accounts.signin.forms.PasskeyAuthenticateForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Wonder customer dashboard"
# Accept the code of the 30 s window before or after too: phone clocks drift, and a code
# typed at the end of its window arrives in the next one.
MFA_TOTP_TOLERANCE = 1
# Passkeys are a second factor here, not a way round the password. They need https, or
# http://localhost (not 127.0.0.1) in development and tests.
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_ROLE_NAMES = ("support", "finance", "admin")


# Roles whose users must have a second factor (authenticator app or passkey) to open any
# page. Superusers count as admin. Users who sign in through SSO are left to the provider.
MFA_REQUIRED_ROLES = [role.lower() for role in env_list("MFA_REQUIRED_ROLES", "admin,finance")]
_unknown_roles = sorted(set(MFA_REQUIRED_ROLES) - set(MFA_ROLE_NAMES))
if _unknown_roles:
    raise ImproperlyConfigured(
        f"MFA_REQUIRED_ROLES names unknown roles {_unknown_roles}; "
        f"use a comma-separated list of {', '.join(MFA_ROLE_NAMES)} (or leave it empty)."
    )

# Single sign-on over OpenID Connect, on when SSO_ISSUER_URL is set.
SSO_ISSUER_URL = os.environ.get("SSO_ISSUER_URL", "").strip().rstrip("/")
SSO_ENABLED = bool(SSO_ISSUER_URL)
_SSO_DISPLAY_NAME_SET = os.environ.get("SSO_DISPLAY_NAME", "").strip()
# Unset, the button says "single sign-on" in the page's language (lazy: read per request).
SSO_DISPLAY_NAME = _SSO_DISPLAY_NAME_SET or gettext_lazy("single sign-on")
SSO_GROUPS_CLAIM = os.environ.get("SSO_GROUPS_CLAIM", "").strip() or "groups"
SSO_SCOPES = env_list("SSO_SCOPES", "openid,profile,email")
# "idp-group=role,other-group=role": which provider group gives which dashboard role.
SSO_GROUP_ROLES: dict[str, str] = {}
for _pair in env_list("SSO_GROUP_ROLES", ""):
    _group, _, _role = _pair.rpartition("=")
    if not _group.strip() or _role.strip().lower() not in MFA_ROLE_NAMES:
        raise ImproperlyConfigured(
            f"SSO_GROUP_ROLES entry {_pair!r} must be group=role, the role one of "
            f"{', '.join(MFA_ROLE_NAMES)}."
        )
    SSO_GROUP_ROLES[_group.strip()] = _role.strip().lower()
# With SSO on, only these local accounts may still sign in with a password (break-glass).
SSO_PASSWORD_LOGIN_USERS = env_list("SSO_PASSWORD_LOGIN_USERS", "")
# Signing out of the dashboard signs an SSO user out at the provider too, where it has an
# end_session_endpoint (accounts/signin/provider_logout.py). "false" where signing out of
# one application must not end the user's provider session for all of them.
SSO_END_PROVIDER_SESSION = env_bool("SSO_END_PROVIDER_SESSION", True)
SOCIALACCOUNT_PROVIDERS: dict = {}
# The one single sign-on app's allauth provider_id: it is in the provider's callback URL
# (/accounts/oidc/sso/login/callback/) and the login page's form (account/login.html).
SSO_PROVIDER_ID = "sso"
SSO_FORM_ACTION_ORIGINS: list[str] = []
if SSO_ENABLED:
    _issuer = urlsplit(SSO_ISSUER_URL)
    if _issuer.scheme not in {"https", "http"} or not _issuer.netloc:
        raise ImproperlyConfigured(
            f"SSO_ISSUER_URL must be the provider's https URL, not {SSO_ISSUER_URL!r}."
        )
    SSO_FORM_ACTION_ORIGINS = [f"{_issuer.scheme}://{_issuer.netloc}"]
    _missing = [name for name in ("SSO_CLIENT_ID", "SSO_CLIENT_SECRET") if not os.environ.get(name)]
    if _missing:
        raise ImproperlyConfigured(f"SSO_ISSUER_URL is set, so {' and '.join(_missing)} must be.")
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "SCOPE": SSO_SCOPES,
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": SSO_PROVIDER_ID,
                "name": _SSO_DISPLAY_NAME_SET or "single sign-on",
                "client_id": os.environ["SSO_CLIENT_ID"],
                "secret": os.environ["SSO_CLIENT_SECRET"],
                "settings": {"server_url": SSO_ISSUER_URL},
            }
        ],
    }
# Users come from the provider as they are: no sign-up form in between, no e-mail sent, and
# an account is never joined to a local one by e-mail address (that would hand a local
# account to whoever controls that address at the provider).
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
