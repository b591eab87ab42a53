"""Receivers: audit logins, failures and lockouts; keep the Admin role complete; end a
deactivated user's sessions."""

from __future__ import annotations

import time
from importlib import import_module

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models.signals import post_migrate, pre_save
from django.dispatch import receiver
from django.utils import timezone

from accounts.audit import audit_event_record

from .languages import SESSION_LANGUAGE, user_language_get
from .roles import role_admin_permissions_sync

__all__ = ["user_sessions_end"]

# Session key holding when the user logged in, for the absolute session lifetime.
SESSION_AUTHENTICATED_AT = "authenticated_at"


@receiver(user_logged_in, dispatch_uid="accounts_audit_login")
def _login_recorded(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    request.session[SESSION_AUTHENTICATED_AT] = int(time.time())
    audit_event_record(request=request, action="login", target=user.get_username())


@receiver(user_logged_in, dispatch_uid="accounts_language_at_login")
def _language_applied_at_login(sender, request, user, **kwargs) -> None:
    """The language the user chose (on any device) from this login on."""
    if request is None:
        return
    chosen = user_language_get(user=user)
    if chosen:
        request.session[SESSION_LANGUAGE] = chosen


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


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_end_sessions")
def _deactivated_users_sessions_ended(sender, instance, **kwargs) -> None:
    """When an admin deactivates a user, delete that user's sessions once the change commits.

    Django already refuses an inactive user's session on its next request; deleting the
    sessions as well leaves nothing of them in the database or the session cache.
    """
    if instance.pk is None or instance.is_active:
        return
    was_active = get_user_model().objects.filter(pk=instance.pk, is_active=True).exists()
    if was_active:
        transaction.on_commit(lambda: user_sessions_end(instance.pk))


def user_sessions_end(user_pk: int) -> int:
    """Delete every unexpired session of one user (database and cache); returns how many.

    Sessions are not indexed by user, so each live one is decoded: fine for the few hundred
    sessions of an internal tool.
    """
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == str(user_pk):
            store_class(session_key=session.session_key).delete()
            ended += 1
    return ended
