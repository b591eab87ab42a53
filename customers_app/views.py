"""Customer pages. Thin: parse input, call services, render."""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from django_tables2 import RequestConfig

from . import services
from .forms import CustomerFilterForm
from .tables import CustomerTable
from .upstream_errors import describe_upstream_error
from .wonder import WonderError

__all__ = ["customer_list_view"]


@permission_required("customers_app.view_customers", raise_exception=True)
def customer_list_view(request):
    """One page of customers, filtered by source type."""
    form = CustomerFilterForm(request.GET or None)
    params = form.cleaned_or_defaults()
    context = {"form": form, "params": params}
    try:
        result = services.customer_list(**params)
    except (WonderError, ImproperlyConfigured) as error:
        problem = describe_upstream_error(error)
        context["problem"] = problem
        return render(request, "customers_app/customer_list.html", context, status=problem.status)
    table = CustomerTable(result.page.customers)
    RequestConfig(request, paginate=False).configure(table)
    context.update(table=table, customer_page=result.page, stale_because=result.stale_because)
    return render(request, "customers_app/customer_list.html", context)
