"""Session check-in: a room device at the door of a forum room records who entered a session.

Decisions worth knowing (each has a test in ``tests/leads/test_checkin.py``):

* **Which session.** The one running in the device's room at the check-in time (the device
  clock, kept when plausible as for lead scans, ``lead_data.client_time_effective``), else the
  next one starting within ``attendance_selectors.EARLY_ENTRY`` (people queue before a
  talk). Neither: ``NoSessionNow``, nothing stored. A check-in queued offline counts for
  the session of its own time, not of the upload time.
* **Once per person.** One row per (session, attendee): a second scan — at any door, also of
  a reissued badge — answers "already checked in" (``created=False``) and stores nothing.
* **Who counts.** Everyone with an active badge of the fair: visitors, press, speakers,
  exhibitors' staff, organizers and service staff all take a seat. A revoked badge
  (``BadgeRevoked``) or a badge of another fair (``BadgeUnknown``) is refused.
* **Capacity.** When a session has as many people checked in as its room holds, further
  check-ins are refused with ``SessionFull`` and not stored: the door person sees "full" and
  lets nobody more in. A check-in queued offline that reaches the server after the room filled
  is refused the same way (the device lists it as refused). Exactness under two doors: the
  session row is locked (``SELECT … FOR UPDATE``) while a check-in counts, so two devices
  never both take the last seat.
* **Retries.** A check-in whose ``client_id`` is stored gets the stored result
  (``replayed=True``), also when the retry races the original; the same ``client_id`` with
  another badge or room is ``ClientIdConflict``.
* **Budget.** Each check-in is charged against the device's scan budget like a lead scan
  (``fair.ratelimit.scans_per_device``; a well-formed code that matches no badge costs
  ``SCAN_MISS_COST`` more). A batch that does not fit at all is refused whole.
* **Batches.** One transaction; each check-in in its own savepoint, so a refused or failing
  item never takes the others with it. Earlier client_ids and the room's sessions are read
  once per batch; a new check-in then costs five statements (badge, lock, count, insert and
  the savepoint). ``bench/checkin.py`` measured on the shared 2-core machine (load 13): a
  single check-in through the API 80 ms median, 150 ms p95; 40 ms per item of a batch — far
  from the one second per person a door needs.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from badges.codes import CodeFormatError, code_parse
from badges.exceptions import BadgeRevoked, BadgeUnknown
from badges.models import Badge
from badges.selectors import badge_resolve
from fair.models import ForumSession
from fair.ratelimit import SCAN_MISS_COST, rate_limit_charge, scans_per_device
from leads.attendance_selectors import room_sessions, session_at
from leads.exceptions import (
    ClientIdConflict,
    LeadsError,
    NoSessionNow,
    NotARoomDevice,
    ScanBudgetUsedUp,
    SessionFull,
)
from leads.models import Attendance, ScannerDevice
from leads.services.lead_data import client_time_effective

_ATTEMPTS = 3


@dataclass(frozen=True)
class CheckinDraft:
    """One check-in as a room device sends it."""

    code: str
    client_id: UUID
    scanned_at: datetime.datetime | None = None


@dataclass(frozen=True)
class CheckinResult:
    attendance: Attendance  # with attendee and session loaded
    created: bool  # False: the person was checked in to this session before
    replayed: bool  # True: this very check-in (client_id) was stored before
    checked_in: int  # people checked in to the session after this check-in
    capacity: int


CheckinError = LeadsError | BadgeUnknown | BadgeRevoked
CheckinOutcome = CheckinResult | CheckinError


def attendance_checkin(
    *,
    device: ScannerDevice,
    code: str,
    client_id: UUID,
    scanned_at: datetime.datetime | None = None,
) -> CheckinResult:
    """Check the badge's holder in to the session in the device's room; safe to call again
    with the same ``client_id``.

    Raises ``NotARoomDevice``, ``ScanBudgetUsedUp``, ``BadgeUnknown``/``BadgeRevoked``,
    ``NoSessionNow``, ``SessionFull`` or ``ClientIdConflict``; nothing is stored then.
    """
    [outcome] = attendance_checkin_batch(
        device=device, checkins=[CheckinDraft(code, client_id, scanned_at)]
    )
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def attendance_checkin_batch(
    *, device: ScannerDevice, checkins: Sequence[CheckinDraft]
) -> list[CheckinOutcome]:
    """Check-ins a device queued offline, in order: one result or domain error each.

    Raises ``NotARoomDevice`` for a stand device, ``ScanBudgetUsedUp`` when the batch does not
    fit into the device's budget at all (nothing stored, the charge kept).
    """
    room = device.room
    if room is None:
        raise NotARoomDevice()
    if not checkins:
        return []
    charge = rate_limit_charge(limit=scans_per_device(), key=str(device.pk), cost=len(checkins))
    if charge.over:
        raise ScanBudgetUsedUp(charge.retry_after)
    now = timezone.now()
    outcomes: list[CheckinOutcome] = []
    with transaction.atomic():
        sessions = room_sessions(room=room)
        earlier = _stored(client_ids=[draft.client_id for draft in checkins])
        for draft in checkins:
            outcomes.append(
                _checkin_one(
                    device=device,
                    draft=draft,
                    now=now,
                    sessions=sessions,
                    earlier=earlier.get(draft.client_id),
                )
            )
    guesses = sum(
        1 for draft, outcome in zip(checkins, outcomes, strict=True) if _guess(draft, outcome)
    )
    if guesses:
        rate_limit_charge(
            limit=scans_per_device(), key=str(device.pk), cost=guesses * SCAN_MISS_COST
        )
    return outcomes


def _guess(draft: CheckinDraft, outcome: CheckinOutcome) -> bool:
    """A well-formed code that matches no badge: what guessing looks like."""
    if not isinstance(outcome, BadgeUnknown):
        return False
    try:
        code_parse(draft.code)
    except CodeFormatError:
        return False
    return True


def _stored(*, client_ids: Sequence[UUID]) -> dict[UUID, Attendance]:
    """The check-ins stored earlier under these client_ids: one query for a whole batch."""
    found = Attendance.objects.select_related(
        "attendee", "session", "session__room", "badge"
    ).filter(client_id__in=set(client_ids))
    return {attendance.client_id: attendance for attendance in found}


def _checkin_one(
    *,
    device: ScannerDevice,
    draft: CheckinDraft,
    now: datetime.datetime,
    sessions: list[ForumSession],
    earlier: Attendance | None,
) -> CheckinOutcome:
    room = device.room
    assert room is not None
    for attempt in range(_ATTEMPTS):
        try:
            if earlier is not None:
                return _replay(room_id=room.pk, attendance=earlier, code=draft.code)
            with transaction.atomic():  # a savepoint: a refusal leaves the batch's others
                return _checkin(device=device, draft=draft, now=now, sessions=sessions)
        except (LeadsError, BadgeUnknown, BadgeRevoked) as error:
            return error
        except IntegrityError:
            # A concurrent request stored this client_id or this person first: run again,
            # which now finds the stored row.
            if attempt == _ATTEMPTS - 1:
                raise
            earlier = _stored(client_ids=[draft.client_id]).get(draft.client_id)
    raise AssertionError("unreachable")


def _checkin(
    *,
    device: ScannerDevice,
    draft: CheckinDraft,
    now: datetime.datetime,
    sessions: list[ForumSession],
) -> CheckinResult:
    room = device.room
    assert room is not None
    badge = badge_resolve(code=draft.code, fair=room.fair)
    when = client_time_effective(
        sent=draft.scanned_at, received_at=now, time_zone=room.fair.time_zone
    )
    session = session_at(sessions=sessions, at=when)
    if session is None:
        raise NoSessionNow()
    # Check-ins of one session count one after the other (capacity stays exact).
    ForumSession.objects.select_for_update().filter(pk=session.pk).first()
    attendances = Attendance.objects.filter(session=session)
    counts = attendances.aggregate(
        total=Count("id"), this_person=Count("id", filter=Q(attendee_id=badge.attendee_id))
    )
    checked_in = counts["total"]
    if counts["this_person"]:
        existing = attendances.select_related("attendee", "session", "session__room", "badge").get(
            attendee_id=badge.attendee_id
        )
        return CheckinResult(
            attendance=existing,
            created=False,
            replayed=False,
            checked_in=checked_in,
            capacity=session.room.capacity,
        )
    if checked_in >= session.room.capacity:
        raise SessionFull()
    attendance = Attendance.objects.create(
        session=session,
        attendee=badge.attendee,
        badge=badge,
        device=device,
        client_id=draft.client_id,
        scanned_at=when,
    )
    attendance.session = session
    return CheckinResult(
        attendance=attendance,
        created=True,
        replayed=False,
        checked_in=checked_in + 1,
        capacity=session.room.capacity,
    )


def _replay(*, room_id: int, attendance: Attendance, code: str) -> CheckinResult:
    try:
        kind, value = code_parse(code)
    except CodeFormatError:
        raise ClientIdConflict() from None
    badge: Badge = attendance.badge
    same_badge = value == (badge.secret if kind == "secret" else badge.short_code)
    if attendance.session.room_id != room_id or not same_badge:
        raise ClientIdConflict()
    return CheckinResult(
        attendance=attendance,
        created=True,
        replayed=True,
        checked_in=Attendance.objects.filter(session_id=attendance.session_id).count(),
        capacity=attendance.session.room.capacity,
    )
