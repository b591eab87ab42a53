"""The failed bindings report's FilterSet over the dashboard's own rows."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from customers_app.bindings.report import failed_binding_filter_choices
from customers_app.models import FailedBinding, FollowUpStatus
from ui.filter_forms import (
    EMPTY_CHOICE_LABEL,
    CheckedDateRangeFilter,
    FilterForm,
    LabelledDateRangeWidget,
)

__all__ = ["NO_VALUE", "FailedBindingFilterSet"]

# A search that could be a phone number as people write it: "+852 6589 8353", "852-6589".
_PHONE_LIKE = re.compile(r"[0-9+\-\s().]+")

# "12" or "12-14": the syncs (ScanRun ids) whose new failures a digest's link lists.
_NEW_IN_PATTERN = re.compile(r"^\s*(\d{1,18})\s*(?:-\s*(\d{1,18})\s*)?$")

_BINDING_STATUS_CHOICES = [
    ("current", _("Still failing")),
    ("resolved", _("Resolved by Wonder")),
    ("all", _("All")),
]

# The choice, in the filters whose choices are the rows' own values, for rows without a
# value: they showed as a blank option after "All" that screen readers read as nothing and
# that filtered nothing, so rows without an error code (the chart's "none (pending)") could
# not be listed at all. Not a value Wonder sends (its codes are like "05" or "E200110").
NO_VALUE = "_none"
_NO_VALUE_LABELS = {
    "token_type": _("No token type"),
    "state": _("No state"),
    "error_code": _("No error code"),
    "card_brand": _("No card brand"),
}


class FailedBindingFilterSet(django_filters.FilterSet):
    """The failed bindings report's filters. An invalid value is reported and ignored."""

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("Name, email, phone or reference")}),
    )  # fmt: skip
    binding_status = django_filters.ChoiceFilter(
        label=_("Binding"), choices=_BINDING_STATUS_CHOICES, method="filter_binding_status",
        empty_label=None,
    )  # fmt: skip
    linked_source_type = django_filters.ChoiceFilter(
        label=_("Source type"),
        choices=[("User", _("User")), ("Store", _("Store"))],
        empty_label=EMPTY_CHOICE_LABEL,
    )
    # Choices come from the rows themselves (set in __init__, cached per completed scan):
    # Wonder may send types and codes we never heard of.
    token_type = django_filters.ChoiceFilter(
        label=_("Token type"), empty_label=EMPTY_CHOICE_LABEL, method="filter_value_or_none"
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), empty_label=EMPTY_CHOICE_LABEL, method="filter_value_or_none"
    )
    error_code = django_filters.ChoiceFilter(
        label=_("Error code"), empty_label=EMPTY_CHOICE_LABEL, method="filter_value_or_none"
    )
    card_brand = django_filters.ChoiceFilter(
        label=_("Card brand"), empty_label=EMPTY_CHOICE_LABEL, method="filter_value_or_none"
    )
    first_seen = CheckedDateRangeFilter(
        label=_("First seen"),
        field_name="first_seen_at",
        widget=LabelledDateRangeWidget(label=_("First seen")),
    )
    followup_status = django_filters.ChoiceFilter(
        label=_("Follow-up"), choices=FollowUpStatus, empty_label=EMPTY_CHOICE_LABEL
    )
    # What a digest links to: the bindings new in one sync, or in a range of them.
    new_in = django_filters.CharFilter(
        label=_("New in sync"),
        method="filter_new_in",
        max_length=40,
        validators=[
            RegexValidator(
                _NEW_IN_PATTERN,
                message=_("give a sync number, or two joined by a dash (12-14)"),
            )
        ],
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 12 or 12-14"), "size": 8}),
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
        for field_name, values in failed_binding_filter_choices().items():
            choices = [(value, value) for value in values if value]
            if len(choices) < len(values):  # some rows have no value
                choices.insert(0, (NO_VALUE, _NO_VALUE_LABELS[field_name]))
            self.filters[field_name].extra["choices"] = choices

    def filter_value_or_none(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Rows holding ``value``; for ``NO_VALUE``, rows with none (empty or missing)."""
        if value == NO_VALUE:
            return queryset.filter(Q(**{name: ""}) | Q(**{f"{name}__isnull": True}))
        return queryset.filter(**{name: value})

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

    def filter_new_in(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Rows that became failing in sync ``N`` or in syncs ``N-M`` (both included)."""
        match = _NEW_IN_PATTERN.match(value or "")
        if match is None:
            return queryset
        first, last = int(match[1]), int(match[2] or match[1])
        first, last = min(first, last), max(first, last)
        return queryset.filter(new_in_scan_id__gte=first, new_in_scan_id__lte=last)
