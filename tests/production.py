"""Start the production profile (gunicorn, several workers) against a given sandbox, for the
scale-out tests and the load benchmark: a fresh SQLite database, collected static files, one
agent with a session cookie, Redis shared by the workers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import requests

__all__ = ["ProductionServer", "free_port", "redis_url_or_none", "start_production_servers"]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"

# Run in the new server's settings: migrate, collect static files, create agents with the
# given permissions (the view permission by default), and print their logged-in session keys.
_PREPARE = """
import django
django.setup()
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
import os
permissions = Permission.objects.filter(codename__in=os.environ["PREPARE_PERMISSIONS"].split(","))
for number in range(int(os.environ["PREPARE_AGENTS"])):
    user = get_user_model().objects.create_user("agent" if number == 0 else f"agent{number}")
    user.user_permissions.add(*permissions)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    print(session.session_key)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_url_or_none() -> str | None:
    """REDIS_URL from the environment (CI), else the local default, if it answers a PING."""
    import redis

    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return None
    return url


@dataclass
class ProductionServer:
    process: subprocess.Popen
    base_url: str
    session_cookie: dict[str, str]
    log_path: Path
    redis_url: str
    cache_key_prefix: str
    other_session_cookies: tuple[dict[str, str], ...] = ()
    # The environment it runs in: another process (a scan, a worker) given it shares its
    # database and settings.
    environment: dict[str, str] | None = None

    def session(self, agent: int = 0) -> requests.Session:
        """An HTTP session logged in as the agent (``agent`` > 0: one of the others)."""
        browser = requests.Session()
        browser.cookies.update(
            self.session_cookie if agent == 0 else self.other_session_cookies[agent - 1]
        )
        return browser

    def access_log(self) -> str:
        return self.log_path.read_text()

    def forget_cache(self) -> None:
        """Delete this run's keys from the shared Redis (nothing else's)."""
        import redis

        if not self.redis_url:
            return

        client = redis.Redis.from_url(self.redis_url)
        for key in client.scan_iter(match=f"{self.cache_key_prefix}:*", count=500):
            client.delete(key)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_production_servers(
    *,
    workdir: Path,
    wonder_base_url: str,
    private_key_pem: str,
    redis_url: str,
    database_url: str | None = None,
    servers: int = 1,
    workers: int = 2,
    threads: int = 4,
    extra_env: dict[str, str] | None = None,
    agents: int = 1,
    agent_permissions: tuple[str, ...] = ("view_customers",),
) -> list[ProductionServer]:
    """``servers`` gunicorn instances ("app servers") sharing one database and one Redis,
    each on its own free port; returns once every /healthz answers. The database is a fresh
    SQLite file in ``workdir`` unless ``database_url`` names an (empty) one."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dashboard.settings",
        "SECRET_KEY": f"scale-out-test-{uuid.uuid4().hex}",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain http on 127.0.0.1: no redirect to https, cookies over http.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "DATABASE_URL": database_url or f"sqlite:///{workdir / 'dashboard.sqlite3'}",
        "STATIC_ROOT": str(workdir / "static"),
        "DASHBOARD_VAR_DIR": str(workdir),
        "REDIS_URL": redis_url,
        # A prefix of its own: nothing else using this Redis sees or clears its keys.
        "CACHE_KEY_PREFIX": f"scale-out-{uuid.uuid4().hex[:8]}",
        "WONDER_BASE_URL": wonder_base_url,
        "WONDER_PRIVATE_KEY": private_key_pem,
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": str(threads),
        "LOG_LEVEL": "WARNING",
        **(extra_env or {}),
    }
    env.pop("WONDER_APP_ID", None)
    prepared = subprocess.run(
        [sys.executable, "-c", _PREPARE],
        cwd=PROJECT_ROOT,
        env={
            **env,
            "PREPARE_AGENTS": str(agents),
            "PREPARE_PERMISSIONS": ",".join(agent_permissions),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if prepared.returncode != 0:
        raise RuntimeError(f"preparing the production server failed:\n{prepared.stderr}")
    session_keys = prepared.stdout.strip().splitlines()[-agents:]
    cookies = [{"sessionid": key} for key in session_keys]
    started: list[ProductionServer] = []
    try:
        for number in range(servers):
            started.append(_start_gunicorn(env, cookies, workdir / f"gunicorn-{number}.log"))
        for server in started:
            _wait_until_healthy(server)
    except BaseException:
        for server in started:
            server.stop()
        raise
    return started


def _start_gunicorn(env: dict, cookies: list[dict], log_path: Path) -> ProductionServer:
    port = free_port()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "dashboard/gunicorn.conf.py"],
            cwd=PROJECT_ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return ProductionServer(
        process,
        f"http://127.0.0.1:{port}",
        cookies[0],
        log_path,
        redis_url=env["REDIS_URL"],
        cache_key_prefix=env["CACHE_KEY_PREFIX"],
        other_session_cookies=tuple(cookies[1:]),
        environment=env,
    )


def _wait_until_healthy(server: ProductionServer) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{server.access_log()}")
        try:
            if requests.get(f"{server.base_url}/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer in 30 s:\n{server.access_log()}")
