"""Build the one Wonder client from Django settings.

Kept apart from ``client.py`` so the client itself never imports Django.
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from .breaker import BreakerConfig, CircuitBreaker
from .client import WonderClient, WonderConfig

__all__ = ["wonder_breaker", "wonder_client", "wonder_config_from_settings"]


def _private_key_pem() -> bytes:
    if settings.WONDER_PRIVATE_KEY:
        return settings.WONDER_PRIVATE_KEY.encode()
    path = settings.WONDER_PRIVATE_KEY_FILE
    if not path:
        raise ImproperlyConfigured(
            "WONDER_APP_ID is set but no private key is: set WONDER_PRIVATE_KEY_FILE "
            "(path to a PEM file) or WONDER_PRIVATE_KEY (the PEM text)."
        )
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        hint = (
            " Run `make run` (or `python manage.py wonder_dev_keys`) to create the development key."
            if settings.WONDER_SANDBOX_MODE
            else ""
        )
        raise ImproperlyConfigured(
            f"The Wonder private key file {path} cannot be read ({exc.strerror}).{hint}"
        ) from None


def wonder_config_from_settings() -> WonderConfig:
    """The client configuration; ``ImproperlyConfigured`` when a required setting is missing."""
    return WonderConfig(
        base_url=settings.WONDER_BASE_URL,
        app_id=settings.WONDER_APP_ID or settings.WONDER_SANDBOX_APP_ID,
        private_key_pem=_private_key_pem(),
        connect_timeout=settings.WONDER_CONNECT_TIMEOUT,
        read_timeout=settings.WONDER_READ_TIMEOUT,
        time_budget=settings.WONDER_TIME_BUDGET,
        max_retries=settings.WONDER_MAX_RETRIES,
        retry_backoff=settings.WONDER_RETRY_BACKOFF,
    )


@functools.cache
def wonder_breaker() -> CircuitBreaker:
    """The circuit breaker every Wonder call passes, its state in the shared Django cache."""
    return CircuitBreaker(
        cache,
        BreakerConfig(
            failure_threshold=max(1, settings.WONDER_BREAKER_FAILURES),
            cooldown_seconds=settings.WONDER_BREAKER_COOLDOWN,
            trial_timeout_seconds=settings.WONDER_TIME_BUDGET + 5,
        ),
    )


@functools.cache
def wonder_client() -> WonderClient:
    """The process-wide client (one connection pool per thread inside it)."""
    config = wonder_config_from_settings()
    try:
        return WonderClient(config, breaker=wonder_breaker())
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"The Wonder private key is not a usable RSA key: {exc}"
        ) from None


@receiver(setting_changed)
def _forget_client(*, setting: str, **kwargs) -> None:
    # Tests override WONDER_* settings; the next call must build a client from the new ones.
    if setting.startswith("WONDER_"):
        wonder_client.cache_clear()
        wonder_breaker.cache_clear()
