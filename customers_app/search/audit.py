"""The audit trail of searches: who searched, when, for which kind of term, how many found.

Never the text itself: agents search by a customer's phone number or email, and the audit
log is read by more people, and kept longer, than the customer index.
"""

from __future__ import annotations

from accounts.audit import audit_event_record
from customers_app.search.terms import ParsedQuery

__all__ = ["SEARCH_AUDIT_ACTION", "customer_search_audit"]

SEARCH_AUDIT_ACTION = "customer.search"


def customer_search_audit(
    *, request, query: ParsedQuery, outcome: str, results: int | None = None
) -> None:
    """Record one search: ``outcome`` is success, invalid, index_building or redirect."""
    detail: dict = {"kinds": query.kinds}
    if results is not None:
        detail["results"] = results
    audit_event_record(request=request, action=SEARCH_AUDIT_ACTION, outcome=outcome, detail=detail)
