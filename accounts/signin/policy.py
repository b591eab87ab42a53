"""Who needs a second factor, who may sign in with a password, and which role SSO gives.

Plain functions over settings and the user's groups, so the middleware, the forms, the
adapters and the admin ask the same questions and get the same answers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth.models import Group

from accounts.roles import ROLE_ADMIN, ROLE_FINANCE, ROLE_GROUP_NAMES, ROLE_SUPPORT

__all__ = [
    "SECOND_FACTOR_TYPES",
    "mfa_required_for",
    "password_login_allowed",
    "role_for_provider_groups",
    "user_has_second_factor",
    "user_role_names",
    "user_role_set",
    "user_signs_in_with_sso",
]

# Recovery codes alone are not a factor: they are the way back in when the factor is lost.
SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
# When several provider groups map to different roles, the user gets the strongest of them:
# being in the provider's admin group is what the provider's admins decided.
ROLE_STRENGTH = {"support": 1, "finance": 2, "admin": 3}
_GROUP_TO_ROLE = {group: role for role, group in ROLE_GROUP_NAMES.items()}
logger = logging.getLogger(__name__)


def user_role_names(user) -> set[str]:
    """The user's roles as ``create_user --role`` names; a superuser counts as admin."""
    group_names = user.groups.values_list("name", flat=True)
    names = {_GROUP_TO_ROLE[name] for name in group_names if name in _GROUP_TO_ROLE}
    if user.is_superuser:
        names.add("admin")
    return names


def user_signs_in_with_sso(user) -> bool:
    """True for accounts made by (or joined to) the identity provider."""
    return SocialAccount.objects.filter(user_id=user.pk).exists()


def user_has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES).exists()


def mfa_required_for(user) -> bool:
    """True when the user's role is in ``MFA_REQUIRED_ROLES`` and the dashboard, not an
    identity provider, checks their sign-in."""
    if not user.is_authenticated or not settings.MFA_REQUIRED_ROLES:
        return False
    if not user_role_names(user) & set(settings.MFA_REQUIRED_ROLES):
        return False
    return not user_signs_in_with_sso(user)


def password_login_allowed(username: str) -> bool:
    """With SSO on, only the named break-glass accounts may use a password."""
    if not settings.SSO_ENABLED:
        return True
    allowed = {name.casefold() for name in settings.SSO_PASSWORD_LOGIN_USERS}
    return username.strip().casefold() in allowed


def role_for_provider_groups(groups: Iterable[str]) -> str | None:
    """The strongest role any of the provider's groups maps to, or None."""
    mapping = settings.SSO_GROUP_ROLES
    roles = [mapping[group] for group in groups if group in mapping]
    return max(roles, key=ROLE_STRENGTH.__getitem__) if roles else None


def user_role_set(user, role: str | None) -> None:
    """Make ``role`` the user's only role group (None: no role); other groups stay.

    Admins get the Django admin (``is_staff``), as ``create_user`` gives it.
    """
    role_groups = Group.objects.filter(name__in=(ROLE_SUPPORT, ROLE_FINANCE, ROLE_ADMIN))
    user.groups.remove(*role_groups)
    if role is not None:
        group = Group.objects.filter(name=ROLE_GROUP_NAMES[role]).first()
        if group is None:
            # The role groups come from a data migration; without them the user gets the
            # "ask an admin" page rather than an error.
            logger.error("role group %s is missing: run manage.py migrate", ROLE_GROUP_NAMES[role])
            role = None
        else:
            user.groups.add(group)
    is_staff = role == "admin"
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
