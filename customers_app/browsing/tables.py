"""The customer list's table: one page of customer records from Wonder."""

import functools
from urllib.parse import quote

import django_tables2 as tables
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from customers_app.browsing import display
from customers_app.column_choice import table_register
from ui.fast_html import format_html_fast
from ui.table_rows import PrerenderedRowsMixin
from ui.tables import DATA_CELLS, ONE_LINE_DATA_CELLS

__all__ = ["CUSTOMER_TABLE_KEY", "CustomerTable", "customer_detail_url"]

CUSTOMER_TABLE_KEY = "customers"


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
    caption = _("Customers")

    # empty_values=(): a customer without a name still gets a link to its page.
    name = tables.Column(verbose_name=_("Name"), empty_values=(), attrs=DATA_CELLS)
    email = tables.Column(verbose_name=_("Email"), attrs=DATA_CELLS)
    phone = tables.Column(
        verbose_name=_("Phone"), accessor="phone_display", attrs=ONE_LINE_DATA_CELLS
    )
    reference_number = tables.Column(verbose_name=_("Reference number"), attrs=ONE_LINE_DATA_CELLS)
    uuid = tables.Column(verbose_name=_("Wonder uuid"))
    default_payment_method = tables.Column(verbose_name=_("Default method"), attrs=DATA_CELLS)
    token_type = tables.Column(
        verbose_name=_("Token type"),
        accessor="default_payment_token__token_type",
        attrs=DATA_CELLS,
    )
    token_state = tables.Column(
        verbose_name=_("Token state"), accessor="default_payment_token", empty_values=()
    )
    is_default = tables.Column(
        verbose_name=_("Default"), accessor="default_payment_token", empty_values=()
    )
    card = tables.Column(
        verbose_name=_("Card"), accessor="default_payment_token__credit_card", empty_values=()
    )
    bind_error = tables.Column(
        verbose_name=_("Bind error"),
        accessor="default_payment_token",
        empty_values=(),
        attrs=DATA_CELLS,
    )

    class Meta:
        orderable = False
        template_name = "ui/_partials/one_pass_table.html"
        attrs = {"class": "table table-sm table-hover align-middle customer-table"}
        empty_text = _("No customers on this page.")
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
        if not value:
            name = gettext("(no name)")
            return format_html_fast('<a href="{}">{}</a>', url, name) if url else name
        shown = display.clipped(value)
        return format_html_fast('<a href="{}">{}</a>', url, shown) if url else shown

    def render_email(self, value):
        return display.clipped(value)

    def render_uuid(self, value):
        return display.uuid_with_copy(value)

    def render_token_state(self, value):
        return display.token_state_badge(value)

    def render_is_default(self, value) -> str:
        if value is None:
            return display.EMPTY
        return gettext("Yes") if value.is_default else gettext("No")

    def render_card(self, value):
        return display.card_summary(value)

    def render_bind_error(self, value) -> str:
        return display.clipped(display.bind_error_text(value), wide=True)

    def render_reference_number(self, value):
        return display.clipped(value, identifier=True)


table_register(
    key=CUSTOMER_TABLE_KEY, table_class=CustomerTable, permission="customers_app.view_customers"
)
