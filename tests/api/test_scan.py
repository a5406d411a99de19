"""The scan API: pairing, /me, single scans and the lead endpoints."""

import datetime
import json
import uuid
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from badges.models import Attendee
from badges.services.issue import badge_revoke
from exhibitors.models import Exhibitor
from fair.ratelimit import rate_limit_charge, scans_per_device
from leads.models import Lead, LeadNote, Scan, ScannerDevice
from leads.services.capture import lead_capture
from leads.services.devices import device_create, device_pairing_code_create, device_revoke
from leads.services.questions import question_create, question_remove
from tests import factories
from tests.leads.scan_fixtures import api_for, scan_body, staff_badge

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def post(client: Client, path: str, body, **extra):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(f"/api/scan/{path}", data, content_type="application/json", **extra)


def patch(client: Client, path: str, body):
    return client.patch(f"/api/scan/{path}", json.dumps(body), content_type="application/json")


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["error"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    return body


# --- pairing ----------------------------------------------------------------------------------


@pytest.fixture
def pairing(exhibitor):
    device = device_create(exhibitor=exhibitor, label="Stand phone 1")
    return device_pairing_code_create(device=device)


def test_pairing_returns_a_token_that_authenticates_the_device(pairing, exhibitor):
    # Typed the way a person reads it off the screen: dashes, lower case.
    typed = f"{pairing.code[:4]}-{pairing.code[4:8]}-{pairing.code[8:]}".lower()
    response = post(
        Client(enforce_csrf_checks=True),
        "pair",
        {"pairing_code": typed, "device_name": "Anna's iPhone"},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["device"]["label"] == "Stand phone 1"
    assert body["device"]["paired_name"] == "Anna's iPhone"
    assert body["exhibitor"] == {"id": exhibitor.pk, "company_name": exhibitor.company_name}
    me = Client(HTTP_AUTHORIZATION=f"Bearer {body['token']}").get("/api/scan/me")
    assert me.status_code == 200
    assert me.json()["device"]["id"] == pairing.device.pk
    device = ScannerDevice.objects.get()
    assert body["token"] not in (device.token_hash or "")
    assert len(device.token_hash) == 64


def test_pairing_code_works_only_once(pairing):
    assert post(Client(), "pair", {"pairing_code": pairing.code}).status_code == 200
    assert_error(post(Client(), "pair", {"pairing_code": pairing.code}), 400, "pairing_code_used")


def test_expired_pairing_code_is_refused(exhibitor):
    device = device_create(exhibitor=exhibitor, label="Late phone")
    issued = device_pairing_code_create(
        device=device, now=timezone.now() - datetime.timedelta(minutes=16)
    )
    response = post(Client(), "pair", {"pairing_code": issued.code})
    assert_error(response, 400, "pairing_code_expired")
    assert ScannerDevice.objects.get().token_hash is None


def test_unknown_pairing_code_is_refused(db):
    assert_error(
        post(Client(), "pair", {"pairing_code": "AAAA-BBBB-CCCC"}), 400, "pairing_code_invalid"
    )


def test_pairing_again_replaces_the_token(pairing):
    old_token = post(Client(), "pair", {"pairing_code": pairing.code}).json()["token"]
    again = device_pairing_code_create(device=pairing.device)
    new_token = post(Client(), "pair", {"pairing_code": again.code}).json()["token"]

    old = Client(HTTP_AUTHORIZATION=f"Bearer {old_token}").get("/api/scan/me")
    assert_error(old, 401, "token_invalid")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {new_token}").get("/api/scan/me").status_code == 200
    assert ScannerDevice.objects.count() == 1


def test_pairing_for_an_exhibitor_no_longer_approved_is_refused(pairing, exhibitor):
    Exhibitor.objects.filter(pk=exhibitor.pk).update(state=Exhibitor.State.WITHDRAWN, stand=None)
    assert_error(post(Client(), "pair", {"pairing_code": pairing.code}), 403, "exhibitor_inactive")


def test_pairing_without_code_is_a_validation_error(db):
    body = assert_error(post(Client(), "pair", {"device_name": "x"}), 422, "validation_error")
    assert "pairing_code" in body["fields"]


# --- authentication ---------------------------------------------------------------------------


def test_request_without_token_is_refused_with_401(db):
    response = Client().get("/api/scan/me")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_token_is_refused_with_401(db):
    response = Client(HTTP_AUTHORIZATION="Bearer fl_dev_nonsense").get("/api/scan/me")
    assert_error(response, 401, "token_invalid")


def test_revoked_device_is_refused_at_once(scanner, api, badge):
    assert api.get("/api/scan/me").status_code == 200
    device_revoke(device=scanner.device)
    assert_error(api.get("/api/scan/me"), 401, "device_revoked")
    assert_error(post(api, "scans", scan_body(badge)), 401, "device_revoked")
    assert not Lead.objects.exists()


def test_device_of_withdrawn_exhibitor_is_refused(api, exhibitor, badge):
    Exhibitor.objects.filter(pk=exhibitor.pk).update(state=Exhibitor.State.WITHDRAWN, stand=None)
    assert_error(post(api, "scans", scan_body(badge)), 403, "exhibitor_inactive")


def _exhibitor_withdrawn(scanner):
    Exhibitor.objects.filter(pk=scanner.device.exhibitor_id).update(
        state=Exhibitor.State.WITHDRAWN, stand=None
    )


def _paired_again(scanner):
    ScannerDevice.objects.filter(pk=scanner.device.pk).update(token_hash="0" * 64)


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        (lambda scanner: device_revoke(device=scanner.device), 401, "device_revoked"),
        (_exhibitor_withdrawn, 403, "exhibitor_inactive"),
        (_paired_again, 401, "token_invalid"),
    ],
    ids=["revoked", "exhibitor-withdrawn", "paired-again"],
)
def test_a_device_the_api_remembers_is_still_checked_by_its_next_scan(
    scanner, api, badge, change, status, code
):
    assert post(api, "scans", scan_body(badge)).status_code == 201  # the device is remembered
    change(scanner)
    with CaptureQueriesContext(connection) as queries:
        refused = post(api, "scans", scan_body(badge, note="Call back"))
    assert_error(refused, status, code)
    if connection.vendor == "postgresql":  # the scan statement came first and took nothing
        work = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
        assert work[0].startswith("WITH found AS") and "leads_scannerdevice" in work[0]
    assert Scan.objects.count() == 1 and not LeadNote.objects.exists()
    assert list(Lead.objects.values_list("scan_count", flat=True)) == [1]
    budget = rate_limit_charge(limit=scans_per_device(), key=str(scanner.device.pk), cost=0)
    assert budget.count == 1  # the refused scan was not charged


def test_api_is_csrf_exempt_token_auth(scanner, badge):
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {scanner.token}")
    assert post(client, "scans", scan_body(badge)).status_code == 201


def test_session_login_is_not_enough(exhibitor_client):
    assert_error(exhibitor_client.get("/api/scan/me"), 401, "not_authenticated")


def test_requests_update_last_seen(scanner, api):
    ScannerDevice.objects.filter(pk=scanner.device.pk).update(last_seen_at=None)
    api.get("/api/scan/me")
    assert ScannerDevice.objects.get(pk=scanner.device.pk).last_seen_at is not None


# --- /me --------------------------------------------------------------------------------------


def test_me_describes_device_exhibitor_stand_fair_and_current_questions(
    scanner, api, exhibitor, fair
):
    first = question_create(exhibitor=exhibitor, text="Budget?", kind="text")
    second = question_create(
        exhibitor=exhibitor, text="When?", kind="single", choices=["2019", "2020"]
    )
    gone = question_create(exhibitor=exhibitor, text="Old", kind="text")
    question_remove(question=gone)

    body = api.get("/api/scan/me").json()

    assert body["device"]["label"] == "Stand phone 1"
    assert body["exhibitor"]["company_name"] == exhibitor.company_name
    assert body["stand"] == {
        "number": exhibitor.stand.number,
        "area": exhibitor.area.name,
        "hall": exhibitor.area.hall.name,
    }
    assert body["fair"] == {
        "name": fair.name,
        "venue": fair.venue,
        "city": fair.city,
        "starts_on": fair.starts_on.isoformat(),
        "ends_on": fair.ends_on.isoformat(),
        "time_zone": "Europe/Berlin",
    }
    assert body["questions"] == [
        {"id": first.pk, "text": "Budget?", "kind": "text", "choices": [], "position": 0},
        {
            "id": second.pk,
            "text": "When?",
            "kind": "single",
            "choices": ["2019", "2020"],
            "position": 1,
        },
    ]


# --- POST /scans ------------------------------------------------------------------------------


def test_first_scan_answers_201_with_the_lead(api, badge):
    response = post(api, "scans", scan_body(badge, rating="hot", note="Wants a quote"))

    assert response.status_code == 201, response.content
    lead = response.json()
    assert lead["id"] == Lead.objects.get().pk
    assert lead["scan_count"] == 1
    assert lead["rating"] == "hot"
    assert lead["attendee"]["email"] == badge.attendee.email
    assert lead["attendee"]["contact_shared"] is True
    assert [note["text"] for note in lead["notes"]] == ["Wants a quote"]
    assert lead["notes"][0]["device"] == "Stand phone 1"


def test_later_scan_from_another_device_answers_200_with_updated_lead(api, second_scanner, badge):
    first = post(api, "scans", scan_body(badge)).json()
    response = post(api_for(second_scanner), "scans", scan_body(badge))

    assert response.status_code == 200
    assert response.json()["id"] == first["id"]
    assert response.json()["scan_count"] == 2


def test_retry_with_same_client_id_returns_original_answer_and_changes_nothing(api, badge):
    body = scan_body(badge, note="Only once")
    first = post(api, "scans", body)
    again = post(api, "scans", body)

    assert again.status_code == first.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Scan.objects.count() == 1
    assert LeadNote.objects.count() == 1
    assert Lead.objects.get().scan_count == 1


def test_retry_of_a_later_scan_answers_200_again(api, badge):
    post(api, "scans", scan_body(badge))
    body = scan_body(badge)
    assert post(api, "scans", body).status_code == 200
    assert post(api, "scans", body).status_code == 200
    assert Lead.objects.get().scan_count == 2


def test_typed_short_code_is_accepted(api, badge):
    body = scan_body(badge, code=str(badge))  # XXXX-XXXX-XXX as printed
    assert post(api, "scans", body).status_code == 201


def test_unknown_code_answers_404(api):
    response = post(api, "scans", {"code": "FL1:" + "Z" * 26, "client_id": str(uuid.uuid4())})
    assert_error(response, 404, "badge_unknown")
    assert not Scan.objects.exists()


def test_revoked_badge_answers_410(api, badge):
    badge_revoke(badge=badge)
    assert_error(post(api, "scans", scan_body(badge)), 410, "badge_revoked")
    assert not Lead.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"client_id": "6f1c1f4e-0000-4000-8000-000000000000"}, "code"),
        ({"code": "FL1:X"}, "client_id"),
        ({"code": "FL1:X", "client_id": "not-a-uuid"}, "client_id"),
        ({"code": "FL1:X", "client_id": str(uuid.uuid4()), "rating": "lukewarm"}, "rating"),
        (
            {"code": "FL1:X", "client_id": str(uuid.uuid4()), "scanned_at": "yesterday"},
            "scanned_at",
        ),
        ({"code": "FL1:X", "client_id": str(uuid.uuid4()), "answers": ["x"]}, "answers"),
    ],
)
def test_malformed_scan_answers_422_with_field_details(api, body, field):
    error = assert_error(post(api, "scans", body), 422, "validation_error")
    assert field in error["fields"]
    assert not Scan.objects.exists()


def test_body_that_is_not_json_answers_422(api):
    assert_error(post(api, "scans", "{not json"), 422, "malformed_body")


def test_own_staff_badge_answers_422_own_staff(api, exhibitor):
    response = post(api, "scans", scan_body(staff_badge(exhibitor=exhibitor)))
    assert_error(response, 422, "own_staff")
    assert not Lead.objects.exists()


def test_organizer_badge_answers_422_not_a_lead(api, fair):
    organizer = factories.make_badge(fair=fair, category=Attendee.Category.ORGANIZER)
    assert_error(post(api, "scans", scan_body(organizer)), 422, "not_a_lead")
    assert not Lead.objects.exists()


def test_other_exhibitors_staff_becomes_a_lead(api, other_exhibitor):
    response = post(api, "scans", scan_body(staff_badge(exhibitor=other_exhibitor)))
    assert response.status_code == 201


def test_answer_to_unknown_question_or_choice_answers_422_with_fields(api, badge, exhibitor):
    question = question_create(
        exhibitor=exhibitor, text="When?", kind="single", choices=["2019", "2020"]
    )
    body = scan_body(badge, answers={str(question.pk): "2031", "424242": "x"})
    error = assert_error(post(api, "scans", body), 422, "validation_error")
    assert set(error["fields"]) == {f"answers.{question.pk}", "answers.424242"}
    assert not Lead.objects.exists()


def test_client_id_reused_for_another_badge_answers_409(api, badge, fair):
    body = scan_body(badge)
    post(api, "scans", body)
    other = factories.make_badge(fair=fair)
    response = post(api, "scans", {**body, "code": other.qr_content})
    assert_error(response, 409, "client_id_conflict")


def test_attendee_without_consent_shows_only_badge_print(api, private_badge):
    attendee = post(api, "scans", scan_body(private_badge)).json()["attendee"]
    assert attendee["contact_shared"] is False
    assert attendee["first_name"] == private_badge.attendee.first_name
    for hidden in ("email", "phone", "job_title", "country", "postal_code", "topics"):
        assert attendee[hidden] is None
    assert private_badge.attendee.email not in json.dumps(attendee)


def test_error_detail_is_in_the_request_language(scanner, badge):
    badge_revoke(badge=badge)
    german = Client(HTTP_AUTHORIZATION=f"Bearer {scanner.token}", HTTP_ACCEPT_LANGUAGE="de")
    english = api_for(scanner)
    assert post(german, "scans", scan_body(badge)).json()["error"] == "badge_revoked"
    assert post(english, "scans", scan_body(badge)).json()["detail"] == "This badge was revoked."


# --- leads ------------------------------------------------------------------------------------


def _scan_many(scanner, fair, count, **attendee_kw):
    now = timezone.now()
    leads = []
    for minutes in range(count):
        badge = factories.make_badge(fair=fair, **attendee_kw)
        leads.append(
            lead_capture(
                device=scanner.device,
                code=badge.qr_content,
                client_id=uuid.uuid4(),
                scanned_at=now - datetime.timedelta(minutes=count - minutes),
                note=f"note {minutes}",
            ).lead
        )
    return leads


def test_lead_list_is_newest_first_and_paginated(scanner, api, fair):
    leads = _scan_many(scanner, fair, 5)

    first = api.get("/api/scan/leads", {"limit": 2}).json()
    assert first["count"] == 5
    assert [lead["id"] for lead in first["items"]] == [leads[4].pk, leads[3].pk]
    assert first["next_offset"] == 2
    last = api.get("/api/scan/leads", {"limit": 2, "offset": 4}).json()
    assert [lead["id"] for lead in last["items"]] == [leads[0].pk]
    assert last["next_offset"] is None


def test_lead_list_since_returns_only_leads_changed_from_then_on(scanner, api, fair):
    leads = _scan_many(scanner, fair, 3)
    past = timezone.now() - datetime.timedelta(hours=1)
    Lead.objects.update(updated_at=past)
    cutoff = timezone.now()
    factories_badge = leads[0].attendee.badges.get()
    lead_capture(device=scanner.device, code=factories_badge.qr_content, client_id=uuid.uuid4())

    body = api.get("/api/scan/leads", {"since": cutoff.isoformat()}).json()
    assert [lead["id"] for lead in body["items"]] == [leads[0].pk]


def test_lead_list_rejects_bad_paging_values(api):
    error = assert_error(api.get("/api/scan/leads", {"limit": 1000}), 422, "validation_error")
    assert "limit" in error["fields"]
    assert_error(api.get("/api/scan/leads", {"since": "soon"}), 422, "validation_error")


def test_lead_list_query_count_does_not_grow_with_leads(
    scanner, api, fair, django_assert_num_queries
):
    _scan_many(scanner, fair, 6, lead_sharing=True)
    api.get("/api/scan/me")  # last_seen_at is written at most once a minute
    # token lookup, count, leads with attendees, topics, notes with devices and authors
    with django_assert_num_queries(5):
        body = api.get("/api/scan/leads").json()
    assert len(body["items"]) == 6


@pytest.mark.django_db(transaction=True)
def test_a_scan_with_a_note_is_one_commit(api, private_badge):
    api.get("/api/scan/me")  # last_seen_at is written at most once a minute
    with (
        mock.patch.object(connection, "commit", wraps=connection.commit) as commit,
        CaptureQueriesContext(connection) as queries,
    ):
        response = post(api, "scans", scan_body(private_badge, note="Call back"))
    assert response.status_code == 201
    statements = [query["sql"] for query in queries.captured_queries]
    work = [sql for sql in statements if sql.split()[0] not in {"BEGIN", "COMMIT"}]
    if connection.vendor == "postgresql":
        # the device was checked by /me and is remembered: one statement (device check,
        # charge, lead, scan, note) that is its own commit
        assert [sql.split()[0] for sql in work] == ["WITH"]
        assert all(table in work[0] for table in ("scannerdevice", "ratelimit", "leadnote"))
        assert statements.count("COMMIT") == commit.call_count == 0
    else:
        # token lookup, charge, badge lookup, lead lock, lead, scan, note; a visitor who does
        # not share has no topics to read
        assert len(work) == 7 and any("fair_ratelimitcounter" in sql for sql in work)
        assert "leads_scannerdevice" in work[0]
        assert statements.count("COMMIT") == commit.call_count == 1
    assert Lead.objects.get().scan_count == 1
    assert response.json()["notes"][0]["text"] == "Call back"


def test_device_never_sees_another_exhibitors_leads(scanner, other_scanner, other_api, badge):
    lead_id = post(api_for(scanner), "scans", scan_body(badge)).json()["id"]

    assert other_api.get("/api/scan/leads").json() == {"count": 0, "next_offset": None, "items": []}
    assert_error(other_api.get(f"/api/scan/leads/{lead_id}"), 404, "not_found")
    assert_error(patch(other_api, f"leads/{lead_id}", {"rating": "cold"}), 404, "not_found")
    assert Lead.objects.get().rating == ""


def test_lead_detail(api, badge):
    lead_id = post(api, "scans", scan_body(badge, note="hello")).json()["id"]
    body = api.get(f"/api/scan/leads/{lead_id}").json()
    assert body["id"] == lead_id
    assert body["notes"][0]["text"] == "hello"


def test_unknown_lead_answers_404(api):
    assert_error(api.get("/api/scan/leads/999999"), 404, "not_found")


def test_patch_rates_tags_answers_and_annotates(api, badge, exhibitor):
    question = question_create(exhibitor=exhibitor, text="Budget?", kind="text")
    lead_id = post(api, "scans", scan_body(badge, rating="cold")).json()["id"]
    note_id = str(uuid.uuid4())
    body = {
        "rating": "hot",
        "tags": ["Heat pump"],
        "answers": {str(question.pk): "100k"},
        "note": "Asked for a quote",
        "notes": [{"text": "Written offline", "client_id": note_id}, "Plain note"],
    }
    response = patch(api, f"leads/{lead_id}", body)

    assert response.status_code == 200, response.content
    lead = response.json()
    assert lead["rating"] == "hot"
    assert lead["tags"] == ["Heat pump"]
    assert lead["answers"] == {str(question.pk): "100k"}
    assert sorted(note["text"] for note in lead["notes"]) == [
        "Asked for a quote",
        "Plain note",
        "Written offline",
    ]
    assert {note["device"] for note in lead["notes"]} == {"Stand phone 1"}
    # The same offline note sent again is not added twice; empty values clear nothing.
    again = patch(
        api,
        f"leads/{lead_id}",
        {"notes": [{"text": "Written offline", "client_id": note_id}], "rating": None, "tags": []},
    ).json()
    assert len(again["notes"]) == 3
    assert again["rating"] == "hot" and again["tags"] == ["Heat pump"]


def test_patch_with_invalid_values_answers_422_and_changes_nothing(api, badge):
    lead_id = post(api, "scans", scan_body(badge)).json()["id"]
    error = assert_error(
        patch(api, f"leads/{lead_id}", {"answers": {"777": "x"}, "note": "lost?"}),
        422,
        "validation_error",
    )
    assert "answers.777" in error["fields"]
    assert not LeadNote.objects.exists()
