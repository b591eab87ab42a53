"""The template-free widgets write exactly what Django's widget templates write."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.safestring import mark_safe

from customers_app.browsing.forms import CustomerFilterForm
from customers_app.browsing.tables import CUSTOMER_TABLE_KEY, CustomerTable
from customers_app.column_choice import ColumnChoiceForm
from ui.widgets import TemplateFreeHiddenInput, TemplateFreeSelect

HOSTILE = "\"><script>alert(1)</script>&amp; O'Brien 陳大文 🎉"

CHOICES = [
    ("", "All"),
    ("User", "User"),
    (HOSTILE, HOSTILE),
    ("safe", mark_safe("<b>already safe</b>")),  # noqa: S308 - a trusted label, kept as is
    (25, "25"),
]


def _pair(widget_class, stock_class, **field_options):
    def form_class(widget):
        return type(
            "F",
            (forms.Form,),
            {"choice": field_options["field"](widget=widget, **field_options["options"])},
        )

    attrs = {"class": "form-select form-select-sm", "data-x": HOSTILE, "hidden": True}
    return form_class(widget_class(attrs=attrs)), form_class(stock_class(attrs=attrs))


@pytest.mark.parametrize("value", [None, "", "User", HOSTILE, "25", "not a choice"])
@pytest.mark.parametrize("required", [True, False])
def test_select_matches_djangos_select(value, required):
    fast_form, stock_form = _pair(
        TemplateFreeSelect,
        forms.Select,
        field=forms.ChoiceField,
        options={"choices": CHOICES, "required": required, "label": "Source type"},
    )
    data = None if value is None else {"choice": value}
    fast, stock = fast_form(data), stock_form(data)
    # Bound forms with errors add aria-invalid; unbound ones do not: both cases covered.
    fast.is_valid() if data is not None else None
    stock.is_valid() if data is not None else None
    assert str(fast["choice"]) == str(stock["choice"])


def test_select_with_option_groups_falls_back_to_the_template():
    grouped = [("Kinds", [("User", "User"), ("Store", "Store")]), ("", "All")]
    fast = forms.ChoiceField(choices=grouped, widget=TemplateFreeSelect)
    stock = forms.ChoiceField(choices=grouped, widget=forms.Select)
    assert fast.widget.render("kind", "Store") == stock.widget.render("kind", "Store")


@pytest.mark.parametrize("value", [None, "", "customers", HOSTILE, 0])
def test_hidden_input_matches_djangos_hidden_input(value):
    attrs = {"id": "id_next", "data-x": HOSTILE, "disabled": True, "hidden": False}
    fast = TemplateFreeHiddenInput(attrs=attrs).render("next", value)
    stock = forms.HiddenInput(attrs=attrs).render("next", value)
    assert fast == stock


def test_the_customer_filter_selects_render_as_djangos_would():
    form, _, _ = CustomerFilterForm.corrected({"linked_source_type": "Store", "page_size": "100"})
    for name in ("linked_source_type", "page_size"):
        field = form.fields[name]
        stock = forms.Select(attrs=field.widget.attrs, choices=field.choices)
        html = str(form[name])
        assert html == stock.render(name, form[name].value(), attrs={"id": f"id_{name}"})
    assert '<option value="Store" selected>Store</option>' in str(form["linked_source_type"])
    assert '<option value="100" selected>100</option>' in str(form["page_size"])


def test_the_column_chooser_hidden_fields_render_as_djangos_would():
    next_url = '/customers/?page_size=25&linked_source_type="><script>'
    form = ColumnChoiceForm(
        table_class=CustomerTable, initial={"table_key": CUSTOMER_TABLE_KEY, "next": next_url}
    )
    assert str(form["next"]) == forms.HiddenInput().render(
        "next", next_url, attrs={"id": "id_next"}
    )
    assert str(form["table_key"]) == (
        '<input type="hidden" name="table_key" value="customers" id="id_table_key">'
    )
