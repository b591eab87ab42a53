"""Fixtures of the failed bindings report's tests."""

from __future__ import annotations

import pytest

from customers_app.models import FailedBinding


@pytest.fixture
def binding(scanned) -> FailedBinding:
    """One row of a scanned report (its follow-up page: ``pages.followup_url``)."""
    return FailedBinding.objects.first()
