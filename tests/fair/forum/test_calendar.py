"""iCalendar files of the program, read back by the icalendar library."""

import datetime
import zoneinfo

import pytest
from django.utils import translation
from icalendar import Calendar

from tests.forum_factories import at, make_room, make_session

pytestmark = pytest.mark.django_db


def _events(content: bytes):
    calendar = Calendar.from_ical(content)
    return calendar, list(calendar.walk("VEVENT"))


def test_old_programme_address_redirects_permanently_to_the_program_file(client, fair):
    response = client.get(f"/forum/{fair.slug}/programme.ics")
    assert response.status_code == 301
    assert response["Location"] == f"/forum/{fair.slug}/program.ics"


def test_program_file_has_one_event_per_session_in_the_fairs_zone(client, area, settings):
    settings.FAIRLEAD_BASE_URL = "https://fair.example"
    fair = area.fair
    room = make_room(fair=fair, name="Forum Halle 3")
    first = make_session(
        fair=fair, room=room, starts_at=at(fair, hour=10), topic=area.topics.first()
    )
    make_session(fair=fair, room=room, starts_at=at(fair, day=1, hour=11))
    response = client.get(f"/forum/{fair.slug}/program.ics", HTTP_ACCEPT_LANGUAGE="de")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar, events = _events(response.content)
    assert len(events) == 2
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    event = events[0]
    start = event.decoded("DTSTART")
    assert start == first.starts_at and start.tzinfo.key == "Europe/Berlin"
    assert event.decoded("DTEND") - start == datetime.timedelta(minutes=30)
    assert str(event["SUMMARY"]) == first.title_de
    assert str(event["LOCATION"]) == "Forum Halle 3, Westfalenhallen Dortmund"
    assert str(event["URL"]) == f"https://fair.example/forum/{fair.slug}/sessions/{first.pk}/"
    assert str(event["UID"]) == f"forum-session-{first.pk}@fair.example"
    assert "Greta Parkmann, Parkwerk Beispiel GmbH, Projektleitung" in str(event["DESCRIPTION"])


def test_one_session_file_in_english_keeps_its_uid(client, fair):
    session = make_session(fair=fair)
    url = f"/forum/{fair.slug}/sessions/{session.pk}/session.ics"
    with translation.override("en"):
        _calendar, (english,) = _events(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content)
    _calendar, (german,) = _events(client.get(url, HTTP_ACCEPT_LANGUAGE="de").content)
    assert str(english["SUMMARY"]) == session.title_en
    assert str(german["SUMMARY"]) == session.title_de
    assert english["UID"] == german["UID"]
    assert english.decoded("DTSTART").astimezone(zoneinfo.ZoneInfo("UTC")) == session.starts_at
