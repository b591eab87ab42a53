"""django-tables2 tables over customer records and the failed bindings report."""

import functools
from urllib.parse import quote, urlencode

import django_tables2 as tables
from django.urls import get_script_prefix, reverse
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.timezone import template_localtime

from . import display
from .column_choice import table_register
from .fast_html import format_html_fast
from .models import FailedBinding
from .table_rows import PrerenderedRowsMixin

__all__ = [
    "CUSTOMER_TABLE_KEY",
    "FAILED_BINDING_TABLE_KEY",
    "CustomerTable",
    "FailedBindingTable",
    "LocalDateTimeColumn",
    "customer_detail_url",
]

CUSTOMER_TABLE_KEY = "customers"
FAILED_BINDING_TABLE_KEY = "failed_bindings"


# Cells that stay on one line: a wrapped "+852 / 9123 4567" reads as two numbers, and
# "CUST- / 00000016" as two references. A class on the column's cells, written once per
# table by both row renderings (table_rows.td_open_tag).
_ONE_LINE = {"td": {"class": "text-nowrap"}}


def _aria_sort(bound_column) -> str | None:
    """The header's aria-sort, on the sorted column only: its th carries class "asc" or
    "desc", which a screen reader does not read out."""
    if not bound_column.is_ordered:
        return None
    return "descending" if bound_column.order_by_alias.is_descending else "ascending"


# What reverse() quotes in a path segment: everything but RFC 3986 sub-delimiters and ~:@.
_PATH_SEGMENT_SAFE = "!$&'()*+,;=~:@"


@functools.lru_cache(maxsize=8)
def _detail_url_template(script_prefix: str) -> tuple[str, str]:
    head, _, tail = reverse("customers:detail", kwargs={"uuid": "UUID"}).rpartition("UUID")
    return head, tail


def customer_detail_url(record) -> str | None:
    """The detail page of a customer, or no link when Wonder sent a uuid no URL can hold.

    reverse() once per script prefix, not once per row: on a 100-row page the per-row
    reverse() cost more than rendering the rest of the row. The result is the same URL
    (a test compares them, hostile uuids included).
    """
    uuid = record.uuid
    if not uuid or "/" in uuid:  # the <str:uuid> converter takes neither
        return None
    head, tail = _detail_url_template(get_script_prefix())
    return f"{head}{quote(uuid, safe=_PATH_SEGMENT_SAFE)}{tail}"


class CustomerTable(PrerenderedRowsMixin, tables.Table):
    """One page of customers.

    Not sortable: Wonder has no sort parameter, and sorting one page in memory would
    misrepresent the order of the whole list.
    """

    # The table's accessible name, read out by screen readers (see _partials/table.html).
    caption = "Customers"

    # empty_values=(): a customer without a name still gets a link to its page.
    name = tables.Column(verbose_name="Name", empty_values=())
    email = tables.Column(verbose_name="Email")
    phone = tables.Column(verbose_name="Phone", accessor="phone_display", attrs=_ONE_LINE)
    reference_number = tables.Column(verbose_name="Reference number", attrs=_ONE_LINE)
    uuid = tables.Column(verbose_name="Wonder uuid")
    default_payment_method = tables.Column(verbose_name="Default method")
    token_type = tables.Column(
        verbose_name="Token type", accessor="default_payment_token__token_type"
    )
    token_state = tables.Column(
        verbose_name="Token state", accessor="default_payment_token", empty_values=()
    )
    is_default = tables.Column(
        verbose_name="Default", accessor="default_payment_token", empty_values=()
    )
    card = tables.Column(
        verbose_name="Card", accessor="default_payment_token__credit_card", empty_values=()
    )
    bind_error = tables.Column(
        verbose_name="Bind error", accessor="default_payment_token", empty_values=()
    )

    class Meta:
        orderable = False
        template_name = "customers_app/_partials/one_pass_table.html"
        attrs = {"class": "table table-sm table-hover align-middle customer-table"}
        empty_text = "No customers on this page."
        # Shown until a user picks columns; uuid and method are there for the curious.
        default_columns = (
            "name",
            "email",
            "phone",
            "reference_number",
            "uuid",
            "token_type",
            "token_state",
            "card",
            "bind_error",
        )

    def render_name(self, value, record):
        """The name, linked to the customer's page (built here rather than with ``linkify``,
        whose per-row attribute handling cost more than the rest of the row)."""
        url = customer_detail_url(record)
        name = value or "(no name)"
        return format_html_fast('<a href="{}">{}</a>', url, name) if url else name

    def render_uuid(self, value):
        return display.uuid_with_copy(value)

    def render_token_state(self, value):
        return display.token_state_badge(value)

    def render_is_default(self, value) -> str:
        if value is None:
            return display.EMPTY
        return "Yes" if value.is_default else "No"

    def render_card(self, value):
        return display.card_summary(value)

    def render_bind_error(self, value) -> str:
        return display.bind_error_text(value) or display.EMPTY


table_register(
    key=CUSTOMER_TABLE_KEY, table_class=CustomerTable, permission="customers_app.view_customers"
)


class LocalDateTimeColumn(tables.DateTimeColumn):
    """A date and time in the local timezone, formatted like the ``date`` filter would, on the
    page and in exports alike.

    The stock ``DateTimeColumn`` compiles its one-line template again for every cell (four
    columns x 50 rows on the report); formatting directly gives the same text.
    """

    # The stock column is a TemplateColumn, which takes every value, None included, to its
    # template (empty_values=()); render() does not: an empty date is the table's empty
    # marker on the page and an empty cell in an export.
    empty_values = (None, "")

    def __init__(self, *, format: str, **kwargs) -> None:
        super().__init__(format=format, **kwargs)
        self.format = format

    def render(self, value, **kwargs) -> str:
        """The value as ``format``, in the current timezone (empty values never get here)."""
        return dateformat.format(template_localtime(value), self.format)

    def value(self, value, **kwargs) -> str:
        """The export's text: what the page shows, not the stock column's UTC ISO value
        (``2026-11-24 01:06:59.939813+00:00`` beside a page saying ``2026-11-24 09:06``)."""
        return self.render(value)


class FailedBindingTable(tables.Table):
    """The failed bindings report: one row per failing default token, from the database.

    ``Meta.fields`` lists every column a user may pick, ``Meta.sequence`` their order; the
    export writes the visible ones in that order.
    """

    # The table's accessible name, read out by screen readers (see _partials/table.html).
    caption = "Failed card bindings"

    reference_number = tables.Column(verbose_name="Reference number", attrs=_ONE_LINE)
    name = tables.Column(verbose_name="Name")
    email = tables.Column(verbose_name="Email")
    phone = tables.Column(
        verbose_name="Phone",
        accessor="phone_display",
        order_by=("dial_code", "phone"),
        attrs=_ONE_LINE,
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
            "th": {"aria-sort": _aria_sort},
        }
        empty_text = "No failed bindings match these filters."
        # The lean row (cell attributes worked out once per column): the stock one asked 15
        # columns x 50 rows for <td> attributes (bench/README.md, report profile).
        template_name = "customers_app/_partials/table.html"


table_register(
    key=FAILED_BINDING_TABLE_KEY,
    table_class=FailedBindingTable,
    permission="customers_app.view_failed_bindings",
)
