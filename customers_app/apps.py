from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

__all__ = ["CustomersAppConfig"]


class CustomersAppConfig(AppConfig):
    name = "customers_app"
    verbose_name = _("Customers")

    def ready(self) -> None:
        """Fail at start-up, not on the first page view, when real credentials are incomplete."""
        from customers_app import signals  # noqa: F401  (connects receivers)
        from customers_app.digests import receivers  # noqa: F401  (digests and trend)
        from customers_app.search import signals as search_signals  # noqa: F401
        from wonder.factory import wonder_client

        if not settings.WONDER_SANDBOX_MODE:
            wonder_client()
