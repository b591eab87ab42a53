"""The search box: one text field. Its text is read by ``terms.query_parse``, not here, so
a bad search is answered on the results page with what is wrong, never a form error."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from customers_app.search.terms import MAX_QUERY_LENGTH

__all__ = ["CustomerSearchForm"]


class CustomerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a customer"),
        required=False,
        strip=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Name, email, phone, card last 4, reference or uuid"),
                "autocomplete": "off",
                "maxlength": MAX_QUERY_LENGTH,
            }
        ),
    )
