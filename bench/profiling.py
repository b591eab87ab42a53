"""Profile one benchmark case in this process, with pyinstrument or cProfile.

The dashboard runs here (Django's test client, same settings as the gunicorn process) and
reads the benchmark's sandbox process, so the profile shows the dashboard's own code; the
wait for the sandbox shows up as socket reads.

pyinstrument samples; its flat view once put seconds of "[self]" time in urllib.parse and
the test client that cProfile did not confirm. cProfile counts every call (and slows each
one down, so read its times as shares, not milliseconds); with it comes the number of
database queries one request makes.

``callgrind`` profiles nothing itself: under ``valgrind --tool=callgrind
--instr-atstart=no`` (``bench/instructions.py`` runs it so) it switches instruction
counting on for the profiled requests only. Instructions do not vary with the machine's
load, so two versions of the code compare on a busy VM where milliseconds do not.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import subprocess

from .servers import BENCH_USERNAME, Servers, dashboard_env

__all__ = ["PROFILERS", "profile_case"]

PROFILERS = ("pyinstrument", "cprofile", "callgrind")
# Lines of each cProfile listing: enough to reach past the framework into the page's code.
_CPROFILE_LINES = 45


def profile_case(
    case, *, servers: Servers, requests_per_case: int, profiler: str = "pyinstrument"
) -> str:
    """Run ``requests_per_case`` requests of ``case`` under ``profiler``; the text report."""
    os.environ.update(dashboard_env(servers.work_dir, servers.sandbox_url))
    os.environ["DJANGO_SETTINGS_MODULE"] = "dashboard.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=BENCH_USERNAME))
    if case.cache == "warm":
        client.get(case.path(0))  # fills the cache
        counted_path, paths = case.path(0), [case.path(0)] * requests_per_case
    else:
        # Counted on a page the profiled requests do not ask for, so it stays cold for them.
        counted_path = case.path(requests_per_case)
        paths = [case.path(i) for i in range(requests_per_case)]
    with CaptureQueriesContext(connection) as queries:
        _get(client, counted_path)
    # Read now: every request start empties the connection's query log.
    counted = [query["sql"] for query in queries.captured_queries]
    if profiler == "callgrind":
        _callgrind_counting(on=True)
        for path in paths:
            _get(client, path)
        _callgrind_counting(on=False)
        text = f"callgrind counted the instructions of {len(paths)} requests."
    elif profiler == "cprofile":
        profile = cProfile.Profile()
        profile.enable()
        for path in paths:
            _get(client, path)
        profile.disable()
        report = io.StringIO()
        stats = pstats.Stats(profile, stream=report)
        stats.sort_stats("tottime").print_stats(_CPROFILE_LINES)
        stats.sort_stats("cumulative").print_stats(_CPROFILE_LINES)
        text = report.getvalue()
    else:
        from pyinstrument import Profiler

        sampler = Profiler(interval=0.0005)
        with sampler:
            for path in paths:
                _get(client, path)
        # Flat, by self time: template rendering nests too deep for a call tree to be readable.
        text = sampler.output_text(unicode=True, color=False, show_all=True, flat=True)
    lines = [f"Database queries in one request: {len(counted)}"]
    lines += [f"  {sql[:160]}" for sql in counted]
    return "\n".join(lines) + "\n\n" + text


def _callgrind_counting(*, on: bool) -> None:
    """Switch callgrind's instruction counting for this process (valgrind's own tool)."""
    subprocess.run(
        ["callgrind_control", f"--instr={'on' if on else 'off'}", str(os.getpid())],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _get(client, path: str) -> None:
    answer = client.get(path)
    if answer.status_code != 200:
        raise RuntimeError(f"{path} answered {answer.status_code}")
