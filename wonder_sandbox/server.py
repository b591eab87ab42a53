"""A threaded HTTP server for the sandbox, runnable in-process (tests) or as a process.

``wsgiref`` alone serves one request at a time and logs every request to stderr; the
server here answers each connection in its own daemon thread and stays quiet unless
SANDBOX_ACCESS_LOG=1, so benchmarks with 8-16 requests in flight measure the dashboard,
not the sandbox.
"""

from __future__ import annotations

import socketserver
import threading
from typing import Any
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer

from .app import SandboxApp, make_app
from .config import SandboxConfig
from .data import CustomerStore
from .runtime import FaultSettings

__all__ = ["RunningSandbox", "SandboxHTTPServer", "make_server", "start_in_thread"]


class _KeepAliveServerHandler(ServerHandler):
    # Answer as HTTP/1.1, so a client may send its next request on the same connection.
    http_version = "1.1"
    closes_connection = False

    def cleanup_headers(self) -> None:
        super().cleanup_headers()
        if not (self.status or "").startswith("2"):
            # An error answer may leave part of a request body unread (a 413 does): say the
            # connection ends, and never read a next request from the middle of that body.
            self.headers["Connection"] = "close"
            self.closes_connection = True


class SandboxRequestHandler(WSGIRequestHandler):
    """wsgiref's handler, plus keep-alive and the raw request target, minus the chatter.

    wsgiref answers one request per connection (HTTP/1.0). Wonder, like any API behind a
    load balancer, keeps connections open: a client's pool reuses them, and a benchmark
    should not measure a TCP handshake and a new server thread per request.
    """

    # Headers and body leave in separate writes; without TCP_NODELAY the second waits for
    # the client's delayed ACK (~40 ms on Linux), which would dwarf everything measured.
    disable_nagle_algorithm = True
    protocol_version = "HTTP/1.1"
    # An idle kept-alive connection (and its thread) ends after this many seconds.
    timeout = 30

    def handle(self) -> None:
        """Answer requests on this connection until the client or an error closes it."""
        self.close_connection = True
        self._handle_one_request()
        while not self.close_connection:
            self._handle_one_request()

    def _handle_one_request(self) -> None:
        # WSGIRequestHandler.handle for one request, with the connection's fate decided here.
        try:
            self.raw_requestline = self.rfile.readline(65537)
        except TimeoutError:
            self.close_connection = True
            return
        if not self.raw_requestline:
            self.close_connection = True
            return
        if len(self.raw_requestline) > 65536:
            self.requestline = self.request_version = self.command = ""
            self.send_error(414)
            self.close_connection = True
            return
        if not self.parse_request():  # an error was sent; parse_request closes if it must
            return
        handler = _KeepAliveServerHandler(
            self.rfile, self.wfile, self.get_stderr(), self.get_environ(), multithread=False
        )
        handler.request_handler = self
        handler.run(self.server.get_app())
        if handler.closes_connection:
            self.close_connection = True

    def get_environ(self) -> dict[str, Any]:
        """The WSGI environ, with REQUEST_URI holding the target exactly as sent."""
        environ = super().get_environ()
        # PATH_INFO is percent-decoded, but signatures cover the path as the client wrote it.
        environ["REQUEST_URI"] = self.path
        return environ

    def log_message(self, format: str, *args: Any) -> None:
        """Log only when the access log is on."""
        if getattr(self.server, "access_log", False):
            super().log_message(format, *args)


class SandboxHTTPServer(socketserver.ThreadingMixIn, WSGIServer):
    """WSGIServer with a daemon thread per connection."""

    daemon_threads = True
    # Do not join request threads on close: a request sleeping in the timeout fault would
    # otherwise hold stop() for 30 seconds.
    block_on_close = False
    # The default backlog of 5 drops connections when a benchmark opens 16 at once.
    request_queue_size = 128
    access_log = False

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse DNS lookup of the host, which can hang offline."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = port
        self.setup_environ()


def make_server(config: SandboxConfig, host: str = "127.0.0.1", port: int = 0) -> SandboxHTTPServer:
    """A bound, not yet serving, server for ``config`` (port 0 picks a free port)."""
    server = SandboxHTTPServer((host, port), SandboxRequestHandler)
    server.access_log = config.access_log
    server.set_app(make_app(config))
    return server


class RunningSandbox:
    """A sandbox serving in a background thread of this process."""

    def __init__(self, server: SandboxHTTPServer, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread
        self.app: SandboxApp = server.get_app()
        host, port = server.server_address[:2]
        self.base_url = f"http://{host}:{port}"

    @property
    def store(self) -> CustomerStore:
        """The data store the sandbox serves from (the ground truth for tests)."""
        return self.app.store

    def set_faults(
        self,
        *,
        latency_ms: float | None = None,
        error_rate: float | None = None,
        fault: str | None = None,
        timeout_seconds: float | None = None,
    ) -> FaultSettings:
        """Change the given faults now (None leaves one as it is); thread-safe."""
        return self.app.faults.update(
            latency_ms=latency_ms,
            error_rate=error_rate,
            fault=fault,
            timeout_seconds=timeout_seconds,
        )

    def reset_faults(self) -> FaultSettings:
        """Faults back to the start-up configuration."""
        return self.app.faults.reset()

    def request_count(self, path_prefix: str | None = None) -> int:
        """Wonder API requests received so far, optionally only those under a path prefix."""
        return self.app.counter.count(path_prefix)

    def requested_uris(self, path_prefix: str = "") -> list[str]:
        """The URIs (path and query) of the Wonder API requests received, oldest first."""
        return self.app.counter.uris(path_prefix)

    def reset_counts(self) -> None:
        """Set every request count back to zero."""
        self.app.counter.reset()

    def stop(self) -> None:
        """Stop serving and close the socket; requests still running are abandoned."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_in_thread(
    config: SandboxConfig, host: str = "127.0.0.1", port: int = 0
) -> RunningSandbox:
    """Start a sandbox serving from a daemon thread; returns once it accepts connections."""
    server = make_server(config, host, port)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name=f"wonder-sandbox-{server.server_address[1]}",
        daemon=True,
    )
    thread.start()
    return RunningSandbox(server, thread)
