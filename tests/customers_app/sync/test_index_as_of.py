"""When the customer index was last complete: cached for the list page, replaced by a sync."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from customers_app.models import ScanRun, ScanStatus
from customers_app.sync.status import customer_index_as_of, customer_index_as_of_forget


@pytest.fixture
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_a_completed_sync_replaces_the_cached_as_of_at_once(empty_cache, django_assert_num_queries):
    assert customer_index_as_of() is None
    with django_assert_num_queries(0):  # "no complete sync yet" is cached too
        assert customer_index_as_of() is None
    run = ScanRun.objects.create(status=ScanStatus.COMPLETED, finished_at=timezone.now())
    customer_index_as_of_forget()  # what a completing sync calls
    assert customer_index_as_of() == run.finished_at
