from django.apps import AppConfig
from django.conf import settings

__all__ = ["CustomersAppConfig"]


class CustomersAppConfig(AppConfig):
    name = "customers_app"
    verbose_name = "Customers"

    def ready(self) -> None:
        """Fail at start-up, not on the first page view, when real credentials are incomplete;
        make django-tables2 cheaper per cell (table_speed.py)."""
        from . import signals  # noqa: F401  (connects receivers)
        from .table_speed import table_signature_cache_install
        from .wonder.factory import wonder_client

        table_signature_cache_install()
        if not settings.WONDER_SANDBOX_MODE:
            wonder_client()
