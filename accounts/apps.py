from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

__all__ = ["AccountsConfig"]


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and audit")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Connect the login, lockout, deactivation, role, second-factor and SSO receivers."""
        from . import signals  # noqa: F401
        from .signin import receivers  # noqa: F401
