"""django-filter FilterSet over the audit trail (the audit log page and its export)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from ui.filter_forms import (
    EMPTY_CHOICE_LABEL,
    CheckedDateRangeField,
    CheckedDateRangeFilter,
    FilterForm,
    LabelledDateRangeWidget,
)

from .models import AuditEvent

__all__ = ["AuditEventFilterSet", "IsoDateRangeField", "audit_outcome_choices"]

# What a date input sends, whatever the browser's language. Without this, en-gb's formats
# read "24/11/2026" as a date while the page gave no sign which one it understood.
_ISO_DATE_FORMATS = ["%Y-%m-%d"]


def audit_outcome_choices() -> list[tuple[str, str]]:
    """Every known outcome with its label, then any other value found in the log as itself.

    The log keeps whatever a caller recorded; an outcome nobody listed in ``AuditEvent.Outcome``
    must still be one click away, or those events could not be found by outcome at all.
    """
    choices = list(AuditEvent.Outcome.choices)
    known = {value for value, _ in choices}
    recorded = AuditEvent.objects.order_by().values_list("outcome", flat=True).distinct()
    choices += [(value, value) for value in sorted(set(recorded) - known) if value]
    return choices


class IsoDateRangeField(CheckedDateRangeField):
    """``CheckedDateRangeField`` that takes only YYYY-MM-DD, as a date input sends it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields:
            field.input_formats = _ISO_DATE_FORMATS


class _IsoDateRangeFilter(CheckedDateRangeFilter):
    field_class = IsoDateRangeField


class _AfterBeforeDateRangeWidget(LabelledDateRangeWidget):
    # occurred_after / occurred_before: the names the page's links and bookmarks already use.
    suffixes = ["after", "before"]


class AuditEventFilterSet(django_filters.FilterSet):
    """Who, what, on which target, with which outcome, between which dates.

    An invalid field (a date like ``yesterday``, a reversed range, an unknown outcome) is
    shown as a form error and ignored by the page; the export refuses such filters instead
    (``accounts.views``), so a mistyped filter never hands out more than was asked for.
    """

    username = django_filters.CharFilter(label=_("User"), lookup_expr="icontains")
    action = django_filters.CharFilter(label=_("Action"), lookup_expr="iexact")
    target = django_filters.CharFilter(label=_("Target"), lookup_expr="icontains")
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), empty_label=EMPTY_CHOICE_LABEL)
    occurred = _IsoDateRangeFilter(
        label=_("When"),
        field_name="occurred_at",
        widget=_AfterBeforeDateRangeWidget(label=_("When")),
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []
        form = FilterForm

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Read per request: a new outcome value becomes a choice as soon as it is recorded.
        self.filters["outcome"].extra["choices"] = audit_outcome_choices()
