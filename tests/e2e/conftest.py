"""Fixtures for the browser tests: Debian's Chromium driven by Playwright against live_server.

Never downloads a browser: without /usr/bin/chromium (or $FAIRLEAD_CHROMIUM) the tests are
skipped with that reason. Playwright's sync API runs an event loop in the test thread, so
Django's async-safety check is switched off for these tests (the ORM calls stay synchronous).
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.e2e.helpers import Stand, phone_context

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("FAIRLEAD_CHROMIUM", "/usr/bin/chromium")
# Flags for running as root in a container; nothing here changes what the page can do.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]


def chromium_missing() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "needs the playwright package"
    return None


def pytest_collection_modifyitems(config, items):
    reason = chromium_missing()
    if reason is None:
        return
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here) and item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser):
    context = phone_context(browser)
    yield context
    context.close()


@pytest.fixture
def stand_device(exhibitor):
    """An approved exhibitor's scanner device with a fresh pairing code (the portal's flow)."""
    from leads.services.devices import device_create, device_pairing_code_create

    device = device_create(exhibitor=exhibitor, label="Stand phone 1")
    issued = device_pairing_code_create(device=device)
    return Stand(exhibitor=exhibitor, device=device, pairing_code=issued.code)
