"""Body rows of a django-tables2 table rendered in one pass, for tables on the hot path.

Used by one table: the customer list (``customers_app.browsing.tables.CustomerTable``, with
``ui/_partials/one_pass_table.html``), whose page is the one agents open all day and whose
rows come from Wonder, unpaginated (one upstream page), a cold 100-row page about 4x cheaper
than stock django-tables2 with ``ui.fast_html`` and the cached rendering
(``customers_app.browsing.rendered_tables``). The report and the audit log keep the stock
rows (with the lean ``<td>`` of ``ui/_partials/table.html`` on the report): they page in the
database and use what the lean rows do not support. When it can go, and the rest of the
speed work: bench/README.md, "Where the speed work lives".

django-tables2 renders each cell through ``BoundRow.get_cell``: it looks the column up by
name (a scan of every column), builds a fresh ``Accessor`` and the full set of optional
render arguments, then the template loops over cells. For the customer list that cost
about 25 ms of a 100-row page (bench/README.md). Here the visible columns are looked up
once per table and each cell does only what the customer table's columns use: resolve the
accessor, fall back to the column default when empty, call ``render_<name>`` (or the
column's own ``render``) with the value (and the record, when it asks for it), apply
``linkify``, escape.

Accessors on attribute records (the customer dataclasses) are followed with ``getattr``:
django-tables2 tries ``record[name]`` first and handles the ``TypeError`` for every cell,
which cost about a third of the rows' rendering. Anything subscriptable (dicts, lists,
strings) and anything callable on the way go through ``Accessor.resolve`` as before.

A column's ``<td>`` attributes (``attrs={"td": {...}}``) are written as fixed text, worked
out once per table (``td_open_tag``): attributes computed per record are not supported.
Anything richer (``bound_row``/``table`` arguments to render methods, localisation) is not
supported either: a table using those keeps the stock rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString
from django_tables2.utils import Accessor, signature

from ui.fast_html import escape_html

__all__ = ["PrerenderedRowsMixin", "td_open_tag"]


def td_open_tag(bound_column) -> str:
    """``<td>``, or ``<td class="text-nowrap">`` for a column with ``attrs={"td": ...}``:
    the column's cell attributes as django-tables2 writes them, worked out once per table
    (remembered on the bound column, which lives as long as its table).

    Asking ``bound_column.attrs`` for every cell, as the stock row does, copies and merges
    the table's and the column's attributes each time: that is what the lean rows avoid.
    """
    try:
        return bound_column.td_open_tag
    except AttributeError:
        attributes = bound_column.attrs["td"].as_html()
        tag = f"<td {attributes}>" if attributes else "<td>"
        bound_column.td_open_tag = tag
        return tag


@dataclass(frozen=True)
class _CellPlan:
    """How one visible column turns a record into cell HTML, worked out once per table."""

    accessor: Accessor
    # The accessor's parts: ``default_payment_token__token_type`` -> two attribute names.
    bits: tuple[str, ...]
    empty_values: tuple
    default: object
    render: object
    # Whether ``render`` takes the record as well as the value.
    wants_record: bool
    link: object
    bound_column: object
    # ``<td>`` with the column's attributes, if it has any.
    td_open: str = "<td>"


class PrerenderedRowsMixin:
    """Gives a table ``prerendered_rows``: the ``<tr>`` of each record, as safe HTML.

    Pair it with ``Meta.template_name = "ui/_partials/one_pass_table.html"``.
    Every record in ``data`` is rendered: for unpaginated tables (one upstream page) only.
    """

    def _cell_plans(self) -> list[_CellPlan]:
        return [
            _CellPlan(
                accessor=(accessor := Accessor(bound_column.accessor)),
                bits=tuple(accessor.bits),
                empty_values=tuple(bound_column.column.empty_values),
                default=bound_column.default,
                render=bound_column.render,
                wants_record="record" in signature(bound_column.render)[0],
                link=bound_column.link,
                bound_column=bound_column,
                td_open=td_open_tag(bound_column),
            )
            for bound_column in self.columns
        ]

    @staticmethod
    def _resolve(plan: _CellPlan, record):
        """``plan.accessor.resolve(record, quiet=True)``, without its exceptions for records
        that are plain attribute objects (the answer is the same: a test compares them)."""
        current = record
        for bit in plan.bits:
            if hasattr(current, "__getitem__"):
                return plan.accessor.resolve(record, quiet=True)
            try:
                current = getattr(current, bit)
            except Exception:  # noqa: BLE001 - resolve(quiet=True) answers None for any failure
                return None
            if callable(current):
                return plan.accessor.resolve(record, quiet=True)
            # A relation spanning a missing value stops at None, as in resolve().
            if current is None:
                return None
        return current

    def _cell_html(self, plan: _CellPlan, record) -> str:
        value = self._resolve(plan, record)
        if value in plan.empty_values:
            return escape_html(plan.default)
        content = (
            plan.render(value=value, record=record)
            if plan.wants_record
            else plan.render(value=value)
        )
        if plan.link:
            content = plan.link(
                content,
                value=value,
                record=record,
                column=plan.bound_column.column,
                bound_column=plan.bound_column,
                table=self,
            )
        return escape_html(content)

    @property
    def prerendered_rows(self) -> list[SafeString]:
        plans = self._cell_plans()
        rows = []
        for record in self.data:
            cells = "".join(f"{plan.td_open}{self._cell_html(plan, record)}</td>" for plan in plans)
            # Every cell was escaped above; SafeString directly: mark_safe is a lazy wrapper.
            rows.append(SafeString(f"<tr>{cells}</tr>"))
        return rows

    @property
    def prerendered_body(self) -> SafeString:
        """Every row in one string: the template writes it once instead of looping 100 times."""
        return SafeString("".join(self.prerendered_rows))
