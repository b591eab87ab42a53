"""Template context every page needs."""

from django.conf import settings

__all__ = ["wonder_mode"]


def wonder_mode(request) -> dict:
    """Whether the data on screen comes from the embedded sandbox, for the page header."""
    return {"wonder_sandbox_mode": settings.WONDER_SANDBOX_MODE}
