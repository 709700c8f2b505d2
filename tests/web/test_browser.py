"""The review-to-arrest path in a real browser (Playwright driving Debian's chromium)
against `soar serve` in its own process: an analyst confirms a match with the keyboard, a
supervisor approves it, a field officer lodges a detainer and records the arrest, and the
dashboard's arrest count goes up by one. Screenshots land in tests/web/artifacts/.

Never skipped: `make test` installs chromium when it is missing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from .conftest import PASSWORD, make_store

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """`soar serve` on a fresh workspace (test users and leads), as a separate process."""
    home = tmp_path / "ws"
    make_store(home)
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "soar", "serve", "--home", str(home), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "SOAR_DATABASE_URL": ""},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/login", timeout=1) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.close()
                    pytest.fail(f"soar serve did not start: {(tmp_path / 'serve.log').read_text()}")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), (
        f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _log_in(browser: Browser, url: str, username: str) -> Page:
    """A fresh browser context (its own cookies) logged in as `username`."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{url}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login")
    page.wait_for_load_state()
    expect(page.locator("#who")).to_contain_text(username)
    return page


def _move(page: Page, to_state: str, reason: str) -> None:
    page.select_option("#to_state", to_state)
    page.fill("#transition-reason", reason)
    page.click("#move")
    expect(page.locator("#state")).to_have_text(to_state.replace("_", " "))


def _arrest_count(browser: Browser, url: str) -> int:
    page = _log_in(browser, url, "otto")
    page.goto(f"{url}/dashboard")
    count = int(page.locator("#arrest-count").inner_text())
    page.context.close()
    return count


def test_review_to_arrest_in_a_real_browser(chromium: Browser, server: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    before = _arrest_count(chromium, server)

    analyst = _log_in(chromium, server, "alice")
    analyst.goto(f"{server}/review")
    expect(analyst).to_have_url(f"{server}/review/1")
    expect(analyst.locator("#records mark").first).to_be_visible()
    analyst.screenshot(path=str(ARTIFACTS / "review.png"), full_page=True)
    # The keyboard: "c" without a reason puts the cursor in the reason box; then Esc, "c".
    analyst.keyboard.press("c")
    expect(analyst.locator("#reason")).to_be_focused()
    analyst.keyboard.type("names, date of birth and fingerprints agree")
    analyst.keyboard.press("Escape")
    analyst.keyboard.press("c")
    expect(analyst).to_have_url(f"{server}/review/2")
    expect(analyst.locator("#flash")).to_contain_text("case 1: match confirmed")
    analyst.goto(f"{server}/cases/1")
    _move(analyst, "priority_assessed", "priority under the policy in force")
    analyst.context.close()

    supervisor = _log_in(chromium, server, "sam")
    supervisor.goto(f"{server}/cases/1")
    _move(supervisor, "approved", "approved: convicted sexual abuse of a minor")
    _move(supervisor, "assigned", "to the Houston field office")
    supervisor.context.close()

    officer = _log_in(chromium, server, "hugo")
    officer.goto(f"{server}/cases/1")
    officer.fill("#facility", "Harris County Jail")
    officer.select_option("#probable_cause", "pending_proceedings")
    officer.select_option("#warrant", "I-200")
    officer.fill("#detainer-reason", "in local custody on a state charge")
    officer.click("#lodge")
    expect(officer.locator("#state")).to_have_text("detainer issued")
    officer.select_option("#outcome", "honored")
    officer.fill("#outcome-reason", "custody transferred at release")
    officer.click("#record-outcome")
    expect(officer.locator("#state")).to_have_text("detainer honored")
    officer.fill("#place", "Harris County Jail")
    officer.fill("#arrest-reason", "custody transfer under the detainer")
    officer.click("#record-arrest")
    expect(officer.locator("#state")).to_have_text("arrested")
    officer.goto(f"{server}/dashboard")
    officer.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    officer.context.close()

    assert _arrest_count(chromium, server) == before + 1
    assert (ARTIFACTS / "review.png").stat().st_size > 0
    assert (ARTIFACTS / "dashboard.png").stat().st_size > 0
