"""django-tables2 tables over customer records."""

import django_tables2 as tables
from django.urls import NoReverseMatch, reverse

from . import display
from .column_choice import table_register

__all__ = ["CUSTOMER_TABLE_KEY", "CustomerTable", "customer_detail_url"]

CUSTOMER_TABLE_KEY = "customers"


def customer_detail_url(record) -> str | None:
    """The detail page of a customer, or no link when Wonder sent a uuid no URL can hold."""
    try:
        return reverse("customers:detail", kwargs={"uuid": record.uuid})
    except NoReverseMatch:
        return None


class CustomerTable(tables.Table):
    """One page of customers.

    Not sortable: Wonder has no sort parameter, and sorting one page in memory would
    misrepresent the order of the whole list.
    """

    # empty_values=(): a customer without a name still gets a link to its page.
    name = tables.Column(verbose_name="Name", linkify=customer_detail_url, empty_values=())
    email = tables.Column(verbose_name="Email")
    phone = tables.Column(
        verbose_name="Phone", accessor="phone_display", attrs={"td": {"class": "text-nowrap"}}
    )
    reference_number = tables.Column(verbose_name="Reference number")
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

    def render_name(self, value) -> str:
        return value or "(no name)"

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
