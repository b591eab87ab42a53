"""Error code notes: codes normalised in the admin, matched by the report, duplicates refused."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from customers_app.bindings.report import failed_binding_queryset
from customers_app.models import ErrorCodeNote, FailedBinding

NOTES_ADMIN = "/admin/customers_app/errorcodenote/"
REPORT = "/customers/failed-bindings/"


@pytest.fixture
def admin_client(db):
    # Its own client: the report tests use ``client`` logged in as finance at the same time.
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    client = Client()
    admin = get_user_model().objects.create_superuser("notes-admin")
    # Admins need a second factor before any page opens (MFA_REQUIRED_ROLES).
    TOTP.activate(admin, generate_totp_secret())
    client.force_login(admin)
    return client


def _add_note(client, code: str, meaning: str):
    return client.post(f"{NOTES_ADMIN}add/", {"code": code, "meaning": meaning, "next_step": ""})


@pytest.mark.parametrize("typed", ["e200110", " E200110 ", "\te200110\n"])
def test_a_code_typed_loosely_is_stored_as_wonder_sends_it(admin_client, typed):
    assert _add_note(admin_client, typed, "Declined by the issuer.").status_code == 302
    assert list(ErrorCodeNote.objects.values_list("code", flat=True)) == ["E200110"]


def test_leading_zeros_are_kept(admin_client):
    assert _add_note(admin_client, " 05", "Do not honour.").status_code == 302
    assert ErrorCodeNote.objects.get().code == "05"


def test_a_duplicate_after_normalising_is_refused_with_a_message(admin_client):
    _add_note(admin_client, "E200110", "Declined by the issuer.")
    response = _add_note(admin_client, " e200110", "Something else.")
    assert response.status_code == 200
    assert "There is already a note for error code E200110" in response.content.decode()
    assert ErrorCodeNote.objects.count() == 1


def test_a_note_saved_in_lower_case_shows_beside_the_reports_rows(admin_client, finance, scanned):
    assert FailedBinding.objects.filter(error_code="E200110").exists()
    _add_note(admin_client, " e200110 ", "The issuer declined the card.")
    html = finance.get(REPORT, {"error_code": "E200110"}).content.decode()
    assert "The issuer declined the card." in html


def test_the_report_matches_a_row_whose_code_came_with_spaces_or_lower_case(finance, scanned):
    ErrorCodeNote.objects.create(code="E200110", meaning="The issuer declined the card.")
    FailedBinding.objects.filter(error_code="E200110").update(error_code=" e200110")
    rows = failed_binding_queryset().filter(error_code=" e200110")
    assert rows.exists()
    assert {row.error_meaning for row in rows} == {"The issuer declined the card."}
