"""What the login page needs to offer single sign-on."""

from __future__ import annotations

from django.conf import settings

__all__ = ["sign_in"]


def sign_in(request) -> dict:
    return {"sso_enabled": settings.SSO_ENABLED, "sso_display_name": settings.SSO_DISPLAY_NAME}
