"""Each user's language: chosen with the header's switch, kept, applied at every login.

Before login the language cookie (set by the switch) or the browser's ``Accept-Language``
decides (Django's ``LocaleMiddleware``). A logged-in user's choice is stored
(``UserLanguage``) and copied into the session at login, so it follows them to any device;
``UserLanguageMiddleware`` applies it and keeps the device's cookie in step, so the login
page after logging out speaks it too.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from .models import UserLanguage

__all__ = [
    "SESSION_LANGUAGE",
    "language_cookie_keep",
    "language_switch_view",
    "session_language_apply",
    "user_language_get",
    "user_language_save",
    "user_language_supported",
]

# Session key holding the logged-in user's stored language.
SESSION_LANGUAGE = "user_language"


def user_language_supported(code: str | None) -> str | None:
    """``code`` as one of ``settings.LANGUAGES`` (``zh-HK`` -> ``zh-hant``), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code, strict=True)
    except LookupError:
        return None


def user_language_get(*, user) -> str | None:
    """The language ``user`` chose, or None when they never chose one."""
    choice = UserLanguage.objects.filter(user=user).values_list("language_code", flat=True)
    return user_language_supported(choice.first())


def user_language_save(*, user, language_code: str) -> None:
    """Remember ``language_code`` (already checked) as ``user``'s language."""
    UserLanguage.objects.update_or_create(user=user, defaults={"language_code": language_code})


@login_not_required  # the login page has the switch too
@require_POST
def language_switch_view(request):
    """Django's ``set_language`` (cookie, then back to the page), and for a logged-in user
    the choice stored and applied to this session."""
    response = set_language(request)
    chosen = user_language_supported(request.POST.get("language"))
    if chosen and request.user.is_authenticated:
        user_language_save(user=request.user, language_code=chosen)
        request.session[SESSION_LANGUAGE] = chosen
    return response


def session_language_apply(request) -> str | None:
    """Activate the session's stored language, if any; returns it."""
    session = getattr(request, "session", None)
    chosen = user_language_supported(session.get(SESSION_LANGUAGE)) if session else None
    if chosen:
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen
    return chosen


def language_cookie_keep(request, response, language_code: str) -> None:
    """Set the device's language cookie to ``language_code`` if it says otherwise."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) == language_code:
        return
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language_code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
