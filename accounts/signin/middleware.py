"""Send users who must have a second factor, and have none, to set one up first."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from .policy import mfa_required_for, user_has_second_factor

__all__ = ["MFA_SETUP_URL_NAMES", "MfaSetupRequiredMiddleware"]

# What such a user may still open: the set-up pages themselves, signing out, and the
# re-authentication allauth may ask for before a factor is added.
MFA_SETUP_URL_NAMES = frozenset(
    {
        "mfa_setup_required",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "logout",
        "healthz",
        "readyz",
    }
)


class MfaSetupRequiredMiddleware:
    """Placed after authentication: every other page, /admin/ included, redirects to the
    set-up page until the user has an authenticator app or a passkey."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not self._is_setup_page(request.path_info):
            # The factor first: one query answers it for everyone who has one.
            if not user_has_second_factor(user) and mfa_required_for(user):
                return redirect("mfa_setup_required")
        return self.get_response(request)

    @staticmethod
    def _is_setup_page(path: str) -> bool:
        try:
            return resolve(path).url_name in MFA_SETUP_URL_NAMES
        except Resolver404:
            return False
