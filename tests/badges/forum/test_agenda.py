"""The visitor's own agenda behind the badge link, and its calendar file."""

import pytest
from icalendar import Calendar

from badges.forum.agenda import agenda_add, agenda_remove
from badges.forum.models import AgendaEntry
from fair.forum.exceptions import ForumError
from tests import factories
from tests.forum_factories import at, badge_link_token, make_room, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor(fair):
    return factories.make_badge(fair=fair).attendee


def test_saving_twice_keeps_one_entry_and_removing_takes_it_off(fair, visitor):
    session = make_session(fair=fair)
    agenda_add(attendee=visitor, session=session)
    agenda_add(attendee=visitor, session=session)
    assert AgendaEntry.objects.count() == 1
    assert agenda_remove(attendee=visitor, session=session) is True
    assert agenda_remove(attendee=visitor, session=session) is False


def test_a_session_of_another_fair_cannot_be_saved(visitor):
    with pytest.raises(ForumError):
        agenda_add(attendee=visitor, session=make_session(fair=factories.make_fair()))
    assert not AgendaEntry.objects.exists()


def test_agenda_page_saves_removes_and_exports_the_visitors_sessions(client, fair, visitor):
    room = make_room(fair=fair)
    first = make_session(fair=fair, room=room, starts_at=at(fair, hour=10))
    second = make_session(fair=fair, room=room, starts_at=at(fair, day=1, hour=14))
    token = badge_link_token(visitor)
    url = f"/badge/{token}/agenda/"
    page = client.get(url)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin" and "no-store" in page["Cache-Control"]
    for session in (first, second):
        assert client.post(url, {"session": session.pk, "action": "add"}).status_code == 302
    client.post(url, {"session": first.pk, "action": "remove"})
    assert list(visitor.agenda_entries.values_list("session_id", flat=True)) == [second.pk]

    ics = client.get(f"/badge/{token}/agenda.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert ics["Referrer-Policy"] == "same-origin"
    (event,) = Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == second.title_en
    assert event.decoded("DTSTART") == second.starts_at


def test_a_wrong_badge_link_shows_nothing(client, fair):
    make_session(fair=fair)
    assert client.get("/badge/not-a-token/agenda/").status_code == 404
    assert client.get("/badge/not-a-token/agenda.ics").status_code == 404


def test_vote_from_this_phone_sets_the_voter_cookie_from_the_badge_link(client, fair, visitor):
    from badges.forum.voter_cookie import COOKIE

    make_session(fair=fair)
    token = badge_link_token(visitor)
    response = client.post(f"/badge/{token}/vote/")
    assert response.status_code == 302 and response["Location"] == f"/forum/{fair.slug}/vote/"
    assert token not in response.cookies[COOKIE].value
    assert "Forum" in client.get(f"/badge/{token}/").content.decode()


def test_data_copy_holds_the_agenda_and_votes_and_erasure_deletes_the_agenda(fair, visitor):
    from badges.forum.voting import vote_cast
    from badges.privacy.anonymize import attendees_anonymize
    from badges.privacy.selectors import attendee_data
    from tests.forum_factories import open_item

    session = make_session(fair=fair)
    item = open_item(session)
    agenda_add(attendee=visitor, session=session)
    vote_cast(attendee=visitor, item_id=item.pk, value=4)
    forum = attendee_data(attendee=visitor)["forum"]
    assert [entry["session"] for entry in forum["agenda"]] == [session.code]
    assert [(vote["item"], vote["relevance"]) for vote in forum["votes"]] == [(item.title_de, 4)]
    attendees_anonymize(attendees=type(visitor).objects.filter(pk=visitor.pk), source="erasure")
    assert not AgendaEntry.objects.exists()
    assert item.votes.get().value == 4  # the results keep the vote, no longer of a person
