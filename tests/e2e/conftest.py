"""Browser tests: the real app under `streamlit run`, driven by Playwright in Debian's Chromium.

Each test module gets its own server on a free localhost port over a private copy of the
sample store. Screenshots go to artifacts/e2e/ (git-ignored).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

ARTIFACTS = ROOT / "artifacts" / "e2e"
CHROMIUM = os.environ.get("CCHC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not become healthy in {timeout} s")


class LiveApp:
    def __init__(self, url: str, db_path: Path, env: dict[str, str]) -> None:
        self.url = url
        self.db_path = db_path
        self.env = env


@pytest.fixture(scope="module")
def live_app(sample_db_file: Path, demo_credentials: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """`streamlit run dashboard.py` on a free port over a private copy of the sample store."""
    work = tmp_path_factory.mktemp("live")
    db_path = work / "store.db"
    shutil.copy(sample_db_file, db_path)
    shutil.copy(demo_credentials, work / "credentials.yaml")
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}", "CCHC_CREDENTIALS_FILE": str(work / "credentials.yaml"),
           "CCHC_MODE": "demo", "CCHC_COOKIE_KEY": "e2e-" + "k" * 40}
    log = open(work / "server.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url)
        yield LiveApp(url, db_path, env)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        text = (work / "server.log").read_text(encoding="utf-8", errors="replace")
        if "Traceback" in text:  # a page that raised: surface it in the test output
            print(text[-4000:])


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium không có tại {CHROMIUM}: chạy 'make e2e-deps' (cài gói chromium của Debian).")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh 1920x1080 browser context (its own cookies) per test; errors in the page are collected."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="vi-VN",  # type: ignore[attr-defined]
                                  accept_downloads=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()


def shot(page: object, name: str) -> Path:
    """Full-page screenshot under artifacts/e2e/NAME.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path
