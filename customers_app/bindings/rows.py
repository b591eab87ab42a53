"""What the failed bindings report keeps of one failing customer: a flat, typed row.

The customer sync (``customers_app/sync/``) reads every customer; the report's rows are
made from the staged ones whose default token fails, and ``reconcile`` compares them with
the report by fingerprint.
"""

from __future__ import annotations

import hashlib
import operator
from dataclasses import dataclass, fields

__all__ = ["BindingRow", "binding_row_values"]


@dataclass(frozen=True, slots=True)
class BindingRow:
    """What the report keeps of one failing customer: no token value, a masked card."""

    uuid: str
    reference_number: str
    name: str
    email: str
    dial_code: str
    phone: str
    linked_source_type: str
    token_type: str
    state: str
    error_code: str
    error_message: str
    card_number: str
    card_brand: str

    def fingerprint(self) -> str:
        """A digest of every field: a row whose digest is unchanged needs no update."""
        return hashlib.sha256("\x1f".join(binding_row_values(self)).encode()).hexdigest()


# The row's fields as a tuple, in declaration order; dataclasses.astuple deep-copies every
# field and cost more than the rest of the reconcile for 100,000 rows.
binding_row_values = operator.attrgetter(*(field.name for field in fields(BindingRow)))
