"""Locale formats where Hong Kong differs from Django's defaults (``FORMAT_MODULE_PATH``)."""
