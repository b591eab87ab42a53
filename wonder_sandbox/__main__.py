"""``python -m wonder_sandbox``: serve the sandbox until killed.

Configuration comes from the SANDBOX_* environment variables (see config.py); the flags
below override them.
"""

from __future__ import annotations

import argparse
import sys

from .config import FAULT_MODES, ConfigError, config_from_env
from .server import make_server

__all__ = ["main"]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line; every SANDBOX_* setting has a flag that overrides it."""
    parser = argparse.ArgumentParser(
        prog="python -m wonder_sandbox",
        description="Embedded stand-in for Wonder's Open API (customers, payment tokens, echo).",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--public-key-file", help="overrides SANDBOX_PUBLIC_KEY_FILE")
    parser.add_argument("--app-id", help="overrides SANDBOX_APP_ID")
    parser.add_argument("--customers", type=int, help="overrides SANDBOX_CUSTOMERS")
    parser.add_argument("--seed", type=int, help="overrides SANDBOX_SEED")
    parser.add_argument("--latency-ms", type=float, help="overrides SANDBOX_LATENCY_MS")
    parser.add_argument("--error-rate", type=float, help="overrides SANDBOX_ERROR_RATE")
    parser.add_argument("--fault", choices=FAULT_MODES, help="overrides SANDBOX_FAULT")
    parser.add_argument("--timeout-seconds", type=float, help="overrides SANDBOX_TIMEOUT_SECONDS")
    parser.add_argument(
        "--access-log", action="store_true", default=None, help="same as SANDBOX_ACCESS_LOG=1"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the sandbox in the foreground; returns the process exit status."""
    arguments = _arguments(argv)
    try:
        config = config_from_env(
            public_key_file=arguments.public_key_file,
            app_id=arguments.app_id,
            customers=arguments.customers,
            seed=arguments.seed,
            latency_ms=arguments.latency_ms,
            error_rate=arguments.error_rate,
            fault=arguments.fault,
            timeout_seconds=arguments.timeout_seconds,
            access_log=arguments.access_log,
        )
    except ConfigError as error:
        print(f"wonder_sandbox: cannot start: {error}", file=sys.stderr)
        return 2
    try:
        server = make_server(config, arguments.host, arguments.port)
    except OSError as error:
        print(
            f"wonder_sandbox: cannot listen on {arguments.host}:{arguments.port}: {error}",
            file=sys.stderr,
        )
        return 1
    host, port = server.server_address[:2]
    print(
        f"Wonder sandbox listening on http://{host}:{port} ({config.customers} customers)",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
