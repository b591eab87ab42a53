"""Database models of the customers app, one module per feature.

Customer pages are read from Wonder on each request. What lives here is what the dashboard
owns: its permissions and table preferences (``access``), the customer sync and the customer
index it fills (``sync``), the failed bindings report with finance's follow-ups (``bindings``)
and the digests and trend (``digests``). Every model stays in this one app: the features
import them from ``customers_app.models``.
"""

from customers_app.models.access import (
    DashboardAccess,
    TablePreference,
)
from customers_app.models.bindings import (
    BindingExport,
    ErrorCodeNote,
    FailedBinding,
    FollowUpChange,
    FollowUpStatus,
    error_code_normalise,
)
from customers_app.models.digests import (
    DeliveryStatus,
    DigestChannel,
    DigestDelivery,
    DigestFrequency,
    DigestKind,
    DigestSubscription,
    SyncTrendPoint,
)
from customers_app.models.sync import (
    ACTIVE_SCAN_STATUSES,
    IndexedCustomer,
    ScanRun,
    ScanStatus,
    StagedCustomer,
    SyncPartition,
)

__all__ = [
    "ACTIVE_SCAN_STATUSES",
    "BindingExport",
    "DashboardAccess",
    "DeliveryStatus",
    "DigestChannel",
    "DigestDelivery",
    "DigestFrequency",
    "DigestKind",
    "DigestSubscription",
    "ErrorCodeNote",
    "FailedBinding",
    "FollowUpChange",
    "FollowUpStatus",
    "IndexedCustomer",
    "ScanRun",
    "ScanStatus",
    "StagedCustomer",
    "SyncPartition",
    "SyncTrendPoint",
    "TablePreference",
    "error_code_normalise",
]
