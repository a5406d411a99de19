"""The organizers' check-in pages, the attendance export and the privacy notice's section."""

import csv
import io
import json
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from api.v1.services import api_token_create
from leads.models import Attendance, ExportAuditEntry, ScannerDevice
from leads.services.checkin import attendance_checkin
from tests import factories
from tests.leads.checkin_fixtures import checkin_body

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _check_in(door, badge):
    return attendance_checkin(device=door, code=badge.qr_content, client_id=uuid.uuid4())


def test_pages_are_for_organizers_only(exhibitor_client, session_now, door):
    urls = [
        reverse("checkin_organizer:index"),
        reverse("checkin_organizer:pairing", kwargs={"device_id": door.pk}),
        reverse("checkin_organizer:export", kwargs={"session_id": session_now.pk}),
    ]
    for url in urls:
        assert Client().get(url).status_code == 302  # to the login
        assert exhibitor_client.get(url).status_code == 403


def test_organizer_registers_a_room_device_and_its_code_pairs_a_phone(
    organizer_client, room, live_fair
):
    response = organizer_client.post(
        f"{reverse('checkin_organizer:index')}?fair={live_fair.pk}",
        {"room": room.pk, "label": "Saal A, Tür 1"},
        **EN,
    )
    device = ScannerDevice.objects.get(room=room)
    assert response.url == reverse("checkin_organizer:pairing", kwargs={"device_id": device.pk})
    page = organizer_client.get(response.url, **EN).content.decode()
    code = re.search(r'id="pairing-code">([A-Z0-9-]+)<', page).group(1)

    paired = organizer_client.post(
        "/api/scan/pair",
        json.dumps({"pairing_code": code, "device_name": "Door phone"}),
        content_type="application/json",
    )
    assert paired.status_code == 200
    assert paired.json()["room"]["id"] == room.pk


def test_counts_per_session_show_checked_in_of_capacity_and_full(
    organizer_client, door, session_now, session_starting, live_fair, django_assert_num_queries
):
    for _ in range(3):
        _check_in(door, factories.make_badge(fair=live_fair))
    url = f"{reverse('checkin_organizer:index')}?fair={live_fair.pk}"
    organizer_client.get(url)  # session, user and language settle
    with django_assert_num_queries(9):
        page = organizer_client.get(url, **EN).content.decode()
    row_now = re.search(rf'data-session="{session_now.code}">(.*?)</tr>', page, re.S).group(1)
    row_next = re.search(rf'data-session="{session_starting.code}">(.*?)</tr>', page, re.S).group(1)
    assert "3 / 3 <strong>full</strong>" in row_now
    assert "0 / 3" in row_next and "full" not in row_next


def test_export_needs_a_stated_purpose_and_a_privacy_notice(
    organizer_client, door, session_now, live_fair
):
    _check_in(door, factories.make_badge(fair=live_fair))
    url = reverse("checkin_organizer:export", kwargs={"session_id": session_now.pk})

    no_purpose = organizer_client.post(url, {}, **EN)
    other_purpose = organizer_client.post(url, {"purpose": "marketing"}, **EN)
    no_notice = organizer_client.post(url, {"purpose": "safety"}, **EN)

    for response in (no_purpose, other_purpose, no_notice):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
    assert "no privacy notice" in no_notice.content.decode()
    assert not ExportAuditEntry.objects.exists()


def test_export_gives_name_company_time_and_is_logged_with_its_purpose(
    organizer_client, organizer, door, session_now, live_fair
):
    live_fair.privacy_notice = "Wir verarbeiten Ihre Daten …"
    live_fair.save()
    first = factories.make_badge(fair=live_fair, first_name="Greta", company="=HYPERLINK(1)")
    _check_in(door, first)
    _check_in(door, factories.make_badge(fair=live_fair))
    url = reverse("checkin_organizer:export", kwargs={"session_id": session_now.pk})

    response = organizer_client.post(url, {"purpose": "certificate"}, **EN)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Company", "Checked in at"]
    assert rows[1][:2] == [f"Greta {first.attendee.last_name}", "'=HYPERLINK(1)"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", rows[1][2])
    assert len(rows) == 3
    entry = ExportAuditEntry.objects.get()
    assert (entry.scope, entry.channel, entry.row_count, entry.user) == (
        "session_attendance",
        "organizer",
        2,
        organizer,
    )
    assert entry.filters == {"session": session_now.code, "purpose": "certificate"}


def test_privacy_notice_states_check_in_and_the_export_purposes(client, live_fair, room):
    live_fair.privacy_notice = "Verantwortlich ist die Messe."
    live_fair.save()
    page = client.get(
        reverse("badges:privacy_notice", kwargs={"fair_slug": live_fair.slug}), **EN
    ).content.decode()
    assert "Session check-in at the forum" in page
    assert "Exhibitors never see this" in page
    assert "Certificates of attendance" in page
    assert "safety officer" in page


def test_exhibitors_never_see_attendance(
    exhibitor_client, exhibitor, door, session_now, live_fair, api
):
    badge = factories.make_badge(fair=exhibitor.fair, last_name="Nurimsaal")
    Attendance.objects.create(
        session=session_now,
        attendee=badge.attendee,
        badge=badge,
        device=door,
        client_id="00000000-0000-4000-8000-000000000001",
        scanned_at=session_now.starts_at,
    )
    for url in ("/exhibitor/", reverse("leads:list"), reverse("devices:list")):
        response = exhibitor_client.get(url, **EN)
        assert response.status_code == 200
        assert "Nurimsaal" not in response.content.decode()
        assert door.label not in response.content.decode()
    # The stand device and the exhibitor's API token: no leads, no route to attendance.
    assert api.get("/api/scan/leads").json()["count"] == 0
    key = api_token_create(name="CRM", exhibitor=exhibitor)[1]
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}", **EN}
    leads = exhibitor_client.get(reverse("api_v1:lead-list"), **bearer)
    assert leads.status_code == 200 and "Nurimsaal" not in leads.content.decode()
    schema = exhibitor_client.get(reverse("api_v1:schema"), **bearer).content.decode().lower()
    assert "attendance" not in schema and "checkin" not in schema
    assert (
        api.post(
            "/api/scan/checkins", json.dumps(checkin_body(badge)), content_type="application/json"
        ).json()["error"]
        == "stand_device"
    )


def test_back_office_lists_room_devices_and_check_ins_read_only(
    admin_client, door, session_now, live_fair
):
    _check_in(door, factories.make_badge(fair=live_fair, last_name="Imsaal"))
    devices = admin_client.get(reverse("admin:leads_scannerdevice_changelist"), **EN)
    attendances = admin_client.get(reverse("admin:leads_attendance_changelist"), **EN)
    assert "Forum Saal" in devices.content.decode()
    assert "Imsaal" in attendances.content.decode()
    assert admin_client.get(reverse("admin:leads_attendance_add")).status_code == 403
