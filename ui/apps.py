from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

__all__ = ["UiConfig"]


class UiConfig(AppConfig):
    """What every list page shares (tables, filter forms, exports, page corrections); no models."""

    name = "ui"
    verbose_name = _("Shared page parts")

    def ready(self) -> None:
        """Make django-tables2 cheaper per cell (table_speed.py)."""
        from ui.table_speed import table_signature_cache_install

        table_signature_cache_install()
