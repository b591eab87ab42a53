"""The customer list with ``q``: matches from the customer index. Thin: parse, search, render.

Reached through ``browsing.views.customer_list_view``, so the list keeps one URL
(``/customers/?q=...``) and its filters, page sizes, columns and htmx behave the same.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from customers_app.browsing.forms import CustomerFilterForm
from customers_app.browsing.paging import page_navigation
from customers_app.browsing.tables import CUSTOMER_TABLE_KEY, CustomerTable
from customers_app.column_choice import column_chooser, columns_excluded
from customers_app.search.audit import customer_search_audit
from customers_app.search.forms import CustomerSearchForm
from customers_app.search.service import customer_search, index_status_get
from customers_app.search.terms import query_parse
from ui.corrections import correction_note
from ui.list_views import page_or_fragment_response

__all__ = ["customer_search_view"]

_PAGE_TEMPLATE = "customers_app/browsing/customer_list.html"
_RESULTS_TEMPLATE = "customers_app/search/_partials/search_results.html"


def _table_html(*, request, customers, shown) -> SafeString:
    """The rows in the user's columns, as ``{% render_table %}`` writes them."""
    table = CustomerTable(customers, exclude=columns_excluded(CustomerTable, shown))
    table.before_render(request)
    return SafeString(render_to_string(table.template_name, {"table": table}, request=request))


def _answer(request, context: dict, *, fragment: bool) -> HttpResponse:
    return page_or_fragment_response(
        request,
        fragment=fragment,
        template=_PAGE_TEMPLATE,
        fragment_template=_RESULTS_TEMPLATE,
        context=context,
    )


def customer_search_view(request, *, fragment: bool) -> HttpResponse:
    """Search the index for ``q``; ``fragment`` answers only the results (htmx)."""
    form, params, corrections = CustomerFilterForm.corrected(request.GET)
    query = query_parse(request.GET.get("q", ""))
    status = index_status_get()
    context = {
        "form": form,
        "corrections": corrections,
        "search_form": CustomerSearchForm(request.GET),
        "search": query,
        "index_status": status,
        # The page's "Customer index last complete" line: the sync these results come from.
        "index_as_of": status.as_of,
    }
    if query.errors:
        customer_search_audit(request=request, query=query, outcome="invalid")
        return _answer(request, context, fragment=fragment)
    if not status.is_ready:
        # Never "no results" for customers the index has not seen yet.
        customer_search_audit(request=request, query=query, outcome="index_building")
        return _answer(request, context, fragment=fragment)
    results = customer_search(
        query=query,
        linked_source_type=params["linked_source_type"],
        page=params["page"],
        page_size=params["page_size"],
        as_of=status.as_of,
    )
    if results.exact_hit is not None:
        customer_search_audit(request=request, query=query, outcome="redirect", results=1)
        target = redirect("customers:detail", uuid=results.exact_hit.uuid)
        if fragment:
            # htmx swaps a redirected answer into the results box; this makes it navigate.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target.url
            return response
        return target
    customer_search_audit(request=request, query=query, outcome="success", results=results.total)
    if results.page != params["page"]:
        corrections.append(
            correction_note(
                label=_("Page"),
                given=params["page"],
                replacement=_("page %(number)d") % {"number": results.page},
                past_the_end=True,
            )
        )
    shown, column_form = column_chooser(
        request=request, table_class=CustomerTable, table_key=CUSTOMER_TABLE_KEY
    )
    context.update(
        results=results,
        navigation=page_navigation(results),
        column_form=column_form,
        table_html=_table_html(request=request, customers=results.customers, shown=shown)
        if results.customers
        else "",
    )
    return _answer(request, context, fragment=fragment)
