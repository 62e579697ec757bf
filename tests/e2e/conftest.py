"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import threading
import time
from pathlib import Path

import pytest

from tests.browser import ARTIFACTS

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def console_errors():
    return []


@pytest.fixture
def page(browser, console_errors):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    yield page
    context.close()
    wait_for_requests_in_flight()


def wait_for_requests_in_flight(limit=10.0):
    """Let the live server finish what the closed browser last asked of it.

    A request the page sent just before it closed (an autosave, a presence poll) is still being
    answered in a server thread; flushing the in-memory database under it fails with "table is
    locked". The server names those threads after ``process_request_thread``.
    """
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        busy = [t for t in threading.enumerate() if "process_request_thread" in t.name]
        if not busy:
            return
        for thread in busy:
            thread.join(timeout=0.1)


@pytest.fixture
def screenshot():
    """Save a screenshot of a page under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name, width=None):
        if width:
            page.set_viewport_size({"width": width, "height": 900})
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
