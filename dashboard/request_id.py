"""Every request gets an id, sent back as ``X-Request-ID`` and written to gunicorn's access log.

A load balancer usually sets one; we keep it when it looks like an id, so one id follows
the request through the balancer's log and ours. Anything else (absent, too long, odd
characters that could forge log lines) is replaced by a fresh one.
"""

from __future__ import annotations

import re
import uuid

__all__ = ["REQUEST_ID_HEADER", "RequestIdMiddleware"]

REQUEST_ID_HEADER = "X-Request-ID"
_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")


class RequestIdMiddleware:
    """Sets ``request.request_id`` and the ``X-Request-ID`` response header."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = incoming if _ACCEPTABLE_ID.fullmatch(incoming) else uuid.uuid4().hex
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id
        return response
