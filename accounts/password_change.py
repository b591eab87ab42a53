"""Password change with wrong old passwords throttled (audit finding 5).

The login is protected by django-axes, but the password change form checks the old
password itself: without a limit, whoever holds a signed-in session (an unlocked screen, a
stolen cookie) can guess the password behind it, then lock its owner out. After
``AXES_FAILURE_LIMIT`` wrong old passwords the form refuses for ``AXES_COOLOFF_TIME``,
the same numbers as the login. The count lives in the cache, shared by every app server
when ``REDIS_URL`` is set. Every wrong guess, refusal and change is audited.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import PasswordChangeView
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from .audit import audit_event_record

__all__ = ["ThrottledPasswordChangeForm", "ThrottledPasswordChangeView"]

AUDIT_ACTION = "password_change"


def _failures_key(user) -> str:
    return f"password-change-failures:{user.pk}"


def _cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change form, refusing after too many wrong old passwords."""

    def __init__(self, user, *args, request=None, **kwargs) -> None:
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        key = _failures_key(self.user)
        if cache.get(key, 0) >= settings.AXES_FAILURE_LIMIT:
            audit_event_record(request=self.request, action=AUDIT_ACTION, outcome="denied")
            minutes = max(1, _cooloff_seconds() // 60)
            raise ValidationError(
                ngettext(
                    "Too many wrong passwords. Try again in %(minutes)d minute, or ask an "
                    "admin to set a new password.",
                    "Too many wrong passwords. Try again in %(minutes)d minutes, or ask an "
                    "admin to set a new password.",
                    minutes,
                ),
                code="throttled",
                params={"minutes": minutes},
            )
        try:
            return super().clean_old_password()
        except ValidationError:
            # add() starts the count with its expiry; incr() keeps that expiry.
            cache.add(key, 0, timeout=_cooloff_seconds())
            try:
                cache.incr(key)
            except ValueError:  # expired between the two calls
                cache.set(key, 1, timeout=_cooloff_seconds())
            audit_event_record(request=self.request, action=AUDIT_ACTION, outcome="failure")
            raise


class ThrottledPasswordChangeView(PasswordChangeView):
    """Django's password change view with ``ThrottledPasswordChangeForm``."""

    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        cache.delete(_failures_key(form.user))
        audit_event_record(request=self.request, action=AUDIT_ACTION)
        return super().form_valid(form)
