"""Filter-form helpers every list page shares: the look of the customer list's filters, an
"All" empty choice, and a date range whose ends the database can hold."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = [
    "EMPTY_CHOICE_LABEL",
    "CheckedDateRangeField",
    "CheckedDateRangeFilter",
    "FilterForm",
    "LabelledDateRangeWidget",
]

# The empty choice of each select, as the customer list words it (not django-filter's
# "---------"); the audit log's filters use it too.
EMPTY_CHOICE_LABEL = _("All")


class LabelledDateRangeWidget(django_filters.widgets.RangeWidget):
    """Two date inputs, each with its own accessible name.

    The field's one ``<label>`` can only name the first input; without these a screen
    reader announces two anonymous date boxes (axe-core: "Form elements must have labels").
    """

    # "from [date] to [date]", not django-filter's bare "-" between the two inputs.
    template_name = "ui/widgets/date_range.html"

    def __init__(self, *, label: str, attrs: dict | None = None) -> None:
        super().__init__(attrs={"type": "date", **(attrs or {})})
        self.label = label
        self.ends = (_("%(label)s from"), _("%(label)s to"))

    def get_context(self, name, value, attrs):
        # Named here, per rendering, so the names are in the page's language.
        for widget, end in zip(self.widgets, self.ends, strict=True):
            widget.attrs["aria-label"] = str(end) % {"label": self.label}
        return super().get_context(name, value, attrs)


class FilterForm(forms.Form):
    """A filter form that looks like the customer list's: Bootstrap's small controls
    (``form-select-sm``, ``form-control-sm``) and labels without a colon.

    Set here, once for every field, rather than on each filter's widget: a filter added
    later gets the same look without anyone remembering to ask for it.
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # self.fields are this form's own copies (widgets included), so this changes no other.
        for field in self.fields.values():
            # A date range is two inputs (a MultiWidget): each gets the class.
            for widget in getattr(field.widget, "widgets", (field.widget,)):
                css_class = (
                    "form-select form-select-sm"
                    if isinstance(widget, forms.Select)
                    else "form-control form-control-sm"
                )
                widget.attrs["class"] = css_class


class CheckedDateRangeField(django_filters.fields.DateRangeField):
    """A from-to date range whose ends the database can hold, the "from" not after the "to".

    django-filter turns each date into the local timezone's midnight (or last instant), and
    the database compares in UTC: 0001-01-01 00:00 in Hong Kong is 16:00 on the last day of
    the year 0 in UTC, which no ``datetime`` holds, and the query died with ``OverflowError``.
    Such a date gets the same "Enter a valid date." as 99999-01-01 does (a field error: the
    filter set reports it and ignores the range).
    """

    default_error_messages = {
        "invalid_date": forms.DateField.default_error_messages["invalid"],
        "reversed": _("The “from” date is after the “to” date."),
    }

    def compress(self, data_list):
        date_range = super().compress(data_list)
        if date_range is None:
            return None
        for end in (date_range.start, date_range.stop):
            if end is None:
                continue
            try:
                end.astimezone(datetime.UTC)
            except OverflowError:
                message = self.error_messages["invalid_date"]
                raise ValidationError(message, code="invalid_date") from None
        if date_range.start and date_range.stop and date_range.start > date_range.stop:
            # Otherwise "0 matching bindings", as if nothing had failed in that time.
            raise ValidationError(self.error_messages["reversed"], code="reversed")
        return date_range


class CheckedDateRangeFilter(django_filters.DateFromToRangeFilter):
    """``DateFromToRangeFilter`` with ``CheckedDateRangeField``'s checks."""

    field_class = CheckedDateRangeField
