"""Template filters for the project's lean table rows (``_partials/table.html``)."""

from django import template
from django.utils.safestring import SafeString

from ui.table_rows import td_open_tag

__all__ = ["td_open"]

register = template.Library()


@register.filter
def td_open(bound_column) -> SafeString:
    """``{{ column|td_open }}``: ``<td>`` with the column's ``attrs["td"]``, worked out once
    per table rather than once per cell."""
    return SafeString(td_open_tag(bound_column))
