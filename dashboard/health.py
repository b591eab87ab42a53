"""Probes for a load balancer or orchestrator: ``/healthz`` and ``/readyz``.

Both answer without login (a probe has no session) and never call Wonder: a slow upstream
must not make every app server look dead at once. ``/readyz`` does report the circuit
breaker's state, but an open circuit does not make the server unready, because it can
still serve cached pages and an honest "Wonder is not answering" page.
"""

from __future__ import annotations

import logging
import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wonder.factory import wonder_breaker

__all__ = ["healthz", "readyz", "urlpatterns"]

logger = logging.getLogger(__name__)


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """The process is alive and answering HTTP; nothing else is checked."""
    return JsonResponse({"status": "alive"})


@login_not_required
@never_cache
@require_GET
def readyz(request):
    """Ready when the database and the cache answer; 503 otherwise. Reports the circuit."""
    checks = {"database": _check_database(), "cache": _check_cache()}
    ready = all(outcome == "ok" for outcome in checks.values())
    checks["wonder_circuit"] = wonder_breaker().state().value
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status=200 if ready else 503,
    )


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any driver error means "not ready"
        logger.warning("readiness: database check failed", exc_info=True)
        # The class name only: a probe's answer is not the place for connection strings.
        return f"error: {type(error).__name__}"
    return "ok"


def _check_cache() -> str:
    # A unique key per probe, so two app servers probing at once cannot read each other's.
    key = f"readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", 10)
        answer = cache.get(key)
        cache.delete(key)
    except Exception as error:  # noqa: BLE001 - any backend error means "not ready"
        logger.warning("readiness: cache check failed", exc_info=True)
        return f"error: {type(error).__name__}"
    return "ok" if answer == "ok" else "error: value not kept"


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]
