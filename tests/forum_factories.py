"""Factories for the forum tests (program, votes): each makes one valid object through the
services, overrides by keyword."""

import datetime
import itertools

from fair.forum.lines import ItemLine, SpeakerLine
from fair.forum.program import SessionData, fair_zone, room_save, session_save
from fair.models import Fair, ForumSession, Room, VoteItem

_seq = itertools.count(1)


def make_room(*, fair: Fair, **overrides) -> Room:
    values = {"name": f"Saal {next(_seq)}", "capacity": 120}
    values.update(overrides)
    return room_save(fair=fair, **values)


def at(fair: Fair, *, day: int = 0, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A moment on the fair's ``day``-th day (0: the first), in the fair's zone."""
    return datetime.datetime.combine(
        fair.starts_on + datetime.timedelta(days=day),
        datetime.time(hour, minute),
        tzinfo=fair_zone(fair),
    )


def make_session(
    *,
    fair: Fair,
    room: Room | None = None,
    items: int | list[ItemLine] = 2,
    starts_at: datetime.datetime | None = None,
    minutes: int = 30,
    **overrides,
) -> ForumSession:
    n = next(_seq)
    starts_at = starts_at or at(fair, hour=9 + n % 8, minute=0)
    values = {
        "code": f"F-{n:03d}",
        "room": room or make_room(fair=fair),
        "title_de": f"Smartes Parken im Quartier {n}",
        "title_en": f"Smart parking in the neighborhood {n}",
        "abstract_de": "Was funktioniert und was nicht.",
        "abstract_en": "What works and what does not.",
        "pilot_project": "Smart Parking Kreuzviertel",
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(minutes=minutes),
        "speakers": [SpeakerLine("Greta Parkmann", "Parkwerk Beispiel GmbH", "Projektleitung")],
        "items": items
        if isinstance(items, list)
        else [ItemLine(f"Ansatz {i}", f"Approach {i}") for i in range(1, items + 1)],
    }
    values.update(overrides)
    return session_save(fair=fair, data=SessionData(**values))


def open_item(session: ForumSession, position: int = 1) -> VoteItem:
    from fair.forum.moderation import vote_item_open

    return vote_item_open(item=session.vote_items.get(position=position))


def badge_link_token(attendee) -> str:
    """Give ``attendee`` a secret badge link (as the confirmation does) and return its token."""
    from badges.services.issue import badge_link_rotate

    return badge_link_rotate(attendee=attendee)
