"""Reusable checks for any list page declared with ``ui.list_views.TableList`` (NetBox's
``TableTestCases`` idea): every orderable column sorts both ways, and paging through a sort
shows each row exactly once."""

from __future__ import annotations

import dataclasses

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from ui.list_views import TableList

__all__ = ["orderable_columns", "pages_in_sort", "sort_checks"]


def orderable_columns(table_list: TableList) -> list[str]:
    """Every column a user may sort by (all columns shown, not only the defaults)."""
    table = table_list.table_class(table_list.rows().none())
    return [column.name for column in table.columns if column.orderable]


def pages_in_sort(table_list: TableList, *, sort: str, per_page: int, user) -> list[list[int]]:
    """The primary keys on every page of the list in ``sort``, rendered as a user gets them."""
    small_pages = dataclasses.replace(table_list, per_page=per_page)
    pages, number = [], 1
    while True:
        request = RequestFactory().get("/", {"sort": sort, "page": number})
        request.user = user or AnonymousUser()
        listing = small_pages.listing(request)
        assert listing.corrections == [], (sort, number, listing.corrections)
        # Rendered too: a sort that works in SQL can still break a cell.
        assert "<table" in listing.table.as_html(request)
        pages.append([row.record.pk for row in listing.table.paginated_rows])
        if not listing.table.page.has_next():
            return pages
        number += 1


def sort_checks(table_list: TableList, *, user=None) -> None:
    """Assert every orderable column sorts both ways, with the primary key last, and that
    its pages hold every row once (rows that tie would otherwise move between pages)."""
    rows = table_list.rows().count()
    assert rows >= 9, "too few rows to page through"
    # Three or four pages a sort: enough for rows to move between pages, not too slow.
    per_page = rows // 3
    columns = orderable_columns(table_list)
    assert columns, "no orderable column"
    for column in columns:
        for sort in (column, f"-{column}"):
            request = RequestFactory().get("/", {"sort": sort})
            _filterset, table = table_list.filtered_table(request)
            ordering = [str(key) for key in table.data.data.query.order_by]
            assert ordering[-1].lstrip("-") in {"pk", "id"}, (sort, ordering)
            assert ordering[0].lstrip("-") != "pk", (sort, "the column's own sort was lost")
            pages = pages_in_sort(table_list, sort=sort, per_page=per_page, user=user)
            shown = [pk for page in pages for pk in page]
            assert len(shown) == len(set(shown)), (sort, "a row shown on two pages")
            assert len(shown) == table_list.filtered_table(request)[1].data.data.count(), sort
