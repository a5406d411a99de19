"""Session check-in at the door of a forum room, in a real Chromium against the real scan API:
a room device checks in three badges (one while offline), the count is exact, the room shows
"full" and refuses a fourth person — in German and English, at phone and desktop size."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from leads.models import Attendance
from leads.services.devices import device_pairing_code_create, room_device_create
from tests import factories
from tests.e2e.helpers import PHONE, SCREENSHOTS, Stand, dismiss_flash, flash, pair_page, synced
from tests.forum_factories import make_room, make_session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
TEXTS = {
    "de": {
        "checked_in": "Eingecheckt",
        "queued": "Gespeichert, einlassen",
        "full": "voll",
        "room_full": "Raum voll",
        "waiting": "1 warten auf Synchronisierung",
    },
    "en": {
        "checked_in": "Checked in",
        "queued": "Stored, let in",
        "full": "full",
        "room_full": "Room full",
        "waiting": "1 waiting to sync",
    },
}


def shot(page, name: str) -> None:
    """docs/screenshots/checkin-NAME.png when FAIRLEAD_SCREENSHOTS=1."""
    if os.environ.get("FAIRLEAD_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)
    page.screenshot(path=str(SCREENSHOTS / f"checkin-{name}.png"))


def enter_code(page, text: str) -> None:
    page.click("#code")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("language", ["de", "en"])
def test_room_device_checks_in_three_badges_one_offline_and_the_count_is_exact(
    browser, live_server, language, size
):
    today = timezone.localdate()
    fair = factories.make_fair(
        starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=1)
    )
    room = make_room(fair=fair, name="Saal Westfalen", capacity=3)
    session = make_session(
        fair=fair,
        room=room,
        starts_at=timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=5),
        minutes=45,
        title_de="Smartes Parken in der Innenstadt",
        title_en="Smart parking in the city center",
        items=0,
    )
    names = ["Greta Parkmann", "Jonas Wärme", "Aylin Quartier", "Nina Spät"]
    badges = []
    for name in names:
        first, last = name.split()
        badges.append(
            factories.make_badge(fair=fair, first_name=first, last_name=last, company="Stadtwerke")
        )
    device = room_device_create(room=room, label="Saal Westfalen, Tür 1")
    door = Stand(
        exhibitor=None, device=device, pairing_code=device_pairing_code_create(device=device).code
    )
    texts = TEXTS[language]
    context = browser.new_context(
        viewport=PHONE if size == "phone" else DESKTOP,
        device_scale_factor=1,
        is_mobile=size == "phone",
        has_touch=size == "phone",
        locale="de-DE" if language == "de" else "en-GB",
        timezone_id="Europe/Berlin",
        service_workers="allow",
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        pair_page(page, live_server, door)
        title = session.title_de if language == "de" else session.title_en
        expect(page.locator("#room-session")).to_have_text(title)
        expect(page.locator("#exhibitor-name")).to_have_text("Saal Westfalen")
        expect(page.locator("#room-count")).to_have_text("0 / 3")
        expect(page.locator(".tabs")).to_be_hidden()

        # 1: online.
        enter_code(page, badges[0].qr_content)
        answer = flash(page, "new")
        assert texts["checked_in"] in answer and "Greta Parkmann" in answer and "1 / 3" in answer
        shot(page, f"{size}-{language}-checked-in")
        dismiss_flash(page)
        expect(page.locator("#room-count")).to_have_text("1 / 3")

        # 2: the hall's network is gone; the door person lets the person in.
        context.set_offline(True)
        enter_code(page, badges[1].short_code)
        assert texts["queued"] in flash(page, "queued")
        dismiss_flash(page)
        expect(page.locator("#sync-count")).to_have_text(texts["waiting"])
        expect(page.locator("#room-count")).to_have_text("2 / 3")
        shot(page, f"{size}-{language}-offline")
        assert Attendance.objects.count() == 1

        context.set_offline(False)
        synced(page)
        assert Attendance.objects.count() == 2

        # 3: online again; the room is full with it.
        enter_code(page, badges[2].qr_content)
        assert "3 / 3" in flash(page, "new")
        dismiss_flash(page)
        expect(page.locator("#room-count")).to_have_text("3 / 3")
        expect(page.locator("#room-full")).to_be_visible()
        expect(page.locator("#room-full")).to_have_text(texts["full"])
        expect(page.locator("#checkin-recent li")).to_have_count(3)
        expect(page.locator("#checkin-recent li").first).to_contain_text("Aylin Quartier")
        shot(page, f"{size}-{language}-full")

        # A fourth person is refused at the door and not counted.
        enter_code(page, badges[3].qr_content)
        assert texts["room_full"] in flash(page, "full")
        shot(page, f"{size}-{language}-refused")
        dismiss_flash(page)

        rows = Attendance.objects.filter(session=session)
        assert rows.count() == 3
        assert sorted(rows.values_list("attendee_id", flat=True)) == sorted(
            badge.attendee_id for badge in badges[:3]
        )
        assert set(rows.values_list("device_id", flat=True)) == {device.pk}
        assert errors == []
    finally:
        context.close()


def test_organizer_pairs_a_room_device_sees_the_count_and_exports_for_a_purpose(
    browser, live_server
):
    from leads.models import ExportAuditEntry
    from tests.e2e.helpers import phone_context, portal_login

    today = timezone.localdate()
    fair = factories.make_fair(
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=1),
        privacy_notice="Verantwortlich ist die Messegesellschaft.",
    )
    make_room(fair=fair, name="Werkstattraum 3.2", capacity=60)
    room = make_room(fair=fair, name="Forum Smart City", capacity=120)
    session = make_session(
        fair=fair,
        room=room,
        starts_at=timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=5),
        minutes=45,
        title_de="Wärmewende im Quartier",
        items=0,
    )
    badge = factories.make_badge(fair=fair, first_name="Greta", last_name="Parkmann")
    organizer = factories.make_organizer()
    control = browser.new_context(
        viewport=DESKTOP, locale="de-DE", timezone_id="Europe/Berlin", accept_downloads=True
    )
    portal_login(control, live_server, organizer)
    phone = phone_context(browser, locale="de-DE")
    try:
        page = control.new_page()
        page.goto(f"{live_server.url}/organizer/forum/checkin/?fair={fair.pk}")
        page.select_option("#id_room", label="Forum Smart City")
        page.fill("#id_label", "Forum, Tür 1")
        page.get_by_role("button", name="Registrieren und koppeln").click()
        link = page.locator("#pairing-link").get_attribute("href")
        expect(page.locator("#pairing-qr")).to_be_visible()
        shot(page, "organizer-pairing")

        door = phone.new_page()
        door.goto(link)
        door.wait_for_selector("#pair-view:not([hidden])")
        door.click("#pair-submit")
        expect(door.locator("#room-session")).to_have_text("Wärmewende im Quartier")
        enter_code(door, badge.qr_content)
        assert "Greta Parkmann" in flash(door, "new")

        page.goto(f"{live_server.url}/organizer/forum/checkin/?fair={fair.pk}")
        row = page.locator(f'tr[data-session="{session.code}"]')
        expect(row.locator(".count")).to_have_text("1 / 120")
        expect(page.locator("#room-devices")).to_contain_text("Forum, Tür 1")
        shot(page, "organizer-counts")

        row.get_by_role("link", name="Export (CSV)").click()
        page.get_by_label("Teilnahmebescheinigungen", exact=False).check()
        with page.expect_download() as download:
            page.get_by_role("button", name="CSV herunterladen").click()
        content = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert content.startswith("Name,Firma,Eingecheckt um\n")
        assert "Greta Parkmann" in content
        entry = ExportAuditEntry.objects.get()
        assert (entry.scope, entry.row_count, entry.filters["purpose"]) == (
            "session_attendance",
            1,
            "certificate",
        )
    finally:
        phone.close()
        control.close()
