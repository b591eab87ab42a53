"""Receivers: audit every factor added, removed, used as recovery or failed; count wrong
codes toward the password lockout; give SSO users the role their provider groups map to."""

from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from allauth.account.signals import user_logged_in as allauth_user_logged_in
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.dispatch import receiver

from accounts.audit import audit_event_record

from .policy import (
    mfa_required_for,
    role_for_provider_groups,
    user_has_second_factor,
    user_role_names,
    user_role_set,
)

__all__ = ["provider_groups", "second_factor_failure_record"]


def _factor_recorded(action: str, request, user, authenticator, outcome: str = "success"):
    audit_event_record(
        request=request,
        action=action,
        target=user.get_username(),
        outcome=outcome,
        username=user.get_username(),
        detail={"factor": authenticator.type},
    )


@receiver(mfa_signals.authenticator_added, dispatch_uid="accounts_mfa_added")
def _factor_added(sender, request, user, authenticator, **kwargs) -> None:
    _factor_recorded("mfa_factor_added", request, user, authenticator)


@receiver(mfa_signals.authenticator_removed, dispatch_uid="accounts_mfa_removed")
def _factor_removed(sender, request, user, authenticator, **kwargs) -> None:
    _factor_recorded("mfa_factor_removed", request, user, authenticator)


@receiver(mfa_signals.authenticator_reset, dispatch_uid="accounts_mfa_reset")
def _recovery_codes_renewed(sender, request, user, authenticator, **kwargs) -> None:
    _factor_recorded("mfa_recovery_codes_renewed", request, user, authenticator)


@receiver(mfa_signals.authenticator_used, dispatch_uid="accounts_mfa_used")
def _recovery_code_used(sender, request, user, authenticator, **kwargs) -> None:
    # An app code or a passkey is part of the login, which is recorded already; a recovery
    # code means the usual factor was not at hand, which an admin wants to see.
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        _factor_recorded("mfa_recovery_code_used", request, user, authenticator)


@receiver(mfa_signals.authentication_failed, dispatch_uid="accounts_mfa_failed")
def _code_failed(sender, request, user, authenticator, **kwargs) -> None:
    second_factor_failure_record(request=request, user=user, factor=authenticator.type)


def second_factor_failure_record(*, request, user, factor: str) -> None:
    """Audit a refused code or passkey, and count it with django-axes like a wrong password
    for this username and address: five of either, mixed, lock both. The handler is called
    directly, not through Django's user_login_failed signal, so the audit log does not also
    say "login failed"."""
    audit_event_record(
        request=request,
        action="mfa_failed",
        target=user.get_username(),
        outcome="failure",
        username=user.get_username(),
        detail={"factor": factor},
    )
    AxesProxyHandler.user_login_failed(
        Authenticator, credentials={"username": user.get_username()}, request=request
    )


@receiver(allauth_user_logged_in, dispatch_uid="accounts_mfa_setup_fresh_password")
def _password_counts_as_fresh_for_setup(sender, request, user, sociallogin=None, **kwargs):
    """A user sent straight from the password to set up a factor is not asked for the same
    password again: allauth asks for a fresh one before adding a factor, and only counts
    a "reauthentication" as fresh, so the password just typed is recorded as one."""
    if sociallogin is None and mfa_required_for(user) and not user_has_second_factor(user):
        record_authentication(request, user, method="password", reauthenticated=True)


def provider_groups(sociallogin) -> list[str]:
    """The groups claim of the sign-in, from the userinfo answer or the ID token."""
    data = sociallogin.account.extra_data or {}
    claim = settings.SSO_GROUPS_CLAIM
    for source in (data.get("userinfo") or {}, data.get("id_token") or {}, data):
        groups = source.get(claim)
        if isinstance(groups, str):
            return [groups]
        if isinstance(groups, list):
            return [str(group) for group in groups]
    return []


@receiver(allauth_user_logged_in, dispatch_uid="accounts_sso_role_sync")
def _sso_role_synced(sender, request, user, sociallogin=None, **kwargs) -> None:
    """At every SSO sign-in the role follows the provider's groups: a group change there
    applies here at the next sign-in, and groups that map to no role leave the user with
    none (the "ask an admin for access" page)."""
    if sociallogin is None:
        return
    groups = provider_groups(sociallogin)
    role = role_for_provider_groups(groups)
    before = sorted(user_role_names(user))
    user_role_set(user, role)
    after = [role] if role else []
    if before != after:
        audit_event_record(
            request=request,
            action="sso_role_set",
            target=user.get_username(),
            outcome="success" if role else "denied",
            detail={"provider_groups": groups[:20], "role": role or "", "previous": before},
        )
