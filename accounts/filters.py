"""django-filter FilterSet over the audit trail (the audit log page and its export)."""

import django_filters

from .models import AuditEvent

__all__ = ["AuditEventFilterSet"]


class AuditEventFilterSet(django_filters.FilterSet):
    """Who, what, on which target, with which outcome, between which dates.

    An invalid field (a date like ``yesterday``) is shown as a form error and ignored, the
    other filters still apply.
    """

    username = django_filters.CharFilter(label="User", lookup_expr="icontains")
    action = django_filters.CharFilter(label="Action", lookup_expr="iexact")
    target = django_filters.CharFilter(label="Target", lookup_expr="icontains")
    outcome = django_filters.ChoiceFilter(label="Outcome", choices=AuditEvent.Outcome.choices)
    occurred_after = django_filters.DateFilter(
        label="From (YYYY-MM-DD)", field_name="occurred_at", lookup_expr="date__gte"
    )
    occurred_before = django_filters.DateFilter(
        label="Until (YYYY-MM-DD)", field_name="occurred_at", lookup_expr="date__lte"
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []
