"""Integration package for Wonder's Open API: signing, client, records, errors."""

from .client import MAX_PAGE_SIZE, WonderClient, WonderConfig
from .errors import (
    WonderBadResponse,
    WonderCircuitOpen,
    WonderCredentialsRejected,
    WonderError,
    WonderNotFound,
    WonderRequestRejected,
    WonderUnavailable,
)
from .records import CreditCard, Customer, CustomerPage, PaymentToken
from .time_budget import shared_time_budget

__all__ = [
    "MAX_PAGE_SIZE",
    "CreditCard",
    "Customer",
    "CustomerPage",
    "PaymentToken",
    "WonderBadResponse",
    "WonderCircuitOpen",
    "WonderClient",
    "WonderConfig",
    "WonderCredentialsRejected",
    "WonderError",
    "WonderNotFound",
    "WonderRequestRejected",
    "WonderUnavailable",
    "shared_time_budget",
]
