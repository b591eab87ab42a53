"""The audit trail: what is recorded, that secrets are not, the audit log page and export."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import RequestFactory
from django.utils import timezone

from accounts.audit import audit_event_record
from accounts.models import AuditEvent

pytestmark = pytest.mark.django_db

CARD = "4111 1111 1111 1111"
TOKEN = "tok_9f8e7d6c5b4a"


def test_a_recorded_event_names_user_ip_request_id_and_never_a_secret(role_users):
    request = RequestFactory().get("/customers/x/", REMOTE_ADDR="192.0.2.7")
    request.user = role_users["support"]
    request.request_id = "0b8f6a52-5c1e-4a53-9b0d-2f1d7c1f0a11"
    event = audit_event_record(
        request=request,
        action="customer_detail_view",
        target=f"customer abc: {CARD}",
        detail={"token": TOKEN, "note": f"card {CARD.replace(' ', '')}", "pan": 4111111111111111},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.username, stored.client_ip, stored.request_id) == (
        "support1",
        "192.0.2.7",
        "0b8f6a52-5c1e-4a53-9b0d-2f1d7c1f0a11",
    )
    as_text = f"{stored.target} {stored.detail}"
    assert "4111" not in as_text and TOKEN not in as_text
    assert stored.target == "customer abc: [REDACTED]"


def test_a_forged_forwarded_for_header_is_ignored_without_a_trusted_proxy(role_users):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="6.6.6.6")
    request.user = role_users["support"]
    assert audit_event_record(request=request, action="x").client_ip == "192.0.2.7"


def test_behind_a_trusted_proxy_the_client_address_is_taken_from_forwarded_for(
    role_users, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5"
    )
    request.user = role_users["support"]
    assert audit_event_record(request=request, action="x").client_ip == "203.0.113.5"
    request.META["HTTP_X_FORWARDED_FOR"] = "not-an-address"
    assert audit_event_record(request=request, action="x").client_ip is None


def test_a_refused_page_is_recorded_as_denied(client, role_users):
    client.force_login(role_users["support"])
    client.get("/audit/?username=admin1")
    event = AuditEvent.objects.get(action="access_denied")
    assert (event.username, event.outcome, event.target) == ("support1", "denied", "/audit/")


def test_the_audit_log_page_filters_and_shows_bad_filters_as_errors(client, role_users):
    client.force_login(role_users["admin"])
    client.get("/audit/")  # nothing recorded for viewing; make some events:
    AuditEvent.objects.create(username="support1", action="customer_detail_view", target="u-1")
    AuditEvent.objects.create(username="finance1", action="export", target="<b>bold</b>")
    response = client.get("/audit/", {"username": "finance", "occurred_after": "<script>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html
    assert "u-1" not in html
    assert "Enter a valid date" in html and "<script>" not in html
    assert client.get("/audit/", {"page": "banana", "sort": "nope"}).status_code == 200


def test_the_export_is_csv_of_the_filtered_events_and_is_recorded_with_its_row_count(
    client, role_users
):
    AuditEvent.objects.create(username="support1", action="customer_detail_view", target="u-1")
    AuditEvent.objects.create(username="support1", action="export", target="=HYPERLINK(1)")
    AuditEvent.objects.create(username="finance1", action="export", target="u-2")
    client.force_login(role_users["admin"])
    response = client.get("/audit/export.csv", {"username": "support1"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    assert content.startswith("\ufeff")  # so Excel reads the UTF-8 as UTF-8
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))
    assert rows[0] == ["When", "User", "Action", "Target", "Outcome", "Client IP", "Request id"]
    assert sorted(row[3] for row in rows[1:]) == ["'=HYPERLINK(1)", "u-1"]
    # As the audit page shows it: local time (Hong Kong), to the second.
    shown = {
        timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S")
        for event in AuditEvent.objects.filter(username="support1")
    }
    assert {row[0] for row in rows[1:]} == shown
    assert "+00:00" not in content
    # The recorded outcome code (what scripts match on), and an empty cell for no address.
    assert {(row[4], row[5]) for row in rows[1:]} == {("success", "")}
    export = AuditEvent.objects.get(action="audit_export")
    assert export.detail == {"rows": 2}
    assert export.username == "admin1"
    assert "username=support1" in export.target
