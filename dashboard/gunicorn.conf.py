"""gunicorn configuration for the production profile: ``gunicorn -c dashboard/gunicorn.conf.py``.

gunicorn reads this file before Django is loaded, so it reads its own GUNICORN_* variables
(Django's settings stay in ``dashboard/settings.py``). Every value has a default that suits
one small app server; a load balancer in front runs several of them.
"""

import multiprocessing
import os

__all__ = [
    "accesslog",
    "access_log_format",
    "bind",
    "errorlog",
    "graceful_timeout",
    "keepalive",
    "logger_class",
    "loglevel",
    "threads",
    "timeout",
    "worker_class",
    "wsgi_app",
    "workers",
]


def _number(name: str, default: int) -> int:
    """An integer GUNICORN_* variable; a bad value stops start-up with the variable's name."""
    raw = os.environ.get(name, "")
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}.") from None


wsgi_app = "dashboard.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Pages mostly wait on Wonder (I/O), so threads are cheap concurrency; processes add CPU.
worker_class = "gthread"
workers = _number("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8))
threads = _number("GUNICORN_THREADS", 4)
# Longer than the Wonder client's whole time budget (WONDER_TIME_BUDGET, 20 s), so a worker
# is never killed while it is still honestly waiting for an answer it will then show.
timeout = _number("GUNICORN_TIMEOUT", 35)
graceful_timeout = _number("GUNICORN_GRACEFUL_TIMEOUT", 30)
# A little over the usual load balancer idle timeout, so the balancer closes first.
keepalive = _number("GUNICORN_KEEPALIVE", 75)

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Query values left out of the access log (the report's search can be a card number), and
# every access and error line redacted and escaped like the dashboard's own (see the module).
logger_class = "dashboard.gunicorn_logging.SafeAccessLogger"
# The request id (the balancer's X-Request-ID when it is a UUID, else one the dashboard made,
# see accounts.middleware.RequestIdMiddleware) ties a slow page to the balancer's log and to
# the app's log lines; pid shows which worker served it; %(M)s is the duration in ms.
# %(r)s is the request line with parameter names only (``?q=...&page=...``), never their values.
access_log_format = (
    '%(h)s "%(r)s" %(s)s %(b)s %(M)sms pid=%(p)s request_id=%({x-request-id}o)s user_agent="%(a)s"'
)
