"""Which columns of a table a user sees, remembered per user.

Reusable by any django-tables2 table: a table lists every column a user may pick as its
declared columns and the ones shown until the user chooses in ``Meta.default_columns``
(NetBox's convention). A table is registered once under a key with the permission that
guards it, so one view can save the choice for any table without trusting the form to say
which permission applies.
"""

from __future__ import annotations

from dataclasses import dataclass

import django_tables2 as tables
from django import forms
from django.utils.translation import gettext_lazy as _

from customers_app.models import TablePreference
from ui.widgets import TemplateFreeHiddenInput

__all__ = [
    "ChoosableTable",
    "ColumnChoiceForm",
    "column_choice_get",
    "column_choice_save",
    "column_options",
    "column_chooser",
    "columns_excluded",
    "table_choosable",
    "table_register",
]


@dataclass(frozen=True)
class ChoosableTable:
    """A table whose columns users may choose, and the permission needed to see it."""

    key: str
    table_class: type[tables.Table]
    permission: str


_REGISTRY: dict[str, ChoosableTable] = {}


def table_register(*, key: str, table_class: type[tables.Table], permission: str) -> None:
    """Make ``table_class`` choosable under ``key`` (call once, at import of its module)."""
    _REGISTRY[key] = ChoosableTable(key=key, table_class=table_class, permission=permission)


def table_choosable(*, key: str) -> ChoosableTable | None:
    """The registered table for ``key``, or None for a key nobody registered."""
    return _REGISTRY.get(key)


def column_options(table_class: type[tables.Table]) -> list[tuple[str, str]]:
    """Every column a user may pick, as (name, header) in the table's own order."""
    return [
        (name, str(column.verbose_name or name.replace("_", " ").capitalize()))
        for name, column in table_class.base_columns.items()
    ]


def _default_columns(table_class: type[tables.Table]) -> tuple[str, ...]:
    meta = getattr(table_class, "Meta", None)
    default = getattr(meta, "default_columns", None)
    return tuple(default) if default else tuple(table_class.base_columns)


def _known(table_class: type[tables.Table], names) -> tuple[str, ...]:
    # Table order, not the order given: a choice saved before a column was renamed or
    # removed still works, minus the column that is gone.
    wanted = {name for name in names if isinstance(name, str)}
    return tuple(name for name in table_class.base_columns if name in wanted)


def column_choice_get(*, user, table_class: type[tables.Table], table_key: str) -> tuple[str, ...]:
    """The columns ``user`` sees in this table: their saved choice, else the defaults."""
    if user is None or not user.is_authenticated:
        return _default_columns(table_class)
    preference = TablePreference.objects.filter(user=user, table_key=table_key).first()
    chosen = _known(table_class, preference.columns) if preference else ()
    return chosen or _default_columns(table_class)


def column_choice_save(
    *, user, table_class: type[tables.Table], table_key: str, columns
) -> tuple[str, ...]:
    """Remember ``columns`` for ``user``; an empty or unknown choice means the defaults."""
    chosen = _known(table_class, columns)
    if not chosen:
        TablePreference.objects.filter(user=user, table_key=table_key).delete()
        return _default_columns(table_class)
    TablePreference.objects.update_or_create(
        user=user, table_key=table_key, defaults={"columns": list(chosen)}
    )
    return chosen


def columns_excluded(table_class: type[tables.Table], shown) -> tuple[str, ...]:
    """The ``exclude`` argument that makes a table show only ``shown``."""
    return tuple(name for name in table_class.base_columns if name not in set(shown))


class ColumnChoiceForm(forms.Form):
    """The column chooser: one checkbox per column, plus where to go back to."""

    # On every list page: rendered without widget templates (widgets.py).
    table_key = forms.CharField(widget=TemplateFreeHiddenInput, max_length=100)
    next = forms.CharField(widget=TemplateFreeHiddenInput, required=False, max_length=2000)
    columns = forms.MultipleChoiceField(
        label=_("Columns shown"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to go back to the default columns."),
    )

    def __init__(self, *args, table_class: type[tables.Table] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if table_class is not None:
            self.fields["columns"].choices = column_options(table_class)


def column_chooser(
    *, request, table_class: type[tables.Table], table_key: str
) -> tuple[tuple[str, ...], ColumnChoiceForm]:
    """What a list view needs: the columns this user sees, and the form to change them."""
    shown = column_choice_get(user=request.user, table_class=table_class, table_key=table_key)
    form = ColumnChoiceForm(
        table_class=table_class,
        initial={"table_key": table_key, "next": request.get_full_path(), "columns": list(shown)},
    )
    return shown, form
