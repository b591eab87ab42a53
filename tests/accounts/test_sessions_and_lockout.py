"""Login, lockout after repeated failures, idle and absolute session limits, logout."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.models import AuditEvent
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"login": username, "password": password}, REMOTE_ADDR=ip
    )


def test_login_and_a_failed_login_are_both_audited(client, role_users):
    assert b"Log in" in client.get("/accounts/login/").content
    assert _login(client, "support1", "wrong-password-1").status_code == 200
    response = _login(client, "support1", PASSWORD)
    assert response.status_code == 302
    events = list(AuditEvent.objects.order_by("id").values_list("action", "outcome", "target"))
    assert events == [("login", "failure", "support1"), ("login", "success", "support1")]
    assert AuditEvent.objects.filter(client_ip="10.0.0.1").count() == 2


def test_five_failures_lock_the_username_and_ip_pair_with_a_429_page(client, role_users):
    statuses = [_login(client, "support1", f"wrong-{n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    locked = _login(client, "support1", PASSWORD)
    assert locked.status_code == 429
    assert b"Too many failed log-in attempts" in locked.content
    assert AuditEvent.objects.filter(action="lockout", target="support1").exists()
    # The same username from another address is not locked: an attacker cannot lock a
    # colleague out of the office.
    assert _login(Client(), "support1", PASSWORD, ip="10.0.0.2").status_code == 302


def test_the_lockout_page_escapes_a_hostile_username(client, db):
    hostile = "<script>alert(1)</script>"
    for n in range(5):
        response = _login(client, hostile, f"wrong-{n}")
    assert response.status_code == 429
    assert b"<script>alert(1)</script>" not in response.content


def _age_session(client, **ages_in_seconds):
    session = client.session
    now = int(time.time())
    for key, age in ages_in_seconds.items():
        session[key] = now - age
    session.save()


def test_an_idle_session_ends_after_30_minutes(client, role_users):
    client.force_login(role_users["support"])
    _age_session(client, last_seen=29 * 60)
    assert client.get("/accounts/password_change/").status_code == 200
    _age_session(client, last_seen=31 * 60)
    response = client.get("/accounts/password_change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_busy_session_still_ends_after_12_hours(client, role_users):
    client.force_login(role_users["support"])
    _age_session(client, authenticated_at=12 * 3600 + 60, last_seen=10)
    response = client.get("/accounts/password_change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_idle_timeout_is_configurable(client, role_users, settings):
    settings.SESSION_IDLE_TIMEOUT = 120
    client.force_login(role_users["support"])
    _age_session(client, last_seen=180)
    assert client.get("/accounts/password_change/").status_code == 302


def test_deactivating_a_user_ends_their_sessions(client, role_users):
    user = role_users["support"]
    client.force_login(user)
    assert client.get("/accounts/password_change/").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/accounts/password_change/").status_code == 302


def test_logout_is_a_post(client, role_users):
    client.force_login(role_users["support"])
    # A GET only asks "Log out?" (allauth's confirmation page): a link or image elsewhere
    # cannot log anyone out.
    confirmation = client.get("/accounts/logout/")
    assert confirmation.status_code == 200
    assert b'method="post"' in confirmation.content
    assert client.get("/accounts/password_change/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/accounts/password_change/").status_code == 302


def test_deactivating_a_user_ends_their_sessions_and_no_one_elses(
    role_users, django_capture_on_commit_callbacks
):
    support, colleague = Client(), Client()
    # Addresses no other test uses: with Redis, axes' failure counts outlive a test.
    assert _login(support, "support1", PASSWORD, ip="10.0.9.1").status_code == 302
    assert _login(colleague, "norole", PASSWORD, ip="10.0.9.2").status_code == 302
    assert Session.objects.count() == 2

    user = get_user_model().objects.get(username="support1")
    with django_capture_on_commit_callbacks(execute=True):
        user.is_active = False
        user.save()

    assert Session.objects.count() == 1
    assert support.get("/customers/").status_code == 302  # back to the login page
    assert colleague.get("/customers/").status_code != 302
    with django_capture_on_commit_callbacks(execute=True):
        user.save()  # saving an already inactive user again ends nothing more
    assert Session.objects.count() == 1
