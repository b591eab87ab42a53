"""How each Wonder failure is told to a support agent."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from wonder import (
    WonderBadResponse,
    WonderCircuitOpen,
    WonderCredentialsRejected,
    WonderError,
    WonderRequestRejected,
    WonderUnavailable,
)

__all__ = ["UpstreamProblem", "describe_upstream_error"]


@dataclass(frozen=True)
class UpstreamProblem:
    """What the page says, and the HTTP status it answers with."""

    status: int
    title: str
    detail: str
    request_id: str = ""
    upstream_code: str = ""
    upstream_message: str = ""


def describe_upstream_error(error: WonderError | ImproperlyConfigured) -> UpstreamProblem:
    """Map a client error (or missing credentials) to words an agent can act on."""
    request_id = getattr(error, "request_id", "")
    if isinstance(error, WonderCircuitOpen):
        return UpstreamProblem(
            503,
            _("Wonder is not answering"),
            _(
                "Wonder failed several times in a row, so the dashboard stopped asking it for a "
                "short while instead of making everyone wait. Try again in a minute."
            ),
        )
    if isinstance(error, WonderUnavailable):
        return UpstreamProblem(
            503,
            _("Wonder is not answering"),
            _("Wonder did not answer in time or reported a fault. Try again in a minute."),
            request_id,
        )
    if isinstance(error, WonderCredentialsRejected):
        return UpstreamProblem(
            502,
            _("Wonder rejected the dashboard's credentials"),
            _("Ask an admin to check the AppID and private key the dashboard uses."),
            request_id,
            upstream_code=error.upstream_code,
        )
    if isinstance(error, WonderRequestRejected):
        return UpstreamProblem(
            502,
            _("Wonder refused the request"),
            _("Wonder would not answer this request."),
            request_id,
            upstream_code=error.upstream_code,
            upstream_message=error.upstream_message,
        )
    if isinstance(error, WonderBadResponse):
        return UpstreamProblem(
            502,
            _("Wonder sent an answer the dashboard cannot read"),
            _(
                "This is usually a temporary fault at Wonder. Try again; if it persists, quote "
                "the request id to Wonder support."
            ),
            request_id,
        )
    return UpstreamProblem(
        503,
        _("The dashboard is not connected to Wonder"),
        _("Its Wonder credentials are missing or unreadable. Ask an admin to check them."),
    )
