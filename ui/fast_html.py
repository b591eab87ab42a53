"""Django's ``conditional_escape`` and ``format_html``, minus the lazy-string machinery.

Django wraps both (and ``mark_safe``) in ``keep_lazy``, which inspects every argument for
lazy translation objects on every call; on a 100-row customer page that bookkeeping cost
more than the escaping itself (bench/README.md). These escape exactly as Django does
(``html.escape`` with quotes), honour ``__html__`` for values already safe, and are used
only where values are plain strings from records, never lazy ones. Their equality with
Django's functions is tested on hostile input.
"""

from __future__ import annotations

import html

from django.utils.safestring import SafeString

__all__ = ["escape_html", "format_html_fast"]


def escape_html(value) -> SafeString:
    """``conditional_escape``: safe values as they are, anything else escaped."""
    if type(value) is SafeString:  # most cells: their render method's output, kept as is
        return value
    if hasattr(value, "__html__"):
        return SafeString(value.__html__())
    return SafeString(html.escape(str(value)))


def format_html_fast(format_string: str, *args) -> SafeString:
    """``format_html``: the (trusted) format string filled with escaped arguments."""
    return SafeString(format_string.format(*map(escape_html, args)))
