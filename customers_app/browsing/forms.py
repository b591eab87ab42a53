"""Forms of the customer pages. Plain ``forms.Form``: upstream data is not a queryset."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from customers_app.browsing.services import DEFAULT_PAGE_SIZE, PAGE_SIZE_CHOICES
from customers_app.models import FollowUpStatus
from ui.corrections import correction_note
from ui.widgets import TemplateFreeSelect

__all__ = ["MAX_PAGE_NUMBER", "CustomerFilterForm", "CustomerFindForm", "FollowUpForm"]

# Far past any real list, but small enough that the offset stays a sane number upstream.
MAX_PAGE_NUMBER = 100_000

_DEFAULTS = {"linked_source_type": None, "page_size": DEFAULT_PAGE_SIZE, "page": 1}
_FIELD_NAMES = {
    "linked_source_type": _("Source type"),
    "page_size": _("Rows per page"),
    "page": _("Page"),
}


class CustomerFilterForm(forms.Form):
    """The customer list's filters. Bad values are corrected to defaults, never a 500.

    Its selects are on every list page: they render without widget templates (widgets.py).
    """

    linked_source_type = forms.ChoiceField(
        label=_("Source type"),
        required=False,
        choices=[("", _("All")), ("User", _("User")), ("Store", _("Store"))],
        widget=TemplateFreeSelect(attrs={"class": "form-select form-select-sm"}),
    )
    page_size = forms.TypedChoiceField(
        label=_("Rows per page"),
        required=False,
        coerce=int,
        empty_value=DEFAULT_PAGE_SIZE,
        # Without it a first visit shows "25" selected above 50 rows, and Apply then
        # silently halves the page.
        initial=DEFAULT_PAGE_SIZE,
        choices=[(size, str(size)) for size in PAGE_SIZE_CHOICES],
        widget=TemplateFreeSelect(attrs={"class": "form-select form-select-sm"}),
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_NUMBER, widget=forms.HiddenInput
    )

    @classmethod
    def corrected(cls, query) -> tuple[CustomerFilterForm, dict, list[str]]:
        """The form re-bound to corrected values, the service parameters, and what was fixed.

        A shared URL with ``page_size=9999`` must not show a select that silently says 25
        while the table shows 50: the form is re-bound to the values actually used, and the
        agent is told which value was replaced.
        """
        checked = cls(query)
        checked.is_valid()
        cleaned = getattr(checked, "cleaned_data", {})
        params = {}
        corrections = []
        for name, default in _DEFAULTS.items():
            if name in checked.errors:
                params[name] = default
                corrections.append(
                    correction_note(
                        label=str(_FIELD_NAMES[name]),
                        given=query.get(name),
                        replacement=_describe(name, default),
                    )
                )
            else:
                params[name] = cleaned.get(name) or default
        bound = {
            "linked_source_type": params["linked_source_type"] or "",
            "page_size": str(params["page_size"]),
            "page": str(params["page"]),
        }
        form = cls(bound)
        form.is_valid()
        return form, params, corrections


def _describe(name: str, value) -> str:
    if name == "linked_source_type":
        return gettext("all source types")
    if name == "page_size":
        return gettext("%(count)s rows") % {"count": value}
    return gettext("page %(number)s") % {"number": value}


class CustomerFindForm(forms.Form):
    """The jump box: a Wonder uuid or a reference number, pasted whole."""

    q = forms.CharField(
        label=_("Find a customer"),
        max_length=200,
        strip=True,
        widget=forms.TextInput(
            attrs={"placeholder": _("Wonder uuid or reference number"), "autocomplete": "off"}
        ),
        error_messages={
            "required": _("Paste a Wonder uuid or a reference number."),
            "max_length": _(
                "That is longer than any uuid or reference number (%(limit_value)d "
                "characters at most)."
            ),
        },
    )

    def clean_q(self) -> str:
        value = self.cleaned_data["q"]
        # Control characters never belong in an identifier; they usually mean a bad paste.
        if any(ord(character) < 32 or ord(character) == 127 for character in value):
            raise forms.ValidationError(_("That contains control characters; paste it again."))
        return value


class FollowUpForm(forms.Form):
    """Finance's follow-up on one failed binding."""

    status = forms.ChoiceField(label=_("Follow-up status"), choices=FollowUpStatus)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
