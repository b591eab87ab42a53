"""services.py against the live sandbox: parameters reach Wonder as they should."""

import pytest

from customers_app.browsing import services
from wonder import WonderUnavailable

LIST_PATH = "/svc/payment/api/v1/openapi/customers"


def test_filter_and_page_reach_the_upstream(live_sandbox):
    listing = services.customer_list(linked_source_type="store", page=2, page_size=25)
    assert listing.page == 2 and listing.page_size == 25
    assert listing.linked_source_type == "Store"
    expected = live_sandbox.store.page("Store", 25, 25)
    assert [c.uuid for c in listing.customers] == [c["uuid"] for c in expected]


def test_page_size_is_capped_for_the_ui(live_sandbox):
    listing = services.customer_list(page_size=5000)
    assert listing.page_size == 100
    assert len(listing.customers) == 100


def test_pages_are_cached_so_agents_do_not_multiply_upstream_calls(live_sandbox):
    for _ in range(5):
        services.customer_list(page=1, page_size=50)
    assert live_sandbox.request_count(LIST_PATH) == 1
    services.customer_list(page=2, page_size=50)
    assert live_sandbox.request_count(LIST_PATH) == 2


@pytest.mark.parametrize("value", ["Admin", "<script>", "User;Store"])
def test_unknown_source_types_are_refused(value):
    with pytest.raises(ValueError):
        services.normalise_linked_source_type(value)


def test_a_stale_copy_is_served_when_wonder_is_down(live_sandbox, settings):
    fresh = services.customer_list(page=1, page_size=25)
    assert not fresh.is_stale
    settings.WONDER_PAGE_CACHE_SECONDS = 0  # every cached copy is now past its freshness
    live_sandbox.set_faults(fault="down")
    stale = services.customer_list(page=1, page_size=25)
    assert stale.is_stale
    assert stale.customers == fresh.customers
    assert stale.stale_because.request_id


def test_no_copy_and_wonder_down_raises_unavailable(live_sandbox):
    live_sandbox.set_faults(fault="down")
    with pytest.raises(WonderUnavailable):
        services.customer_list(page=3, page_size=25)
