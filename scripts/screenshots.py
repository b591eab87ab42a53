"""Capture the README's screenshots of the customer list and a detail page, in English and
in Traditional Chinese.

Starts the embedded sandbox in a thread and the dashboard (runserver) in a subprocess, both
on throwaway ports and a throwaway database, logs in with a headless Chromium and saves
PNGs under docs/ (``customer-list.png``, ``customer-list.zh-hant.png``, ...). Not part of the
test suite, and the only part of the project that needs a Chinese font:

    apt-get install -y fonts-noto-cjk            # once, for the Chinese screenshots
    .venv/bin/python scripts/screenshots.py      # `make install` brings Playwright
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wonder_sandbox.config import SandboxConfig  # noqa: E402
from wonder_sandbox.hostile import HOSTILE_INDICES  # noqa: E402
from wonder_sandbox.server import start_in_thread  # noqa: E402

__all__: list[str] = []

DASHBOARD_PORT = 8151
SANDBOX_PORT = 8150
CHROMIUM = "/usr/bin/chromium"
USERNAME, PASSWORD = "screenshot-agent", "screenshot-only-password-42"
# (language, file name suffix): English first, as the README shows them.
LANGUAGES = (("en-gb", ""), ("zh-hant", ".zh-hant"))


def _key_pair() -> tuple[str, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public


def _wait_for_port(port: int, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"nothing listens on port {port}")


def main() -> None:
    """Start everything, capture the list and a detail page in each language."""
    from playwright.sync_api import sync_playwright

    private_pem, public_pem = _key_pair()
    sandbox = start_in_thread(
        SandboxConfig(public_key_pem=public_pem, customers=3000), port=SANDBOX_PORT
    )
    var_dir = tempfile.mkdtemp(prefix="screenshots-var-")
    env = {
        **os.environ,
        "DEBUG": "true",
        "DASHBOARD_VAR_DIR": var_dir,
        "WONDER_BASE_URL": sandbox.base_url,
        "WONDER_PRIVATE_KEY": private_pem,
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    manage = [python, str(ROOT / "manage.py")]
    subprocess.run([python, "-m", "ui.catalogue"], cwd=ROOT, check=True)  # noqa: S603
    if not _has_chinese_font():
        print("No Chinese font found: apt-get install -y fonts-noto-cjk", file=sys.stderr)
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)  # noqa: S603
    create_user = (
        "from django.contrib.auth import get_user_model; "
        "from django.contrib.auth.models import Permission; "
        f"u = get_user_model().objects.create_user({USERNAME!r}, password={PASSWORD!r}); "
        "u.user_permissions.add(Permission.objects.get(codename='view_customers'))"
    )
    subprocess.run([*manage, "shell", "-c", create_user], env=env, check=True)  # noqa: S603
    server = subprocess.Popen(  # noqa: S603 - fixed argv: our own manage.py
        [*manage, "runserver", f"127.0.0.1:{DASHBOARD_PORT}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    try:
        _wait_for_port(DASHBOARD_PORT)
        base = f"http://127.0.0.1:{DASHBOARD_PORT}"
        failed = sandbox.store.customer(HOSTILE_INDICES["failed_token"])["uuid"]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            for language, suffix in LANGUAGES:
                context = browser.new_context(viewport={"width": 1366, "height": 768})
                context.add_cookies([{"name": "django_language", "value": language, "url": base}])
                page = context.new_page()
                page.goto(f"{base}/accounts/login/")
                page.fill("input[name=username]", USERNAME)
                page.fill("input[name=password]", PASSWORD)
                page.click("form[action='/accounts/login/'] button[type=submit]")
                page.goto(f"{base}/customers/?page_size=25")
                page.screenshot(path=str(docs / f"customer-list{suffix}.png"), full_page=False)
                page.goto(f"{base}/customers/{failed}/")
                page.screenshot(path=str(docs / f"customer-detail{suffix}.png"), full_page=True)
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        sandbox.stop()
    print(f"saved the customer list and detail screenshots in {docs}, in both languages")


def _has_chinese_font() -> bool:
    """Whether fontconfig knows a font with Traditional Chinese glyphs (else: boxes)."""
    try:
        found = subprocess.run(  # noqa: S603
            ["fc-list", ":lang=zh-tw", "family"],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return False
    return bool(found.stdout.strip())


if __name__ == "__main__":
    main()
