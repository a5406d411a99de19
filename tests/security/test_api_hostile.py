"""Hostile devices and integrations (security round two): absurd dates, NUL bytes, note floods,
badge-code guessing through batches, and what a 500 of the back-office API looks like.

Each test reproduces an attack from the audit; each failed against the code before its fix.
"""

import datetime
import json
import uuid
from unittest import mock

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.v1.services import api_token_create
from badges.codes import check_char
from fair import ratelimit
from leads.exceptions import DeviceLimitReached
from leads.models import Lead, LeadNote, Scan
from leads.services.devices import device_create, device_provision, device_revoke
from leads.services.lead_data import NOTES_PER_LEAD_MAX, NOTES_PER_REQUEST_MAX
from tests import factories
from tests.leads.scan_fixtures import api_for, scan_body

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
YEAR_ONE = "0001-01-01T00:00:00+05:00"


def post(client: Client, path: str, body) -> object:
    return client.post(path, json.dumps(body), content_type="application/json")


def patch(client: Client, path: str, body) -> object:
    return client.patch(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def lead(api, badge) -> Lead:
    assert post(api, "/api/scan/scans", scan_body(badge)).status_code == 201
    return Lead.objects.get()


@pytest.fixture
def exhibitor_api(exhibitor) -> Client:
    _token, key = api_token_create(name="CRM", exhibitor=exhibitor)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}", **EN)


@pytest.fixture
def organizer_api(db) -> Client:
    organizer = factories.make_organizer()
    _token, key = api_token_create(name="Back office", user=organizer, created_by=organizer)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}", **EN)


def reads_all_answer(lead: Lead, api: Client, exhibitor_api: Client, organizer_api: Client):
    """Every read that shows the lead answers 200 (the audit found them all 500)."""
    user = factories.make_exhibitor_user(exhibitor=lead.exhibitor)
    portal = Client(**EN)
    portal.force_login(user)
    admin = Client(**EN)
    admin.force_login(factories.make_organizer())
    for client, path in [
        (api, "/api/scan/leads"),
        (api, f"/api/scan/leads/{lead.pk}"),
        (exhibitor_api, "/api/v1/leads/"),
        (organizer_api, "/api/v1/leads/"),
        (organizer_api, f"/api/v1/leads/{lead.pk}/"),
        (portal, reverse("leads:list")),
        (portal, reverse("leads:detail", kwargs={"pk": lead.pk})),
        (admin, reverse("admin:leads_lead_change", args=[lead.pk])),
        (admin, reverse("admin:leads_lead_changelist")),
    ]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)


# --- 11.1: client-supplied times --------------------------------------------------------------


def test_a_note_dated_year_one_gets_the_server_time_and_breaks_no_read(
    api, lead, exhibitor_api, organizer_api
):
    before = timezone.now()
    notes = [{"text": "From the year one", "written_at": YEAR_ONE}]
    response = patch(api, f"/api/scan/leads/{lead.pk}", {"notes": notes})
    assert response.status_code == 200, response.content
    note = LeadNote.objects.get()
    assert before <= note.written_at <= timezone.now()
    reads_all_answer(lead, api, exhibitor_api, organizer_api)


@pytest.mark.parametrize("written_at", ["0196-09-14T14:35:22", "9999-12-31T23:59:59-14:00"])
def test_notes_cannot_be_back_or_forward_dated_to_any_year(api, lead, written_at):
    before = timezone.now()
    notes = [{"text": "Odd clock", "written_at": written_at}]
    assert patch(api, f"/api/scan/leads/{lead.pk}", {"notes": notes}).status_code == 200
    assert before <= LeadNote.objects.get().written_at <= timezone.now()
    body = api.get(f"/api/scan/leads/{lead.pk}").json()
    assert body["notes"][0]["written_at"].startswith(str(timezone.now().year))


@pytest.mark.parametrize("scanned_at", [YEAR_ONE, "9999-12-31T23:59:59-14:00", "1999-12-31"])
def test_a_scan_from_a_clock_far_off_is_kept_with_the_server_time(api, badge, scanned_at):
    before = timezone.now()
    assert post(api, "/api/scan/scans", scan_body(badge, scanned_at=scanned_at)).status_code == 201
    assert before <= Scan.objects.get().scanned_at <= timezone.now()


@pytest.mark.parametrize(
    "since", ["0001-01-01T00:00:00", YEAR_ONE, "9999-12-31T23:59:59-14:00", "1999-12-31T23:00Z"]
)
def test_since_outside_a_sane_window_is_422_on_both_apis(api, exhibitor_api, since):
    scan = api.get("/api/scan/leads", {"since": since})
    assert scan.status_code == 422, scan.content
    assert "since" in scan.json()["fields"]
    v1 = exhibitor_api.get("/api/v1/leads/", {"since": since.replace("Z", "+00:00")})
    assert v1.status_code == 422, v1.content
    assert v1.json()["error"] == "validation_error" and "since" in v1.json()["fields"]


def test_since_within_the_window_still_filters(api, lead, exhibitor_api):
    recent = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    assert api.get("/api/scan/leads", {"since": recent}).json()["count"] == 1
    assert exhibitor_api.get("/api/v1/leads/", {"since": recent}).json()["count"] == 1


@pytest.mark.django_db(transaction=True)
def test_a_note_dated_year_one_stored_before_the_fix_is_repaired_by_the_migration(exhibitor, badge):
    # Before the fix such a note was stored; on PostgreSQL it is 1 BC and no read of the lead
    # worked any more. The migration that adds the range constraints repairs it first.
    scanner = device_provision(exhibitor=exhibitor, label="Phone")
    api = api_for(scanner)
    assert post(api, "/api/scan/scans", scan_body(badge)).status_code == 201
    lead = Lead.objects.get()
    executor = MigrationExecutor(connection)
    executor.migrate([("leads", "0003_export_audit")])
    try:
        table = LeadNote._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (lead_id, text, device_id, written_at, created_at) "
                "VALUES (%s, %s, %s, %s, %s)",
                [
                    lead.pk,
                    "stored before the fix",
                    scanner.device.pk,
                    YEAR_ONE if connection.vendor == "postgresql" else "0001-01-01 00:00:00",
                    timezone.now(),
                ],
            )
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes("leads")
        )
    note = LeadNote.objects.get()
    assert note.written_at == note.created_at
    assert api.get(f"/api/scan/leads/{lead.pk}").status_code == 200


def test_the_database_refuses_a_time_outside_the_range(lead):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        LeadNote.objects.create(
            lead=lead, text="x", written_at=datetime.datetime(1999, 1, 1, tzinfo=datetime.UTC)
        )


# --- 11.5: notes per request and per lead ------------------------------------------------------


def test_more_notes_than_allowed_in_one_request_are_refused_whole(api, lead):
    notes = [f"note {n}" for n in range(NOTES_PER_REQUEST_MAX + 1)]
    response = patch(api, f"/api/scan/leads/{lead.pk}", {"notes": notes})
    assert response.status_code == 422
    assert LeadNote.objects.count() == 0


def test_note_and_notes_together_count_against_the_request_limit(api, lead):
    notes = [f"note {n}" for n in range(NOTES_PER_REQUEST_MAX)]
    response = patch(api, f"/api/scan/leads/{lead.pk}", {"note": "one more", "notes": notes})
    assert response.status_code == 422
    assert "notes" in response.json()["fields"]


def test_a_lead_takes_no_more_notes_than_allowed(api, lead, badge):
    LeadNote.objects.bulk_create(
        LeadNote(lead=lead, text=f"n{n}", written_at=timezone.now())
        for n in range(NOTES_PER_LEAD_MAX - 1)
    )
    assert patch(api, f"/api/scan/leads/{lead.pk}", {"notes": ["the last"]}).status_code == 200
    refused = patch(api, f"/api/scan/leads/{lead.pk}", {"notes": ["one too many"]})
    assert refused.status_code == 422
    assert "100" in refused.json()["fields"]["notes"][0]
    scan = post(api, "/api/scan/scans", scan_body(badge, note="and with a scan"))
    assert scan.status_code == 422 and "note" in scan.json()["fields"]
    assert LeadNote.objects.count() == NOTES_PER_LEAD_MAX
    assert Lead.objects.get().scan_count == 1  # the refused scan stored nothing


def test_notes_sent_again_do_not_count_against_a_full_lead(api, lead):
    LeadNote.objects.bulk_create(
        LeadNote(lead=lead, text=f"n{n}", written_at=timezone.now())
        for n in range(NOTES_PER_LEAD_MAX - 1)
    )
    note = {"text": "the last", "client_id": str(uuid.uuid4())}
    assert patch(api, f"/api/scan/leads/{lead.pk}", {"notes": [note]}).status_code == 200
    # The answer was lost; the device sends the same note again.
    assert patch(api, f"/api/scan/leads/{lead.pk}", {"notes": [note]}).status_code == 200
    assert LeadNote.objects.count() == NOTES_PER_LEAD_MAX


# --- 11.6: badge-code guessing through batches, devices per exhibitor -------------------------


def made_up_short_codes(count: int) -> list[str]:
    bodies = [f"{n:010d}".replace("0", "Z") for n in range(count)]
    return [body + check_char(body) for body in bodies]


def test_a_batch_of_guesses_gets_no_more_answers_than_the_budget_allows(api, badge, settings):
    # One batch of 500 made-up short codes got 500 answers: misses were charged afterwards.
    limit = ratelimit.scans_per_device().limit
    guesses = [{"code": code, "client_id": str(uuid.uuid4())} for code in made_up_short_codes(500)]
    response = post(api, "/api/scan/scans/batch", {"scans": guesses})
    assert response.status_code == 200
    statuses = [result["status"] for result in response.json()["results"]]
    answered = statuses.count(404)
    cost = ratelimit.SCAN_MISS_COST
    assert answered == (limit - 500) // cost + 1  # 26 with the defaults
    assert statuses == [404] * answered + [429] * (500 - answered)
    assert 1 <= int(response["Retry-After"]) <= 600
    # The budget is spent: the next scan waits, hit or miss.
    assert post(api, "/api/scan/scans", scan_body(badge)).status_code == 429


def test_items_after_the_budget_are_refused_whether_they_would_hit_or_not(api, badge, settings):
    # 3 scans charged at once leave SCAN_MISS_COST - 1: one guess uses up the budget.
    settings.FAIRLEAD_RATE_LIMITS = {"scans_device": (ratelimit.SCAN_MISS_COST + 2, 600)}
    [guess] = made_up_short_codes(1)
    scans = [
        {"code": guess, "client_id": str(uuid.uuid4())},  # 404, budget now used up
        scan_body(badge),  # would hit: refused all the same
        {"code": guess, "client_id": str(uuid.uuid4())},
    ]
    results = post(api, "/api/scan/scans/batch", {"scans": scans}).json()["results"]
    assert [result["status"] for result in results] == [404, 429, 429]
    assert results[1]["error"]["error"] == "rate_limited"
    assert Scan.objects.count() == 0


def test_an_exhibitor_has_at_most_the_configured_number_of_devices(exhibitor, settings):
    settings.FAIRLEAD_DEVICES_PER_EXHIBITOR = 3
    devices = [device_create(exhibitor=exhibitor, label=f"Phone {n}") for n in range(3)]
    with pytest.raises(DeviceLimitReached):
        device_create(exhibitor=exhibitor, label="Phone 4")
    # Revoking one does not free a budget for a new device.
    device_revoke(device=devices[0])
    with pytest.raises(DeviceLimitReached):
        device_provision(exhibitor=exhibitor, label="Phone 5")


def test_the_device_cap_defaults_to_25(settings):
    assert settings.FAIRLEAD_DEVICES_PER_EXHIBITOR == 25


# --- 11.9: NUL bytes ------------------------------------------------------------------------


NUL = "bad\u0000text"


@pytest.mark.parametrize(
    "overrides",
    [{"note": NUL}, {"answers": {"1": NUL}}, {"answers": {NUL: "x"}}, {"code": "FL1:" + NUL}],
)
def test_nul_in_a_scan_is_a_422(api, badge, overrides):
    response = post(api, "/api/scan/scans", scan_body(badge, **overrides))
    assert response.status_code == 422, response.content
    assert response.json()["error"] == "validation_error"
    assert Scan.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [{"tags": [NUL]}, {"note": NUL}, {"notes": [NUL]}, {"notes": [{"text": NUL}]}],
)
def test_nul_in_a_lead_update_is_a_422(api, lead, body):
    response = patch(api, f"/api/scan/leads/{lead.pk}", body)
    assert response.status_code == 422, response.content
    assert LeadNote.objects.count() == 0 and Lead.objects.get().tags == []


def test_a_batch_item_with_nul_fails_alone(api, badge):
    scans = [scan_body(badge), scan_body(badge, note=NUL), scan_body(badge, note="fine")]
    response = post(api, "/api/scan/scans/batch", {"scans": scans})
    assert response.status_code == 200, response.content
    statuses = [result["status"] for result in response.json()["results"]]
    assert statuses == [201, 422, 200]
    assert Scan.objects.count() == 2


def test_nul_in_pairing_is_a_422(db):
    response = post(Client(**EN), "/api/scan/pair", {"pairing_code": NUL})
    assert response.status_code == 422


@pytest.mark.parametrize("param", ["q", "tag"])
def test_nul_in_a_back_office_query_parameter_is_a_422(organizer_api, param):
    path = "/api/v1/attendees/" if param == "q" else "/api/v1/leads/"
    response = organizer_api.get(path, {param: NUL})
    assert response.status_code == 422, response.content
    assert param in response.json()["fields"]


# --- 11.12: a 500 of the back-office API is the JSON error body ----------------------------


def test_an_unexpected_error_in_the_back_office_api_is_a_json_500(organizer_api):
    with mock.patch(
        "api.v1.views.ApiPagination.paginate_queryset", side_effect=RuntimeError("boom")
    ):
        response = organizer_api.get("/api/v1/fairs/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "server_error"
