"""The audit log page's filters: styled like the report's, every outcome, bad input said."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.models import AuditEvent

pytestmark = pytest.mark.django_db

AUDIT = "/audit/"
EXPORT = "/audit/export.csv"


def _event(*, day: datetime.date, **fields) -> AuditEvent:
    event = AuditEvent.objects.create(**fields)
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    AuditEvent.objects.filter(pk=event.pk).update(occurred_at=when)
    return event


@pytest.fixture
def admin(client, role_users):
    client.force_login(role_users["admin"])
    _event(day=datetime.date(2026, 1, 5), username="support1", action="login", target="t-old")
    _event(
        day=datetime.date(2026, 11, 20),
        username="support1",
        action="customer.view",
        target="t-missing",
        outcome="not_found",
    )
    return client


def _targets(response) -> set[str]:
    return {row.record.target for row in response.context["table"].paginated_rows}


def test_filters_look_like_the_reports(admin):
    html = admin.get(AUDIT).content.decode()
    assert "User:" not in html and "---------" not in html and "YYYY-MM-DD" not in html
    assert 'type="date"' in html and 'name="occurred_after"' in html
    assert 'class="form-select form-select-sm"' in html
    assert 'class="form-control form-control-sm"' in html
    # Timestamps and request ids stay on one line.
    assert html.count('class="text-nowrap"') >= 2 * 2


def test_every_recorded_outcome_is_shown_readably_and_can_be_filtered(admin):
    _event(day=datetime.date(2026, 11, 21), action="x", target="t-odd", outcome="throttled")
    response = admin.get(AUDIT, {"outcome": "not_found"})
    html = response.content.decode()
    assert "Select a valid choice" not in html
    assert _targets(response) == {"t-missing"}
    assert ">Not found<" in html and ">not_found<" not in html
    assert '<option value="throttled">throttled</option>' in html
    assert _targets(admin.get(AUDIT, {"outcome": "throttled"})) == {"t-odd"}


def test_an_invalid_filter_offers_no_export_and_the_export_refuses_it(admin):
    html = admin.get(AUDIT, {"outcome": "bogus"}).content.decode()
    assert "Select a valid choice" in html
    assert "/audit/export.csv" not in html
    response = admin.get(EXPORT, {"outcome": "bogus"})
    assert response.status_code == 400
    assert "Not exported" in response.content.decode()
    assert not AuditEvent.objects.filter(action="audit_export").exists()
    # Valid filters still export, and only what they match.
    response = admin.get(EXPORT, {"outcome": "not_found"})
    assert response.status_code == 200
    assert "t-missing" in b"".join(response.streaming_content).decode()


def test_a_date_not_in_yyyy_mm_dd_is_said_to_be_invalid(admin):
    response = admin.get(AUDIT, {"occurred_after": "24/11/2026"})
    assert "Enter a valid date" in response.content.decode()
    assert admin.get(EXPORT, {"occurred_after": "24/11/2026"}).status_code == 400


def test_a_date_range_filters_and_a_reversed_one_is_said_to_be_reversed(admin):
    in_range = admin.get(AUDIT, {"occurred_after": "2026-11-19", "occurred_before": "2026-11-21"})
    assert _targets(in_range) == {"t-missing"}
    reversed_range = {"occurred_after": "2026-11-25", "occurred_before": "2026-11-24"}
    html = admin.get(AUDIT, reversed_range).content.decode()
    assert "date is after the" in html


@pytest.mark.parametrize(
    ("page", "note"),
    [
        ("99", "Page &#x27;99&#x27; is past the last page; showing page 1 instead."),
        ("0", "Page &#x27;0&#x27; is not valid; showing page 1 instead."),
        ("banana", "Page &#x27;banana&#x27; is not valid; showing page 1 instead."),
    ],
)
def test_a_page_that_does_not_exist_is_replaced_and_said(admin, page, note):
    response = admin.get(AUDIT, {"page": page})
    assert response.status_code == 200
    assert note in response.content.decode()
    assert "Page &#x27;" not in admin.get(AUDIT, {"page": "1"}).content.decode()
