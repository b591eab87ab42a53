"""One path for every list page built on a django-tables2 table (the report, the audit log).

Like NetBox's ``ObjectListView`` and ``BaseTable.configure()``: a page declares its table,
FilterSet, rows, page size and templates once (a ``TableList``), and everything a list page
does lives here, once:

- the columns the user chose (passed in as ``columns_excluded``: ``ui`` knows nothing of
  where a choice is saved);
- the sort from the URL, with the primary key last as a tie-breaker;
- paging, with a bad or past-the-end page replaced and said (``ui.corrections``);
- the htmx fragment-or-page choice, answered with ``Vary: HX-Request``;
- the export of exactly the columns and sort the page shows (``ui.exports``).

A view keeps only what is its own: the permission, the audit record, extra context.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import django_filters
import django_tables2 as tables
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django_tables2 import RequestConfig

from ui.corrections import paginate_or_correct
from ui.exports import csv_lines, table_rows, xlsx_bytes

__all__ = [
    "ExportSize",
    "Listing",
    "TableList",
    "htmx_fragment_wanted",
    "page_or_fragment_response",
    "sort_with_tie_breaker",
    "table_cut",
    "table_export_response",
]

_XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PRIMARY_KEY_NAMES = {"pk", "-pk", "id", "-id"}


def htmx_fragment_wanted(request: HttpRequest, *, target: str | None = None) -> bool:
    """Whether htmx asked for the page's fragment (into ``target``, when one is given).

    htmx restoring history after a cache miss sends ``HX-Request`` too, but wants the whole
    page: the fragment alone would replace the page with its middle.
    """
    htmx = getattr(request, "htmx", None)
    if not htmx or htmx.history_restore_request:
        return False
    return target is None or htmx.target == target


def page_or_fragment_response(
    request: HttpRequest,
    *,
    fragment: bool,
    template: str,
    fragment_template: str,
    context: dict,
    status: int = 200,
) -> HttpResponse:
    """The fragment or the whole page, said to vary with ``HX-Request``."""
    response = render(request, fragment_template if fragment else template, context, status=status)
    # The same URL answers a fragment or a page: caches and the back button must tell apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def sort_with_tie_breaker(queryset: QuerySet, *, tie_breaker: str = "pk") -> QuerySet:
    """``queryset`` in its own order (the table's sort), then by ``tie_breaker``.

    Otherwise rows that tie (the same state, the same second) come back in a different order
    per query, which skips or repeats rows from page to page.
    """
    ordering = tuple(queryset.query.order_by) or tuple(queryset.model._meta.ordering)
    if ordering and str(ordering[-1]) in _PRIMARY_KEY_NAMES:
        return queryset
    return queryset.order_by(*ordering, tie_breaker)


@dataclass(frozen=True)
class Listing:
    """One page of a list: its FilterSet, its paged table and what was corrected."""

    filterset: django_filters.FilterSet
    table: tables.Table
    corrections: list[str]

    def context(self) -> dict:
        """What every list template reads: ``filterset``, ``table``, ``corrections``."""
        return {"filterset": self.filterset, "table": self.table, "corrections": self.corrections}


@dataclass(frozen=True)
class ExportSize:
    """How many rows an export holds, of how many matching."""

    rows: int
    matching: int

    @property
    def truncated(self) -> bool:
        return self.matching > self.rows


@dataclass(frozen=True)
class TableList:
    """The declaration of a list page; its methods are the whole list-page behaviour."""

    table_class: type[tables.Table]
    filterset_class: type[django_filters.FilterSet]
    # Called per request: a queryset built at import would be evaluated once, then cached.
    rows: Callable[[], QuerySet]
    template: str
    per_page: int = 50
    # The partial htmx swaps in, and the id of the element it replaces.
    fragment_template: str | None = None
    fragment_target: str | None = None
    # "-pk" keeps rows that tie newest first where the default sort is newest first.
    tie_breaker: str = "pk"
    export_title: str = "Export"

    def filtered_table(
        self, request: HttpRequest, *, columns_excluded: Iterable[str] = ()
    ) -> tuple[django_filters.FilterSet, tables.Table]:
        """The FilterSet and the sorted, not yet paged, table of the columns shown.

        The FilterSet is always bound (to an empty query too), so its defaults apply alike.
        """
        filterset = self.filterset_class(request.GET, queryset=self.rows())
        table = self.table_class(filterset.qs, exclude=tuple(columns_excluded))
        RequestConfig(request, paginate=False).configure(table)
        table.data.data = sort_with_tie_breaker(table.data.data, tie_breaker=self.tie_breaker)
        return filterset, table

    def listing(self, request: HttpRequest, *, columns_excluded: Iterable[str] = ()) -> Listing:
        """The page the URL asks for (its filters, sort and page number), corrected if need be."""
        filterset, table = self.filtered_table(request, columns_excluded=columns_excluded)
        corrections = paginate_or_correct(
            table, page=request.GET.get("page"), per_page=self.per_page
        )
        return Listing(filterset=filterset, table=table, corrections=corrections)

    def wants_fragment(self, request: HttpRequest) -> bool:
        """Whether to answer with the fragment only (an htmx filter change, sort or page)."""
        return self.fragment_template is not None and htmx_fragment_wanted(
            request, target=self.fragment_target
        )

    def response(
        self,
        request: HttpRequest,
        context: dict,
        *,
        page_context: Callable[[], dict] | None = None,
    ) -> HttpResponse:
        """The fragment or the page; ``page_context`` adds what only the page shows (and is
        not worked out for a fragment)."""
        fragment = self.wants_fragment(request)
        if not fragment and page_context is not None:
            context = {**context, **page_context()}
        return page_or_fragment_response(
            request,
            fragment=fragment,
            template=self.template,
            fragment_template=self.fragment_template or self.template,
            context=context,
        )

    def export_table(
        self, request: HttpRequest, *, columns_excluded: Iterable[str] = (), cap: int | None = None
    ) -> tuple[tables.Table, ExportSize]:
        """The page's table (its columns and sort), unpaged, cut at ``cap`` rows."""
        _filterset, table = self.filtered_table(request, columns_excluded=columns_excluded)
        return table, table_cut(table, cap=cap)

    def export_response(
        self, table: tables.Table, *, size: ExportSize, file_format: str, filename: str
    ) -> HttpResponse:
        """``table_export_response`` with this list's sheet title."""
        return table_export_response(
            table, size=size, file_format=file_format, filename=filename, title=self.export_title
        )


def table_cut(table: tables.Table, *, cap: int | None = None) -> ExportSize:
    """Cut an unpaged ``table`` at ``cap`` rows, or at the rows counted now: a row added
    while the file streams cannot make it longer than what was recorded."""
    matching = table.data.data.count()
    size = ExportSize(rows=matching if cap is None else min(matching, cap), matching=matching)
    table.data.data = table.data.data[: size.rows]
    return size


def table_export_response(
    table: tables.Table, *, size: ExportSize, file_format: str, filename: str, title: str
) -> HttpResponse:
    """The table's visible columns as CSV (streamed) or XLSX; a cut file says so, in its
    last row and in an ``X-Export-Truncated`` header."""
    rows = table_rows(table)
    if size.truncated:
        notice = gettext(
            "Export stopped at %(rows)s of %(matching)s rows: narrow the filters for the rest."
        ) % {"rows": f"{size.rows:,}", "matching": f"{size.matching:,}"}
        rows = itertools.chain(rows, [[notice]])
    if file_format == "csv":
        response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(xlsx_bytes(rows, title=title), content_type=_XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if size.truncated:
        # Said in a header (and on the page's export link) so nobody mistakes it for all.
        response["X-Export-Truncated"] = f"{size.rows} of {size.matching} rows"
    return response
