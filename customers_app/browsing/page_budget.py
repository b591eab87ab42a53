"""A page never waits more than ``WONDER_PAGE_TIME_BUDGET`` (8 s) for Wonder.

The client's own ``WONDER_TIME_BUDGET`` (20 s) is for the sync, which may wait; a person
looking at a page should not. Every Wonder call a request makes shares the page's budget
(``wonder.shared_time_budget``), so a customer's page, which asks for the customer and then
their tokens, waits at most 8 s in all. When the budget runs out the page answers as it does
when Wonder is down: the cached rows marked stale, or "Wonder is not answering".
Background work (the scan's threads, workers, commands) is outside any request: not limited.
"""

from __future__ import annotations

from django.conf import settings

from wonder import shared_time_budget

__all__ = ["WonderPageBudgetMiddleware"]


class WonderPageBudgetMiddleware:
    """Every Wonder call of one request shares ``WONDER_PAGE_TIME_BUDGET`` seconds."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        with shared_time_budget(settings.WONDER_PAGE_TIME_BUDGET):
            return self.get_response(request)
