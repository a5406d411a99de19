"""A plain badge scan as one SQL statement: the hot path of ``lead_capture`` on PostgreSQL.

A stand's phone sends its scans one at a time, and nearly all of them are plain: a code, a
client_id, the device time, perhaps a rating or a note. For such a scan ``lead_capture_fast``
runs one statement that finds the badge, charges the device's budget, inserts or counts up the
lead (``INSERT … ON CONFLICT … DO UPDATE``, which also makes concurrent devices safe: one lead
per exhibitor and attendee, every scan counted), stores the scan and its note. A scan with a
note took the engine's seven round trips before (a tenth of the scans in
``bench/scan_load.py``, a third of their round trips). Outside a transaction that is
one round trip and PostgreSQL's own commit of the statement; the engine
(``leads.services.capture``) needs five statements, BEGIN and COMMIT. ``bench/scan_load.py``
measured both (bench/README.md).

The statement does the whole scan or nothing, and everything it does not do, the engine does
with its own rules, so both answer alike (``tests/leads/test_capture_fast.py`` runs the
engine's cases through this path):

* a scan with answers (they need the questions), a note the engine would refuse (too long,
  NUL) or a code that is no badge code: not tried;
* a note for a lead that has its ``NOTES_PER_LEAD_MAX`` notes: not taken, the engine refuses
  it (counted as the engine counts: in the statement's snapshot);
* a badge the statement does not take (unknown, revoked, organizer or service, the exhibitor's
  own staff): nothing happens, not even the charge; the engine charges and refuses it;
* a client_id stored before (a retry) or a deadlock: the statement fails as a whole and the
  engine answers (a replay) or tries again;
* over the budget: the charge is kept and nothing stored, ``ScanBudgetUsedUp`` as the engine.
"""

import contextlib
import datetime
import functools

from django.contrib.auth import get_user_model
from django.db import IntegrityError, OperationalError, connections, router, transaction
from django.utils import timezone

from badges.codes import CodeFormatError, code_parse
from badges.models import Attendee, Badge
from exhibitors.models import Exhibitor
from fair.lean_sql import LeanSelect
from fair.models import Topic
from fair.ratelimit import rate_limit_charge_statement, scans_per_device
from leads.exceptions import LeadDataInvalid, ScanBudgetUsedUp
from leads.models import Lead, LeadNote, Scan, ScannerDevice
from leads.services.capture_data import (
    ATTENDEE_FIELDS,
    BADGE_CODE_COLUMNS,
    CaptureResult,
    ScanDraft,
)
from leads.services.lead_data import NOTES_PER_LEAD_MAX, client_time_effective, note_clean

# Columns are the models' own (tests/leads/test_capture_fast.py checks that the inserts name
# every column of Lead, Scan and LeadNote); values are parameters, tables from ``LeanSelect``.
_HEAD = (
    "WITH found AS ("
    "SELECT b.id AS badge_id, a.id AS attendee_id FROM {{badge}} b "
    "INNER JOIN {{attendee}} a ON a.id = b.attendee_id "
    "WHERE b.{code_column} = %s AND a.fair_id = %s AND b.state <> %s "
    "AND a.category NOT IN (%s, %s) AND (a.category <> %s OR a.exhibitor_id IS DISTINCT FROM %s)"
    "{device_current}{room_for_note}), charge AS ({charge}), counted AS ("
    "INSERT INTO {{lead}} AS l (exhibitor_id, attendee_id, first_scanned_at, last_scanned_at, "
    "scan_count, rating, tags, answers, created_at, updated_at) "
    "SELECT %s, found.attendee_id, %s, %s, 1, %s, '[]'::jsonb, '{{{{}}}}'::jsonb, %s, %s "
    'FROM found, charge WHERE charge."count" <= %s '
    "ON CONFLICT (exhibitor_id, attendee_id) DO UPDATE SET "
    "first_scanned_at = LEAST(l.first_scanned_at, EXCLUDED.first_scanned_at), "
    "last_scanned_at = GREATEST(l.last_scanned_at, EXCLUDED.last_scanned_at), "
    "scan_count = l.scan_count + 1, rating = COALESCE(NULLIF(EXCLUDED.rating, ''), l.rating), "
    "updated_at = EXCLUDED.updated_at RETURNING l.*"
    "), stored AS ("
    "INSERT INTO {{scan}} (lead_id, device_id, badge_id, client_id, scanned_at, received_at, "
    "created_lead) SELECT counted.id, %s, found.badge_id, %s, %s, %s, counted.scan_count = 1 "
    "FROM counted, found RETURNING id){noted} "
)
# For a device remembered by the API instead of looked up (``api.scan.auth``): still paired
# with this token, not revoked, its exhibitor approved.
_DEVICE_CURRENT = (
    " AND EXISTS (SELECT 1 FROM {scannerdevice} d INNER JOIN {exhibitor} e "
    "ON e.id = d.exhibitor_id WHERE d.id = %s AND d.token_hash = %s AND d.revoked_at IS NULL "
    "AND d.exhibitor_id = %s AND e.state = %s)"
)
# With a note: the lead (if any) has room for it, and the note is stored with the scan (put
# into ``_HEAD`` as they are: their tables are filled in with its own).
_ROOM_FOR_NOTE = (
    " AND (SELECT COUNT(*) FROM {leadnote} n INNER JOIN {lead} m ON m.id = n.lead_id "
    "WHERE m.exhibitor_id = %s AND m.attendee_id = a.id) < %s"
)
_USERNAME_COLUMN = next(
    field.column
    for field in get_user_model()._meta.concrete_fields
    if field.name == get_user_model().USERNAME_FIELD
)
_NOTED = (
    ", noted AS (INSERT INTO {leadnote} (lead_id, text, device_id, author_id, written_at, "
    "client_id, created_at) SELECT counted.id, %s, %s, NULL, %s, NULL, %s FROM counted "
    "RETURNING id)"
)


@functools.cache
def _statement(charge_sql: str, kind: str, noted: bool, device_checked: bool) -> LeanSelect:
    """The scan statement for codes of ``kind`` with the device's charge in it (and a note,
    and the check that the device is current)."""
    head = _HEAD.format(
        code_column=BADGE_CODE_COLUMNS[kind],
        charge=charge_sql,
        device_current=_DEVICE_CURRENT if device_checked else "",
        room_for_note=_ROOM_FOR_NOTE if noted else "",
        noted=_NOTED if noted else "",
    )
    return LeanSelect(
        [("a", Attendee, ATTENDEE_FIELDS), ("l", Lead, [f.name for f in Lead._meta.fields])],
        "found INNER JOIN {attendee} a ON a.id = found.attendee_id LEFT JOIN charge ON TRUE "
        "LEFT JOIN counted l ON TRUE LEFT JOIN stored ON TRUE",
        tables={
            "badge": Badge,
            "lead": Lead,
            "scan": Scan,
            "leadnote": LeadNote,
            "scannerdevice": ScannerDevice,
            "exhibitor": Exhibitor,
            "attendee_topics": Attendee.topics.through,
            "topic": Topic,
            "user": get_user_model(),
        },
        extra=[
            'charge."count"',
            "stored.id",
            "(SELECT id FROM noted)" if noted else "NULL",
            "found.badge_id",
            # The lead's notes as the answer shows them (read here to save a round trip); the
            # username's column comes from the user model's _meta.
            "(SELECT COALESCE(json_agg(json_build_array(n.id, n.text, n.device_id, d.label, "  # noqa: S608
            f"n.author_id, u.{_USERNAME_COLUMN}, n.written_at) ORDER BY n.written_at, n.id), "
            "'[]') FROM {leadnote} n LEFT JOIN {scannerdevice} d ON d.id = n.device_id "
            "LEFT JOIN {user} u ON u.id = n.author_id WHERE n.lead_id = l.id)",
            # The topics a lead shows, read here to save a round trip (None: not shared).
            "CASE WHEN a.lead_sharing THEN (SELECT COALESCE(json_agg(json_build_array("
            "t.id, t.area_id, t.name_de, t.name_en, t.position) ORDER BY t.position, t.id), "
            "'[]') FROM {attendee_topics} j INNER JOIN {topic} t ON t.id = j.topic_id "
            "WHERE j.attendee_id = a.id) END",
        ],
        head=head,
    )


def lead_capture_fast(
    *, device: ScannerDevice, draft: ScanDraft, token_hash: str | None = None
) -> CaptureResult | None:
    """The scan ``draft`` of the stand device ``device``, stored by one statement; None if
    this path does not take it (nothing changed then: the caller runs the engine).

    With ``token_hash`` the statement also checks that ``device`` still holds that token, is
    not revoked and its exhibitor approved, and takes nothing if not: for a device the caller
    remembered instead of looking it up (the caller then looks it up and answers).

    Raises ``ScanBudgetUsedUp`` when the device's budget is used up (the charge is kept).
    """
    exhibitor = device.exhibitor
    if exhibitor is None or draft.answers:
        return None
    if draft.rating and draft.rating not in Lead.Rating.values:
        return None
    try:
        note = note_clean(draft.note)
    except LeadDataInvalid:
        return None
    try:
        kind, value = code_parse(draft.code)
    except CodeFormatError:
        return None
    charge = rate_limit_charge_statement(limit=scans_per_device(), key=str(device.pk))
    if charge is None:  # SQLite: no upsert inside a CTE
        return None
    now = timezone.now()
    when = client_time_effective(
        sent=draft.scanned_at, received_at=now, time_zone=exhibitor.fair.time_zone
    )
    category = Attendee.Category
    params = [
        *(value, exhibitor.fair_id, Badge.State.REVOKED, category.ORGANIZER, category.SERVICE),
        *(category.EXHIBITOR_STAFF, exhibitor.pk),
        *(
            (device.pk, token_hash, exhibitor.pk, Exhibitor.State.APPROVED)
            if token_hash is not None
            else ()
        ),
        *((exhibitor.pk, NOTES_PER_LEAD_MAX) if note else ()),
        *charge.params,
        *(exhibitor.pk, when, when, draft.rating or "", now, now, charge.limit.limit),
        *(device.pk, draft.client_id, when, now),
        *((note, device.pk, when, now) if note else ()),
    ]
    connection = connections[router.db_for_write(Lead)]
    # Outside a transaction the statement is one (PostgreSQL commits it alone); inside the
    # caller's, a savepoint keeps a failed statement from spoiling it.
    nested = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    try:
        with nested:
            statement = _statement(
                charge.sql_if_row_in("found"), kind, bool(note), token_hash is not None
            )
            rows = statement.rows(params, model=Lead)
    except IntegrityError:
        return None  # the client_id is stored: the engine answers the retry
    except OperationalError:
        return None  # a deadlock or serialization failure: the engine tries again
    if not rows:
        return None
    [[attendee, lead, count, scan_id, note_id, badge_id, earlier_notes, topics]] = rows
    if lead is None:
        raise ScanBudgetUsedUp(charge.charge(count).retry_after)
    lead.attendee = attendee
    created = lead.scan_count == 1
    scan = Scan(
        id=scan_id,
        lead_id=lead.pk,
        device_id=device.pk,
        badge_id=badge_id,
        client_id=draft.client_id,
        scanned_at=when,
        received_at=now,
        created_lead=created,
    )
    stored_note = None
    if note_id is not None:
        stored_note = LeadNote(
            id=note_id,
            lead=lead,
            text=note,
            device=device,
            author=None,
            written_at=when,
            client_id=None,
            created_at=now,
        )
    return CaptureResult(
        lead=lead,
        created=created,
        replayed=False,
        scan=scan,
        note=stored_note,
        notes_before=len(earlier_notes),
        earlier_notes=[_note(lead, *row) for row in earlier_notes],
        topics=None if topics is None else [_topic(*row) for row in topics],
    )


def _note(
    lead: Lead,
    pk: int,
    text: str,
    device_id: int | None,
    label: str | None,
    author_id: int | None,
    username: str | None,
    written_at: str,
) -> LeadNote:
    note = LeadNote(
        id=pk,
        lead=lead,
        text=text,
        device_id=device_id,
        author_id=author_id,
        written_at=datetime.datetime.fromisoformat(written_at),  # JSON: ISO 8601 with offset
    )
    if device_id is not None and label is not None:
        note.device = ScannerDevice(id=device_id, label=label)
    if author_id is not None:
        note.author = get_user_model()(id=author_id, **{get_user_model().USERNAME_FIELD: username})
    return note


def _topic(pk: int, area_id: int, name_de: str, name_en: str, position: int) -> Topic:
    return Topic(id=pk, area_id=area_id, name_de=name_de, name_en=name_en, position=position)
