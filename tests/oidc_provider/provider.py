"""Start the test OpenID Connect provider (server.js, the npm package ``oidc-provider``) on
a free port, and walk its sign-in pages the way a person's browser would."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

__all__ = ["RunningProvider", "oidc_provider_running", "provider_sign_in", "provider_sign_out"]

HERE = Path(__file__).resolve().parent
CLIENT_ID = "wonder-dashboard"
CLIENT_SECRET = "tests-only-client-secret"  # noqa: S105
START_TIMEOUT_SECONDS = 30


@dataclass
class RunningProvider:
    issuer: str
    client_id: str
    client_secret: str
    accounts_file: Path

    def people_set(self, people: dict[str, dict]) -> None:
        """Who exists at the provider: ``{"ana": {"groups": ["dash-finance"]}}``. Read at
        every sign-in, so a change applies to the next one."""
        self.accounts_file.write_text(json.dumps(people), encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _node_modules_installed() -> None:
    """`npm ci` from the committed lock file, once per machine (node_modules is ignored)."""
    if (HERE / "node_modules" / "oidc-provider" / "package.json").exists():
        return
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.skip("Node.js is not installed, so the test OpenID Connect provider cannot run.")
    installed = subprocess.run(  # noqa: S603
        [npm, "ci", "--no-audit", "--no-fund"], cwd=HERE, capture_output=True, text=True
    )
    if installed.returncode != 0:
        pytest.fail(f"`npm ci` in {HERE} failed:\n{installed.stdout}\n{installed.stderr}")


@contextmanager
def oidc_provider_running(
    redirect_uris: list[str], workdir: Path, *, post_logout_redirect_uris: list[str] = ()
) -> Iterator[RunningProvider]:
    _node_modules_installed()
    port = _free_port()
    provider = RunningProvider(
        issuer=f"http://localhost:{port}",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        accounts_file=workdir / "oidc-accounts.json",
    )
    provider.people_set({})
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_ACCOUNTS_FILE": str(provider.accounts_file),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URIS": ",".join(redirect_uris),
        "OIDC_POST_LOGOUT_REDIRECT_URIS": ",".join(post_logout_redirect_uris),
    }
    log_path = workdir / "oidc-provider.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603
            [shutil.which("node") or "node", "server.js"],
            cwd=HERE,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            try:
                discovery = f"{provider.issuer}/.well-known/openid-configuration"
                if requests.get(discovery, timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the test OIDC provider did not start:\n{log_path.read_text()}")
            time.sleep(0.1)
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=10)


INTERACTION_FORM = re.compile(
    r'<form[^>]*action="(?P<action>[^"]+)"[^>]*>\s*<input type="hidden" name="prompt" '
    r'value="(?P<prompt>\w+)"',
    re.I,
)


def provider_sign_in(
    authorize_url: str,
    *,
    login: str,
    stop_at: str,
    browser: requests.Session | None = None,
    prompts_seen: list[str] | None = None,
) -> str:
    """Follow the provider's pages from ``authorize_url`` as a browser, signing in as
    ``login`` on its login page; returns the first redirect to ``stop_at`` (the callback).

    ``browser`` keeps the provider's cookies from one sign-in to the next (its session), as
    one person's browser would; each prompt the provider showed is added to ``prompts_seen``
    ("login" when it asked who is signing in)."""
    session = browser or requests.Session()
    url = authorize_url
    for _step in range(20):
        response = session.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            if url.startswith(stop_at):
                return url
            continue
        form = INTERACTION_FORM.search(response.text)
        assert form, f"unexpected provider page {response.status_code}: {response.text[:500]}"
        fields = {"prompt": form["prompt"]}
        if prompts_seen is not None:
            prompts_seen.append(form["prompt"])
        if form["prompt"] == "login":
            fields.update(login=login, password="any")
        posted = session.post(
            urljoin(url, unescape(form["action"])),
            data=fields,
            allow_redirects=False,
            timeout=10,
        )
        assert posted.is_redirect, posted.text[:500]
        url = urljoin(url, posted.headers["Location"])
        if url.startswith(stop_at):
            return url
    raise AssertionError("the provider never sent the browser back")


LOGOUT_FORM = re.compile(
    r'<form id="op.logoutForm" method="post" action="(?P<action>[^"]+)">'
    r'<input type="hidden" name="xsrf" value="(?P<xsrf>[^"]+)"/>',
    re.I,
)


def provider_sign_out(logout_url: str, *, browser: requests.Session, stop_at: str) -> str:
    """Open the provider's sign-out page at ``logout_url`` in ``browser`` and press "Yes,
    sign me out"; returns where the provider then sends the browser (must be ``stop_at``)."""
    page = browser.get(logout_url, allow_redirects=False, timeout=10)
    form = LOGOUT_FORM.search(page.text)
    assert form, f"unexpected provider page {page.status_code}: {page.text[:500]}"
    confirmed = browser.post(
        urljoin(logout_url, unescape(form["action"])),
        data={"xsrf": form["xsrf"], "logout": "yes"},
        allow_redirects=False,
        timeout=10,
    )
    assert confirmed.is_redirect, confirmed.text[:500]
    location = urljoin(logout_url, confirmed.headers["Location"])
    assert location.startswith(stop_at), location
    return location
