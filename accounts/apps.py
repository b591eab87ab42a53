from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

__all__ = ["AccountsConfig"]


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and audit")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Connect the login, lockout, deactivation and role receivers."""
        from . import signals  # noqa: F401
