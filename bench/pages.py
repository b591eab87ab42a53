"""Page-speed benchmark: the dashboard's own time per page, cold and warm cache.

    python -m bench.pages [--latency-ms 50] [--requests 40] [--profile NAME [--profiler cprofile]]

Starts the sandbox with a fixed latency L and the dashboard in gunicorn (DEBUG off, one
worker), logs in, and times each case's pages from the outside. "Own time" is the response
time minus L for each upstream call the page made; the sandbox's own serving time is still
inside it, so the figure errs on the slow side. The script counts the upstream calls (the
sandbox's /__sandbox__/stats) and refuses a case whose cold requests did not all miss the
cache, or whose warm requests did not all hit it.

``--profile NAME`` runs one case in this process under pyinstrument (or, with
``--profiler cprofile``, cProfile) instead, and prints where the time goes and the database
queries of one request. A new page is a new entry in ``CASES``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyotp
import requests

from .profiling import PROFILERS
from .servers import BENCH_PASSWORD, BENCH_TOTP_SECRET, BENCH_USERNAME, Servers, running_servers

__all__ = ["CASES", "Measurement", "PageCase", "main", "measure", "wonder_call_alone_ms"]


@dataclass(frozen=True)
class PageCase:
    """One page to time. ``path(i)`` is the i-th request's path: cold cases give each
    request a different page, so each one misses the cache."""

    name: str
    path: Callable[[int], str]
    # "cold" (each request misses the cache), "warm" (all hit it) or "db" (the page reads
    # only the dashboard's database: no upstream call, nothing of it cached between requests
    # except what the page itself caches).
    cache: str
    target_ms: float
    # Upstream calls one cold request makes (each costs L); warm and db requests make none.
    upstream_calls: int = 1
    # Text the page must contain, so a fast error page is not mistaken for a fast page.
    must_contain: str = "<table"
    # Failed bindings seeded into the database before the case (see ``seed.py``).
    failed_bindings: int | None = None


def _list_path(size: int) -> Callable[[int], str]:
    return lambda i: f"/customers/?page_size={size}&page={i + 1}"


def _detail_path(i: int) -> str:
    """The i-th of a run of ordinary sandbox customers (its hostile ones are skipped)."""
    return f"/customers/{_DETAIL_UUIDS[i]}/"


def _detail_uuids(*, customers: int, count: int) -> list[str]:
    """Uuids of ``count`` different sandbox customers, computed as the sandbox does (its data
    is deterministic per seed), so finding them costs the sandbox no request."""
    from wonder_sandbox.data import CustomerStore
    from wonder_sandbox.hostile import HOSTILE_INDICES

    store = CustomerStore(customers, seed=1)
    hostile = set(HOSTILE_INDICES.values())
    indices = (i for i in range(100, customers, 7) if i not in hostile)
    return [store.customer(i)["uuid"] for _, i in zip(range(count), indices, strict=False)]


_DETAIL_UUIDS: list[str] = []
_REPORT = "/customers/failed-bindings/"
# The report's three ways in: as opened, filtered (an error code and a follow-up status, the
# usual finance question) and sorted by a column the user clicked; ``page`` varies so the
# rows differ from request to request.
_REPORT_PATHS: dict[str, Callable[[int], str]] = {
    "first": lambda i: _REPORT,
    "filtered": lambda i: f"{_REPORT}?error_code=51&followup_status=open&page={i % 5 + 1}",
    "sorted": lambda i: f"{_REPORT}?sort={'-' if i % 2 else ''}first_seen_at&page={i % 5 + 1}",
}

CASES: list[PageCase] = [
    *(
        case
        for size in (25, 50, 100)
        for case in (
            PageCase(f"list-{size}-cold", _list_path(size), "cold", target_ms=30),
            PageCase(f"list-{size}-warm", _list_path(size), "warm", target_ms=10),
        )
    ),
    # The detail page asks Wonder for the customer and its tokens, and caches neither (a
    # support agent opens a customer to see it as it is now), so it has no warm case.
    PageCase(
        "detail-cold",
        _detail_path,
        "cold",
        target_ms=30,
        upstream_calls=2,
        must_contain="Saved payment tokens",
    ),
    *(
        PageCase(
            f"report-{rows // 1000}k-{kind}",
            path,
            "db",
            target_ms=100,
            upstream_calls=0,
            must_contain="matching bindings",
            failed_bindings=rows,
        )
        for rows in (1_000, 50_000)
        for kind, path in _REPORT_PATHS.items()
    ),
]


@dataclass(frozen=True)
class Measurement:
    """One case's timings (ms per request) and what the dashboard did to produce them."""

    case: PageCase
    response_ms: list[float]
    own_ms: list[float]
    upstream_calls_per_request: float
    cpu_ms_per_request: float

    @property
    def own_median(self) -> float:
        return statistics.median(self.own_ms)

    @property
    def own_p90(self) -> float:
        return statistics.quantiles(self.own_ms, n=10)[-1]


def _second_factor_step(session: requests.Session, dashboard_url: str) -> requests.Response:
    """Type the authenticator code. On a loaded machine the request may reach the server in
    the next 30 s window, which refuses the code: then wait for a fresh one and try again."""
    totp = pyotp.TOTP(BENCH_TOTP_SECRET)
    for _attempt in range(2):
        answer = session.post(
            f"{dashboard_url}/accounts/2fa/authenticate/",
            data={"code": totp.now(), "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            timeout=10,
            allow_redirects=False,
        )
        if answer.is_redirect:
            break
        time.sleep(totp.interval - time.time() % totp.interval + 0.5)
    return answer


def _logged_in_session(dashboard_url: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{dashboard_url}/accounts/login/", timeout=10).raise_for_status()
    answer = session.post(
        f"{dashboard_url}/accounts/login/",
        data={
            "login": BENCH_USERNAME,
            "password": BENCH_PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        timeout=10,
        # Following the redirect would fetch (and cache) customer page 1 before any case.
        allow_redirects=False,
    )
    if answer.is_redirect and "/2fa/authenticate/" in answer.headers["Location"]:
        answer = _second_factor_step(session, dashboard_url)
    if not answer.is_redirect or "/accounts/" in answer.headers["Location"]:
        raise RuntimeError(f"logging in failed: HTTP {answer.status_code}")
    return session


def _upstream_total(sandbox_url: str) -> int:
    return requests.get(f"{sandbox_url}/__sandbox__/stats", timeout=5).json()["total"]


def _timed_get(session: requests.Session, url: str, case: PageCase) -> float:
    started = time.perf_counter()
    answer = session.get(url, timeout=30)
    elapsed_ms = (time.perf_counter() - started) * 1000
    if answer.status_code != 200 or case.must_contain not in answer.text:
        raise RuntimeError(f"{case.name}: {url} answered {answer.status_code} without the page")
    return elapsed_ms


def measure(
    case: PageCase,
    *,
    servers: Servers,
    session: requests.Session,
    requests_per_case: int,
    latency_ms: float,
) -> Measurement:
    """Time ``requests_per_case`` requests of one case, checking cache hits and misses."""
    if case.cache == "warm":
        _timed_get(session, servers.dashboard_url + case.path(0), case)  # fills the cache
        paths = [case.path(0)] * requests_per_case
    else:
        paths = [case.path(i) for i in range(requests_per_case)]
    if case.cache == "db":
        # One untimed request first: a report page's first sight of newly seeded rows is
        # not what a user sees on every visit.
        _timed_get(session, servers.dashboard_url + paths[0], case)
    before = _upstream_total(servers.sandbox_url)
    cpu_before = servers.dashboard_cpu_ms()
    response_ms = [_timed_get(session, servers.dashboard_url + path, case) for path in paths]
    cpu_ms = (servers.dashboard_cpu_ms() - cpu_before) / requests_per_case
    upstream = (_upstream_total(servers.sandbox_url) - before) / requests_per_case
    expected = case.upstream_calls if case.cache == "cold" else 0
    if upstream != expected:
        raise RuntimeError(
            f"{case.name}: {upstream:.2f} upstream calls per request, expected {expected}; "
            "the cache did not behave as the case assumes"
        )
    own_ms = [ms - latency_ms * upstream for ms in response_ms]
    return Measurement(case, response_ms, own_ms, upstream, cpu_ms)


def wonder_call_alone_ms(*, servers: Servers, limit: int, calls: int, latency_ms: float) -> float:
    """Median time of one upstream page fetched by the client alone, minus L: signing, the
    sandbox's own serving time and parsing. Part of every cold page's "own" time."""
    from wonder.client import WonderClient, WonderConfig

    client = WonderClient(
        WonderConfig(
            base_url=servers.sandbox_url,
            app_id="sandbox-app",
            private_key_pem=(servers.work_dir / "wonder_dev_private.pem").read_bytes(),
        )
    )
    timings = []
    # Offsets far from the cases' pages; the sandbox has no cache, so any offset costs the same.
    for i in range(calls):
        started = time.perf_counter()
        client.list_customers(limit=limit, offset=limit * (i + 1000) % 10_000)
        timings.append((time.perf_counter() - started) * 1000 - latency_ms)
    return statistics.median(timings)


def _report(
    measurements: list[Measurement],
    *,
    latency_ms: float,
    requests_per_case: int,
    wonder_alone: dict[int, float],
    load_start: float,
) -> str:
    lines = [
        f"Sandbox latency L = {latency_ms:g} ms, {requests_per_case} requests per case, "
        "times in ms; own = response - L x upstream calls (medians, p90);",
        "cpu = the dashboard process's CPU time per request, which other load does not inflate.",
        "",
        f"load average (1 min) at the start {load_start:.2f}, at the end {os.getloadavg()[0]:.2f}"
        f" ({os.cpu_count()} CPUs)",
        "",
        f"{'case':<20} {'upstream':>8} {'response':>9} {'own p50':>8} {'own p90':>8} "
        f"{'cpu':>6} {'target':>7}  verdict",
    ]
    for m in measurements:
        verdict = "ok" if m.own_median < m.case.target_ms else "MISSED"
        lines.append(
            f"{m.case.name:<20} {m.upstream_calls_per_request:>8.0f} "
            f"{statistics.median(m.response_ms):>9.1f} {m.own_median:>8.1f} {m.own_p90:>8.1f} "
            f"{m.cpu_ms_per_request:>6.1f} "
            f"{'<' + format(m.case.target_ms, 'g'):>7}  {verdict}"
        )
    lines.append("")
    lines.append("Wonder call alone (client signs, sandbox serves, client parses), minus L:")
    for limit, alone_ms in wonder_alone.items():
        lines.append(f"  limit={limit:<4} {alone_ms:6.1f} ms")
    return "\n".join(lines)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.pages", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--latency-ms", type=float, default=50.0, help="the sandbox's latency L")
    parser.add_argument("--requests", type=int, default=40, help="requests per case (median)")
    parser.add_argument("--customers", type=int, default=20_000, help="customers in the sandbox")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    parser.add_argument("--profile", metavar="NAME", help="profile one case in this process")
    parser.add_argument(
        "--profiler",
        choices=PROFILERS,
        default="pyinstrument",
        help="with --profile: sampling (pyinstrument) or every call counted (cprofile)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or one profile); returns 1 if a target was missed."""
    arguments = _arguments(argv)
    cases = [case for case in CASES if not arguments.only or arguments.only in case.name]
    with (
        tempfile.TemporaryDirectory(prefix="dashboard-bench-") as work_dir,
        running_servers(
            work_dir=Path(work_dir), latency_ms=arguments.latency_ms, customers=arguments.customers
        ) as servers,
    ):
        _DETAIL_UUIDS[:] = _detail_uuids(
            customers=arguments.customers, count=arguments.requests + 1
        )
        if arguments.profile:
            from .profiling import profile_case  # imports Django: only when profiling

            case = next(case for case in CASES if case.name == arguments.profile)
            if case.failed_bindings is not None:
                servers.seed_failed_bindings(case.failed_bindings)
            print(
                profile_case(
                    case,
                    servers=servers,
                    requests_per_case=arguments.requests,
                    profiler=arguments.profiler,
                )
            )
            return 0
        session = _logged_in_session(servers.dashboard_url)
        load_start = os.getloadavg()[0]
        measurements = []
        seeded = None
        for case in cases:
            if case.failed_bindings is not None and case.failed_bindings != seeded:
                servers.seed_failed_bindings(case.failed_bindings)
                seeded = case.failed_bindings
            measurements.append(
                measure(
                    case,
                    servers=servers,
                    session=session,
                    requests_per_case=arguments.requests,
                    latency_ms=arguments.latency_ms,
                )
            )
        wonder_alone = {
            limit: wonder_call_alone_ms(
                servers=servers,
                limit=limit,
                calls=arguments.requests,
                latency_ms=arguments.latency_ms,
            )
            for limit in (25, 50, 100)
        }
    print(
        _report(
            measurements,
            latency_ms=arguments.latency_ms,
            requests_per_case=arguments.requests,
            wonder_alone=wonder_alone,
            load_start=load_start,
        )
    )
    return 0 if all(m.own_median < m.case.target_ms for m in measurements) else 1


if __name__ == "__main__":
    sys.exit(main())
