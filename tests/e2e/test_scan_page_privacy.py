"""What the scanner page keeps about visitors, and that it lets go (issue 11, item 3).

The phone keeps a lead's name, company and job title (the latter only with consent) and
nothing else of the visitor; it takes the server's current view (consent withdrawn, visitor
erased) on its next refresh, also across a reload; and a device the server no longer knows
forgets every lead, keeping only the scans it has not uploaded.
"""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from badges.models import Attendee, ConsentEvent
from badges.privacy import attendees_anonymize, consent_set
from leads.models import Lead, Scan
from leads.services.devices import device_create, device_pairing_code_create, device_revoke
from leads.services.lead_update import lead_update
from tests import factories
from tests.e2e.helpers import (
    dismiss_flash,
    flash,
    pair_page,
    stored,
    synced,
    wait_for_service_worker,
    wedge_scan,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KEPT = {"first_name", "last_name", "company", "job_title", "contact_shared"}


def lead_row(page, name: str):
    page.click("#tab-button-leads")
    return page.locator("#lead-list li", has_text=name)


def stored_contacts(page) -> list[dict]:
    return [lead["contact"] for lead in stored(page)["leads"]]


def reload_app(page):
    page.reload()
    page.wait_for_selector("#app-view:not([hidden])")


def test_the_phone_keeps_no_email_phone_or_address_of_a_visitor(
    context, live_server, stand_device, fair
):
    badge = factories.make_badge(fair=fair, first_name="Paula", last_name="Privat")
    page = context.new_page()
    pair_page(page, live_server, stand_device)
    wedge_scan(page, badge.qr_content)
    assert "Paula Privat" in flash(page, "new")
    dismiss_flash(page)
    everything = json.dumps(stored(page))
    attendee = badge.attendee
    for value in (attendee.email, attendee.phone, attendee.postal_code, badge.qr_content):
        assert value not in everything
    (contact,) = stored_contacts(page)
    assert set(contact) <= KEPT
    assert contact["job_title"] == attendee.job_title
    assert not page.locator("text=" + attendee.email).count()


def test_withdrawn_consent_reaches_the_list_and_the_store_also_after_a_reload(
    context, live_server, stand_device, fair
):
    badge = factories.make_badge(
        fair=fair, first_name="Wiebke", last_name="Widerruf", job_title="Head of Smart Grids"
    )
    page = context.new_page()
    pair_page(page, live_server, stand_device)
    wedge_scan(page, badge.qr_content)
    flash(page, "new")
    dismiss_flash(page)
    expect(lead_row(page, "Wiebke Widerruf")).to_contain_text("Head of Smart Grids")

    consent_set(attendee=badge.attendee, given=False)
    # The server answers by the current consent (the page relies on it).
    token = stored(page)["meta"]
    token = next(row["value"]["token"] for row in token if row["key"] == "auth")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/scan/leads").json()
    assert api["items"][0]["attendee"] == {
        "first_name": "Wiebke",
        "last_name": "Widerruf",
        "company": badge.attendee.company,
        "contact_shared": False,
        "job_title": None,
        "email": None,
        "phone": None,
        "country": None,
        "postal_code": None,
        "topics": None,
    }

    reload_app(page)
    row = lead_row(page, "Wiebke Widerruf")
    expect(row).not_to_contain_text("Head of Smart Grids")
    expect(row).to_contain_text(badge.attendee.company)
    (contact,) = stored_contacts(page)
    assert contact == {
        "first_name": "Wiebke",
        "last_name": "Widerruf",
        "company": badge.attendee.company,
        "contact_shared": False,
    }
    row.locator("button").click()
    expect(page.locator("#sheet-body")).to_contain_text("Contact details not shared")
    reload_app(page)
    expect(lead_row(page, "Wiebke Widerruf")).not_to_contain_text("Head of Smart Grids")


def test_an_erased_visitor_disappears_from_the_phone(context, live_server, stand_device, fair):
    badge = factories.make_badge(fair=fair, first_name="Erik", last_name="Erasmus")
    page = context.new_page()
    pair_page(page, live_server, stand_device)
    wedge_scan(page, badge.qr_content)
    flash(page, "new")
    dismiss_flash(page)
    lead_update(lead=Lead.objects.get(), tags=["met at the forum"], device=stand_device.device)
    attendees_anonymize(
        attendees=Attendee.objects.filter(pk=badge.attendee_id), source=ConsentEvent.Source.ERASURE
    )
    reload_app(page)
    page.click("#tab-button-leads")
    page.wait_for_function(
        "() => !document.getElementById('lead-list').textContent.includes('Erasmus')"
    )
    (lead,) = stored(page)["leads"]
    assert "Erasmus" not in json.dumps(lead)
    assert badge.attendee.company not in json.dumps(lead)
    assert lead["tags"] == [] and lead["contact"]["contact_shared"] is False


def test_leads_leave_the_phone_a_week_after_their_last_scan(
    context, live_server, stand_device, fair
):
    old = factories.make_badge(fair=fair, first_name="Alt", last_name="Bekannt")
    page = context.new_page()
    pair_page(page, live_server, stand_device)
    wedge_scan(page, old.qr_content)
    flash(page, "new")
    dismiss_flash(page)
    assert len(stored(page)["leads"]) == 1
    wait_for_service_worker(page)
    context.clock.set_fixed_time(timezone.now() + datetime.timedelta(days=7, hours=1))
    context.set_offline(True)  # also without a network
    page.reload()
    page.wait_for_selector("#app-view:not([hidden])")
    page.wait_for_function("() => document.getElementById('lead-count').textContent === ''")
    assert stored(page)["leads"] == []
    assert Lead.objects.filter(attendee=old.attendee).exists()  # the portal keeps it


def test_a_revoked_device_forgets_its_leads_and_keeps_only_the_scans_not_uploaded(
    context, live_server, stand_device, fair
):
    captured = factories.make_badge(fair=fair, first_name="Schon", last_name="Erfasst")
    waiting = factories.make_badge(fair=fair, first_name="Noch", last_name="Offline")
    page = context.new_page()
    pair_page(page, live_server, stand_device)
    wedge_scan(page, captured.qr_content)
    flash(page, "new")
    dismiss_flash(page)
    context.set_offline(True)
    wedge_scan(page, waiting.qr_content)
    flash(page, "queued")
    dismiss_flash(page)

    device_revoke(device=stand_device.device)
    context.set_offline(False)  # the next upload is refused with 401
    page.wait_for_selector("#pair-view:not([hidden])", timeout=20_000)
    expect(page.locator("#pair-error")).to_contain_text("no longer paired")
    expect(page.locator("#pair-waiting")).to_contain_text("1 scan or edit was not uploaded")
    data = stored(page)
    assert data["leads"] == [] and data["links"] == []
    assert [row["key"] for row in data["meta"]] == ["owner"]
    (item,) = data["queue"]
    assert set(item) == {"seq", "kind", "clientId", "code", "scannedAt"}
    assert "Erfasst" not in json.dumps(data) and "Offline" not in json.dumps(data)
    page.reload()
    page.wait_for_selector("#pair-view:not([hidden])")
    assert stored(page)["leads"] == []

    # Paired again (a new device of the same exhibitor): the waiting scan goes up.
    device = device_create(exhibitor=stand_device.exhibitor, label="Stand phone 2")
    code = device_pairing_code_create(device=device).code
    page.fill("#pair-code", code)
    page.click("#pair-submit")
    page.wait_for_selector("#app-view:not([hidden])")
    synced(page)
    scan = Scan.objects.get(badge=waiting)
    assert scan.device_id == device.pk


def test_pairing_for_another_exhibitor_deletes_what_waits_for_the_first(
    context, live_server, stand_device, fair, other_exhibitor
):
    waiting = factories.make_badge(fair=fair)
    page = context.new_page()
    pair_page(page, live_server, stand_device)
    context.set_offline(True)
    wedge_scan(page, waiting.qr_content)
    flash(page, "queued")
    dismiss_flash(page)
    device_revoke(device=stand_device.device)
    context.set_offline(False)
    page.wait_for_selector("#pair-view:not([hidden])", timeout=20_000)

    other = device_create(exhibitor=other_exhibitor, label="Other phone")
    page.fill("#pair-code", device_pairing_code_create(device=other).code)
    page.click("#pair-submit")
    page.wait_for_selector("#app-view:not([hidden])")
    synced(page)
    assert stored(page)["queue"] == []
    assert not Scan.objects.exists()
    assert not Lead.objects.filter(exhibitor=other_exhibitor).exists()
