"""The failed bindings report's table: one row per failing default token, from the database."""

import functools
from urllib.parse import urlencode

import django_tables2 as tables
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from customers_app.browsing import display
from customers_app.column_choice import table_register
from customers_app.models import FailedBinding
from ui.tables import (
    DATA_CELLS,
    ONE_LINE_CELLS,
    ONE_LINE_DATA_CELLS,
    LocalDateTimeColumn,
    aria_sort,
)

__all__ = ["FAILED_BINDING_TABLE_KEY", "FailedBindingTable"]

FAILED_BINDING_TABLE_KEY = "failed_bindings"


class FailedBindingTable(tables.Table):
    """The failed bindings report: one row per failing default token, from the database.

    ``Meta.fields`` lists every column a user may pick, ``Meta.sequence`` their order; the
    export writes the visible ones in that order.
    """

    # The table's accessible name, read out by screen readers (see _partials/table.html).
    caption = _("Failed card bindings")

    reference_number = tables.Column(verbose_name=_("Reference number"), attrs=ONE_LINE_DATA_CELLS)
    name = tables.Column(verbose_name=_("Name"), attrs=DATA_CELLS)
    email = tables.Column(verbose_name=_("Email"), attrs=DATA_CELLS)
    phone = tables.Column(
        verbose_name=_("Phone"),
        accessor="phone_display",
        order_by=("dial_code", "phone"),
        attrs=ONE_LINE_DATA_CELLS,
    )
    linked_source_type = tables.Column(verbose_name=_("Source type"), attrs=DATA_CELLS)
    token_type = tables.Column(verbose_name=_("Token type"), attrs=DATA_CELLS)
    state = tables.Column(verbose_name=_("State"), attrs=DATA_CELLS)
    error_code = tables.Column(verbose_name=_("Error code"), attrs=DATA_CELLS)
    error_message = tables.Column(verbose_name=_("Wonder's message"), attrs=DATA_CELLS)
    error_meaning = tables.Column(
        verbose_name=_("What it means"), attrs=DATA_CELLS, orderable=False
    )
    error_next_step = tables.Column(verbose_name=_("Next step"), attrs=DATA_CELLS, orderable=False)
    card_number = tables.Column(verbose_name=_("Card"), attrs=DATA_CELLS)
    card_brand = tables.Column(verbose_name=_("Card brand"), attrs=DATA_CELLS)
    first_seen_at = LocalDateTimeColumn(
        verbose_name=_("First seen"), format="Y-m-d H:i", attrs=ONE_LINE_CELLS
    )
    # The annotation (report.failed_binding_queryset): a row still failing has no time of
    # its own; sorted by the column itself (order_last_seen_at), which an index holds.
    last_seen_at = LocalDateTimeColumn(
        verbose_name=_("Last seen"),
        format="Y-m-d H:i",
        attrs=ONE_LINE_CELLS,
        accessor="last_seen",
        order_by=("last_seen_at",),
    )
    resolved_at = LocalDateTimeColumn(
        verbose_name=_("Resolved"), format="Y-m-d H:i", attrs=ONE_LINE_CELLS
    )
    followup_status = tables.Column(verbose_name=_("Follow-up"))
    followup_note = tables.Column(
        verbose_name=_("Follow-up note"), attrs=DATA_CELLS, orderable=False
    )
    followup_by = tables.Column(
        verbose_name=_("Follow-up by"), attrs=DATA_CELLS, accessor="followup_by__username"
    )
    followup_at = LocalDateTimeColumn(
        verbose_name=_("Follow-up at"), format="Y-m-d H:i", attrs=ONE_LINE_CELLS
    )
    actions = tables.Column(
        verbose_name=_("Follow-up link"),
        orderable=False,
        empty_values=(),
        exclude_from_export=True,
        attrs=ONE_LINE_CELLS,
    )

    # Long upstream values cut to one line (whole in the title and in exports), so the
    # default columns fit 1440 px: the sandbox sends 300-character names and emails.
    def render_name(self, value):
        return display.clipped(value)

    def value_name(self, value):
        return value

    def render_email(self, value):
        return display.clipped(value)

    def value_email(self, value):
        return value

    def render_reference_number(self, value):
        return display.clipped(value, identifier=True)

    def value_reference_number(self, value):
        return value

    def render_error_message(self, value):
        return display.clipped(value, wide=True)

    def render_token_type(self, value):
        return display.clipped(value)

    def value_token_type(self, value):
        return value

    def value_error_message(self, value):
        return value

    def order_last_seen_at(self, queryset, is_descending: bool):
        # Empty (still failing, so seen by the latest sync) is the latest of all: first
        # newest-first, last oldest-first, on SQLite too (which sorts NULL as the least).
        seen = F("last_seen_at")
        order = seen.desc(nulls_first=True) if is_descending else seen.asc(nulls_last=True)
        return queryset.order_by(order), True

    def render_actions(self, record) -> str:
        """The follow-up link, carrying this very page (filters, sort, page number) so that
        saving a follow-up comes back to it: finance works down a filtered list."""
        url = reverse("customers:failed_binding_followup", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url + self._return_query, gettext("Follow up"))

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
        empty_text = _("No failed bindings match these filters.")
        # The lean row (cell attributes worked out once per column): the stock one asked 15
        # columns x 50 rows for <td> attributes (bench/README.md, report profile).
        template_name = "ui/_partials/table.html"


table_register(
    key=FAILED_BINDING_TABLE_KEY,
    table_class=FailedBindingTable,
    permission="customers_app.view_failed_bindings",
)
