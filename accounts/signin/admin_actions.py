"""Resetting a user's second factors: the admin's action on users, and the function the
``reset_second_factors`` command shares with it."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.audit import audit_event_record
from accounts.signals import user_sessions_end

__all__ = ["user_second_factors_delete", "user_second_factors_reset"]


def user_second_factors_delete(*, user, request=None, actor: str | None = None) -> int:
    """Delete the user's authenticator apps, passkeys and recovery codes and end their
    sessions, so the next sign-in is the password followed by setting up a new factor.
    Audited; returns how many factors were deleted."""
    deleted, _by_model = Authenticator.objects.filter(user_id=user.pk).delete()
    user_sessions_end(user.pk)
    audit_event_record(
        request=request,
        action="mfa_reset",
        target=user.get_username(),
        username=actor,
        detail={"factors_deleted": deleted},
    )
    return deleted


@admin.action(
    description=_("Reset two-factor authentication (the user sets it up again)"),
    permissions=["change"],
)
def user_second_factors_reset(modeladmin, request, queryset) -> None:
    reset = 0
    for user in queryset:
        user_second_factors_delete(user=user, request=request)
        reset += 1
    modeladmin.message_user(
        request,
        ngettext(
            "Two-factor authentication was reset for %(count)d user.",
            "Two-factor authentication was reset for %(count)d users.",
            reset,
        )
        % {"count": reset},
        messages.SUCCESS,
    )
