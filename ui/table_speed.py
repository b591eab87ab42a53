"""Make django-tables2 cheaper per cell, installed once at start-up.

django-tables2 asks ``inspect.signature`` which arguments a column's ``render`` accepts,
once for every cell it renders: 800 times for a 100-row, 8-column page, about a third of the
page's own time (bench/README.md has the profile). A function's signature never changes,
so the answer is remembered per function. Bound methods are remembered by their function:
the table copies its columns for every request, and keying on the bound method would keep
each copy alive in the cache.
"""

from __future__ import annotations

import functools

import django_tables2.utils

__all__ = ["cached_signature", "table_signature_cache_install"]

_uncached_signature = django_tables2.utils.signature


@functools.lru_cache(maxsize=1024)
def _function_signature(function) -> tuple[tuple[str, ...], str | None]:
    return _uncached_signature(function)


def cached_signature(fn) -> tuple[tuple[str, ...], str | None]:
    """``django_tables2.utils.signature`` (argument names, ``**kwargs`` name), remembered."""
    function = getattr(fn, "__func__", None)
    if function is not None:
        # A bound method's signature is its function's without the first (self) argument.
        arguments, keywords = _function_signature(function)
        return arguments[1:], keywords
    try:
        return _function_signature(fn)
    except TypeError:  # an unhashable callable: ask every time, as django-tables2 does
        return _uncached_signature(fn)


def table_signature_cache_install() -> None:
    """Point django-tables2 at ``cached_signature``; calling it again changes nothing."""
    # call_with_appropriate looks ``signature`` up in its module on every call.
    django_tables2.utils.signature = cached_signature
