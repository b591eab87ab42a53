"""The report's ``new_in`` filter: what a digest links to."""

from __future__ import annotations

import pytest

from customers_app.models import FailedBinding
from customers_app.sync.runs import sync_run

pytestmark = pytest.mark.django_db

REPORT = "/customers/failed-bindings/"


def _rows(response) -> int:
    return response.context["table"].paginator.count


def test_new_in_lists_the_bindings_new_in_one_sync_or_a_range(scanned, report_viewer):
    FailedBinding.objects.filter(pk__in=FailedBinding.objects.values("pk")[:3]).delete()
    second = sync_run()
    FailedBinding.objects.filter(pk__in=FailedBinding.objects.values("pk")[:2]).delete()
    third = sync_run()
    assert _rows(report_viewer.get(REPORT, {"new_in": str(third.pk)})) == 2
    in_second = FailedBinding.objects.filter(new_in_scan=second).count()
    assert _rows(report_viewer.get(REPORT, {"new_in": str(second.pk)})) == in_second
    both = report_viewer.get(REPORT, {"new_in": f"{second.pk}-{third.pk}"})
    assert _rows(both) == in_second + 2
    # Written backwards, it means the same range.
    assert _rows(report_viewer.get(REPORT, {"new_in": f"{third.pk}-{second.pk}"})) == (
        in_second + 2
    )


@pytest.mark.parametrize(
    "value", ["abc", "1-", "-1", "1-2-3", "99999999999999999999999", "<script>", "1.5", "\x00"]
)
def test_a_new_in_value_not_understood_is_said_and_ignored(scanned, report_viewer, value):
    response = report_viewer.get(REPORT, {"new_in": value})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Some filters were not understood and are ignored" in content
    assert _rows(response) == FailedBinding.objects.filter(resolved_at__isnull=True).count()
