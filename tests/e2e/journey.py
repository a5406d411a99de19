"""Shared helpers of the journey tests: one browser context per viewport and language, a watch
for console errors and CSP violations on every page, mails read from the outbox, and a
screenshot of the page when a step fails.

A journey runs as ``with journey_step(page, "confirm"): ...`` blocks: a step that fails
saves ``<tmp>/<step>.png`` and prints its path, so CI logs show what the page looked like.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core import mail

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
BROWSER_LOCALES = {"de": "de-DE", "en": "en-GB"}

# Every CSP violation as the page sees it (the event fires for enforced policies too).
WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""

# aria-describedby / aria-labelledby values that name no element of the page.
MISSING_DESCRIPTIONS = """
[...document.querySelectorAll("[aria-describedby], [aria-labelledby]")].flatMap(element =>
  ["aria-describedby", "aria-labelledby"].flatMap(name =>
    (element.getAttribute(name) || "").split(/\\s+/).filter(Boolean)
      .filter(id => !document.getElementById(id))
      .map(id => `${name}="${id}" on #${element.id} names no element`)))
"""


@dataclass
class PageWatch:
    """Console errors and warnings, failed requests, page errors, CSP violations and ARIA
    references to missing ids, for one browser context."""

    messages: list[str] = field(default_factory=list)

    def attach(self, context) -> PageWatch:
        context.add_init_script(WATCH_VIOLATIONS)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.messages.append(f"error: {error.error}"))
        context.on("response", self._response)
        return self

    def _console(self, message) -> None:
        # A failed resource is reported by _response with its URL instead.
        if message.type in {"error", "warning"} and "Failed to load resource" not in message.text:
            self.messages.append(f"{message.type}: {message.text}")

    def _response(self, response) -> None:
        # The browser asks for /favicon.ico on its own; the home page's owner adds one.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.messages.append(f"response {response.status}: {response.url}")

    def problems(self, page, *, expected: tuple[str, ...] = ()) -> list[str]:
        """What went wrong so far, less messages that contain one of ``expected`` (e.g. the
        console's note about a page answered with the 404 the test asked for)."""
        page.wait_for_timeout(100)  # violation events are dispatched asynchronously
        found = [
            *self.messages,
            *(page.evaluate("window.__csp || []") or []),
            *page.evaluate(MISSING_DESCRIPTIONS),
        ]
        return [text for text in found if not any(part in text for part in expected)]

    def assert_clean(self, page, *, expected: tuple[str, ...] = ()) -> None:
        problems = self.problems(page, expected=expected)
        assert not problems, f"{page.url}: {problems}"
        self.messages.clear()


def browser_context(browser, *, viewport: str, language: str):
    """A fresh context with the viewport and the browser language of a person on that device."""
    phone = viewport == "phone"
    return browser.new_context(
        viewport=VIEWPORTS[viewport],
        device_scale_factor=1,
        is_mobile=phone,
        has_touch=phone,
        locale=BROWSER_LOCALES[language],
        timezone_id="Europe/Berlin",
        accept_downloads=True,
    )


@contextlib.contextmanager
def journey_step(page, name: str, folder: Path) -> Iterator[None]:
    """Run one step; when it fails, save a screenshot of the page and print its path."""
    try:
        yield
    except BaseException:
        path = folder / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
        with contextlib.suppress(Exception):
            page.screenshot(path=str(path), full_page=True)
            print(f"journey step {name!r} failed; screenshot: {path}")
        raise


def mail_link(*, to: str, pattern: str) -> str:
    """The last link matching ``pattern`` in the newest mail to ``to`` in the outbox."""
    for message in reversed(mail.outbox):
        if to in message.to:
            links = re.findall(pattern, message.body)
            assert links, message.body
            return links[-1]
    raise AssertionError(f"no mail to {to} in {[m.to for m in mail.outbox]}")


def readme_screenshot(page, name: str) -> None:
    """Save docs/screenshots/NAME.png when FAIRLEAD_SCREENSHOTS=1 (never by default: a normal
    test run leaves the work tree alone)."""
    if os.environ.get("FAIRLEAD_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
