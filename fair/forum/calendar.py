"""Forum sessions as an iCalendar file (RFC 5545, written by the ``icalendar`` library): pure,
from sessions to bytes. One VEVENT per session with a stable UID (a re-downloaded file updates
the entries instead of doubling them), times in the fair's zone with its VTIMEZONE, the title
and abstract in the current language, the room as location and the session page as URL."""

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from fair.forum.program import fair_zone
from fair.models import ForumSession

PRODID = "-//Fairlead//Forum program//DE"


def _description(session: ForumSession) -> str:
    parts = [session.abstract]
    speakers = [
        ", ".join(part for part in (s.name, s.organization, s.role) if part)
        for s in session.speakers.all()
    ]
    if speakers:
        parts.append(_("Speakers") + ":\n" + "\n".join(speakers))
    if session.pilot_project:
        parts.append(_("Pilot project") + ": " + session.pilot_project)
    return "\n\n".join(part for part in parts if part)


def sessions_ics(*, sessions: Iterable[ForumSession], name: str, base_url: str, host: str) -> bytes:
    """``sessions`` (with room, fair and speakers loaded) as one calendar; ``base_url`` + each
    session's page path is its URL, ``host`` makes the UIDs globally unique."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for session in sessions:
        zone = fair_zone(session.fair)
        event = Event()
        event.add("uid", f"forum-session-{session.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at.astimezone(zone))
        event.add("dtend", session.ends_at.astimezone(zone))
        event.add("summary", session.title)
        event.add("description", _description(session))
        event.add("location", f"{session.room.name}, {session.fair.place}")
        event.add("url", base_url + session_path(session))
        if session.topic is not None:
            event.add("categories", [session.topic.name])
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def calendar_host() -> str:
    """The host name that makes our UIDs unique: the site's own."""
    return urlsplit(settings.FAIRLEAD_BASE_URL).hostname or "fairlead.invalid"


def session_path(session: ForumSession) -> str:
    return reverse(
        "forum:session", kwargs={"fair_slug": session.fair.slug, "session_id": session.pk}
    )
