"""Lead capture: one badge scan at a stand, or a device's offline batch of them.

Decisions worth knowing (each has a test in ``tests/leads``):

* **Who is a lead.** Visitors, press, speakers and *other* exhibitors' stand staff are leads like
  anyone else (their data is shown according to their own lead-sharing consent). A badge of the
  scanning exhibitor's *own* stand staff is refused with ``OwnStaff`` (code ``own_staff``), and
  organizer and service badges with ``NotALead`` (``not_a_lead``); in both cases nothing is stored.
* **Device time.** ``scanned_at`` is the device clock. A missing value means "now". Device time
  more than ``SCAN_FUTURE_TOLERANCE`` ahead of the server, or more than ``SCAN_MAX_AGE`` behind
  it, is a broken clock: the scan is kept (losing a real contact is worse than a wrong minute)
  and gets the server's receive time instead. A time without offset is read in the fair's zone.
* **Merging.** A later scan or an update never overwrites a value with an empty one: a rating
  replaces the rating only when given, answers are merged per question (the newest non-empty
  answer to a question wins), tags are added to the set, and notes are appended, each with its
  author device (or user) and time.
* **Retries.** ``lead_capture`` with a ``client_id`` that is already stored returns the stored
  result (``replayed=True``) and changes nothing, also when the retry races the original.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db import IntegrityError, OperationalError, connections, router, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from badges.codes import CodeFormatError, code_parse
from badges.exceptions import BadgeRevoked, BadgeUnknown
from badges.models import Attendee
from exhibitors.models import Exhibitor
from leads.exceptions import ClientIdConflict, LeadDataInvalid, LeadsError, NotALead, OwnStaff
from leads.models import Lead, LeadNote, Scan, ScannerDevice
from leads.selectors import badge_for_scan, lead_for_update
from leads.services.lead_data import answers_clean, note_clean, scan_time_effective

_NOT_LEADS = frozenset({Attendee.Category.ORGANIZER, Attendee.Category.SERVICE})


@dataclass(frozen=True)
class CaptureResult:
    lead: Lead
    created: bool
    replayed: bool
    scan: Scan
    # The note this scan added (None for a replay or a scan without note).
    note: LeadNote | None = None


def _lead_refuse(*, attendee: Attendee, exhibitor: Exhibitor) -> None:
    if attendee.category in _NOT_LEADS:
        raise NotALead()
    if (
        attendee.category == Attendee.Category.EXHIBITOR_STAFF
        and attendee.exhibitor_id == exhibitor.pk
    ):
        raise OwnStaff()


def _capture_replay(*, device: ScannerDevice, code: str, client_id: UUID) -> CaptureResult | None:
    """The stored result for a client_id already used, or None if it is new."""
    scan = (
        Scan.objects.select_related("lead", "lead__attendee", "badge", "device")
        .filter(client_id=client_id)
        .first()
    )
    if scan is None:
        return None
    try:
        kind, value = code_parse(code)
    except CodeFormatError:
        kind, value = "", ""
    same_badge = value == (scan.badge.secret if kind == "secret" else scan.badge.short_code)
    if scan.device.exhibitor_id != device.exhibitor_id or not same_badge:
        raise ClientIdConflict()
    return CaptureResult(lead=scan.lead, created=scan.created_lead, replayed=True, scan=scan)


def lead_capture(
    *,
    device: ScannerDevice,
    code: str,
    client_id: UUID,
    scanned_at: datetime.datetime | None = None,
    rating: str | None = None,
    note: str = "",
    answers: dict | None = None,
) -> CaptureResult:
    """Record one badge scan at a stand; safe to call again with the same ``client_id``.

    Exactly one lead per (exhibitor, attendee), also when several devices of the exhibitor
    scan the same badge at the same moment: the lead row is locked (``SELECT … FOR UPDATE``)
    before it is counted up in the database (``scan_count = scan_count + 1``, i.e.
    ``F("scan_count") + 1``), a concurrent first scan that loses the race to create the lead
    falls back to the winner's row (savepoint + unique constraint), and a concurrent retry is
    caught by the unique ``Scan.client_id``.

    Raises ``BadgeUnknown``/``BadgeRevoked`` (from the badges app), ``OwnStaff``, ``NotALead``,
    ``LeadDataInvalid`` (answers, note) or ``ClientIdConflict``; nothing is stored then. A retry
    of a scan that was stored returns the stored result, even if the badge was revoked since.
    """
    try:
        return _lead_capture(
            device=device,
            code=code,
            client_id=client_id,
            scanned_at=scanned_at,
            rating=rating,
            note=note,
            answers=answers,
        )
    except (IntegrityError, BadgeUnknown, BadgeRevoked, LeadsError):
        # The common path does not look for an earlier scan first; only a failure costs that
        # query. A unique violation on Scan.client_id means a retry raced its original.
        replay = _capture_replay(device=device, code=code, client_id=client_id)
        if replay is None:
            raise
        return replay


@dataclass(frozen=True)
class ScanDraft:
    """One scan as a device sends it (the arguments of ``lead_capture``)."""

    code: str
    client_id: UUID
    scanned_at: datetime.datetime | None = None
    rating: str | None = None
    note: str = ""
    answers: dict | None = None


CaptureError = LeadsError | BadgeUnknown | BadgeRevoked
_BATCH_ATTEMPTS = 3
_RETRY_SQLSTATES = {"40P01", "40001"}  # deadlock detected, serialization failure


def lead_capture_batch(
    *, device: ScannerDevice, scans: Sequence[ScanDraft]
) -> list[CaptureResult | CaptureError]:
    """Record scans a device queued offline, in order: one result or domain error per scan.

    The whole batch is one transaction (one commit, so one disk flush instead of one per
    scan) and each scan runs in its own savepoint, so a refused scan leaves the others in
    place. Should the database break a deadlock with another batch touching the same leads
    in another order, the batch is rolled back and run again (it is idempotent anyway).
    """
    for attempt in range(_BATCH_ATTEMPTS):
        try:
            with transaction.atomic():
                return [_capture_or_error(device=device, scan=scan) for scan in scans]
        except OperationalError as exc:
            sqlstate = getattr(exc.__cause__, "sqlstate", None)
            if sqlstate not in _RETRY_SQLSTATES or attempt == _BATCH_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _capture_or_error(*, device: ScannerDevice, scan: ScanDraft) -> CaptureResult | CaptureError:
    try:
        return lead_capture(
            device=device,
            code=scan.code,
            client_id=scan.client_id,
            scanned_at=scan.scanned_at,
            rating=scan.rating,
            note=scan.note,
            answers=scan.answers,
        )
    except (LeadsError, BadgeUnknown, BadgeRevoked) as error:
        return error


@transaction.atomic
def _lead_capture(
    *,
    device: ScannerDevice,
    code: str,
    client_id: UUID,
    scanned_at: datetime.datetime | None,
    rating: str | None,
    note: str,
    answers: dict | None,
) -> CaptureResult:
    exhibitor = device.exhibitor
    fair = exhibitor.fair
    received_at = timezone.now()
    badge = badge_for_scan(code=code, fair_id=fair.pk)
    attendee = badge.attendee
    _lead_refuse(attendee=attendee, exhibitor=exhibitor)
    if rating and rating not in Lead.Rating.values:
        raise LeadDataInvalid({"rating": [str(_("Use hot, warm or cold."))]})
    clean_answers = answers_clean(exhibitor=exhibitor, answers=answers)
    note = note_clean(note)
    when = scan_time_effective(
        scanned_at=scanned_at, received_at=received_at, time_zone=fair.time_zone
    )

    lead = lead_for_update(exhibitor_id=exhibitor.pk, attendee_id=attendee.pk)
    created = False
    if lead is None:
        try:
            with transaction.atomic():
                lead = Lead.objects.create(
                    exhibitor=exhibitor,
                    attendee=attendee,
                    first_scanned_at=when,
                    last_scanned_at=when,
                    scan_count=1,
                    rating=rating or "",
                    answers=clean_answers,
                )
            created = True
        except IntegrityError:
            # Another device created the lead a moment ago: count this scan on that one.
            lead = lead_for_update(exhibitor_id=exhibitor.pk, attendee_id=attendee.pk)
            if lead is None:
                raise
    if not created:
        changes: dict = {
            "first_scanned_at": min(lead.first_scanned_at, when),
            "last_scanned_at": max(lead.last_scanned_at, when),
            "updated_at": received_at,
        }
        if rating:
            changes["rating"] = rating
        if clean_answers:
            changes["answers"] = {**lead.answers, **clean_answers}
        _lead_count_up(lead_id=lead.pk, changes=changes)
        # The row is locked by this transaction, so the stored values are exactly these.
        lead.scan_count += 1
        for name, value in changes.items():
            setattr(lead, name, value)
    lead.attendee = attendee
    scan = _row_insert(
        Scan(
            lead=lead,
            device=device,
            badge=badge,
            client_id=client_id,
            scanned_at=when,
            created_lead=created,
        )
    )
    written = None
    if note:
        written = _row_insert(LeadNote(lead=lead, text=note, device=device, written_at=when))
    return CaptureResult(lead=lead, created=created, replayed=False, scan=scan, note=written)


# The two writes of every scan, as fixed SQL: compiling them through the ORM cost more CPU
# than the rest of the scan together (see leads/selectors.py, ``_LeanSelect``).
_STATEMENTS: dict[tuple, str] = {}


def _lead_count_up(*, lead_id: int, changes: dict) -> None:
    """``Lead.objects.filter(pk=…).update(scan_count=F("scan_count") + 1, **changes)``.

    The increment happens in the database (``scan_count = scan_count + 1``), so it is exact
    even without the row lock the caller holds.
    """
    using = router.db_for_write(Lead)
    connection = connections[using]
    fields = [Lead._meta.get_field(name) for name in sorted(changes)]
    key = ("lead_count_up", using, tuple(field.name for field in fields))
    if key not in _STATEMENTS:
        quote = connection.ops.quote_name
        column = quote(Lead._meta.get_field("scan_count").column)
        assignments = [f"{column} = {column} + 1"]
        assignments += [f"{quote(field.column)} = %s" for field in fields]
        _STATEMENTS[key] = (  # only quoted identifiers in the text; values are parameters
            f"UPDATE {quote(Lead._meta.db_table)} SET {', '.join(assignments)} "  # noqa: S608
            f"WHERE {quote(Lead._meta.pk.column)} = %s"
        )
    params = [field.get_db_prep_save(changes[field.name], connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(_STATEMENTS[key], [*params, lead_id])


def _row_insert(obj: Model) -> Model:
    """Insert a new row for ``obj`` as ``obj.save()`` would (no model signals are sent)."""
    model = type(obj)
    using = router.db_for_write(model)
    connection = connections[using]
    if not connection.features.can_return_columns_from_insert:
        obj.save(force_insert=True, using=using)
        return obj
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    key = ("insert", using, model._meta.label)
    if key not in _STATEMENTS:
        quote = connection.ops.quote_name
        _STATEMENTS[key] = (  # only quoted identifiers in the text; values are parameters
            f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608
            f"({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) "
            f"RETURNING {quote(model._meta.pk.column)}"
        )
    params = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(_STATEMENTS[key], params)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = using
    return obj
