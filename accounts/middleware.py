"""Request id, session lifetime and no-store middleware."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils.cache import add_never_cache_headers

from .languages import language_cookie_keep, session_language_apply
from .request_context import request_id_from_header, request_id_var, username_var
from .signals import SESSION_AUTHENTICATED_AT

__all__ = [
    "NoStoreMiddleware",
    "RequestIdMiddleware",
    "SessionLifetimeMiddleware",
    "UserLanguageMiddleware",
]

SESSION_LAST_SEEN = "last_seen"
# Saving the session on every request would write the database on every page; a minute's
# precision is plenty for a 30-minute idle timeout.
LAST_SEEN_RESOLUTION_SECONDS = 60


class RequestIdMiddleware:
    """Give each request an id: ``request.request_id``, the response header, every log line."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_from_header(request.headers.get("X-Request-ID"))
        id_token = request_id_var.set(request.request_id)
        user_token = username_var.set("-")
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(id_token)
            username_var.reset(user_token)
        response["X-Request-ID"] = request.request_id
        return response

    def process_view(self, request, view_func, view_args, view_kwargs) -> None:
        """Name the user in log lines; by now authentication middleware has run."""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            username_var.set(user.get_username())


class SessionLifetimeMiddleware:
    """Log out after ``SESSION_IDLE_TIMEOUT`` idle seconds or ``SESSION_ABSOLUTE_LIFETIME``.

    Must come after AuthenticationMiddleware and before LoginRequiredMiddleware, which then
    sends the now anonymous request to the login page.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            authenticated_at = session.setdefault(SESSION_AUTHENTICATED_AT, now)
            last_seen = session.get(SESSION_LAST_SEEN, now)
            if (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - authenticated_at > settings.SESSION_ABSOLUTE_LIFETIME
            ):
                logout(request)
            elif (
                now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS or SESSION_LAST_SEEN not in session
            ):
                session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response: pages hold personal data.

    Placed after WhiteNoise, which answers static files before this runs, so they stay
    cacheable.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class UserLanguageMiddleware:
    """A logged-in user's stored language (copied into the session at login) over the
    cookie and the browser's; the device's cookie follows it, so after logging out the
    login page still speaks it. Users who never chose are left to ``LocaleMiddleware``."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        chosen = session_language_apply(request)
        response = self.get_response(request)
        if chosen:
            language_cookie_keep(request, response, chosen)
        return response
