"""Why a sync failed, kept as facts and told in the reader's language.

A failed sync's reason is read later, on the report page, by finance staff reading English
or Traditional Chinese. So the run keeps what happened (``ScanRun.failure``: the kind,
and for a Wonder failure the error's type, request id and code) and the
sentence is made when it is shown (``failure_reason``). ``ScanRun.error`` keeps the same
sentence in English for the admin, the logs and runs stored before these facts were.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.translation import gettext as _

import wonder
from customers_app.browsing.upstream_errors import describe_upstream_error
from wonder import WonderError

__all__ = [
    "failure_facts_stale",
    "failure_facts_unexpected",
    "failure_facts_unsaved",
    "failure_facts_upstream",
    "failure_reason",
    "failure_reason_in_english",
]

STALE = "stale"
UPSTREAM = "upstream"
UNEXPECTED = "unexpected"
UNSAVED = "unsaved"


def failure_facts_stale() -> dict[str, Any]:
    return {"kind": STALE}


def failure_facts_upstream(error: WonderError | ImproperlyConfigured) -> dict[str, Any]:
    return {
        "kind": UPSTREAM,
        "error": type(error).__name__,
        "request_id": getattr(error, "request_id", ""),
        # Wonder's text (the client keeps 300 characters of it), stored: PostgreSQL refuses
        # a NUL, and failing the run must not fail.
        "upstream_code": getattr(error, "upstream_code", "").replace("\x00", ""),
    }


def failure_facts_unexpected(error: BaseException) -> dict[str, Any]:
    return {"kind": UNEXPECTED, "exception": type(error).__name__}


def failure_facts_unsaved(error: BaseException) -> dict[str, Any]:
    return {"kind": UNSAVED, "exception": type(error).__name__}


def _error_again(facts: dict[str, Any]) -> WonderError | ImproperlyConfigured:
    """An error of the recorded type, carrying what ``describe_upstream_error`` reads."""
    error_type = getattr(wonder, str(facts.get("error", "")), None)
    if not (isinstance(error_type, type) and issubclass(error_type, WonderError)):
        return ImproperlyConfigured()
    error = error_type("", request_id=facts.get("request_id") or "")
    error.upstream_code = facts.get("upstream_code") or ""
    return error


def failure_reason(facts: dict[str, Any], fallback: str = "") -> str:
    """The reason a sync failed, in the active language; ``fallback`` for unknown facts."""
    kind = facts.get("kind")
    if kind == STALE:
        return _(
            "The sync stopped reporting progress: a worker running it probably died or was "
            "restarted."
        )
    if kind == UPSTREAM:
        if facts.get("error") == "WonderCircuitOpen":
            # Not the breaker's countdown ("again in 29 s"): wrong on every later reading.
            reason = _(
                "Wonder could not be read completely: it had failed several times in a row, "
                "so the dashboard had stopped asking it for a short while."
            )
        else:
            problem = describe_upstream_error(_error_again(facts))
            reason = _("Wonder could not be read completely: %(problem)s.") % {
                "problem": problem.title
            }
        details = []
        if facts.get("upstream_code"):
            details.append(_("Wonder's code %(code)s") % {"code": facts["upstream_code"]})
        if facts.get("request_id"):
            details.append(_("request id %(id)s") % {"id": facts["request_id"]})
        if not details:
            return reason
        # Translated: Chinese takes full-width brackets and its own list comma.
        return _("%(reason)s (%(details)s)") % {
            "reason": reason,
            "details": _(", ").join(details),
        }
    if kind == UNEXPECTED:
        return _("The sync stopped on an unexpected error (%(error)s).") % {
            "error": facts.get("exception", "")
        }
    if kind == UNSAVED:
        return _("The sync could not be saved (%(error)s).") % {"error": facts.get("exception", "")}
    return fallback


def failure_reason_in_english(facts: dict[str, Any]) -> str:
    """The same sentence in English, as ``ScanRun.error`` keeps it."""
    with translation.override("en"):
        return failure_reason(facts)
