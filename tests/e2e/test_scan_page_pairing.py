"""Pairing the scanner page: links opened in a tab that shows the scanner already, the name a
phone gets, where that name shows, and what `manage.py create_scanner` prints."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from leads.models import ScannerDevice
from leads.services.devices import device_create, device_pairing_code_create
from tests import factories
from tests.e2e.helpers import (
    dismiss_flash,
    flash,
    pair_page,
    phone_context,
    portal_login,
    stored,
    wedge_scan,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def iphone(browser):
    context = phone_context(browser, user_agent=IPHONE)
    yield context
    context.close()


def test_a_pairing_link_opened_in_the_open_scanner_tab_pairs_and_names_the_phone(
    iphone, live_server, stand_device, exhibitor_user
):
    page = iphone.new_page()
    page.goto(f"{live_server.url}/scan/")
    page.wait_for_selector("#pair-view:not([hidden])")
    page.evaluate("window.sameDocument = true")
    # The portal's link differs only in its fragment: the browser does not load the page again.
    page.goto(f"{live_server.url}/scan/#pair={stand_device.pairing_code}")
    expect(page.locator("#pair-code")).to_have_value(stand_device.pairing_code)
    assert page.evaluate("window.sameDocument") is True
    expect(page.locator("#pair-device")).to_have_value("iPhone")
    page.click("#pair-submit")
    page.wait_for_selector("#app-view:not([hidden])")
    expect(page.locator("#device-name")).to_have_text("Stand phone 1 (iPhone)")
    assert "pair=" not in page.url
    device = ScannerDevice.objects.get(pk=stand_device.device.pk)
    assert device.paired_name == "iPhone"

    portal = iphone.new_page()
    portal_login(iphone, live_server, exhibitor_user)
    portal.goto(f"{live_server.url}/exhibitor/devices/")
    row = portal.locator(f'tr[data-device-id="{device.pk}"]')
    expect(row).to_contain_text("Stand phone 1")
    expect(row).to_contain_text("iPhone")


def test_a_new_pairing_link_in_a_paired_tab_asks_then_pairs_again_keeping_the_leads(
    context, live_server, stand_device, fair
):
    badge = factories.make_badge(fair=fair, first_name="Bleibt", last_name="Erhalten")
    page = context.new_page()
    pair_page(page, live_server, stand_device)
    wedge_scan(page, badge.qr_content)
    flash(page, "new")
    dismiss_flash(page)

    second = device_create(exhibitor=stand_device.exhibitor, label="Stand phone 2")
    code = device_pairing_code_create(device=second).code
    page.goto(f"{live_server.url}/scan/#pair={code}")
    page.wait_for_selector("#pair-view:not([hidden])")
    expect(page.locator("#pair-code")).to_have_value(code)
    # Changing one's mind returns to the scanner as it was.
    page.click("#pair-cancel")
    page.wait_for_selector("#app-view:not([hidden])")
    expect(page.locator("#device-name")).to_contain_text("Stand phone 1")

    page.goto(f"{live_server.url}/scan/#pair={code}")
    page.wait_for_selector("#pair-view:not([hidden])")
    page.fill("#pair-device", "Hall tablet")
    page.click("#pair-submit")
    page.wait_for_selector("#app-view:not([hidden])")
    expect(page.locator("#device-name")).to_have_text("Stand phone 2 (Hall tablet)")
    page.click("#tab-button-leads")
    expect(page.locator("#lead-list")).to_contain_text("Bleibt Erhalten")
    assert len(stored(page)["leads"]) == 1


def test_create_scanner_prints_a_link_and_code_the_page_pairs_with(
    context, live_server, exhibitor, settings
):
    settings.FAIRLEAD_BASE_URL = live_server.url
    out = io.StringIO()
    call_command(
        "create_scanner", "--exhibitor", str(exhibitor.pk), "--label", "Hall phone", stdout=out
    )
    printed = dict(line.split(": ", 1) for line in out.getvalue().strip().splitlines())
    link, code = printed["Pairing link"], printed["Pairing code"]
    assert link.startswith(f"{live_server.url}/scan/#pair=")

    # Typed as printed (with its dashes) …
    page = context.new_page()
    page.goto(f"{live_server.url}/scan/")
    page.wait_for_selector("#pair-view:not([hidden])")
    page.fill("#pair-code", code)
    page.click("#pair-submit")
    page.wait_for_selector("#app-view:not([hidden])")
    expect(page.locator("#device-name")).to_contain_text("Hall phone")

    # … or the link opened on another phone (a second device, a fresh code).
    out = io.StringIO()
    call_command(
        "create_scanner", "--exhibitor", str(exhibitor.pk), "--label", "Hall phone 2", stdout=out
    )
    link = dict(line.split(": ", 1) for line in out.getvalue().strip().splitlines())["Pairing link"]
    other = phone_context(context.browser)
    phone = other.new_page()
    phone.goto(link)
    phone.wait_for_selector("#pair-view:not([hidden])")
    phone.click("#pair-submit")
    phone.wait_for_selector("#app-view:not([hidden])")
    expect(phone.locator("#device-name")).to_contain_text("Hall phone 2")
    other.close()
