"""The one-statement path of lead_capture (PostgreSQL): what it takes, what it leaves to the
engine, and that it charges and stores exactly as the engine does. The engine's own cases in
test_capture.py run through this path on PostgreSQL and through the engine on SQLite."""

import datetime
import json
import re
import uuid
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.scan.auth import device_memory_clear
from badges.exceptions import BadgeRevoked, BadgeUnknown
from badges.services.issue import badge_revoke
from fair.ratelimit import SCAN_MISS_COST, rate_limit_charge, scans_per_device
from leads.exceptions import LeadDataInvalid, ScanBudgetUsedUp
from leads.models import Lead, LeadNote, Scan
from leads.services import capture_fast
from leads.services.capture import lead_capture
from leads.services.capture_data import ScanDraft
from leads.services.capture_fast import lead_capture_fast
from leads.services.devices import device_provision
from leads.services.lead_data import NOTE_MAX_LENGTH, NOTES_PER_LEAD_MAX
from tests import factories
from tests.leads.scan_fixtures import scan_body

pytestmark = pytest.mark.usefixtures("rate_limit_window")


@pytest.fixture
def postgres(is_postgres):
    if not is_postgres:
        pytest.skip("the one-statement path runs on PostgreSQL only")


def charged(device) -> int:
    """The device's scan budget used in this window (a charge of 0 reads it)."""
    return rate_limit_charge(limit=scans_per_device(), key=str(device.pk), cost=0).count


def draft(badge, **kwargs) -> ScanDraft:
    return ScanDraft(
        code=badge.qr_content, client_id=kwargs.pop("client_id", uuid.uuid4()), **kwargs
    )


def test_the_statement_inserts_every_column_of_lead_scan_and_note():
    # A column added to any of them must be written here too (or have a database default).
    inserts = dict(
        re.findall(
            r"INSERT INTO \{+(\w+)\}+[^(]*\(([^)]*)\)", capture_fast._HEAD + capture_fast._NOTED
        )
    )
    for name, model in (("lead", Lead), ("scan", Scan), ("leadnote", LeadNote)):
        written = {column.strip() for column in inserts[name].split(",")}
        assert written == {f.column for f in model._meta.concrete_fields if not f.primary_key}


def test_a_plain_scan_is_one_statement(postgres, scanner, badge):
    with CaptureQueriesContext(connection) as queries:
        result = lead_capture_fast(device=scanner.device, draft=draft(badge, rating="hot"))
    assert result is not None and result.created and result.notes_before == 0
    assert [q["sql"].split()[0] for q in queries.captured_queries if "WITH" in q["sql"]] == ["WITH"]
    lead = Lead.objects.get()
    assert (lead.pk, lead.scan_count, lead.rating) == (result.lead.pk, 1, "hot")
    scan = Scan.objects.get()
    assert (scan.pk, scan.badge_id, scan.created_lead) == (result.scan.pk, badge.pk, True)
    assert result.lead.attendee.pk == badge.attendee_id
    assert charged(scanner.device) == 1


def test_a_repeat_scan_updates_the_lead_in_place(postgres, scanner, badge):
    # No index of the lead holds a column a scan changes (last_scanned_at, scan_count, …), so
    # PostgreSQL updates the row in place (HOT): no new entry in each of the lead's indexes.
    def hot_updates() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_stat_get_xact_tuples_hot_updated(%s::regclass)", [Lead._meta.db_table]
            )
            return cursor.fetchone()[0]

    assert lead_capture_fast(device=scanner.device, draft=draft(badge)).created
    before = hot_updates()
    result = lead_capture_fast(device=scanner.device, draft=draft(badge, rating="warm"))
    assert result is not None and result.lead.scan_count == 2
    assert hot_updates() == before + 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("device", ["remembered", "forgotten", "remembered too long ago"])
def test_outside_a_transaction_a_scan_is_one_round_trip_and_its_own_commit(
    postgres, api, badge, device, monkeypatch
):
    # A device this process checked lately is checked by the statement itself; otherwise the
    # token lookup comes first. No BEGIN, no COMMIT, no lock read.
    if device == "remembered too long ago":
        monkeypatch.setattr("api.scan.auth.REMEMBER_SECONDS", 0.0)
    api.get("/api/scan/me")  # last_seen_at is written at most once a minute
    if device == "forgotten":
        device_memory_clear()
    remembered = device == "remembered"
    private = factories.make_badge(fair=badge.attendee.fair, lead_sharing=False)
    with (
        mock.patch.object(connection, "commit", wraps=connection.commit) as commit,
        CaptureQueriesContext(connection) as queries,
    ):
        response = api.post(
            "/api/scan/scans", json.dumps(scan_body(private)), content_type="application/json"
        )
    assert response.status_code == 201
    statements = [query["sql"].split()[0] for query in queries.captured_queries]
    assert statements == (["WITH"] if remembered else ["SELECT", "WITH"])
    assert commit.call_count == 0
    assert Lead.objects.get().scan_count == 1


def test_a_later_scan_counts_up_and_keeps_the_rating_unless_given(postgres, scanner, badge):
    lead_capture_fast(device=scanner.device, draft=draft(badge, rating="warm"))
    again = lead_capture_fast(device=scanner.device, draft=draft(badge))
    assert again is not None and not again.created and again.scan.created_lead is False
    assert (again.lead.scan_count, again.lead.rating) == (2, "warm")
    third = lead_capture_fast(device=scanner.device, draft=draft(badge, rating="cold"))
    assert third is not None and third.lead.rating == "cold"
    assert Lead.objects.get().scan_count == 3 and Scan.objects.count() == 3


@pytest.mark.parametrize(
    "kwargs",
    [
        {"answers": {"1": "yes"}},
        {"rating": "lukewarm"},
        {"note": "x" * (NOTE_MAX_LENGTH + 1)},
        {"note": "NUL \x00 byte"},
    ],
)
def test_answers_and_what_the_engine_refuses_are_left_to_it(postgres, scanner, badge, kwargs):
    assert lead_capture_fast(device=scanner.device, draft=draft(badge, **kwargs)) is None
    assert not Lead.objects.exists() and charged(scanner.device) == 0


def test_a_scan_with_a_note_is_one_statement_too(postgres, scanner, badge):
    when = timezone.now() - datetime.timedelta(minutes=3)
    with CaptureQueriesContext(connection) as queries:
        first = lead_capture_fast(
            device=scanner.device, draft=draft(badge, note=" Cafe\u0301 talk ", scanned_at=when)
        )
    assert [q["sql"].split()[0] for q in queries.captured_queries if "WITH" in q["sql"]] == ["WITH"]
    assert first is not None and first.created and first.notes_before == 0
    stored = LeadNote.objects.get()
    assert first.note is not None and first.note.pk == stored.pk
    # The note as the engine stores it: trimmed, NFC, the device as author, the scan's time.
    assert (stored.text, stored.device_id, stored.author_id, stored.lead_id) == (
        "Café talk",
        scanner.device.pk,
        None,
        first.lead.pk,
    )
    assert stored.written_at == first.scan.scanned_at == when
    assert {f.attname: getattr(first.note, f.attname) for f in LeadNote._meta.concrete_fields} == {
        f.attname: getattr(stored, f.attname) for f in LeadNote._meta.concrete_fields
    }
    second = lead_capture_fast(device=scanner.device, draft=draft(badge, note="Send a quote"))
    assert second is not None and second.notes_before == 1 and second.lead.scan_count == 2
    blank = lead_capture_fast(device=scanner.device, draft=draft(badge, note="   "))
    assert blank is not None and blank.note is None
    assert LeadNote.objects.count() == 2 and charged(scanner.device) == 3


def test_a_note_for_a_full_lead_is_left_to_the_engine(postgres, scanner, badge, settings):
    lead = lead_capture(device=scanner.device, code=badge.qr_content, client_id=uuid.uuid4()).lead
    LeadNote.objects.bulk_create(
        LeadNote(lead=lead, text=f"note {n}", written_at=timezone.now())
        for n in range(NOTES_PER_LEAD_MAX)
    )
    assert lead_capture_fast(device=scanner.device, draft=draft(badge, note="one more")) is None
    assert charged(scanner.device) == 1  # nothing happened, not even the charge
    with pytest.raises(LeadDataInvalid):
        lead_capture(
            device=scanner.device, code=badge.qr_content, client_id=uuid.uuid4(), note="one more"
        )
    assert LeadNote.objects.count() == NOTES_PER_LEAD_MAX
    assert Lead.objects.get().scan_count == 1


def test_the_engine_alone_runs_on_sqlite(is_postgres, scanner, badge):
    if is_postgres:
        pytest.skip("SQLite only")
    assert lead_capture_fast(device=scanner.device, draft=draft(badge)) is None


def test_a_refused_badge_costs_what_the_engine_charges_once(postgres, scanner, fair, badge):
    # The statement charges nothing for a badge it does not take; the engine charges it.
    unknown = factories.make_badge(fair=factories.make_fair())  # another fair's badge
    with pytest.raises(BadgeUnknown):
        lead_capture(device=scanner.device, code=unknown.qr_content, client_id=uuid.uuid4())
    assert charged(scanner.device) == 1 + SCAN_MISS_COST
    badge_revoke(badge=badge)
    with pytest.raises(BadgeRevoked):
        lead_capture(device=scanner.device, code=badge.qr_content, client_id=uuid.uuid4())
    assert charged(scanner.device) == 2 + SCAN_MISS_COST
    assert not Lead.objects.exists() and not Scan.objects.exists()


def test_a_retry_is_answered_by_the_engine_as_a_replay(postgres, scanner, badge):
    client_id = uuid.uuid4()
    first = lead_capture(device=scanner.device, code=badge.qr_content, client_id=client_id)
    # Inside the caller's transaction the failed statement takes only its savepoint with it.
    with transaction.atomic():
        retry = lead_capture(device=scanner.device, code=badge.qr_content, client_id=client_id)
        assert Lead.objects.get().scan_count == 1
    assert retry.replayed and retry.created and retry.lead.pk == first.lead.pk
    assert Scan.objects.count() == 1


def test_over_the_budget_the_charge_is_kept_and_nothing_stored(postgres, scanner, badge, settings):
    settings.FAIRLEAD_RATE_LIMITS = {"scans_device": (1, 600)}
    assert lead_capture_fast(device=scanner.device, draft=draft(badge)) is not None
    with pytest.raises(ScanBudgetUsedUp) as refused:
        lead_capture_fast(device=scanner.device, draft=draft(badge))
    assert 1 <= refused.value.retry_after <= 600
    assert charged(scanner.device) == 2
    assert Lead.objects.get().scan_count == 1 and Scan.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_topics_of_a_sharing_visitor_come_with_the_statement(postgres, api, badge, area):
    # Order by position; names in the language asked for; no query of their own.
    first, second = area.topics.order_by("position", "id")[:2]
    badge.attendee.topics.set([second, first])
    api.get("/api/scan/me")  # last_seen_at is written at most once a minute
    with CaptureQueriesContext(connection) as queries:
        response = api.post(
            "/api/scan/scans",
            json.dumps(scan_body(badge)),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 201
    assert response.json()["attendee"]["topics"] == [first.name_en, second.name_en]
    assert [query["sql"].split()[0] for query in queries.captured_queries] == ["WITH"]
    again = lead_capture_fast(device=Lead.objects.get().scans.get().device, draft=draft(badge))
    assert again is not None and again.topics is not None
    assert [(t.pk, t.name_de) for t in again.topics] == [
        (first.pk, first.name_de),
        (second.pk, second.name_de),
    ]


@pytest.mark.django_db(transaction=True)
def test_the_notes_of_a_lead_come_with_the_statement(postgres, api, scanner, badge, exhibitor_user):
    # A lead with notes from a device, a portal user and a device removed since: the answer
    # lists them and the new one oldest first (the scan's device time may be the oldest), as
    # GET /leads/{id} does, and reads nothing after the statement.
    lead = lead_capture(device=scanner.device, code=badge.qr_content, client_id=uuid.uuid4()).lead
    now = timezone.now()
    gone = device_provision(exhibitor=scanner.device.exhibitor, label="Old phone").device
    LeadNote.objects.create(lead=lead, text="Wants a quote", device=scanner.device, written_at=now)
    LeadNote.objects.create(
        lead=lead, text="Called: Mittwoch", author=exhibitor_user, written_at=now
    )
    LeadNote.objects.create(lead=lead, text="Lost phone", device=gone, written_at=now)
    gone.delete()
    api.get("/api/scan/me")  # last_seen_at is written at most once a minute
    body = scan_body(badge, note="Früher notiert")
    body["scanned_at"] = (now - datetime.timedelta(minutes=5)).isoformat()
    with CaptureQueriesContext(connection) as queries:
        response = api.post("/api/scan/scans", json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    assert [query["sql"].split()[0] for query in queries.captured_queries] == ["WITH"]
    notes = response.json()["notes"]
    assert [(n["text"], n["device"], n["author"]) for n in notes] == [
        ("Früher notiert", scanner.device.label, None),
        ("Wants a quote", scanner.device.label, None),
        ("Called: Mittwoch", None, exhibitor_user.get_username()),
        ("Lost phone", None, None),
    ]
    assert notes == api.get(f"/api/scan/leads/{lead.pk}").json()["notes"]
