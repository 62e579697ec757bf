"""Debian's Chromium driven by Playwright: what the browser tests and the standards checks share,
and the steps in the admin that several browser tests take."""

import os
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def launch(playwright):
    """Start headless Chromium; fail with what to install when it is missing."""
    import pytest

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def log_in(page, live_server, username, password="pw"):
    """Sign in to the admin as `username`, after signing out whoever the page was."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")


def choose_in_autocomplete(page, row, text):
    """Pick `text` in the admin's select2 author box of the byline row `row`."""
    page.locator(f"#bylines-{row} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text[:5])
    page.locator(".select2-results__option", has_text=text).click()
