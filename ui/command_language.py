"""Management commands that people read speak the language of their shell.

``LC_ALL`` / ``LC_MESSAGES`` / ``LANG`` (``zh_HK.UTF-8``, ``zh_TW.UTF-8``) choose the language
as a browser's ``Accept-Language`` does on the pages; ``C``, ``POSIX`` or an unsupported
language leave ``LANGUAGE_CODE`` (English).
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand
from django.utils import translation

__all__ = ["TranslatedCommand", "shell_language"]


def shell_language(environ=os.environ) -> str | None:
    """The dashboard language the shell's locale asks for, or None."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            break
    code = value.split(".", 1)[0].split("@", 1)[0].replace("_", "-")
    if not code or code in {"C", "POSIX"}:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


class TranslatedCommand(BaseCommand):
    """A ``BaseCommand`` whose messages and errors follow the shell's language."""

    def execute(self, *args, **options):
        language = shell_language()
        if language is None:
            return super().execute(*args, **options)
        with translation.override(language):
            return super().execute(*args, **options)
