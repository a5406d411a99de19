"""Organizers edit the forum program: rooms and sessions with their speakers and vote items.

Decisions:
* A session's room and topic must belong to the session's own fair (a topic through its area);
  the database cannot check across tables, so this module does, and its tests prove it.
* Times are aware and fall within the fair's days in the fair's own time zone; a room holds one
  session at a time (overlaps are refused, the same start twice also by the database).
* Speakers are replaced as a whole on every save (they have no identity of their own). Vote
  items are matched by their position, so renaming an item keeps its votes; removing an item
  that has votes is refused (``Vote.item`` protects it).
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fair.forum.exceptions import ForumError
from fair.forum.lines import ItemLine, SpeakerLine
from fair.models import Fair, ForumSession, Room, Speaker, Topic, VoteItem


@dataclass
class SessionData:
    code: str
    room: Room
    title_de: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    title_en: str = ""
    abstract_de: str = ""
    abstract_en: str = ""
    pilot_project: str = ""
    topic: Topic | None = None
    speakers: list[SpeakerLine] = field(default_factory=list)
    items: list[ItemLine] = field(default_factory=list)


# The session's own fields that ``SessionData`` carries (speakers and items are rows of their own).
SESSION_FIELDS = (
    "code",
    "room",
    "topic",
    "title_de",
    "title_en",
    "abstract_de",
    "abstract_en",
    "pilot_project",
    "starts_at",
    "ends_at",
)


def fair_zone(fair: Fair) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(fair.time_zone or "Europe/Berlin")


@transaction.atomic
def room_save(
    *, fair: Fair, name: str, capacity: int, position: int = 0, room: Room | None = None
) -> Room:
    """Create a room, or change ``room``; names are unique per fair."""
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise ForumError(_("A room needs a name of at most 100 characters."))
    if not 0 < capacity <= 100_000:
        raise ForumError(_("A room holds between 1 and 100,000 people."))
    duplicate = Room.objects.filter(fair=fair, name__iexact=name)
    if room is not None:
        if room.fair_id != fair.pk:
            raise ForumError(_("This room belongs to another fair."))
        duplicate = duplicate.exclude(pk=room.pk)
    if duplicate.exists():
        raise ForumError(_("The fair already has a room “%(name)s”.") % {"name": name})
    room = room or Room(fair=fair)
    room.name, room.capacity, room.position = name, capacity, position
    room.save()
    return room


def _session_check(*, fair: Fair, data: SessionData, session: ForumSession | None) -> None:
    if data.room.fair_id != fair.pk:
        raise ForumError(_("The room “%(room)s” belongs to another fair.") % {"room": data.room})
    if data.topic is not None and data.topic.area.fair_id != fair.pk:
        raise ForumError(
            _("The topic “%(topic)s” belongs to another fair.") % {"topic": data.topic}
        )
    if not data.code or len(data.code) > 20 or not data.title_de.strip():
        raise ForumError(_("A session needs a number (at most 20 characters) and a German title."))
    if timezone.is_naive(data.starts_at) or timezone.is_naive(data.ends_at):
        raise ForumError(_("Start and end need a time zone."))
    if data.ends_at <= data.starts_at:
        raise ForumError(_("A session must end after it starts."))
    zone = fair_zone(fair)
    first = data.starts_at.astimezone(zone).date()
    if not (fair.starts_on <= first <= fair.ends_on) or data.ends_at - data.starts_at > (
        datetime.timedelta(hours=12)
    ):
        raise ForumError(
            _(
                "A session takes place on a day of the fair (%(first)s – %(last)s) and "
                "lasts at most 12 hours."
            )
            % {
                "first": date_format(fair.starts_on, "SHORT_DATE_FORMAT"),
                "last": date_format(fair.ends_on, "SHORT_DATE_FORMAT"),
            }
        )
    same_code = ForumSession.objects.filter(fair=fair, code=data.code)
    overlapping = ForumSession.objects.filter(
        room=data.room, starts_at__lt=data.ends_at, ends_at__gt=data.starts_at
    )
    if session is not None:
        same_code = same_code.exclude(pk=session.pk)
        overlapping = overlapping.exclude(pk=session.pk)
    if same_code.exists():
        raise ForumError(_("The fair already has a session number %(code)s.") % {"code": data.code})
    clash = overlapping.first()
    if clash is not None:
        raise ForumError(
            _("The room “%(room)s” is taken by session %(code)s at that time.")
            % {"room": data.room, "code": clash.code}
        )


def _items_save(*, session: ForumSession, items: list[ItemLine]) -> None:
    existing = {item.position: item for item in session.vote_items.all()}
    for position, line in enumerate(items, start=1):
        item = existing.pop(position, None) or VoteItem(session=session, position=position)
        if (item.title_de, item.title_en) != (line.title_de, line.title_en) or item.pk is None:
            item.title_de, item.title_en = line.title_de, line.title_en
            item.save()
    try:
        with transaction.atomic():
            VoteItem.objects.filter(pk__in=[item.pk for item in existing.values()]).delete()
    except ProtectedError as exc:
        raise ForumError(
            _("A vote item that has votes cannot be removed (rename it instead).")
        ) from exc


@transaction.atomic
def session_save(
    *, fair: Fair, data: SessionData, session: ForumSession | None = None
) -> ForumSession:
    """Create a session with its speakers and vote items, or change ``session``."""
    if session is not None and session.fair_id != fair.pk:
        raise ForumError(_("This session belongs to another fair."))
    data.code = data.code.strip()
    _session_check(fair=fair, data=data, session=session)
    session = session or ForumSession(fair=fair)
    for name in SESSION_FIELDS:
        value = getattr(data, name)
        setattr(session, name, value.strip() if isinstance(value, str) else value)
    session.save()
    session.speakers.all().delete()
    Speaker.objects.bulk_create(
        Speaker(
            session=session,
            position=position,
            name=line.name,
            organization=line.organization,
            role=line.role,
        )
        for position, line in enumerate(data.speakers, start=1)
    )
    _items_save(session=session, items=data.items)
    return session


@transaction.atomic
def session_delete(*, session: ForumSession) -> None:
    """Remove a session from the program; refused once any of its items has votes."""
    try:
        session.delete()
    except ProtectedError as exc:
        raise ForumError(
            _("Session %(code)s has votes and cannot be deleted.") % {"code": session.code}
        ) from exc
