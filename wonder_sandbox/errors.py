"""Error codes the sandbox answers with, and the exception that carries one.

Wonder documents only a few of its codes (``E000002`` "Invalid Credential Format." is the
one its docs quote); the rest are made up here in the same shape so the dashboard meets
string codes, not numbers, on every error. The full list:

=========  ====  =====================================================================
code       HTTP  meaning
=========  ====  =====================================================================
E000002    401   Credential, Nonce or Signature header missing or not in the documented
                 form (also a Signature that is not valid base64)
E000003    401   the Credential's APPID is not the sandbox's app id
E000004    401   the Credential's request time is more than 30 minutes off the clock
E000005    401   the RSA signature does not verify
E000404    404   no such endpoint
E000405    405   the endpoint exists but not for this HTTP method
E000413    413   request body too large
E000500    500   internal server error (injected by ``SANDBOX_ERROR_RATE``)
E000503    503   service unavailable (injected by ``SANDBOX_FAULT=down``)
E100001    400   a query parameter is unknown, repeated or has a bad value; the message
                 names the parameter and why
E100002    400   the request body is not the JSON the endpoint expects
E100404    404   customer not found (by uuid or by reference number)
=========  ====  =====================================================================
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ApiError",
    "ErrorCode",
    "BAD_BODY",
    "BAD_QUERY_PARAMETER",
    "BODY_TOO_LARGE",
    "CREDENTIAL_FORMAT",
    "CUSTOMER_NOT_FOUND",
    "ENDPOINT_NOT_FOUND",
    "INTERNAL_ERROR",
    "METHOD_NOT_ALLOWED",
    "REQUEST_TIME_EXPIRED",
    "SERVICE_UNAVAILABLE",
    "SIGNATURE_MISMATCH",
    "UNKNOWN_APP_ID",
]


@dataclass(frozen=True)
class ErrorCode:
    """One kind of error: its Wonder-style code, HTTP status and default message."""

    code: str
    http_status: int
    message: str


CREDENTIAL_FORMAT = ErrorCode("E000002", 401, "Invalid Credential Format.")
UNKNOWN_APP_ID = ErrorCode("E000003", 401, "Invalid AppID.")
REQUEST_TIME_EXPIRED = ErrorCode("E000004", 401, "Request time expired")
SIGNATURE_MISMATCH = ErrorCode("E000005", 401, "Signature verification failed")
ENDPOINT_NOT_FOUND = ErrorCode("E000404", 404, "Not found")
METHOD_NOT_ALLOWED = ErrorCode("E000405", 405, "Method not allowed")
BODY_TOO_LARGE = ErrorCode("E000413", 413, "Request body too large")
INTERNAL_ERROR = ErrorCode("E000500", 500, "Internal server error")
SERVICE_UNAVAILABLE = ErrorCode("E000503", 503, "Service temporarily unavailable")
BAD_QUERY_PARAMETER = ErrorCode("E100001", 400, "Invalid query parameter")
BAD_BODY = ErrorCode("E100002", 400, "Invalid request body")
CUSTOMER_NOT_FOUND = ErrorCode("E100404", 404, "Customer not found")


class ApiError(Exception):
    """Raised anywhere below the WSGI entry point to answer with an error envelope."""

    def __init__(self, error: ErrorCode, message: str | None = None) -> None:
        self.error = error
        self.message = message or error.message
        super().__init__(f"{error.code}: {self.message}")

    def envelope(self) -> dict[str, str]:
        """The JSON body Wonder sends with an error: a string code and a message."""
        return {"code": self.error.code, "message": self.message}
