"""Signal receivers of the customers app (imported once from ``apps.ready``)."""

from wonder import factory  # noqa: F401  (registers the setting_changed receiver)

__all__: list[str] = []
