"""The sign-in forms: password (refused for non-break-glass users when SSO is on) and the
second-factor code (refused while django-axes has the username locked)."""

from __future__ import annotations

from allauth.account.forms import LoginForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import AuthenticateWebAuthnForm
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.audit import audit_event_record

from .policy import password_login_allowed

__all__ = [
    "DashboardLoginForm",
    "LockoutAwareAuthenticateForm",
    "LockoutAwareReauthenticateForm",
    "PasskeyAuthenticateForm",
]


class DashboardLoginForm(LoginForm):
    """allauth's username and password form; with SSO on, only break-glass accounts."""

    def clean(self):
        login = self.cleaned_data.get("login", "")
        if login and not password_login_allowed(login):
            audit_event_record(
                request=self.request,
                action="login",
                target=login[:150],
                outcome="denied",
                username=login[:150],
                detail={"reason": "password sign-in is limited to break-glass accounts"},
            )
            raise forms.ValidationError(
                _("Password sign-in is turned off for this account: use “Sign in with %(name)s”."),
                code="sso_required",
                params={"name": settings.SSO_DISPLAY_NAME},
            )
        return super().clean()


def _refuse_when_locked_out(user) -> None:
    """Refuse a code while the user's username is locked: django-axes counts wrong codes
    with wrong passwords (accounts/signin/receivers.py), so five of either lock both."""
    request = context.request
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        # AxesMiddleware turns the answer into the lockout page (429).
        request.axes_locked_out = True
        request.axes_credentials = credentials
        raise forms.ValidationError(_("Too many failed attempts."), code="locked_out")


class LockoutAwareAuthenticateForm(AuthenticateForm):
    """The code asked for after the password."""

    def clean_code(self) -> str:
        _refuse_when_locked_out(self.user)
        return super().clean_code()


class LockoutAwareReauthenticateForm(ReauthenticateForm):
    """The code asked for before a sensitive change (adding a passkey, say)."""

    def clean_code(self) -> str:
        _refuse_when_locked_out(self.user)
        return super().clean_code()


class PasskeyAuthenticateForm(AuthenticateWebAuthnForm):
    """allauth's passkey step: refused while locked out, a failed passkey audited and
    counted like a wrong code, and knowing whether the user has a passkey to offer at all."""

    def clean_credential(self) -> Authenticator:
        _refuse_when_locked_out(self.user)
        try:
            return super().clean_credential()
        except forms.ValidationError:
            # allauth sends no signal for a refused passkey (only for codes).
            from .receivers import second_factor_failure_record

            second_factor_failure_record(
                request=context.request, user=self.user, factor=Authenticator.Type.WEBAUTHN
            )
            raise

    @cached_property
    def has_passkeys(self) -> bool:
        return Authenticator.objects.filter(
            user_id=self.user.pk, type=Authenticator.Type.WEBAUTHN
        ).exists()
