"""The production profile as several app processes: gunicorn with two workers sharing Redis.

Requests are counted at the sandbox, so these tests see exactly what Wonder would see.
"""

from __future__ import annotations

import re
import runpy
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.production import redis_url_or_none, start_production_servers

pytestmark = pytest.mark.slow

LIST_PATH = "/svc/payment/api/v1/openapi/customers"
GUNICORN_CONFIG = Path(__file__).resolve().parents[2] / "dashboard" / "gunicorn.conf.py"


@pytest.fixture(scope="module")
def app_servers(sandbox_server, key_pair, tmp_path_factory):
    """Two app servers (gunicorn, two workers each) sharing a database and Redis."""
    redis_url = redis_url_or_none()
    if redis_url is None:
        pytest.skip("Redis is not reachable on 127.0.0.1:6379 (or REDIS_URL): no shared state")
    servers = start_production_servers(
        workdir=tmp_path_factory.mktemp("production"),
        wonder_base_url=sandbox_server.base_url,
        private_key_pem=key_pair.private_pem.decode(),
        redis_url=redis_url,
        servers=2,
        workers=2,
        threads=4,
        extra_env={"WONDER_RETRY_BACKOFF": "0.01"},
    )
    yield servers
    for server in servers:
        server.stop()
    servers[0].forget_cache()


@pytest.fixture
def production_server(app_servers):
    return app_servers[0]


def test_twenty_agents_on_two_app_servers_make_one_upstream_request(app_servers, sandbox):
    sandbox.set_faults(latency_ms=400)
    expected = sandbox.store.page(None, 100, 50)

    def open_page(number: int):
        # Like a load balancer: alternate agents between the two app servers.
        server = app_servers[number % 2]
        response = server.session().get(
            f"{server.base_url}/customers/", params={"page": "3"}, timeout=30
        )
        return response.status_code, response.text

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(open_page, range(20)))

    assert [status for status, _ in answers] == [200] * 20
    assert all(expected[0]["reference_number"] in html for _, html in answers)
    assert sandbox.request_count(LIST_PATH) == 1
    # Each app server (its own processes) answered its ten agents from the one fetch.
    for server in app_servers:
        # Query values are left out of the access log (dashboard/gunicorn_logging.py).
        lines = [line for line in server.access_log().splitlines() if "/customers/?page=" in line]
        assert len(lines) == 10
        # Each access-log line names its request by id.
        assert all(re.search(r"request_id=[0-9a-f-]{36}\b", line) for line in lines)


def test_an_open_circuit_on_one_app_server_is_seen_by_the_other(app_servers, sandbox):
    sandbox.set_faults(fault="down")
    first, second = app_servers
    # WONDER_BREAKER_FAILURES defaults to 5: five failed pages on the first server...
    for page in range(10, 15):
        response = first.session().get(f"{first.base_url}/customers/", params={"page": page})
        assert response.status_code == 503
    asked = sandbox.request_count(LIST_PATH)
    # ...and the second server does not ask Wonder at all.
    response = second.session().get(f"{second.base_url}/customers/", params={"page": "20"})
    assert response.status_code == 503
    assert "stopped asking it for a short while" in response.text
    assert sandbox.request_count(LIST_PATH) == asked
    assert first.session().get(f"{first.base_url}/readyz").json()["checks"] == {
        "database": "ok",
        "cache": "ok",
        "wonder_circuit": "open",
    }


def test_static_files_are_served_hashed_and_compressed(production_server):
    browser = production_server.session()
    login_page = browser.get(f"{production_server.base_url}/accounts/login/", timeout=10).text
    stylesheet = re.search(r'href="(/static/css/dashboard\.[0-9a-f]{12}\.css)"', login_page)
    assert stylesheet, "the page links the content-hashed stylesheet"
    response = browser.get(
        f"{production_server.base_url}{stylesheet.group(1)}",
        headers={"Accept-Encoding": "gzip"},
        timeout=10,
    )
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    assert len(response.headers["X-Request-ID"]) >= 16  # static answers can be traced too


def test_probes_answer_on_the_production_server(production_server):
    import requests

    ready = requests.get(f"{production_server.base_url}/readyz", timeout=10)
    assert ready.status_code == 200
    assert ready.json()["checks"]["cache"] == "ok"


def test_gunicorn_config_is_importable_with_safe_defaults(monkeypatch):
    for name in ("GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    config = runpy.run_path(str(GUNICORN_CONFIG))
    assert config["wsgi_app"] == "dashboard.wsgi:application"
    assert config["bind"] == "127.0.0.1:8000"
    assert config["workers"] >= 1 and config["threads"] >= 1
    # Longer than the Wonder client's whole time budget, so no worker dies mid-answer.
    from django.conf import settings

    assert config["timeout"] > settings.WONDER_TIME_BUDGET
    assert "{x-request-id}o" in config["access_log_format"]


def test_gunicorn_config_reads_the_environment_and_names_bad_values(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "8")
    config = runpy.run_path(str(GUNICORN_CONFIG))
    assert (config["workers"], config["threads"]) == (3, 8)
    monkeypatch.setenv("GUNICORN_WORKERS", "many")
    with pytest.raises(SystemExit, match="GUNICORN_WORKERS must be a whole number"):
        runpy.run_path(str(GUNICORN_CONFIG))
