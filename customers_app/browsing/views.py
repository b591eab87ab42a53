"""Customer pages. Thin: parse input, call services, render."""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.audit import audit_event_record
from customers_app.browsing import services
from customers_app.browsing.forms import CustomerFilterForm, CustomerFindForm
from customers_app.browsing.paging import page_navigation
from customers_app.browsing.rendered_tables import customer_table_html
from customers_app.browsing.tables import CUSTOMER_TABLE_KEY, CustomerTable
from customers_app.browsing.upstream_errors import describe_upstream_error
from customers_app.column_choice import column_choice_save, column_chooser, table_choosable
from customers_app.search.forms import CustomerSearchForm
from customers_app.search.views import customer_search_view
from customers_app.sync.status import customer_index_as_of
from ui.list_views import htmx_fragment_wanted, page_or_fragment_response
from wonder import WonderError, WonderNotFound

__all__ = [
    "customer_detail_view",
    "customer_find_view",
    "customer_list_view",
    "table_columns_view",
]

_UPSTREAM_FAILURES = (WonderError, ImproperlyConfigured)


@permission_required("customers_app.view_customers", raise_exception=True)
def customer_list_view(request):
    """One page of customers, filtered by source type; only the results for htmx.

    With a search (``q``) the rows come from the customer index instead (customers_app/search).
    """
    if request.GET.get("q", "").strip():
        return customer_search_view(request, fragment=htmx_fragment_wanted(request))
    form, params, corrections = CustomerFilterForm.corrected(request.GET)
    context = {
        "form": form,
        "corrections": corrections,
        "find_form": CustomerFindForm(),
        "index_as_of": customer_index_as_of(),
        "search_form": CustomerSearchForm(),
    }
    status = 200
    try:
        listing = services.customer_list(**params)
    except _UPSTREAM_FAILURES as error:
        context["problem"] = problem = describe_upstream_error(error)
        status = problem.status
    else:
        shown, column_form = column_chooser(
            request=request, table_class=CustomerTable, table_key=CUSTOMER_TABLE_KEY
        )
        context.update(
            listing=listing,
            navigation=page_navigation(listing),
            # Only a page with rows shows a table (empty and past-the-end pages say so instead).
            table_html=customer_table_html(request=request, listing=listing, shown=shown)
            if listing.customers
            else "",
            column_form=column_form,
        )
    # A fragment also updates the page's announced result line (hx-swap-oob).
    context["is_fragment"] = is_fragment = htmx_fragment_wanted(request)
    return page_or_fragment_response(
        request,
        fragment=is_fragment,
        template="customers_app/browsing/customer_list.html",
        fragment_template="customers_app/browsing/_partials/customer_results.html",
        context=context,
        status=status,
    )


@permission_required("customers_app.view_customers", raise_exception=True)
def customer_find_view(request):
    """The jump box: go straight to the customer a uuid or reference number names."""
    form = CustomerFindForm(request.GET or None)
    context = {"find_form": form}
    if not form.is_valid():
        return render(request, "customers_app/browsing/customer_find.html", context, status=400)
    query = form.cleaned_data["q"]
    try:
        customer = services.customer_find(query=query)
    except WonderNotFound:
        audit_event_record(request=request, action="customer.find", outcome="not_found")
        context["not_found"] = query
        return render(request, "customers_app/browsing/customer_find.html", context, status=404)
    except _UPSTREAM_FAILURES as error:
        context["problem"] = problem = describe_upstream_error(error)
        return render(
            request, "customers_app/browsing/customer_find.html", context, status=problem.status
        )
    return redirect("customers:detail", uuid=customer.uuid)


@permission_required("customers_app.view_customers", raise_exception=True)
def customer_detail_view(request, uuid: str):
    """One customer: profile, default token and every saved token."""
    if not uuid.strip():
        raise Http404("No customer has an empty uuid.")
    context = {"requested_uuid": uuid}
    try:
        customer = services.customer_get(uuid=uuid)
    except WonderNotFound:
        audit_event_record(
            request=request, action="customer.view", target=uuid, outcome="not_found"
        )
        return render(
            request, "customers_app/browsing/customer_not_found.html", context, status=404
        )
    except _UPSTREAM_FAILURES as error:
        context["problem"] = problem = describe_upstream_error(error)
        return render(
            request, "customers_app/browsing/customer_detail.html", context, status=problem.status
        )
    context["customer"] = customer
    # The profile is worth showing even when the tokens call fails: say so in that section.
    try:
        context["tokens"] = services.customer_payment_tokens(uuid=customer.uuid)
    except WonderNotFound:
        context["tokens"] = ()
    except _UPSTREAM_FAILURES as error:
        context["tokens_problem"] = describe_upstream_error(error)
    audit_event_record(request=request, action="customer.view", target=customer.uuid)
    return render(request, "customers_app/browsing/customer_detail.html", context)


@permission_required("customers_app.view_customers", raise_exception=True)
@require_POST
def table_columns_view(request):
    """Save which columns the user sees in a table, then go back to where they were.

    Every role may see customers, so that is the gate for anyone; the table's own
    permission is checked below as well: a user who may not see a table may not configure it.
    """
    entry = table_choosable(key=request.POST.get("table_key", ""))
    if entry is None:
        raise Http404("No such table.")
    if not request.user.has_perm(entry.permission):
        raise PermissionDenied
    # Unknown column names are dropped rather than refused: the choice is only cosmetic.
    column_choice_save(
        user=request.user,
        table_class=entry.table_class,
        table_key=entry.key,
        columns=request.POST.getlist("columns"),
    )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("customers:list")
    return redirect(next_url)
