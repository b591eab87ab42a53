"""The admin's "reset two-factor" action on users."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.audit import audit_event_record
from accounts.signals import user_sessions_end

__all__ = ["user_second_factors_reset"]


@admin.action(
    description=_("Reset two-factor authentication (the user sets it up again)"),
    permissions=["change"],
)
def user_second_factors_reset(modeladmin, request, queryset) -> None:
    """Delete the users' authenticator apps, passkeys and recovery codes and end their
    sessions: at the next sign-in the password is followed by setting up a new factor."""
    reset = 0
    for user in queryset:
        deleted, _by_model = Authenticator.objects.filter(user_id=user.pk).delete()
        user_sessions_end(user.pk)
        audit_event_record(
            request=request,
            action="mfa_reset",
            target=user.get_username(),
            detail={"factors_deleted": deleted},
        )
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
