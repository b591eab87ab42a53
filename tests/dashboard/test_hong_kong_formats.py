"""Hong Kong conventions in both languages: figures grouped by commas, dates as the pages
show them, and date filters that take what the page shows."""

from __future__ import annotations

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import formats, translation

from customers_app.bindings.filters import FailedBindingFilterSet
from customers_app.models import FailedBinding


@pytest.mark.parametrize("language", ["en-gb", "zh-hant"])
def test_thousands_are_grouped_by_commas(language):
    with translation.override(language):
        assert intcomma(3000) == "3,000"
        assert intcomma(12345678) == "12,345,678"
        assert formats.number_format(1234567, force_grouping=True) == "1,234,567"


def test_django_alone_would_not_group_them_in_chinese(settings):
    """What dashboard/formats/zh_Hant is for: without it, "3000" and "1234,5678"."""
    settings.FORMAT_MODULE_PATH = None
    formats.reset_format_cache()
    try:
        with translation.override("zh-hant"):
            assert intcomma(3000) != "3,000"
    finally:
        settings.FORMAT_MODULE_PATH = ["dashboard.formats"]
        formats.reset_format_cache()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en-gb", "zh-hant"])
def test_a_date_filter_takes_the_date_as_the_page_shows_it(language):
    with translation.override(language):
        filterset = FailedBindingFilterSet(
            {"first_seen_min": "2026-11-24", "first_seen_max": "2026-11-30"},
            queryset=FailedBinding.objects.all(),
        )
        assert filterset.is_valid(), filterset.errors
        range_ = filterset.form.cleaned_data["first_seen"]
        assert (range_.start.date().isoformat(), range_.stop.date().isoformat()) == (
            "2026-11-24",
            "2026-11-30",
        )
