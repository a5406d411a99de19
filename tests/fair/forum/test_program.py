"""The forum program: what the database refuses on its own, and what the services check."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from fair.forum.exceptions import ForumError
from fair.forum.lines import ItemLine, SpeakerLine, items_parse, speakers_format, speakers_parse
from fair.forum.moderation import vote_item_close, vote_item_open
from fair.forum.program import SessionData, room_save, session_delete, session_save
from fair.models import ForumSession, Room, Speaker, VoteItem
from tests import factories
from tests.forum_factories import at, make_room, make_session

pytestmark = pytest.mark.django_db


def _refused_by_database(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_database_refuses_a_room_without_seats(fair):
    _refused_by_database(lambda: Room.objects.create(fair=fair, name="Leer", capacity=0))


def test_database_refuses_a_session_that_ends_before_it_starts(fair):
    room = make_room(fair=fair)
    start = at(fair)
    _refused_by_database(
        lambda: ForumSession.objects.create(
            fair=fair, code="X1", room=room, title_de="T", starts_at=start, ends_at=start
        )
    )


def test_database_refuses_two_sessions_with_one_number_per_fair(fair):
    session = make_session(fair=fair)
    _refused_by_database(
        lambda: ForumSession.objects.create(
            fair=fair,
            code=session.code,
            room=session.room,
            title_de="T",
            starts_at=at(fair, hour=17),
            ends_at=at(fair, hour=18),
        )
    )


def test_database_refuses_two_speakers_or_items_at_one_position(fair):
    session = make_session(fair=fair, items=1)
    _refused_by_database(lambda: Speaker.objects.create(session=session, position=1, name="B"))
    _refused_by_database(
        lambda: VoteItem.objects.create(session=session, position=1, title_de="Doppelt")
    )


@pytest.mark.parametrize(
    "values",
    [
        {"state": "maybe"},
        {"state": "open"},  # open without opened_at
        {"state": "pending", "opened_at": "now"},
        {"state": "closed", "opened_at": "now"},  # closed without closed_at
    ],
)
def test_database_refuses_an_item_whose_state_and_times_disagree(fair, values):
    from django.utils import timezone

    session = make_session(fair=fair, items=0)
    values = {key: timezone.now() if value == "now" else value for key, value in values.items()}
    _refused_by_database(
        lambda: VoteItem.objects.create(session=session, position=1, title_de="A", **values)
    )


def test_session_with_a_room_of_another_fair_is_refused(fair):
    other_room = make_room(fair=factories.make_fair())
    with pytest.raises(ForumError, match="another fair"):
        make_session(fair=fair, room=other_room)
    assert not ForumSession.objects.exists()


def test_session_with_a_topic_of_another_fair_is_refused(area):
    other_topic = factories.make_area().topics.first()
    with pytest.raises(ForumError, match="another fair"):
        make_session(fair=area.fair, topic=other_topic)
    make_session(fair=area.fair, topic=area.topics.first())  # its own fair's topic is fine


def test_overlapping_sessions_in_one_room_are_refused(fair):
    room = make_room(fair=fair)
    make_session(fair=fair, room=room, starts_at=at(fair, hour=10), minutes=30)
    with pytest.raises(ForumError, match="taken by session"):
        make_session(fair=fair, room=room, starts_at=at(fair, hour=10, minute=15))
    make_session(fair=fair, room=room, starts_at=at(fair, hour=10, minute=30))  # back to back


def test_session_outside_the_fair_days_or_without_zone_is_refused(fair):
    with pytest.raises(ForumError, match="day of the fair"):
        make_session(fair=fair, starts_at=at(fair, day=-1))
    naive = datetime.datetime.combine(fair.starts_on, datetime.time(10))
    with pytest.raises(ForumError, match="time zone"):
        make_session(fair=fair, starts_at=naive)


def test_saving_again_renames_items_in_place_and_replaces_speakers(fair):
    session = make_session(fair=fair, items=2)
    first = session.vote_items.get(position=1)
    data = SessionData(
        code=session.code,
        room=session.room,
        title_de="Neu",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        speakers=[SpeakerLine("Ada Beispiel")],
        items=[ItemLine("Umbenannt", "Renamed")],
    )
    session_save(fair=fair, session=session, data=data)
    assert list(session.vote_items.values_list("pk", "title_de")) == [(first.pk, "Umbenannt")]
    assert list(session.speakers.values_list("name", flat=True)) == ["Ada Beispiel"]


def test_room_names_are_unique_per_fair_whatever_the_case(fair):
    room_save(fair=fair, name="Forum", capacity=100)
    with pytest.raises(ForumError):
        room_save(fair=fair, name="forum", capacity=50)
    room_save(fair=factories.make_fair(), name="Forum", capacity=50)
    with pytest.raises(ForumError):
        room_save(fair=fair, name="Zero", capacity=0)


def test_voting_opens_closes_and_reopens_keeping_its_first_opening(fair):
    item = make_session(fair=fair, items=1).vote_items.get()
    with pytest.raises(ForumError, match="not been opened"):
        vote_item_close(item=item)
    opened = vote_item_open(item=item)
    closed = vote_item_close(item=item)
    assert closed.state == "closed" and closed.closed_at >= opened.opened_at
    reopened = vote_item_open(item=item)
    assert reopened.state == "open"
    assert reopened.opened_at == opened.opened_at and reopened.closed_at is None


def test_a_session_without_votes_can_be_deleted(fair):
    session = make_session(fair=fair)
    session_delete(session=session)
    assert not VoteItem.objects.exists()


def test_speaker_and_item_lines_read_back_what_was_written():
    text = "Dr. Anna Beispiel (Stadt Dortmund, Amt 1, Moderation)\nBo Li; Kim (Parkwerk)"
    speakers = speakers_parse(text)
    assert speakers == [
        SpeakerLine("Dr. Anna Beispiel", "Stadt Dortmund, Amt 1", "Moderation"),
        SpeakerLine("Bo Li"),
        SpeakerLine("Kim", "Parkwerk"),
    ]
    assert speakers_parse(speakers_format(speakers)) == speakers
    assert items_parse("Parken | Parking\nWärme") == [
        ItemLine("Parken", "Parking"),
        ItemLine("Wärme", ""),
    ]
    with pytest.raises(ForumError):
        items_parse(" | only English")
    with pytest.raises(ForumError):
        speakers_parse("x" * 151)
