"""What a page says when it replaced a bad value from its URL.

Shared URLs, bookmarks and hand-edited links carry values a page cannot use. The page shows
what it can instead of an error and says which value it replaced, in the same words
everywhere (rendered by ``_partials/corrections.html``).
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger

__all__ = ["correction_note", "paginate_or_correct"]

# Enough of a bad value to recognise it; the rest could be anything, 5,000 characters long.
_SHOWN_CHARACTERS = 40


def correction_note(*, label: str, given, replacement: str, problem: str = "is not valid") -> str:
    """``Page 'abc' is not valid; showing page 1 instead.``"""
    return f"{label} {str(given)[:_SHOWN_CHARACTERS]!r} {problem}; showing {replacement} instead."


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
        shown, problem = 1, "is not valid"
    except EmptyPage:
        # A whole number (the paginator checked), below 1 or past the last page.
        if int(requested) < 1:
            shown, problem = 1, "is not valid"
        else:
            shown, problem = table.paginator.num_pages, "is past the last page"
    table.paginate(page=shown, per_page=per_page)
    return [
        correction_note(label="Page", given=requested, replacement=f"page {shown}", problem=problem)
    ]
