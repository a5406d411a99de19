"""Reads of session check-in: what a room device shows at the door and what organizers see.

Exhibitors never reach these: the exhibitor portal, the device API of stand devices and the
exhibitors' API tokens have no route to them
(``tests/leads/test_checkin_organizer.py::test_exhibitors_never_see_attendance``).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from fair.models import Fair, ForumSession, Room
from leads.models import Attendance, ScannerDevice

# How long before a session starts its door opens.
EARLY_ENTRY = datetime.timedelta(minutes=15)
RECENT_MAX = 5


def room_sessions(*, room: Room) -> list[ForumSession]:
    """The room's sessions (with the room), for ``session_at``: one query for a whole batch."""
    return list(ForumSession.objects.filter(room=room).select_related("room"))


def session_at(*, sessions: Sequence[ForumSession], at: datetime.datetime) -> ForumSession | None:
    """The session of ``sessions`` (one room's) a check-in at ``at`` belongs to: the running
    one, else the next starting within ``EARLY_ENTRY``."""
    running = [s for s in sessions if s.starts_at <= at < s.ends_at]
    if running:
        return max(running, key=lambda session: session.starts_at)
    soon = [s for s in sessions if at < s.starts_at <= at + EARLY_ENTRY]
    return min(soon, key=lambda session: session.starts_at) if soon else None


def session_for_checkin(*, room: Room, at: datetime.datetime) -> ForumSession | None:
    """``session_at`` for one check-in."""
    return session_at(sessions=room_sessions(room=room), at=at)


@dataclass(frozen=True)
class RoomStatus:
    room: Room
    session: ForumSession | None  # the session a check-in now counts for
    next_session: ForumSession | None  # the next one after it (or after now)
    checked_in: int
    recent: list[Attendance]  # newest first, with attendee loaded

    @property
    def full(self) -> bool:
        return self.session is not None and self.checked_in >= self.room.capacity


def room_status(*, device: ScannerDevice, now: datetime.datetime | None = None) -> RoomStatus:
    """The door's view: the session now (or starting within ``EARLY_ENTRY``), its count and
    the last check-ins, and the next session of the room."""
    now = now or timezone.now()
    room = device.room
    if room is None:
        raise ValueError("not a room device")
    session = session_for_checkin(room=room, at=now)
    later = ForumSession.objects.filter(room=room, starts_at__gt=now + EARLY_ENTRY)
    if session is not None:
        later = later.filter(starts_at__gte=session.ends_at)
    next_session = later.order_by("starts_at").first()
    checked_in, recent = 0, []
    if session is not None:
        attendances = Attendance.objects.filter(session=session)
        checked_in = attendances.count()
        recent = list(
            attendances.select_related("attendee").order_by("-scanned_at", "-id")[:RECENT_MAX]
        )
    return RoomStatus(room, session, next_session, checked_in, recent)


def attendance_counts(*, fair: Fair) -> QuerySet[ForumSession]:
    """The fair's sessions in program order, each with ``checked_in`` and its room."""
    return (
        ForumSession.objects.filter(fair=fair)
        .select_related("room")
        .annotate(checked_in=Count("attendances"))
        .order_by("starts_at", "room__position", "room__name", "id")
    )


def attendance_list(*, session: ForumSession) -> QuerySet[Attendance]:
    """Who was checked in to the session, in the order they came."""
    return (
        Attendance.objects.filter(session=session)
        .select_related("attendee")
        .order_by("scanned_at", "id")
    )


def room_devices(*, fair: Fair) -> QuerySet[ScannerDevice]:
    """The room devices of the fair's forum, by room, active ones first."""
    return (
        ScannerDevice.objects.filter(room__fair=fair)
        .select_related("room")
        .annotate(checkins=Count("attendances"))
        .order_by("room__position", "room__name", "revoked_at", "label", "id")
    )
