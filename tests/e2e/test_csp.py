"""The Content-Security-Policy in a real Chromium: no page of ours, of the admin or of the API
documentation breaks under it (not one violation report), and the scanner still decodes a
badge from the camera with its WebAssembly decoder."""

import pytest
from django.test import Client

from leads.models import Lead
from tests import factories
from tests.e2e.helpers import (
    badge_pdf,
    camera_browser,
    camera_feed_write,
    flash,
    pair_page,
    phone_context,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Every violation, as the page itself sees it (the event fires for enforced policies).
WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || ""}:${event.lineNumber || ""}`);
});
"""


class Watcher:
    """Collects CSP violations from the page (event) and the console (Chromium's messages)."""

    def __init__(self, context):
        self.console: list[str] = []
        context.add_init_script(WATCH_VIOLATIONS)
        context.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def violations(self, page) -> list[str]:
        page.wait_for_timeout(300)  # reports are dispatched asynchronously
        return [*page.evaluate("window.__csp || []"), *self.console]


def logged_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    yield context
    context.close()


def visit(page, url: str, *, ready: str = "main, #content, body") -> None:
    response = page.goto(url)
    assert response.status < 400, (url, response.status)
    assert response.headers.get("content-security-policy"), url
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")


def test_public_pages_have_no_csp_violations(desktop, live_server, area):
    watcher = Watcher(desktop)
    page = desktop.new_page()
    paths = (
        "/",
        f"/exhibitors/register/{area.pk}/",
        "/accounts/login/",
        "/exhibitor/access/",
        "/api-auth/login/",
    )
    for path in paths:
        visit(page, live_server.url + path)
        assert watcher.violations(page) == [], path
    # The registration form's script (co-exhibitor rows, logo preview) runs under the policy.
    visit(page, f"{live_server.url}/exhibitors/register/{area.pk}/")
    page.fill("input[name=company_name]", "Stadtwerke Test")
    assert watcher.violations(page) == []


def test_portal_and_organizer_pages_have_no_csp_violations(desktop, live_server, exhibitor):
    watcher = Watcher(desktop)
    logged_in(desktop, live_server, factories.make_exhibitor_user(exhibitor=exhibitor))
    page = desktop.new_page()
    for path in ("/exhibitor/", "/exhibitor/profile/", "/exhibitor/devices/", "/exhibitor/leads/"):
        visit(page, live_server.url + path)
        assert watcher.violations(page) == [], path


def test_admin_and_browsable_api_have_no_csp_violations(desktop, live_server, exhibitor):
    watcher = Watcher(desktop)
    logged_in(desktop, live_server, factories.make_organizer())
    page = desktop.new_page()
    for path, ready in (
        ("/admin/", "#content"),
        ("/admin/exhibitors/exhibitor/", "#changelist"),
        (f"/admin/exhibitors/exhibitor/{exhibitor.pk}/change/", "#content-main form"),
        ("/organizer/", "main"),
        ("/api/v1/", ".response-info"),
        ("/api/v1/exhibitors/", ".response-info"),
        # With DRF's "Extra Actions" menu: the one inline style allowed by its hash.
        (f"/api/v1/exhibitors/{exhibitor.pk}/", "#extra-actions-menu"),
    ):
        visit(page, live_server.url + path, ready=ready)
        assert watcher.violations(page) == [], path
    # The browsable API's user menu logs out without DRF's inline onclick handler.
    page.click(".navbar-nav .dropdown-toggle")
    page.click("text=Log out")
    page.wait_for_load_state("networkidle")
    assert watcher.violations(page) == []
    assert page.goto(f"{live_server.url}/api/v1/exhibitors/").status == 401  # logged out


def test_api_documentation_pages_have_no_csp_violations(desktop, live_server, db):
    watcher = Watcher(desktop)
    page = desktop.new_page()
    visit(page, f"{live_server.url}/api/v1/docs/")
    assert watcher.violations(page) == []
    # Swagger UI (django-ninja's own static files) renders the operations under the policy.
    visit(page, f"{live_server.url}/api/scan/docs", ready=".opblock")
    page.click(".opblock-summary >> nth=0")
    page.wait_for_selector(".opblock-body")
    assert watcher.violations(page) == []


def test_scanner_pairs_and_decodes_a_badge_from_the_camera_under_the_policy(
    playwright_instance, live_server, stand_device, fair, tmp_path
):
    badge = factories.make_badge(fair=fair, first_name="Policy", last_name="Probe")
    feed = tmp_path / "badge.y4m"
    camera_feed_write(badge_pdf(badge), feed)
    browser = camera_browser(playwright_instance, feed)
    try:
        # bypass_csp=False: this test is about the policy, whatever the shared helper sets.
        context = phone_context(browser, permissions=["camera"], bypass_csp=False)
        watcher = Watcher(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        pair_page(page, live_server, stand_device)
        # Headless Chromium has no native BarcodeDetector: the WebAssembly decoder must load.
        assert page.evaluate("!('BarcodeDetector' in window)")
        if page.locator('#camera[data-state="stopped"]').count():
            page.click("#camera-toggle")
        assert "Policy Probe" in flash(page, "new", timeout=30_000)
        assert Lead.objects.get().attendee_id == badge.attendee_id
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
        assert watcher.violations(page) == []
        assert errors == []
    finally:
        browser.close()
