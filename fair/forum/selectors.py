"""Reads for the public program: sessions by day and room, one session, and a version of
the program for HTTP caching (ETag)."""

import datetime
import hashlib
from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet
from django.utils.translation import get_language

from fair.forum.program import fair_zone
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


def session_by_fair_slug(*, fair_slug: str, session_id: int) -> ForumSession | None:
    """One session with its fair and room, in one query (the hot vote and live paths).

    Unordered on purpose: ``first()`` would order by the model's ordering, whose compilation
    cost as much as the rest of the query on every vote."""
    found = ForumSession.objects.select_related("fair", "room").filter(
        fair__slug=fair_slug, pk=session_id
    )
    return next(iter(found.order_by()[:1]), None)
