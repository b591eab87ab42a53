"""Security headers, CSP, no-store, request ids, templates without inline script, deploy check."""

from __future__ import annotations

import re
import secrets
import uuid

import pytest

from tests.processes import PROJECT_ROOT, manage

pytestmark = pytest.mark.django_db


def test_csp_is_strict(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_security_headers_on_a_page(client):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_hsts_on_https_requests(client):
    response = client.get("/accounts/login/", secure=True)
    assert "max-age=31536000" in response["Strict-Transport-Security"]


def test_every_dashboard_response_is_no_store_even_redirects_and_refusals(client):
    assert "no-store" in client.get("/customers/")["Cache-Control"]  # redirect to login
    assert "no-store" in client.get("/accounts/logout/")["Cache-Control"]  # 405 for anonymous


def test_session_and_csrf_cookies_are_secure_and_http_only(client, django_user_model):
    login_page = client.get("/accounts/login/")
    csrf_cookie = login_page.cookies["csrftoken"]
    assert csrf_cookie["secure"] and csrf_cookie["httponly"]
    django_user_model.objects.create_user("cookie", password="a-long-test-password-9")
    response = client.post(
        "/accounts/login/", {"login": "cookie", "password": "a-long-test-password-9"}
    )
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["secure"] and session_cookie["httponly"]


def test_an_incoming_uuid_request_id_is_kept_and_anything_else_replaced(client):
    incoming = str(uuid.uuid4())
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"] == incoming
    hostile = "<script>x</script>\r\nSet-Cookie: a=b"
    replaced = client.get("/accounts/login/", HTTP_X_REQUEST_ID=hostile)["X-Request-ID"]
    assert str(uuid.UUID(replaced)) == replaced


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def test_no_template_has_inline_script_handlers_or_styles():
    """The CSP would block them in the browser; catch them here instead."""
    offenders = []
    for template in PROJECT_ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, INLINE_STYLE):
            if pattern.search(text):
                offenders.append(f"{template.relative_to(PROJECT_ROOT)}: {pattern.pattern}")
    assert offenders == []


def _manage(*args, **env_overrides):
    # Without the developer's own security settings: the production defaults are checked.
    return manage(*args, without=("SECURE_", "SESSION_", "CSRF_", "DEBUG"), **env_overrides)


def test_check_deploy_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="dashboard.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_off_refuses_the_development_secret_key():
    from django.conf import settings

    result = _manage(
        "check", DEBUG="false", SECRET_KEY=settings.DEVELOPMENT_SECRET_KEY, ALLOWED_HOSTS="x"
    )
    assert result.returncode != 0
    assert "development SECRET_KEY must not be used" in result.stderr
