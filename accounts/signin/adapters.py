"""allauth adapters: no sign-up, SSO users made from the provider, factors kept."""

from __future__ import annotations

import base64

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .policy import SECOND_FACTOR_TYPES, mfa_required_for
from .provider_logout import provider_logout_url

__all__ = ["DashboardAccountAdapter", "DashboardMFAAdapter", "DashboardSocialAccountAdapter"]


class DashboardAccountAdapter(DefaultAccountAdapter):
    """Accounts are made by admins (``create_user``, the admin) or by single sign-on."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Django's wording, which the dashboard has always shown (and Django translates).
        "username_password_mismatch": _(
            "Please enter a correct username and password. Note that both fields may be "
            "case-sensitive."
        ),
    }

    def is_open_for_signup(self, request) -> bool:
        return False

    def add_message(self, *args, **kwargs) -> None:
        """No "Successfully signed in" notes: the dashboard's pages say what matters, and
        a queued note would pop up later on an unrelated page."""

    def get_logout_redirect_url(self, request) -> str:
        """Called before the session ends: a user who came through single sign-on goes on
        to sign out at the provider too, and comes back to the login page."""
        login_page = super().get_logout_redirect_url(request)
        return provider_logout_url(request, then=login_page) or login_page


class DashboardSocialAccountAdapter(DefaultSocialAccountAdapter):
    """The identity provider may create users: that is what single sign-on is for. Their
    role comes from the provider's groups (accounts/signin/receivers.py)."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return True

    def pre_social_login(self, request, sociallogin: SocialLogin) -> None:
        """Refuse linking a provider identity to a signed-in local account: it would hand
        that account to the identity and drop its own second factor."""
        if sociallogin.state.get("process") == "connect":
            raise PermissionDenied


def _secrets_cipher() -> MultiFernet:
    """Fernet keys derived from SECRET_KEY (then each of SECRET_KEY_FALLBACKS, so secrets
    stored before a key rotation still open)."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(
                        "accounts.signin.second-factor-secrets", "", secret=key, algorithm="sha256"
                    ).digest()
                )
            )
            for key in keys
        ]
    )


class DashboardMFAAdapter(DefaultMFAAdapter):
    """TOTP labelled with the username; secrets encrypted at rest; a user who must have a
    factor keeps their last one."""

    def encrypt(self, text: str) -> str:
        """Authenticator-app secrets and the recovery codes' seed are stored encrypted: a
        copy of the database alone does not yield anyone's codes."""
        return _secrets_cipher().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return _secrets_cipher().decrypt(encrypted_text.encode()).decode()

    def get_totp_label(self, user) -> str:
        return user.get_username()

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        user = authenticator.user
        if authenticator.type not in SECOND_FACTOR_TYPES or not mfa_required_for(user):
            return True
        others = Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES)
        return others.exclude(pk=authenticator.pk).exists()
