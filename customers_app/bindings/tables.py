"""The failed bindings report's table: one row per failing default token, from the database."""

import functools
from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from customers_app.column_choice import table_register
from customers_app.models import FailedBinding
from ui.tables import ONE_LINE_CELLS, LocalDateTimeColumn, aria_sort

__all__ = ["FAILED_BINDING_TABLE_KEY", "FailedBindingTable"]

FAILED_BINDING_TABLE_KEY = "failed_bindings"


class FailedBindingTable(tables.Table):
    """The failed bindings report: one row per failing default token, from the database.

    ``Meta.fields`` lists every column a user may pick, ``Meta.sequence`` their order; the
    export writes the visible ones in that order.
    """

    # The table's accessible name, read out by screen readers (see _partials/table.html).
    caption = "Failed card bindings"

    reference_number = tables.Column(verbose_name="Reference number", attrs=ONE_LINE_CELLS)
    name = tables.Column(verbose_name="Name")
    email = tables.Column(verbose_name="Email")
    phone = tables.Column(
        verbose_name="Phone",
        accessor="phone_display",
        order_by=("dial_code", "phone"),
        attrs=ONE_LINE_CELLS,
    )
    linked_source_type = tables.Column(verbose_name="Source type")
    token_type = tables.Column(verbose_name="Token type")
    state = tables.Column(verbose_name="State")
    error_code = tables.Column(verbose_name="Error code")
    error_message = tables.Column(verbose_name="Wonder's message")
    error_meaning = tables.Column(verbose_name="What it means", orderable=False)
    error_next_step = tables.Column(verbose_name="Next step", orderable=False)
    card_number = tables.Column(verbose_name="Card")
    card_brand = tables.Column(verbose_name="Card brand")
    first_seen_at = LocalDateTimeColumn(verbose_name="First seen", format="Y-m-d H:i")
    last_seen_at = LocalDateTimeColumn(verbose_name="Last seen", format="Y-m-d H:i")
    resolved_at = LocalDateTimeColumn(verbose_name="Resolved", format="Y-m-d H:i")
    followup_status = tables.Column(verbose_name="Follow-up")
    followup_note = tables.Column(verbose_name="Follow-up note", orderable=False)
    followup_by = tables.Column(verbose_name="Follow-up by", accessor="followup_by__username")
    followup_at = LocalDateTimeColumn(verbose_name="Follow-up at", format="Y-m-d H:i")
    actions = tables.Column(
        verbose_name="Follow-up link",
        orderable=False,
        empty_values=(),
        exclude_from_export=True,
    )

    def render_actions(self, record) -> str:
        """The follow-up link, carrying this very page (filters, sort, page number) so that
        saving a follow-up comes back to it: finance works down a filtered list."""
        url = reverse("customers:failed_binding_followup", args=[record.pk])
        return format_html('<a href="{}">Follow up</a>', url + self._return_query)

    @functools.cached_property
    def _return_query(self) -> str:
        # The same for every row of the page: worked out once, not once per row.
        request = getattr(self, "request", None)
        return f"?{urlencode({'next': request.get_full_path()})}" if request is not None else ""

    class Meta:
        model = FailedBinding
        fields = (
            "reference_number", "name", "email", "phone", "linked_source_type", "token_type",
            "state", "error_code", "error_message", "error_meaning", "error_next_step",
            "card_number", "card_brand", "first_seen_at", "last_seen_at", "resolved_at",
            "followup_status", "followup_note", "followup_by", "followup_at",
        )  # fmt: skip
        sequence = (*fields, "actions")
        # What a new user sees; the rest is one tick away in the column chooser.
        default_columns = (
            "reference_number", "name", "email", "phone", "linked_source_type", "token_type",
            "state", "error_code", "error_message", "error_meaning", "error_next_step",
            "card_number", "first_seen_at", "followup_status", "actions",
        )  # fmt: skip
        exclude = ("id", "uuid", "dial_code", "fingerprint", "last_scan", "new_in_scan")
        attrs = {
            "class": "table table-sm table-hover binding-table",
            "th": {"aria-sort": aria_sort},
        }
        empty_text = "No failed bindings match these filters."
        # The lean row (cell attributes worked out once per column): the stock one asked 15
        # columns x 50 rows for <td> attributes (bench/README.md, report profile).
        template_name = "ui/_partials/table.html"


table_register(
    key=FAILED_BINDING_TABLE_KEY,
    table_class=FailedBindingTable,
    permission="customers_app.view_failed_bindings",
)
