"""The customer table's HTML, rendered once per fetched page and column choice.

A page of customers comes from the cache for ``WONDER_PAGE_CACHE_SECONDS``; so does the
table rendered from it. Looking the HTML up before building a ``CustomerTable`` means a
warm page builds no table at all (django-tables2 deep-copies every column per table).
``fetched_at`` is in the key, so a page fetched again never shows an older rendering; so
are the columns shown and the language. Anything else that changes the table's HTML must
join the key.
"""

from __future__ import annotations

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from customers_app.browsing.services import CustomerListing
from customers_app.browsing.tables import CustomerTable
from customers_app.column_choice import columns_excluded
from wonder.shared_cache import cache_attempt

__all__ = ["customer_table_html"]

# Bump when the table's markup changes, so a shared cache does not serve the old one.
_VERSION = 3
# Longer than a page stays fresh; an entry only ever matches the page it was made from.
_SECONDS = 600


def _key(listing: CustomerListing, shown: tuple[str, ...]) -> str:
    return (
        f"customer-table:v{_VERSION}:{get_language()}:{listing.linked_source_type or 'all'}:"
        f"{listing.page}:"
        f"{listing.page_size}:{listing.fetched_at.isoformat()}:{','.join(shown)}"
    )


def customer_table_html(*, request, listing: CustomerListing, shown: tuple[str, ...]) -> SafeString:
    """The rows of ``listing`` in the columns ``shown``, as ``{% render_table %}`` writes them.

    A cache that fails (Redis down) costs a rendering, not the page.
    """
    key = _key(listing, shown)
    html = cache_attempt(lambda: cache.get(key), fallback=None, doing=f"reading {key}")
    if html is not None:
        return SafeString(html)
    table = CustomerTable(listing.customers, exclude=columns_excluded(CustomerTable, shown))
    # What {% render_table %} does for a table without TemplateColumns.
    table.before_render(request)
    html = render_to_string(table.template_name, {"table": table}, request=request)
    cache_attempt(
        lambda: cache.set(key, str(html), _SECONDS), fallback=None, doing=f"writing {key}"
    )
    return SafeString(html)
