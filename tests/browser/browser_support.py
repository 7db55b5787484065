"""Fixtures and helpers of the browser tests: the app on a free loopback port in a thread, driven by
Playwright in Debian's Chromium (/usr/bin/chromium; Playwright never downloads a browser).

Kept out of conftest.py: a second module named `conftest` would shadow tests/conftest.py.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
XSS = Path(__file__).with_name("xss.jsonl")
SHOTS = ROOT / "screenshots"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


def shot(page: object, name: str, full: bool = True) -> Path:
    """A screenshot of `page` in screenshots/<name>.png at the repository root."""
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)  # type: ignore[attr-defined]
    return path


def chromium_mark() -> pytest.MarkDecorator:
    """Skip when Chromium is absent outside CI; in CI (CI=true) the `browser` fixture fails instead."""
    missing = not CHROMIUM.exists() and os.environ.get("CI") != "true"
    return pytest.mark.skipif(missing, reason=f"{CHROMIUM} is not installed (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(db: Path) -> Iterator[str]:
    """The app over `db` on a free loopback port, in a thread; yields its base URL."""
    import uvicorn

    from karavan.serve.app import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (a missing one fails: chromium_mark skips outside CI first)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run must install Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
