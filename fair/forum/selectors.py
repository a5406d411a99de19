"""Reads for the public program: sessions by day and room, one session, and a version of
the program for HTTP caching (ETag)."""

import datetime
import hashlib
from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet
from django.utils.translation import get_language

from fair.forum.program import fair_zone
from fair.lean_sql import LeanSelect
from fair.models import Fair, ForumSession, Room


@dataclass(frozen=True)
class ProgramDay:
    date: datetime.date
    sessions: list[ForumSession]


def program_sessions(*, fair: Fair) -> QuerySet[ForumSession]:
    return (
        ForumSession.objects.filter(fair=fair)
        .select_related("room", "topic", "fair")
        .prefetch_related("speakers")
        .order_by("starts_at", "room__position", "room__name")
    )


def program_rooms(*, fair: Fair) -> QuerySet[Room]:
    return Room.objects.filter(fair=fair).order_by("position", "name")


def program_days(*, fair: Fair, sessions: list[ForumSession]) -> list[ProgramDay]:
    """``sessions`` (in program order) grouped by their day in the fair's time zone."""
    zone = fair_zone(fair)
    days: dict[datetime.date, list[ForumSession]] = {}
    for session in sessions:
        days.setdefault(session.starts_at.astimezone(zone).date(), []).append(session)
    return [ProgramDay(date=date, sessions=items) for date, items in days.items()]


def program_version(*, fair: Fair) -> str:
    """Changes whenever anything on the program pages changes (sessions, rooms, topics or the
    fair itself, in the current language): the pages' ETag."""
    sessions = ForumSession.objects.filter(fair=fair).aggregate(
        count=Count("id"), changed=Max("updated_at")
    )
    rooms = Room.objects.filter(fair=fair).aggregate(count=Count("id"), changed=Max("updated_at"))
    topics = fair.areas.values_list("topics__pk", "topics__name_de", "topics__name_en")
    text = repr(
        (
            get_language(),
            fair.pk,
            fair.name,
            fair.venue,
            fair.time_zone,
            sessions,
            rooms,
            sorted(topics, key=repr),
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def session_for_fair(*, fair: Fair, session_id: int) -> ForumSession | None:
    return program_sessions(fair=fair).filter(pk=session_id).first()


# Fixed SQL (fair/lean_sql.py): the vote page and the live results look it up on every request
# (the vote page together with its voter: ``badges.forum.selectors.session_with_voter``).
# Its parameters: the session id, the fair's slug (after those of anything ``joined``).
SESSION_PARTS = [
    ("s", ForumSession, [f.name for f in ForumSession._meta.concrete_fields]),
    ("f", Fair, [f.name for f in Fair._meta.concrete_fields]),
    ("r", Room, [f.name for f in Room._meta.concrete_fields]),
]


def session_by_fair_slug_sql(joined: str = "") -> str:
    """The FROM of the session look-up, with ``joined`` (e.g. a LEFT JOIN) before its WHERE."""
    return (
        "{forumsession} s INNER JOIN {fair} f ON f.id = s.fair_id "
        f"LEFT OUTER JOIN {{room}} r ON r.id = s.room_id {joined}WHERE s.id = %s AND f.slug = %s"
    )


_SESSION_BY_FAIR_SLUG = LeanSelect(SESSION_PARTS, session_by_fair_slug_sql())


def session_by_fair_slug(*, fair_slug: str, session_id: int) -> ForumSession | None:
    """One session with its fair and room, in one query (the hot vote and live paths)."""
    rows = _SESSION_BY_FAIR_SLUG.rows([session_id, fair_slug], model=ForumSession)
    if not rows:
        return None
    session: ForumSession
    [[session, fair, room]] = rows
    session.fair, session.room = fair, room
    return session
