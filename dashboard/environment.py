"""Reading settings from the environment: each variable once, at start-up, and a value
that cannot be read stops start-up with the variable's name instead of being guessed."""

import os

from django.core.exceptions import ImproperlyConfigured

__all__ = ["env_bool", "env_list", "env_number"]


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable; anything unrecognised is an error, not a guess."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_number(name: str, default: float, cast=float):
    """Read a numeric environment variable, failing at start-up with the variable's name."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return cast(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}.") from None


def env_list(name: str, default: str) -> list[str]:
    """A comma-separated environment variable as a list; set but empty means none."""
    raw = os.environ.get(name)
    return [item.strip() for item in (default if raw is None else raw).split(",") if item.strip()]
