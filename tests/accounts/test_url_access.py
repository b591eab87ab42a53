"""Who may open which URL: walked from the URLconf, so views added later are covered too."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.signin.middleware import MFA_SETUP_URL_NAMES
from tests.accounts.conftest import PASSWORD, make_user
from tests.accounts.url_walk import urlconf_walk

pytestmark = pytest.mark.django_db

# Pages anyone may open without logging in (health endpoints come with the deployment issue).
# The single sign-on ones: "account inactive" and "sign-in cancelled" say only that; the
# provider's login and callback answer 404 for a provider id that is not configured.
PUBLIC_PATHS = {
    "/accounts/login",
    "/healthz",
    "/readyz",
    # The language switch: the login page has it.
    "/i18n/setlang",
    "/accounts/inactive",
    "/accounts/3rdparty/login/cancelled",
    "/accounts/oidc/1/login",
    "/accounts/oidc/1/login/callback",
}
# Logging out works the same logged in or not; Django may send an anonymous visitor to login.
LOGIN_OPTIONAL_PATHS = {"/accounts/logout", "/admin/logout"}
# The admin's login page only sends on to the dashboard's (the second factor included).
LOGIN_PAGES = ("/accounts/login/", "/admin/login/")

SETUP_PAGE = "/accounts/2fa/required/"
ROLES = ("none", "support", "finance", "admin")
EVERY_ROLE = set(ROLES)
# Which roles may use each named URL. A URL missing here fails the matrix test: whoever adds
# a view decides here who may see it.
ACCESS_BY_NAME = {
    "": EVERY_ROLE,  # the redirect to the customer list
    "password_change": EVERY_ROLE,
    "password_change_done": EVERY_ROLE,
    # Everyone manages their own second factors and may be asked to confirm it is them.
    "account_reauthenticate": EVERY_ROLE,
    "mfa_setup_required": EVERY_ROLE,
    "mfa_index": EVERY_ROLE,
    "mfa_authenticate": EVERY_ROLE,
    "mfa_reauthenticate": EVERY_ROLE,
    "mfa_activate_totp": EVERY_ROLE,
    "mfa_deactivate_totp": EVERY_ROLE,
    "mfa_view_recovery_codes": EVERY_ROLE,
    "mfa_generate_recovery_codes": EVERY_ROLE,
    "mfa_download_recovery_codes": EVERY_ROLE,
    "mfa_list_webauthn": EVERY_ROLE,
    "mfa_add_webauthn": EVERY_ROLE,
    "mfa_reauthenticate_webauthn": EVERY_ROLE,
    "mfa_remove_webauthn": EVERY_ROLE,
    "mfa_edit_webauthn": EVERY_ROLE,
    "socialaccount_login_error": EVERY_ROLE,
    "socialaccount_signup": EVERY_ROLE,
    "set_language": EVERY_ROLE,
    "customers:list": {"support", "finance", "admin"},
    "customers:find": {"support", "finance", "admin"},
    "customers:detail": {"support", "finance", "admin"},
    "customers:columns": {"support", "finance", "admin"},
    "customers:failed_bindings": {"finance", "admin"},
    "customers:failed_bindings_export": {"finance", "admin"},
    "customers:failed_bindings_trend_export": {"finance", "admin"},
    "customers:failed_binding_followup": {"finance", "admin"},
    "customers:binding_scan_progress": {"finance", "admin"},
    "customers:binding_scan_refresh": {"finance", "admin"},
    "digests:settings": {"finance", "admin"},
    "audit:list": {"admin"},
    "audit:export": {"admin"},
}
ADMIN_ONLY = {"admin"}


def _is_public(path: str) -> bool:
    return path.rstrip("/") in PUBLIC_PATHS


def _is_login_optional(path: str) -> bool:
    return path.rstrip("/") in LOGIN_OPTIONAL_PATHS


def _allowed_roles(walked) -> set[str] | None:
    if walked.path.startswith("/admin/"):
        return ADMIN_ONLY
    return ACCESS_BY_NAME.get(walked.name)


def test_every_route_in_the_urlconf_can_be_walked():
    walked, unresolvable = urlconf_walk()
    assert unresolvable == []
    assert {"/customers/", "/audit/", "/admin/"} <= {url.path for url in walked}


def test_anonymous_requests_to_every_url_go_to_login_except_public_ones(client):
    walked, _ = urlconf_walk()
    wrongly_open, wrongly_closed = [], []
    for url in walked:
        if _is_login_optional(url.path):
            continue
        response = client.get(url.path)
        sent_to_login = response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES)
        if _is_public(url.path) and sent_to_login:
            wrongly_closed.append(url.path)
        if not _is_public(url.path) and not sent_to_login:
            wrongly_open.append((url.path, response.status_code))
    assert wrongly_open == []
    assert wrongly_closed == []


def test_the_admin_signs_in_through_the_dashboards_login_page(client):
    response = client.get("/admin/login/?next=/admin/auth/user/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fauth%2Fuser%2F"


def test_every_non_public_url_has_an_access_rule():
    walked, _ = urlconf_walk()
    unclassified = [
        url.name
        for url in walked
        if not (_is_public(url.path) or _is_login_optional(url.path))
        and _allowed_roles(url) is None
    ]
    assert unclassified == [], "add these to ACCESS_BY_NAME in this file"


def _refused(response) -> bool:
    """403, or the admin sending a non-staff user to its own login page."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_role_by_view_matrix(role, role_users, live_sandbox):
    client = Client()
    client.force_login(role_users[role])
    walked, _ = urlconf_walk()
    mismatches = []
    for url in walked:
        allowed = _allowed_roles(url)
        if _is_public(url.path) or _is_login_optional(url.path) or allowed is None:
            continue
        response = client.get(url.path)
        if role in allowed and url.path.startswith("/admin/"):
            # Inside the admin, its own model permissions still apply: the audit log and
            # lockout records are read-only, so "add" and "delete" answer 403 even to Admin.
            ok = response.status_code != 500 and not (
                response.status_code == 302 and "/admin/login/" in response["Location"]
            )
        elif role in allowed:
            # None of these is a refusal: 400, a form view asked without its input (the jump
            # box with no query); 404, the walk's sample object id does not exist; 405, a
            # POST-only action answered a GET; 401, "single sign-on failed" opened directly.
            ok = response.status_code in (200, 302, 400, 401, 404, 405) and not _refused(response)
        else:
            ok = _refused(response)
        if not ok:
            mismatches.append((url.path, response.status_code))
    assert mismatches == [], mismatches


def test_a_user_without_a_role_is_asked_to_see_an_admin(client, role_users):
    client.force_login(role_users["none"])
    response = client.get("/customers/")
    assert response.status_code == 403
    assert b"ask an admin" in response.content


def test_a_support_user_refused_an_admin_page_gets_a_plain_refusal(client, role_users):
    client.force_login(role_users["support"])
    response = client.get("/audit/")
    assert response.status_code == 403
    assert b"not part of your role" in response.content


@pytest.mark.parametrize(
    "path",
    [
        "/admin/auth/user/",
        "/admin/auth/group/",
        "/admin/accounts/auditevent/",
        "/admin/axes/accessattempt/",
    ],
)
def test_admins_manage_users_groups_audit_log_and_lockouts_in_the_admin(path, role_users):
    client = Client()
    client.force_login(role_users["admin"])
    assert client.get(path).status_code == 200


def _after_the_password_only(username: str) -> Client:
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": username, "password": PASSWORD}, REMOTE_ADDR="10.0.8.1"
    )
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("role", ["finance", "admin"])
def test_no_url_opens_after_the_password_alone_when_a_code_is_due(role, role_users, live_sandbox):
    """Finance and Admin users have a factor: the password only leads to the code page."""
    client = _after_the_password_only(role_users[role].username)
    walked, _ = urlconf_walk()
    opened = []
    for url in walked:
        if _is_public(url.path) or _is_login_optional(url.path) or url.name == "mfa_authenticate":
            continue
        response = client.get(url.path)
        if not (response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES)):
            opened.append((url.path, response.status_code))
    assert opened == []


@pytest.mark.parametrize("role", ["Finance", "Admin"])
def test_no_url_but_the_factor_set_up_opens_before_a_required_factor_exists(role, live_sandbox, db):
    make_user("newcomer", role, second_factor=False)
    client = _after_the_password_only("newcomer")
    walked, _ = urlconf_walk()
    opened = []
    for url in walked:
        if _is_public(url.path) or _is_login_optional(url.path):
            continue
        response = client.get(url.path)
        sent_to_setup = response.status_code == 302 and response["Location"] == SETUP_PAGE
        if url.name in MFA_SETUP_URL_NAMES:
            if response.status_code >= 400 or sent_to_setup:
                opened.append((url.path, response.status_code, "set-up page refused"))
        elif not sent_to_setup:
            opened.append((url.path, response.status_code))
    assert opened == []
