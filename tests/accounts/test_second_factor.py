"""Two-factor sign-in over HTTP: forced set-up for MFA_REQUIRED_ROLES, codes computed from
the secret the page shows, wrong codes locking like wrong passwords, one-time recovery
codes, the admin's reset, and the audit trail of all of it."""

from __future__ import annotations

import re

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client

from accounts.models import AuditEvent
from tests.accounts.conftest import PASSWORD, make_user, totp_secret_set

pytestmark = pytest.mark.django_db

REPORT = "/customers/failed-bindings/"
SETUP = "/accounts/2fa/required/"
CODE_PAGE = "/accounts/2fa/authenticate/"


def _password_step(client, username, password=PASSWORD, ip="10.0.7.1"):
    return client.post(
        "/accounts/login/", {"login": username, "password": password}, REMOTE_ADDR=ip
    )


def _code_step(client, code, ip="10.0.7.1"):
    return client.post(CODE_PAGE, {"code": code}, REMOTE_ADDR=ip)


def _secret_shown(page_html: str) -> str:
    """The secret as the set-up page prints it beside the QR code."""
    match = re.search(r'<code id="totp-secret"[^>]*>([A-Z2-7]+)</code>', page_html)
    assert match, "the set-up page shows no secret"
    return match.group(1)


def _next_time_window() -> None:
    """allauth refuses a code already used in its 30 s window (no replay). A later sign-in
    uses a later window; forgetting the used codes stands in for waiting."""
    cache.clear()


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_finance_users_first_sign_in_sets_up_an_app_then_reaches_the_report(
    client, django_capture_on_commit_callbacks
):
    make_user("mei", "Finance", second_factor=False)

    response = _password_step(client, "mei")
    assert response.status_code == 302
    # Nothing opens before the factor exists: not the report, its export, or the admin.
    for path in (REPORT, f"{REPORT}export/?format=csv", "/customers/", "/admin/", "/audit/"):
        refused = client.get(path)
        assert (refused.status_code, refused["Location"]) == (302, SETUP), path

    setup = client.get(SETUP)
    assert setup.status_code == 200
    assert b"/accounts/2fa/totp/activate/" in setup.content
    assert b"/accounts/2fa/webauthn/add/" in setup.content

    activate = client.get("/accounts/2fa/totp/activate/")
    assert activate.status_code == 200
    assert b'src="data:image/svg+xml;base64,' in activate.content  # the QR code
    secret = _secret_shown(activate.content.decode())

    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(type="totp").exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    recovery = client.get(done["Location"])
    assert recovery.status_code == 200
    codes = re.findall(r"<li>(\d{8})</li>", recovery.content.decode())
    assert len(codes) == 10

    assert client.get(REPORT).status_code == 200
    added = AuditEvent.objects.filter(action="mfa_factor_added", target="mei")
    assert sorted(event.detail["factor"] for event in added) == ["recovery_codes", "totp"]


def test_the_next_sign_in_asks_for_the_code_and_refuses_a_wrong_one(client):
    user = make_user("mei", "Finance", second_factor=False)
    secret = totp_secret_set(user)

    response = _password_step(client, "mei")
    assert (response.status_code, response["Location"]) == (302, CODE_PAGE)
    code_page = client.get(CODE_PAGE).content.decode()
    assert "authenticator app shows, or one of your recovery codes" in code_page
    assert "Use a passkey" not in code_page  # mei has no passkey to offer
    # The password alone opens nothing: the user is not signed in yet.
    assert SESSION_KEY not in client.session
    assert client.get(REPORT)["Location"].startswith("/accounts/login/")

    wrong = _code_step(client, "123456" if pyotp.TOTP(secret).now() != "123456" else "654321")
    assert wrong.status_code == 200
    assert b"Incorrect code" in wrong.content
    assert SESSION_KEY not in client.session
    failed = AuditEvent.objects.get(action="mfa_failed")
    assert (failed.username, failed.outcome, failed.detail) == (
        "mei",
        "failure",
        {"factor": "totp"},
    )

    right = _code_step(client, pyotp.TOTP(secret).now())
    assert right.status_code == 302
    assert client.get(REPORT).status_code == 200
    assert AuditEvent.objects.filter(action="login", outcome="success", target="mei").exists()


def test_wrong_codes_count_with_wrong_passwords_toward_the_same_lockout(client):
    user = make_user("mei", "Finance", second_factor=False)
    secret = totp_secret_set(user)
    ip = "10.0.7.9"
    for attempt in range(2):
        assert _password_step(client, "mei", f"wrong-{attempt}", ip=ip).status_code == 200
    assert _password_step(client, "mei", ip=ip)["Location"] == CODE_PAGE
    statuses = [_code_step(client, "000000", ip=ip).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert AuditEvent.objects.filter(action="lockout", target="mei").exists()

    # Locked means locked: neither the right code nor the right password gets in now.
    locked = _code_step(client, pyotp.TOTP(secret).now(), ip=ip)
    assert locked.status_code == 429
    assert b"Too many failed log-in attempts" in locked.content
    assert SESSION_KEY not in client.session
    assert _password_step(Client(), "mei", ip=ip).status_code == 429


def test_a_recovery_code_works_once(client):
    user = make_user("mei", "Finance", second_factor=False)
    totp_secret_set(user)
    code = RecoveryCodes.activate(user).get_unused_codes()[0]

    assert _password_step(client, "mei")["Location"] == CODE_PAGE
    assert _code_step(client, code).status_code == 302
    assert client.get(REPORT).status_code == 200
    used = AuditEvent.objects.get(action="mfa_recovery_code_used")
    assert (used.target, used.detail) == ("mei", {"factor": "recovery_codes"})

    client.post("/accounts/logout/")
    _next_time_window()
    assert _password_step(client, "mei")["Location"] == CODE_PAGE
    again = _code_step(client, code)
    assert again.status_code == 200
    assert b"Incorrect code" in again.content
    assert SESSION_KEY not in client.session


def test_an_admin_resets_a_users_factors_and_the_user_sets_one_up_again(client):
    admin = make_user("boss", "Admin")
    user = make_user("mei", "Finance")
    RecoveryCodes.activate(user)
    mei = Client()
    mei.force_login(user)
    assert mei.get(REPORT).status_code == 200

    client.force_login(admin)
    response = client.post(
        "/admin/auth/user/",
        {"action": "user_second_factors_reset", "_selected_action": [user.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Two-factor authentication was reset for 1 user." in response.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()
    reset = AuditEvent.objects.get(action="mfa_reset")
    assert (reset.username, reset.target) == ("boss", "mei")
    # Their session ended with the reset; the next sign-in goes to the set-up page.
    assert not any(
        str(session.get_decoded().get(SESSION_KEY)) == str(user.pk)
        for session in Session.objects.all()
    )
    assert mei.get(REPORT)["Location"].startswith("/accounts/login/")
    _password_step(mei, "mei")
    assert mei.get(REPORT)["Location"] == SETUP


def test_a_user_who_must_have_a_factor_cannot_remove_the_last_one(client):
    user = make_user("mei", "Finance")
    client.force_login(user)
    client.post("/accounts/2fa/totp/deactivate/")
    assert Authenticator.objects.filter(user=user, type="totp").exists()


def test_roles_outside_mfa_required_roles_sign_in_with_the_password_alone(client, settings):
    make_user("lam", "Support")
    assert _password_step(client, "lam")["Location"] == "/customers/"
    settings.MFA_REQUIRED_ROLES = []
    make_user("mei", "Finance", second_factor=False)
    other = Client()
    assert _password_step(other, "mei")["Location"] == "/customers/"
    assert other.get(REPORT).status_code == 200


def test_a_superuser_counts_as_admin(client):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", password=PASSWORD)
    _password_step(client, "root")
    assert client.get("/admin/")["Location"] == SETUP


def test_with_sso_on_only_break_glass_accounts_may_use_a_password(client, settings):
    settings.SSO_ENABLED = True
    settings.SSO_DISPLAY_NAME = "Okta"
    settings.SSO_PASSWORD_LOGIN_USERS = ["breakglass"]
    make_user("lam", "Support")
    make_user("breakglass", "Support")

    page = client.get("/accounts/login/")
    assert b"Sign in with Okta" in page.content
    refused = _password_step(client, "lam")
    assert refused.status_code == 200
    assert "Password sign-in is turned off for this account" in refused.content.decode()
    assert SESSION_KEY not in client.session
    denied = AuditEvent.objects.get(action="login", outcome="denied")
    assert denied.target == "lam"

    assert _password_step(client, "breakglass")["Location"] == "/customers/"


def test_the_reset_command_lets_a_locked_out_admin_set_up_a_new_factor(client):
    from django.core.management import call_command

    user = make_user("boss", "Admin")
    call_command("reset_second_factors", "boss")
    assert not Authenticator.objects.filter(user=user).exists()
    assert AuditEvent.objects.get(action="mfa_reset").username == "manage.py"
    _password_step(client, "boss")
    assert client.get("/admin/")["Location"] == SETUP


def test_the_demo_admin_is_told_what_comes_after_the_password(settings):
    from io import StringIO

    from django.core.management import call_command

    settings.WONDER_SANDBOX_MODE = True
    out = StringIO()
    call_command("ensure_demo_admin", stdout=out)
    assert "set up two-factor sign-in" in out.getvalue()
    assert "MFA_REQUIRED_ROLES= make run" in out.getvalue()
    settings.MFA_REQUIRED_ROLES = []
    out = StringIO()
    call_command("ensure_demo_admin", stdout=out)
    assert "not required for admins" in out.getvalue()


def test_authenticator_secrets_are_stored_encrypted(client):
    user = make_user("mei", "Finance", second_factor=False)
    secret = totp_secret_set(user)
    RecoveryCodes.activate(user)
    stored = {auth.type: auth.data for auth in Authenticator.objects.filter(user=user)}
    assert secret not in str(stored["totp"])
    assert "seed" in stored["recovery_codes"]
    # ...and still open: the code of the stored secret signs in.
    assert _password_step(client, "mei")["Location"] == CODE_PAGE
    assert _code_step(client, pyotp.TOTP(secret).now()).status_code == 302


def test_a_refused_passkey_is_audited_and_counts_toward_the_lockout(client):
    make_user("mei", "Finance")
    ip = "10.0.7.20"
    assert _password_step(client, "mei", ip=ip)["Location"] == CODE_PAGE
    forged = '{"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}}'
    statuses = [
        client.post(CODE_PAGE, {"credential": forged}, REMOTE_ADDR=ip).status_code for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    failed = AuditEvent.objects.filter(action="mfa_failed", target="mei")
    assert {event.detail["factor"] for event in failed} == {"webauthn"}
    assert SESSION_KEY not in client.session


def test_a_sensitive_change_asks_for_a_fresh_code_refused_when_wrong_or_locked_out(
    client, django_capture_on_commit_callbacks
):
    """Renewing recovery codes (or adding or removing a factor) asks for a fresh code first;
    a wrong one there is audited and counts toward the same lockout as at sign-in."""
    user = make_user("mei", "Finance", second_factor=False)
    secret = totp_secret_set(user)
    old_codes = RecoveryCodes.activate(user).get_unused_codes()
    ip = "10.0.7.11"
    assert _password_step(client, "mei", ip=ip)["Location"] == CODE_PAGE
    assert _code_step(client, pyotp.TOTP(secret).now(), ip=ip).status_code == 302
    _next_time_window()

    renew = "/accounts/2fa/recovery-codes/generate/"
    asked = client.get(renew, REMOTE_ADDR=ip)
    assert asked.status_code == 302
    # The password is asked for first, with the authenticator app as the alternative.
    confirm_page = client.get(asked["Location"], REMOTE_ADDR=ip).content.decode()
    assert 'name="password"' in confirm_page
    reauthenticate = re.search(r'href="(/accounts/2fa/reauthenticate/[^"]*)"', confirm_page)
    assert reauthenticate, "no authenticator app alternative offered"
    reauthenticate = reauthenticate.group(1).replace("&amp;", "&")
    wrong_code = "123456" if pyotp.TOTP(secret).now() != "123456" else "654321"
    wrong = client.post(reauthenticate, {"code": wrong_code}, REMOTE_ADDR=ip)
    assert wrong.status_code == 200
    assert b"Incorrect code" in wrong.content
    failed = AuditEvent.objects.get(action="mfa_failed")
    assert (failed.username, failed.detail) == ("mei", {"factor": "totp"})

    confirmed = client.post(reauthenticate, {"code": pyotp.TOTP(secret).now()}, REMOTE_ADDR=ip)
    assert (confirmed.status_code, confirmed["Location"]) == (302, renew)
    assert client.get(renew, REMOTE_ADDR=ip).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        renewed = client.post(renew, REMOTE_ADDR=ip, follow=True)
    new_codes = re.findall(r"<li>(\d{8})</li>", renewed.content.decode())
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    assert AuditEvent.objects.filter(action="mfa_recovery_codes_renewed", target="mei").exists()

    # Five wrong codes in all (one above) lock the account; then the right one is refused.
    # (No _next_time_window() here: with Redis as the cache it would forget the failures.)
    statuses = [
        client.post(reauthenticate, {"code": wrong_code}, REMOTE_ADDR=ip).status_code
        for _attempt in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert AuditEvent.objects.filter(action="lockout", target="mei").exists()
    locked = client.post(reauthenticate, {"code": pyotp.TOTP(secret).now()}, REMOTE_ADDR=ip)
    assert locked.status_code == 429
