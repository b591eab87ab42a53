"""Traditional Chinese as the dashboard writes it for Hong Kong.

Django's zh_Hant formats follow Taiwan's print conventions: no thousands separator and
grouping by four digits ("3000", "12345678"). Hong Kong writes "3,000" and "12,345,678",
as the English pages do, so a figure reads the same in both languages. Dates on the pages
use explicit formats ("2026-11-24 09:06") in both languages; a date typed into a filter is
accepted as the page shows it, as a date input sends it, or with slashes.
"""

from django.conf.locale.zh_Hant.formats import (  # noqa: F401 - the rest as Django has it
    DATE_FORMAT,
    DATETIME_FORMAT,
    FIRST_DAY_OF_WEEK,
    MONTH_DAY_FORMAT,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
    TIME_INPUT_FORMATS,
    YEAR_MONTH_FORMAT,
)

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2026-11-24', as the pages show dates and date inputs send them
    "%Y/%m/%d",  # '2026/11/24'
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",  # '2026-11-24 09:06', as the pages show times
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
]
