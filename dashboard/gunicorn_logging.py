"""gunicorn's logger for the production profile: no query strings, no secrets, no forged lines.

gunicorn writes its access and error logs itself, outside Django's ``LOGGING``, so the
dashboard's log filter is added to its handlers here. The access log never carries a query
string: the report's search (``?q=``) and the follow-up links' ``next=`` (which repeats that
search, percent-encoded where no pattern can recognise a card number) would otherwise be
written in full on every click. Parameter names are kept, values never.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from gunicorn.glogging import Logger

from accounts.log_filters import SecretRedactionFilter, query_values_drop

__all__ = ["SafeAccessLogger"]


def _decoded_path(path_info: str) -> str:
    """The percent-decoded path, so the filter sees a card number however it was encoded.

    PEP 3333 hands it over as latin-1 text of the UTF-8 bytes the browser sent; some gunicorn
    versions decode it as UTF-8 already. Either way the log shows the characters typed.
    """
    try:
        return path_info.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return path_info


def _url_without_query_values(url: str) -> str:
    parts = urlsplit(url)
    if not parts.query:
        return url
    return urlunsplit(parts._replace(query=query_values_drop(parts.query), fragment=""))


class SafeAccessLogger(Logger):
    """gunicorn's logger, with query values left out and every line redacted and escaped."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not any(isinstance(f, SecretRedactionFilter) for f in handler.filters):
                    handler.addFilter(SecretRedactionFilter())

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        try:
            _query_values_leave_out(atoms, environ)
        except Exception:  # noqa: BLE001  (gunicorn drops the response when this raises)
            atoms.update({"r": "-", "q": "-", "f": "-", "{referer}i": "-"})
        return atoms


def _query_values_leave_out(atoms: dict, environ: dict) -> None:
    """Rewrite the atoms that carry a query string: names kept, values left out."""
    query = query_values_drop(environ.get("QUERY_STRING", ""))
    path = _decoded_path(environ.get("PATH_INFO", ""))
    # %(r)s is the raw request line, query string and all: rebuilt without the values.
    atoms["r"] = "{} {}{} {}".format(
        environ.get("REQUEST_METHOD", "-"),
        path,
        f"?{query}" if query else "",
        environ.get("SERVER_PROTOCOL", "-"),
    )
    atoms["q"] = query
    # The referer is the previous page's URL, its search included.
    atoms["f"] = _url_without_query_values(environ.get("HTTP_REFERER", "-"))
    if "{referer}i" in atoms:
        atoms["{referer}i"] = atoms["f"]
