"""/healthz and /readyz: answered without login, never calling Wonder, 503 when not ready."""

from __future__ import annotations

import json

import pytest

from tests.processes import python_in_new_process

pytestmark = pytest.mark.django_db

# Ports nothing listens on: connecting is refused at once.
UNREACHABLE_POSTGRES = "postgres://postgres@127.0.0.1:9/nowhere"
UNREACHABLE_REDIS = "redis://127.0.0.1:9/0"


def test_healthz_answers_without_login_and_without_wonder(client, live_sandbox):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert live_sandbox.request_count() == 0


def test_readyz_is_ready_and_reports_a_closed_circuit(client, live_sandbox):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "cache": "ok", "wonder_circuit": "closed"},
    }
    assert response["Cache-Control"].startswith("max-age=0")
    assert live_sandbox.request_count() == 0


def test_readyz_reports_an_open_circuit_but_stays_ready(client, live_sandbox, settings):
    # Stale pages and an honest "not answering" page still work: the server stays in rotation.
    settings.WONDER_BREAKER_FAILURES = 1
    settings.WONDER_BASE_URL = "http://127.0.0.1:9"
    from customers_app.browsing import services
    from wonder import WonderUnavailable

    with pytest.raises(WonderUnavailable):
        services.customer_list()
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["wonder_circuit"] == "open"


def test_probes_refuse_other_methods(client):
    assert client.post("/readyz").status_code == 405


def _readyz_in_a_fresh_process(**environment: str) -> tuple[int, dict]:
    """Ask /readyz from a new Django process configured with ``environment``."""
    script = (
        "import json, django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/readyz');"
        "print(r.status_code, r.content.decode())"
    )
    settings = {
        "DJANGO_SETTINGS_MODULE": "dashboard.settings",
        "SECRET_KEY": "tests-only-secret-key-not-for-any-deployment",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_CONNECT_TIMEOUT": "2",
    }
    done = python_in_new_process("-c", script, **{**settings, **environment})
    status, _, body = done.stdout.strip().partition(" ")
    assert status, done.stderr
    return int(status), json.loads(body)


def test_readyz_is_503_when_the_database_is_down(tmp_path):
    status, body = _readyz_in_a_fresh_process(DATABASE_URL=UNREACHABLE_POSTGRES)
    assert status == 503
    assert body["status"] == "not ready"
    assert body["checks"]["database"].startswith("error: ")
    assert body["checks"]["cache"] == "ok"
    # No connection string or password leaks into the probe's answer.
    assert "127.0.0.1" not in json.dumps(body)


def test_readyz_is_503_when_redis_is_down(tmp_path):
    status, body = _readyz_in_a_fresh_process(
        DATABASE_URL=f"sqlite:///{tmp_path / 'ready.sqlite3'}", REDIS_URL=UNREACHABLE_REDIS
    )
    assert status == 503
    assert body["checks"] == {
        "database": "ok",
        "cache": "error: ConnectionError",
        "wonder_circuit": "unknown",
    }
