"""django-tables2 tables over customer records."""

import django_tables2 as tables

__all__ = ["CustomerTable"]


class CustomerTable(tables.Table):
    """One page of customers. Not sortable: Wonder has no sort parameter, and sorting one
    page in memory would misrepresent the order of the whole list."""

    # The table's accessible name, read out by screen readers (see _partials/table.html).
    caption = "Customers"

    name = tables.Column(verbose_name="Name")
    email = tables.Column(verbose_name="Email")
    phone = tables.Column(verbose_name="Phone", accessor="phone_display")
    reference_number = tables.Column(verbose_name="Reference number")
    uuid = tables.Column(verbose_name="Wonder uuid")
    token_type = tables.Column(
        verbose_name="Token type", accessor="default_payment_token__token_type"
    )
    token_state = tables.Column(verbose_name="Token state", accessor="default_payment_token__state")
    bind_error = tables.Column(
        verbose_name="Bind error", accessor="default_payment_token", empty_values=()
    )

    class Meta:
        orderable = False
        template_name = "customers_app/_partials/table.html"
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "No customers on this page."

    def render_bind_error(self, value) -> str:
        if value is None or not value.has_bind_error:
            return "—"
        return ": ".join(part for part in (value.error_code, value.error_msg) if part)
