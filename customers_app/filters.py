"""FilterSets over the dashboard's own database rows (upstream data has plain forms instead)."""

from __future__ import annotations

import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from . import services
from .models import FailedBinding, FollowUpStatus

__all__ = [
    "EMPTY_CHOICE_LABEL",
    "CheckedDateRangeField",
    "CheckedDateRangeFilter",
    "FailedBindingFilterSet",
    "FilterForm",
    "LabelledDateRangeWidget",
]

# The empty choice of each select, as the customer list words it (not django-filter's
# "---------"); the audit log's filters use it too.
EMPTY_CHOICE_LABEL = "All"

# A search that could be a phone number as people write it: "+852 6589 8353", "852-6589".
_PHONE_LIKE = re.compile(r"[0-9+\-\s().]+")

_BINDING_STATUS_CHOICES = [
    ("current", "Still failing"),
    ("resolved", "Resolved by Wonder"),
    ("all", "All"),
]


class LabelledDateRangeWidget(django_filters.widgets.RangeWidget):
    """Two date inputs, each with its own accessible name.

    The field's one ``<label>`` can only name the first input; without these a screen
    reader announces two anonymous date boxes (axe-core: "Form elements must have labels").
    """

    # "from [date] to [date]", not django-filter's bare "-" between the two inputs.
    template_name = "customers_app/widgets/date_range.html"

    def __init__(self, *, label: str, attrs: dict | None = None) -> None:
        super().__init__(attrs={"type": "date", **(attrs or {})})
        for widget, end in zip(self.widgets, ("from", "to"), strict=True):
            widget.attrs["aria-label"] = f"{label} {end}"


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
        "reversed": "The “from” date is after the “to” date.",
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


class FailedBindingFilterSet(django_filters.FilterSet):
    """The failed bindings report's filters. An invalid value is reported and ignored."""

    q = django_filters.CharFilter(
        label="Search", method="filter_search", max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "Name, email, phone or reference"}),
    )  # fmt: skip
    binding_status = django_filters.ChoiceFilter(
        label="Binding", choices=_BINDING_STATUS_CHOICES, method="filter_binding_status",
        empty_label=None,
    )  # fmt: skip
    linked_source_type = django_filters.ChoiceFilter(
        label="Source type",
        choices=[("User", "User"), ("Store", "Store")],
        empty_label=EMPTY_CHOICE_LABEL,
    )
    # Choices come from the rows themselves (set in __init__, cached per completed scan):
    # Wonder may send types and codes we never heard of.
    token_type = django_filters.ChoiceFilter(label="Token type", empty_label=EMPTY_CHOICE_LABEL)
    state = django_filters.ChoiceFilter(label="State", empty_label=EMPTY_CHOICE_LABEL)
    error_code = django_filters.ChoiceFilter(label="Error code", empty_label=EMPTY_CHOICE_LABEL)
    card_brand = django_filters.ChoiceFilter(label="Card brand", empty_label=EMPTY_CHOICE_LABEL)
    first_seen = CheckedDateRangeFilter(
        label="First seen",
        field_name="first_seen_at",
        widget=LabelledDateRangeWidget(label="First seen"),
    )
    followup_status = django_filters.ChoiceFilter(
        label="Follow-up", choices=FollowUpStatus, empty_label=EMPTY_CHOICE_LABEL
    )

    class Meta:
        model = FailedBinding
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data=None, *args, **kwargs) -> None:
        # Finance opens the report to see what is failing now; resolved rows are one click away.
        data = data.copy() if data is not None else None
        if data is not None and not data.get("binding_status"):
            data["binding_status"] = "current"
        super().__init__(data, *args, **kwargs)
        for field_name, values in services.failed_binding_filter_choices().items():
            self.filters[field_name].extra["choices"] = [(value, value) for value in values]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Rows whose name, email, phone (with or without dial code) or reference contain it."""
        value = value.strip()
        if not value:
            return queryset
        match = (
            Q(name__icontains=value)
            | Q(email__icontains=value)
            | Q(reference_number__icontains=value)
            | Q(phone__icontains=value)
        )
        digits = "".join(char for char in value if char.isdigit())
        # Only a search that looks like a phone number is compared digit by digit: otherwise
        # "chan1985@gmail.com" would also list every phone containing 1985.
        if len(digits) >= 3 and _PHONE_LIKE.fullmatch(value):
            match |= Q(phone_digits__contains=digits)
        return queryset.filter(match)

    def filter_binding_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Still failing (the default), resolved, or all."""
        if value == "current":
            return queryset.filter(resolved_at__isnull=True)
        if value == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset
