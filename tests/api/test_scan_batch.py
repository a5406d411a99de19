"""POST /api/scan/scans/batch: offline uploads, item by item, in order."""

import json
import uuid

from django.test import Client

from badges.models import Attendee
from badges.services.issue import badge_revoke
from leads.models import Lead, LeadNote, Scan
from tests import factories
from tests.leads.scan_fixtures import scan_body, staff_badge


def post_batch(client: Client, scans) -> object:
    return client.post(
        "/api/scan/scans/batch", json.dumps({"scans": scans}), content_type="application/json"
    )


def test_batch_with_mixed_good_and_bad_items_answers_each_in_order(api, badge, fair, exhibitor):
    revoked = factories.make_badge(fair=fair)
    badge_revoke(badge=revoked)
    organizer = factories.make_badge(fair=fair, category=Attendee.Category.ORGANIZER)
    scans = [
        scan_body(badge, note="first"),  # 201
        {"code": "FL1:" + "0" * 26, "client_id": str(uuid.uuid4())},  # 404
        scan_body(badge, rating="warm"),  # 200
        scan_body(revoked),  # 410
        {"code": badge.qr_content},  # 422: no client_id
        "not an object",  # 422
        scan_body(staff_badge(exhibitor=exhibitor)),  # 422 own_staff
        scan_body(organizer),  # 422 not_a_lead
        scan_body(badge, answers={"123456": "x"}),  # 422 unknown question
    ]

    response = post_batch(api, scans)

    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["status"] for r in results] == [201, 404, 200, 410, 422, 422, 422, 422, 422]
    errors = [r["error"]["error"] if r["error"] else None for r in results]
    assert errors == [
        None,
        "badge_unknown",
        None,
        "badge_revoked",
        "validation_error",
        "validation_error",
        "own_staff",
        "not_a_lead",
        "validation_error",
    ]
    assert "client_id" in results[4]["error"]["fields"]
    assert "answers.123456" in results[8]["error"]["fields"]
    # The lead is shown as it stands after the whole batch.
    assert results[0]["lead"] == results[2]["lead"]
    assert results[2]["lead"]["scan_count"] == 2
    assert results[2]["lead"]["rating"] == "warm"
    assert all(r["lead"] is None for r in results if r["status"] >= 400)
    assert Lead.objects.get().scan_count == 2
    assert Scan.objects.count() == 2


def test_sending_the_same_batch_again_changes_nothing(api, badge, fair):
    other = factories.make_badge(fair=fair)
    scans = [scan_body(badge, note="offline"), scan_body(other), scan_body(badge)]
    first = post_batch(api, scans).json()
    again = post_batch(api, scans).json()

    assert [r["status"] for r in again["results"]] == [201, 201, 200]
    assert again == first
    assert Scan.objects.count() == 3
    assert LeadNote.objects.count() == 1
    assert Lead.objects.get(attendee=badge.attendee).scan_count == 2


def test_batch_of_500_is_accepted(api, fair):
    badges = [factories.make_badge(fair=fair) for _ in range(5)]
    scans = [scan_body(badges[i % 5]) for i in range(500)]
    results = post_batch(api, scans).json()["results"]
    assert len(results) == 500
    assert [r["status"] for r in results[:6]] == [201] * 5 + [200]
    assert sorted(Lead.objects.values_list("scan_count", flat=True)) == [100] * 5


def test_batch_over_500_is_refused_whole_and_stores_nothing(api, badge):
    scans = [scan_body(badge) for _ in range(501)]
    response = post_batch(api, scans)
    assert response.status_code == 413
    assert response.json()["error"] == "batch_too_large"
    assert not Lead.objects.exists() and not Scan.objects.exists()


def test_batch_without_a_list_is_a_validation_error(api):
    response = api.post(
        "/api/scan/scans/batch", json.dumps({"scans": "all"}), content_type="application/json"
    )
    assert response.status_code == 422
    assert "scans" in response.json()["fields"]


def test_batch_needs_a_device_token(badge):
    response = post_batch(Client(), [scan_body(badge)])
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"
    assert not Scan.objects.exists()


def test_batch_of_one_device_never_touches_another_exhibitors_leads(api, other_api, badge):
    post_batch(other_api, [scan_body(badge, rating="cold")])
    results = post_batch(api, [scan_body(badge, rating="hot")]).json()["results"]
    assert results[0]["status"] == 201
    assert sorted(Lead.objects.values_list("rating", flat=True)) == ["cold", "hot"]


def test_same_client_id_twice_in_one_batch_is_stored_once(api, badge):
    scan = scan_body(badge, note="queued twice")
    results = post_batch(api, [scan, scan]).json()["results"]
    assert [r["status"] for r in results] == [201, 201]
    assert Scan.objects.count() == 1
    assert LeadNote.objects.count() == 1
    assert Lead.objects.get().scan_count == 1


def test_the_lead_in_an_answer_shows_earlier_notes_and_the_new_ones(api, badge, fair):
    first = api.post(
        "/api/scan/scans", json.dumps(scan_body(badge, note="earlier")), "application/json"
    )
    assert first.status_code == 201
    other = factories.make_badge(fair=fair)
    results = post_batch(
        api, [scan_body(badge, note="in the batch"), scan_body(other, note="new lead")]
    ).json()["results"]
    assert [note["text"] for note in results[0]["lead"]["notes"]] == ["earlier", "in the batch"]
    assert [note["text"] for note in results[1]["lead"]["notes"]] == ["new lead"]
    again = api.post("/api/scan/scans", json.dumps(scan_body(other)), "application/json").json()
    assert [note["text"] for note in again["notes"]] == ["new lead"]
