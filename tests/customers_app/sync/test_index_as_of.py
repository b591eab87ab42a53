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
    run = ScanRun.objects.create(status=ScanStatus.COMPLETED, finished_at=timezone.now())
    assert customer_index_as_of() == run.finished_at
    with django_assert_num_queries(0):  # cached for the list page
        assert customer_index_as_of() == run.finished_at
    newer = ScanRun.objects.create(status=ScanStatus.COMPLETED, finished_at=timezone.now())
    customer_index_as_of_forget()  # what a completing sync calls
    assert customer_index_as_of() == newer.finished_at


@pytest.mark.django_db
def test_no_complete_sync_yet_is_not_cached(empty_cache, django_assert_num_queries):
    """A worker's forget reaches its own process-local cache only (the embedded default):
    a cached "never" would outlive the first sync in the web process for a minute."""
    assert customer_index_as_of() is None
    run = ScanRun.objects.create(status=ScanStatus.COMPLETED, finished_at=timezone.now())
    with django_assert_num_queries(1):
        assert customer_index_as_of() == run.finished_at
