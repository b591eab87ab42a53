"""Form widgets that write their HTML directly instead of through Django's widget templates.

A stock ``Select`` renders one template for the select and one more per option (each with
its own attribute include); on the customer list, the two filter selects and the column
chooser's two hidden inputs were about a tenth of a page's own work (bench/README.md).
These take the context Django's widget builds (names, ids, values, which option is
selected, ``required``/``aria-*`` attributes) and only replace the template: the output is
the stock output, byte for byte, and a test compares them on hostile labels and values.
Option groups are left to the stock template.
"""

from __future__ import annotations

import html

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

__all__ = ["TemplateFreeHiddenInput", "TemplateFreeSelect"]


def _attribute_value(value) -> str:
    # The templates write ``{{ value|stringformat:'s' }}``: the text of the value, always
    # escaped (stringformat's result is never safe).
    return html.escape(str(value))


def _attributes(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``: False left out, True as a bare name."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_attribute_value(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class TemplateFreeSelect(forms.Select):
    """``forms.Select`` with the markup of ``select.html`` and ``select_option.html``."""

    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        if any(group_name for group_name, _, _ in widget["optgroups"]):
            return super()._render(template_name, context, renderer)
        options = "".join(
            f'\n  <option value="{_attribute_value(option["value"])}"'
            f"{_attributes(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            for _, group_choices, _ in widget["optgroups"]
            for option in group_choices
        )
        return SafeString(
            f'<select name="{conditional_escape(widget["name"])}"{_attributes(widget["attrs"])}>'
            f"{options}\n</select>"
        )


class TemplateFreeHiddenInput(forms.HiddenInput):
    """``forms.HiddenInput`` with the markup of ``input.html``."""

    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        value = widget["value"]
        value_attribute = "" if value is None else f' value="{_attribute_value(value)}"'
        return SafeString(
            f'<input type="{conditional_escape(widget["type"])}" '
            f'name="{conditional_escape(widget["name"])}"{value_attribute}'
            f"{_attributes(widget['attrs'])}>"
        )
