"""Receivers: audit logins, failures and lockouts; keep the Admin role complete."""

from __future__ import annotations

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from customers_app.audit import audit_event_record

from .roles import role_admin_permissions_sync

__all__: list[str] = []

# Session key holding when the user logged in, for the absolute session lifetime.
SESSION_AUTHENTICATED_AT = "authenticated_at"


@receiver(user_logged_in, dispatch_uid="accounts_audit_login")
def _login_recorded(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    request.session[SESSION_AUTHENTICATED_AT] = int(time.time())
    audit_event_record(request=request, action="login", target=user.get_username())


@receiver(user_login_failed, dispatch_uid="accounts_audit_login_failed")
def _login_failure_recorded(sender, credentials, request=None, **kwargs) -> None:
    # Django has already replaced the password in ``credentials`` with stars; only the
    # username is kept anyway.
    username = str(credentials.get("username", ""))[:150]
    audit_event_record(
        request=request, action="login", target=username, outcome="failure", username=username
    )


@receiver(user_locked_out, dispatch_uid="accounts_audit_lockout")
def _lockout_recorded(sender, request, username=None, ip_address=None, **kwargs) -> None:
    audit_event_record(
        request=request,
        action="lockout",
        target=str(username or "")[:150],
        outcome="denied",
        username=str(username or ""),
    )


@receiver(post_migrate, dispatch_uid="accounts_admin_role_sync")
def _admin_role_synced(sender, **kwargs) -> None:
    # Runs once per migrated app; the permissions of every app exist by the last call.
    role_admin_permissions_sync()
