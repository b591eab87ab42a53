"""What a page says when it replaced a bad value from its URL.

Shared URLs, bookmarks and hand-edited links carry values a page cannot use. The page shows
what it can instead of an error and says which value it replaced, in the same words
everywhere (rendered by ``_partials/corrections.html``).
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

__all__ = ["correction_note", "paginate_or_correct"]

# Enough of a bad value to recognise it; the rest could be anything, 5,000 characters long.
_SHOWN_CHARACTERS = 40


_NOT_VALID = _("%(label)s %(given)s is not valid; showing %(replacement)s instead.")
_PAST_THE_END = _("%(label)s %(given)s is past the last page; showing %(replacement)s instead.")


def correction_note(*, label: str, given, replacement: str, past_the_end: bool = False) -> str:
    """``Page 'abc' is not valid; showing page 1 instead.``"""
    template = _PAST_THE_END if past_the_end else _NOT_VALID
    return str(template) % {
        "label": label,
        "given": repr(str(given)[:_SHOWN_CHARACTERS]),
        "replacement": replacement,
    }


def paginate_or_correct(table, *, page, per_page: int) -> list[str]:
    """Paginate a django-tables2 ``table`` at ``page`` (the URL's value, any text).

    A page that is not a number, or below 1, shows the first page; one past the end shows
    the last. The notes returned (none when ``page`` was fine) say which was replaced.
    """
    requested = page or "1"
    try:
        table.paginate(page=requested, per_page=per_page)
        return []
    except PageNotAnInteger:
        shown, past_the_end = 1, False
    except EmptyPage:
        # A whole number (the paginator checked), below 1 or past the last page.
        if int(requested) < 1:
            shown, past_the_end = 1, False
        else:
            shown, past_the_end = table.paginator.num_pages, True
    table.paginate(page=shown, per_page=per_page)
    return [
        correction_note(
            label=gettext("Page"),
            given=requested,
            replacement=gettext("page %(number)s") % {"number": shown},
            past_the_end=past_the_end,
        )
    ]
