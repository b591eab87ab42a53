"""Template context for the header's language switch."""

from django.conf import settings

__all__ = ["language_choices"]


def language_choices(request) -> dict:
    """Each language with its name in that language ("English", "繁體中文"), as settings name
    them: Django's ``get_available_languages`` would translate the names ("英語")."""
    return {"language_choices": settings.LANGUAGES}
