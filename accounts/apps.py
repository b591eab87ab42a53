from django.apps import AppConfig

__all__ = ["AccountsConfig"]


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Connect the login, lockout, deactivation, role, second-factor and SSO receivers."""
        from . import signals  # noqa: F401
        from .signin import receivers  # noqa: F401
