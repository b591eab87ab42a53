"""Real parts for the digest tests: an SMTP server (aiosmtpd), a webhook receiver (HTTP),
and ``manage.py db_worker`` processes sharing the test database (``tests/workers.py``, as
the sync's tests start them, without the sandbox: a digest reads only the database)."""

from __future__ import annotations

import email
import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from customers_app.models import DigestSubscription
from tests.production import free_port
from tests.workers import WorkerPool, test_database_url

PROJECT_DIR = Path(__file__).resolve().parents[3]
WEBHOOK_SECRET = "tests-only-webhook-secret"
DASHBOARD_BASE_URL = "http://dashboard.example"


class Inbox:
    """What the SMTP server received: parsed messages with their envelope recipients."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted"


@dataclass
class SmtpServer:
    port: int
    inbox: Inbox = field(default_factory=Inbox)
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free port (started); ``.stop()``/``.start()`` for outages."""
    server = SmtpServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_down():
    """A free port with no SMTP server yet: start one with ``.start()``."""
    server = SmtpServer(free_port())
    yield server
    server.stop()


@dataclass
class ReceivedPost:
    headers: dict[str, str]
    body: bytes


class WebhookReceiver:
    """A local HTTP server standing in for a Slack or Teams incoming webhook."""

    def __init__(self) -> None:
        self.posts: list[ReceivedPost] = []
        # Statuses to answer the first posts with (then 200): a webhook having a bad minute.
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", "0"))
                receiver.posts.append(ReceivedPost(dict(self.headers), self.rfile.read(length)))
                self.send_response(receiver.answers.pop(0) if receiver.answers else 200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/services/T000/B000/secretpath"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook_receiver():
    receiver = WebhookReceiver()
    yield receiver
    receiver.stop()


def worker_environment(**overrides: str) -> dict[str, str]:
    environment = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "DEBUG": "false",
        "DASHBOARD_BASE_URL": DASHBOARD_BASE_URL,
        "DIGEST_RETRY_BACKOFF_SECONDS": "0.3",
        "LOG_LEVEL": "WARNING",
    }
    environment.pop("DIGEST_WEBHOOK_URL", None)
    environment.update(overrides)
    return environment


def run_worker_batch(**overrides: str) -> subprocess.CompletedProcess:
    """``manage.py db_worker --batch``: runs every task that is due, then exits."""
    result = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=PROJECT_DIR,
        env=worker_environment(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.fixture
def running_worker(tmp_path):
    """``start(**env)``: a long-running ``db_worker`` (polling every 0.1 s, its output in a
    log file under ``tmp_path``), stopped after the test."""
    pool = WorkerPool(worker_environment(), tmp_path)
    yield pool.start  # keyword overrides go on top of worker_environment()
    pool.stop_all()


def report_user(username: str, *, email_address: str = "", frequency: str | None = None):
    """A user who may see the report (finance), with an email and a digest choice."""
    user = get_user_model().objects.create_user(username, email=email_address)
    user.user_permissions.add(Permission.objects.get(codename="view_failed_bindings"))
    if frequency is not None:
        DigestSubscription.objects.create(user=user, frequency=frequency)
    return user


def webhook_json(post: ReceivedPost) -> dict:
    return json.loads(post.body)
