"""Profile one benchmark case in this process with pyinstrument.

The dashboard runs here (Django's test client, same settings as the gunicorn process) and
reads the benchmark's sandbox process, so the profile shows the dashboard's own code; the
wait for the sandbox shows up as socket reads.
"""

from __future__ import annotations

import os

from .servers import BENCH_USERNAME, Servers, dashboard_env

__all__ = ["profile_case"]


def profile_case(case, *, servers: Servers, requests_per_case: int) -> str:
    """Run ``requests_per_case`` requests of ``case`` under pyinstrument; the text report."""
    os.environ.update(dashboard_env(servers.work_dir, servers.sandbox_url))
    os.environ["DJANGO_SETTINGS_MODULE"] = "dashboard.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from pyinstrument import Profiler

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=BENCH_USERNAME))
    if case.cache == "warm":
        client.get(case.path(0))
        paths = [case.path(0)] * requests_per_case
    else:
        paths = [case.path(i) for i in range(requests_per_case)]
    profiler = Profiler(interval=0.0005)
    with profiler:
        for path in paths:
            answer = client.get(path)
            if answer.status_code != 200:
                raise RuntimeError(f"{path} answered {answer.status_code}")
    # Flat, by self time: template rendering nests too deep for a call tree to be readable.
    return profiler.output_text(unicode=True, color=False, show_all=True, flat=True)
