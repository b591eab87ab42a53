"""Make django-tables2 cheaper per cell, installed once at start-up (``ui.apps``).

django-tables2 asks ``inspect.signature`` which arguments a column's ``render`` (on a page)
or ``value`` (in an export) accepts, once for every cell it renders. A function's signature
never changes, so the answer is remembered per function. Bound methods are remembered by
their function: the table copies its columns for every request, and keying on the bound
method would keep each copy alive in the cache.

Who still pays that cost, and so gains from this: every table drawn with django-tables2's
own rows, i.e. the failed bindings report (50 rows x up to 20 columns a page) and the audit
log (50 x 7), and every export (``ui.exports.table_rows``: up to 50,000 rows x 20 columns).
The customer list no longer does: its rows come from ``ui.table_rows`` (one pass, no
per-cell signature), and it was that table's profile, 800 calls and a third of a 100-row
page's time, that first showed the cost. Which table uses which speed-up, why, and when
each can go: bench/README.md, "Where the speed work lives".

When it can go: when django-tables2 remembers signatures itself, or when no table on a hot
path (report, audit log, exports) renders through ``BoundRow`` any more. Measure with
``python -m bench.instructions report-50k-first`` with and without the install in
``ui.apps``.
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
