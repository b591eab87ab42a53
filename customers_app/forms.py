"""Filter forms. Plain ``forms.Form``: upstream data is not a queryset."""

from django import forms

from .services import DEFAULT_PAGE_SIZE, PAGE_SIZE_CHOICES

__all__ = ["CustomerFilterForm"]


class CustomerFilterForm(forms.Form):
    """The customer list's filters. Bad values are corrected to defaults, never a 500."""

    linked_source_type = forms.ChoiceField(
        label="Source type",
        required=False,
        choices=[("", "All"), ("User", "User"), ("Store", "Store")],
    )
    page_size = forms.TypedChoiceField(
        label="Rows per page",
        required=False,
        coerce=int,
        empty_value=DEFAULT_PAGE_SIZE,
        # Without it a first visit shows "25" selected above 50 rows, and Apply then
        # silently halves the page.
        initial=DEFAULT_PAGE_SIZE,
        choices=[(size, str(size)) for size in PAGE_SIZE_CHOICES],
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def cleaned_or_defaults(self) -> dict:
        """Valid fields as given; any invalid field falls back to its default."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "linked_source_type": cleaned.get("linked_source_type") or None,
            "page_size": cleaned.get("page_size") or DEFAULT_PAGE_SIZE,
            "page": cleaned.get("page") or 1,
        }
