"""The stand scanner page in a real Chromium at phone size, against the real scan API."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from badges.codes import short_code_display
from badges.services.issue import badge_revoke
from leads.models import Lead, Scan
from tests import factories
from tests.e2e.helpers import (
    badge_pdf,
    camera_browser,
    camera_feed_write,
    dismiss_flash,
    flash,
    pair_page,
    phone_context,
    screenshot,
    wait_for_service_worker,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def enter_code(page, text: str):
    """Type into the code field and press Enter, as a keyboard-wedge scanner does."""
    page.click("#code")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_revoked_badge_and_unknown_code_show_their_state_and_store_nothing(
    context, live_server, stand_device, fair
):
    revoked = factories.make_badge(fair=fair)
    badge_revoke(badge=revoked)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    pair_page(page, live_server, stand_device)

    enter_code(page, revoked.qr_content)
    assert "Badge revoked" in flash(page, "revoked")
    dismiss_flash(page)

    # Well-formed, right check character, but no badge of this fair has it.
    enter_code(page, "FL1:" + "7" * 26)
    assert "Unknown badge" in flash(page, "unknown")
    dismiss_flash(page)

    assert Lead.objects.count() == 0
    assert Scan.objects.count() == 0
    expect(page.locator("#lead-list li")).to_have_count(0)
    expect(page.locator("#sync-count")).to_have_text("all synced")
    assert errors == []


def test_scans_made_offline_survive_a_reload_and_upload_once_when_the_network_returns(
    context, live_server, stand_device, fair
):
    badges = [factories.make_badge(fair=fair) for _ in range(3)]
    page = context.new_page()
    pair_page(page, live_server, stand_device)
    wait_for_service_worker(page)
    # The decoder is on the phone too, so the camera works without a network.
    page.wait_for_function(
        "async () => !!(await caches.match(JSON.parse("
        "document.getElementById('scanner-config').textContent).wasm))",
        timeout=30_000,
        polling=500,
    )
    context.set_offline(True)
    worker = context.service_workers[0]
    assert worker.evaluate("fetch('/healthz').then(() => 'online', () => 'offline')") == "offline"
    device_times = [
        timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=minutes)
        for minutes in (50, 30, 10)
    ]

    # 1: a hardware scanner types the QR content into the focused field and presses Enter.
    context.clock.set_fixed_time(device_times[0])
    enter_code(page, badges[0].qr_content)
    assert "Queued" in flash(page, "queued")
    dismiss_flash(page)
    # 2: the short code typed by hand, with dashes and in lower case.
    context.clock.set_fixed_time(device_times[1])
    enter_code(page, short_code_display(badges[1].short_code).lower())
    flash(page, "queued")
    dismiss_flash(page)
    # 3: a hardware scanner while no field has the focus (keystrokes caught by the page).
    context.clock.set_fixed_time(device_times[2])
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.type(badges[2].qr_content)
    page.keyboard.press("Enter")
    flash(page, "queued")
    dismiss_flash(page)
    expect(page.locator("#sync-count")).to_have_text("3 waiting to sync")

    response = page.reload()
    assert response is not None and response.from_service_worker
    page.wait_for_selector("#app-view:not([hidden])")
    expect(page.locator("#sync-count")).to_have_text("3 waiting to sync")
    expect(page.locator("#net-state")).to_have_text("offline")
    assert Scan.objects.count() == 0

    context.set_offline(False)
    page.wait_for_function(
        "() => document.getElementById('sync-count').dataset.count === '0'", timeout=20_000
    )
    leads = Lead.objects.filter(exhibitor=stand_device.exhibitor).select_related("attendee")
    assert sorted(lead.attendee_id for lead in leads) == sorted(b.attendee_id for b in badges)
    scans = {scan.badge_id: scan for scan in Scan.objects.all()}
    assert len(scans) == 3
    for badge, device_time in zip(badges, device_times, strict=True):
        assert scans[badge.pk].scanned_at == device_time
        assert scans[badge.pk].device_id == stand_device.device.pk
    # The list now shows the names the server sent.
    page.click("#tab-button-leads")
    for badge in badges:
        page.locator("#lead-list").get_by_text(badge.attendee.last_name).wait_for()


def test_camera_reads_a_printed_badge_and_the_lead_is_stored_for_its_attendee(
    playwright_instance, live_server, stand_device, fair, tmp_path
):
    badge = factories.make_badge(fair=fair, first_name="Kamera", last_name="Testperson")
    feed = tmp_path / "badge.y4m"
    camera_feed_write(badge_pdf(badge), feed)
    browser = camera_browser(playwright_instance, feed)
    try:
        context = phone_context(browser, permissions=["camera"])
        page = context.new_page()
        requested = []
        context.on("request", lambda request: requested.append(request.url))
        pair_page(page, live_server, stand_device)
        # Headless Chromium on Linux has no native QR detector: this is the WebAssembly decoder.
        assert page.evaluate("(async () => !('BarcodeDetector' in window))()")
        if page.locator('#camera[data-state="stopped"]').count():
            page.click("#camera-toggle")
        text = flash(page, "new", timeout=30_000)
        assert "New lead" in text
        assert "Kamera Testperson" in text
        lead = Lead.objects.get(exhibitor=stand_device.exhibitor)
        assert lead.attendee_id == badge.attendee_id
        assert Scan.objects.get().badge_id == badge.pk
        # The decoder and its WebAssembly came from our own static files, nothing from a CDN.
        assert any(
            url.endswith("/static/vendor/barcode-detector/zxing_reader.wasm") for url in requested
        )
        assert all(url.startswith(live_server.url) for url in requested), requested
        # The badge stays in view: the page does not send it again.
        page.wait_for_selector("#flash", state="hidden")
        page.wait_for_timeout(1000)
        assert Scan.objects.count() == 1
        screenshot(page, "camera")
    finally:
        browser.close()


def test_two_refreshes_at_once_ask_the_server_once(browser, live_server, stand_device):
    # The page refreshes on opening, on return to the tab and on a timer; two at once must not
    # download the same changes twice.
    page = phone_context(browser, service_workers="block").new_page()
    with page.expect_response(lambda response: "/api/scan/leads" in response.url):
        pair_page(page, live_server, stand_device)
    page.wait_for_load_state("networkidle")  # the refresh on opening is done
    asked = []
    page.on(
        "request", lambda request: "/api/scan/leads" in request.url and asked.append(request.url)
    )
    page.evaluate(
        """async () => {
          const { refreshLeads } = await import('/static/scanner/sync.js');
          await Promise.all([refreshLeads(), refreshLeads()]);
        }"""
    )
    assert len(asked) == 1
