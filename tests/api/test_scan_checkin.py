"""The scan API for room devices: /me in attendance mode, /room, /checkins and their batch."""

import json
import uuid

import pytest

from badges.services.issue import badge_revoke
from leads.models import Attendance
from tests import factories
from tests.leads.checkin_fixtures import checkin_body

pytestmark = pytest.mark.django_db


def post(client, path: str, body: dict):
    return client.post(f"/api/scan/{path}", json.dumps(body), content_type="application/json")


def test_me_of_a_room_device_says_attendance_mode_and_names_the_room(door_api, room):
    me = door_api.get("/api/scan/me").json()
    assert me["mode"] == "attendance"
    assert me["room"] == {"id": room.pk, "name": "Forum Saal", "capacity": 3}
    assert (me["exhibitor"], me["stand"], me["questions"]) == (None, None, [])


def test_me_of_a_stand_device_says_leads_mode(api):
    me = api.get("/api/scan/me").json()
    assert (me["mode"], me["room"]) == ("leads", None)
    assert me["exhibitor"]["company_name"]


def test_checkin_answers_201_then_200_already_and_a_resend_replays(
    door_api, session_now, live_fair
):
    badge = factories.make_badge(fair=live_fair, first_name="Greta", company="Parkwerk")
    body = checkin_body(badge)

    first = post(door_api, "checkins", body)
    resent = post(door_api, "checkins", body)
    again = post(door_api, "checkins", checkin_body(badge))

    assert first.status_code == 201
    data = first.json()
    assert data["already"] is False
    assert data["person"] == {
        "first_name": "Greta",
        "last_name": badge.attendee.last_name,
        "company": "Parkwerk",
    }
    assert (data["checked_in"], data["capacity"], data["full"]) == (1, 3, False)
    assert data["session"]["id"] == session_now.pk
    assert "email" not in json.dumps(data)
    assert (resent.status_code, resent["Idempotent-Replayed"]) == (201, "true")
    assert (again.status_code, again.json()["already"]) == (200, True)
    assert Attendance.objects.count() == 1


def test_batch_with_one_bad_item_stores_the_others_and_answers_each(
    door_api, session_now, live_fair
):
    badges = [factories.make_badge(fair=live_fair) for _ in range(3)]
    revoked = factories.make_badge(fair=live_fair)
    badge_revoke(badge=revoked)
    items = [
        checkin_body(badges[0]),
        {"code": badges[1].qr_content, "client_id": "not-a-uuid"},
        checkin_body(revoked),
        checkin_body(badges[1]),
        checkin_body(badges[2]),
        checkin_body(factories.make_badge(fair=live_fair)),  # the fourth person: full
    ]

    response = post(door_api, "checkins/batch", {"checkins": items})

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == [201, 422, 410, 201, 201, 409]
    assert results[1]["error"]["fields"].keys() == {"client_id"}
    assert results[5]["error"]["error"] == "session_full"
    assert results[4]["checkin"]["full"] is True
    assert Attendance.objects.count() == 3
    # The same batch again (the answer was lost): nothing new, the same answers.
    again = post(door_api, "checkins/batch", {"checkins": items}).json()["results"]
    assert [r["status"] for r in again] == [201, 422, 410, 201, 201, 409]
    assert Attendance.objects.count() == 3


def test_no_session_is_409_no_session(door_api, room, live_fair):
    response = post(door_api, "checkins", checkin_body(factories.make_badge(fair=live_fair)))
    assert response.status_code == 409
    assert response.json()["error"] == "no_session"


def test_room_shows_session_count_capacity_and_last_check_ins(
    door_api, session_now, session_starting, live_fair
):
    first = factories.make_badge(fair=live_fair, first_name="Erste")
    second = factories.make_badge(fair=live_fair, first_name="Zweite")
    post(door_api, "checkins", checkin_body(first))
    post(door_api, "checkins", checkin_body(second))

    room = door_api.get("/api/scan/room").json()

    assert room["session"]["id"] == session_now.pk
    assert room["next_session"]["id"] == session_starting.pk
    assert (room["checked_in"], room["capacity"], room["full"]) == (2, 3, False)
    assert [person["first_name"] for person in room["recent"]] == ["Zweite", "Erste"]


def test_room_device_is_refused_on_lead_endpoints_and_stand_device_on_check_in(
    door_api, api, session_now, live_fair, fair
):
    badge = factories.make_badge(fair=live_fair)
    for response in (
        post(door_api, "scans", {"code": badge.qr_content, "client_id": str(uuid.uuid4())}),
        post(door_api, "scans/batch", {"scans": []}),
        door_api.get("/api/scan/leads"),
    ):
        assert response.status_code == 409
        assert response.json()["error"] == "room_device"
    stand_badge = factories.make_badge(fair=fair)
    for response in (
        post(api, "checkins", checkin_body(stand_badge)),
        post(api, "checkins/batch", {"checkins": []}),
        api.get("/api/scan/room"),
    ):
        assert response.status_code == 409
        assert response.json()["error"] == "stand_device"
    assert not Attendance.objects.exists()


def test_pairing_a_room_device_returns_its_room_and_no_exhibitor(room, client):
    from leads.services.devices import device_pairing_code_create, room_device_create

    device = room_device_create(room=room, label="Door 2")
    code = device_pairing_code_create(device=device).code
    response = post(client, "pair", {"pairing_code": code, "device_name": "Pixel"})
    assert response.status_code == 200
    data = response.json()
    assert data["exhibitor"] is None
    assert data["room"]["name"] == "Forum Saal"
