"""The failed bindings report as finance uses it: filters, search, follow-up, export."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from customers_app.models import (
    BindingExport,
    ErrorCodeNote,
    FailedBinding,
    FollowUpChange,
    ScanRun,
)
from wonder_sandbox.hostile import HOSTILE_INDICES

from .pages import EXPORT, REPORT, csv_rows, followup_url

pytestmark = pytest.mark.django_db


def _user(name: str, *codenames: str):
    user = get_user_model().objects.create_user(name, password="a-long-test-password")
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.mark.parametrize(
    ("url", "codename"),
    [
        (REPORT, "view_failed_bindings"),
        (EXPORT + "?export=csv", "export_failed_bindings"),
        ("/customers/failed-bindings/scan/progress/", "view_failed_bindings"),
    ],
)
def test_each_view_needs_its_permission(client, url, codename, settings):
    settings.SYNC_MAX_AGE_SECONDS = 0
    client.force_login(_user("someone", "view_customers"))
    assert client.get(url).status_code == 403
    client.force_login(_user("allowed", codename))
    assert client.get(url).status_code == 200


def test_refresh_and_follow_up_need_their_permissions(client, binding):
    client.force_login(_user("viewer", "view_failed_bindings"))
    assert client.post("/customers/failed-bindings/scan/").status_code == 403
    url = followup_url(binding)
    assert client.post(url, {"status": "contacted"}).status_code == 403
    assert ScanRun.objects.count() == 1


def test_the_report_shows_every_failing_binding_with_as_of_and_summary(finance, scanned):
    response = finance.get(REPORT)
    html = response.content.decode()
    assert response.status_code == 200
    total = FailedBinding.objects.count()
    assert f"{total} matching bindings" in html
    assert "As of" in html
    assert "<svg" in html and "Failing by error code" in html
    # A known failing card is one of the rows (found by its reference: the first page holds
    # only 50 of them). Looked for in the table's body: the search box repeats the query.
    reference = scanned.store.customer(HOSTILE_INDICES["failed_token"])["reference_number"]
    found = finance.get(REPORT, {"q": reference}).content.decode()
    assert reference in found.split("<tbody", 1)[1]
    assert "1 matching bindings" in found


def test_hostile_upstream_text_is_escaped(finance, scanned):
    hostile = scanned.store.customer(HOSTILE_INDICES["html_error_msg"])
    response = finance.get(REPORT, {"q": hostile["reference_number"]})
    html = response.content.decode()
    assert "1 matching bindings" in html
    assert "<script>" not in html.split("<main", 1)[1]
    assert "&lt;" in html


def test_filters_narrow_the_rows_and_counts_are_real(finance, scanned):
    response = finance.get(REPORT, {"linked_source_type": "Store", "state": "pending"})
    expected = FailedBinding.objects.filter(linked_source_type="Store", state="pending").count()
    assert expected > 0
    assert f"{expected} matching bindings" in response.content.decode()


def test_search_finds_by_phone_digits_and_email(finance, scanned):
    row = FailedBinding.objects.exclude(email="").exclude(phone="").first()
    for query in (row.phone, row.email.upper(), row.reference_number):
        html = finance.get(REPORT, {"q": query}).content.decode()
        assert row.reference_number in html, query


def test_bad_filter_values_are_reported_not_errors(finance, scanned):
    response = finance.get(
        REPORT,
        {
            "first_seen_min": "not-a-date",
            "first_seen_after": "2024-13-45",
            "followup_status": "<script>",
            "linked_source_type": "Nope",
            "page": "999999",
            "sort": "'; drop table",
            "q": "x" * 5000,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters were not understood" in html
    assert "<script>" not in html.split("<main", 1)[1]


def test_sorting_and_paging(finance, scanned):
    response = finance.get(REPORT, {"sort": "-error_code", "page": "2"})
    assert response.status_code == 200
    table = response.context["table"]
    codes = [row.record.error_code for row in table.paginated_rows]
    assert codes == sorted(codes, reverse=True)


def test_htmx_filtering_returns_only_the_table(finance, scanned):
    response = finance.get(
        REPORT, {"state": "failed"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="binding-table"
    )
    html = response.content.decode()
    assert "matching bindings" in html and "<html" not in html
    # The export links come with the swapped table, so they export what the filter shows.
    assert "failed-bindings/export/?state=failed&amp;export=csv" in html
    # One URL, two answers: a cache or Back must not hand out the fragment as the page.
    assert "HX-Request" in response["Vary"]
    # htmx restoring history, or swapping another element, gets the whole page.
    for headers in ({"HX-History-Restore-Request": "true"}, {"HX-Target": "binding-scan"}):
        page = finance.get(REPORT, {"state": "failed"}, headers={"HX-Request": "true", **headers})
        assert "<html" in page.content.decode(), headers


def test_error_code_notes_show_beside_failures(finance, scanned):
    ErrorCodeNote.objects.create(
        code="51", meaning="The card had too little money.", next_step="Ask for another card."
    )
    html = finance.get(REPORT, {"error_code": "51"}).content.decode()
    assert "The card had too little money." in html and "Ask for another card." in html


def test_follow_up_is_saved_with_who_and_when(finance, binding):
    url = followup_url(binding)
    response = finance.post(url, {"status": "contacted", "note": "Called, will add a new card"})
    assert response.status_code == 302
    binding.refresh_from_db()
    assert binding.followup_status == "contacted"
    assert binding.followup_by.username == "finance"
    assert binding.followup_at is not None
    assert FollowUpChange.objects.get(binding=binding).note == "Called, will add a new card"
    page = finance.get(url).content.decode()
    assert "Called, will add a new card" in page
    listing = finance.get(REPORT, {"followup_status": "contacted"}).content.decode()
    assert "1 matching bindings" in listing


def test_a_bad_follow_up_is_refused_with_a_message(finance, binding):
    url = followup_url(binding)
    response = finance.post(url, {"status": "bribed", "note": "x" * 3000})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert finance.get("/customers/failed-bindings/99999999/follow-up/").status_code == 404


def test_csv_export_has_visible_columns_masked_cards_and_is_recorded(finance, scanned):
    response = finance.get(EXPORT, {"export": "csv", "token_type": "CreditCard"})
    rows = csv_rows(response)
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Reference number", "Name", "Email"]
    assert "Follow up" not in header
    expected = FailedBinding.objects.filter(token_type="CreditCard", resolved_at__isnull=True)
    assert len(body) == expected.count()
    card = header.index("Card")
    assert all(not any(c.isdigit() for c in row[card][6:-4]) for row in body)
    export = BindingExport.objects.get()
    assert export.row_count == len(body)
    assert export.filters == {"export": "csv", "token_type": "CreditCard"}
    assert export.exported_by.username == "finance"


def test_exports_neutralise_spreadsheet_formulas(finance, scanned):
    FailedBinding.objects.filter(pk=FailedBinding.objects.first().pk).update(
        name='=HYPERLINK("http://evil","x")', email="+cmd|' /C calc'!A0", phone="@SUM(1)"
    )
    rows = csv_rows(finance.get(EXPORT, {"export": "csv", "q": "HYPERLINK"}))
    header, row = rows[0], rows[1]
    assert row[header.index("Name")] == '\'=HYPERLINK("http://evil","x")'
    assert row[header.index("Email")].startswith("'+")
    xlsx = finance.get(EXPORT, {"export": "xlsx", "q": "HYPERLINK"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell.value for cell in sheet[2]]
    assert '\'=HYPERLINK("http://evil","x")' in values
    assert all(not str(v).startswith(("=", "+", "@")) for v in values if v)


def test_an_xlsx_export_carries_what_csv_does_header_bold_and_frozen(finance, scanned):
    # A control character from upstream: XML cannot hold it, so it must not break the file.
    FailedBinding.objects.filter(pk=FailedBinding.objects.first().pk).update(
        name="Chan\x07 Tai Man", error_message="Do not honour\x0b"
    )
    from_csv = csv_rows(finance.get(EXPORT, {"export": "csv"}))
    response = finance.get(EXPORT, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    xlsx_rows = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
    strip = str.maketrans("", "", "\x07\x0b")
    assert xlsx_rows == [[value.translate(strip) for value in row] for row in from_csv]
    assert "Chan Tai Man" in {value for row in xlsx_rows for value in row}
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    assert BindingExport.objects.filter(file_format="xlsx").exists()


def test_export_is_capped_with_a_clear_message(finance, scanned, settings):
    settings.BINDING_EXPORT_MAX_ROWS = 5
    response = finance.get(EXPORT, {"export": "csv"})
    rows = csv_rows(response)
    assert len(rows) == 1 + 5 + 1
    assert rows[-1][0].startswith("Export stopped at 5 of")
    assert BindingExport.objects.get().truncated


def test_an_unknown_export_format_is_a_clear_400(finance, scanned):
    response = finance.get(EXPORT, {"export": "pdf"})
    assert response.status_code == 400
    assert b"csv or xlsx" in response.content
    assert not BindingExport.objects.exists()


def test_each_user_picks_the_report_columns_and_the_export_follows_them(finance, scanned):
    # The finance fixture's user chooses three columns, in any order.
    response = finance.post(
        "/customers/columns/",
        {
            "table_key": "failed_bindings",
            "columns": ["error_code", "reference_number", "state"],
            "next": REPORT,
        },
    )
    assert response.status_code == 302
    html = finance.get(REPORT).content.decode()
    table_html = html.split('id="binding-table"', 1)[1]
    assert "Reference number" in table_html and "Error code" in table_html
    assert ">Email<" not in table_html
    # The export writes exactly the visible columns, in the table's order.
    header = csv_rows(finance.get(EXPORT, {"export": "csv"}))[0]
    assert header == ["Reference number", "State", "Error code"]


def test_a_new_user_sees_the_default_report_columns(finance, scanned):
    header = csv_rows(finance.get(EXPORT, {"export": "csv"}))[0]
    assert "Email" in header and "Follow-up note" not in header
