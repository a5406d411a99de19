"""The public program pages (cacheable, no login) and the organizers' program pages."""

import pytest

from fair.models import ForumSession, Room
from tests import factories
from tests.forum_factories import at, make_room, make_session

pytestmark = pytest.mark.django_db


def test_program_lists_days_and_rooms_and_filters_by_room(client, area):
    fair = area.fair
    forum, workshop = make_room(fair=fair, name="Forum"), make_room(fair=fair, name="Werkstatt")
    talk = make_session(fair=fair, room=forum, starts_at=at(fair, hour=10))
    other = make_session(fair=fair, room=workshop, starts_at=at(fair, day=1, hour=10))
    page = client.get(f"/forum/{fair.slug}/").content.decode()
    assert talk.title_en in page and other.title_en in page
    assert f"day-{fair.starts_on.isoformat()}" in page
    filtered = client.get(f"/forum/{fair.slug}/?room={workshop.pk}").content.decode()
    assert other.title_en in filtered and talk.title_en not in filtered
    assert client.get(f"/forum/{fair.slug}/?room=999999").status_code == 404


def test_program_in_german_shows_german_titles_and_dates(client, fair):
    session = make_session(fair=fair)
    page = client.get(f"/forum/{fair.slug}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert session.title_de in page and "Forum-Programm" in page


def test_program_pages_are_cacheable_and_answer_304_until_the_program_changes(client, fair):
    session = make_session(fair=fair)
    for url in (f"/forum/{fair.slug}/", f"/forum/{fair.slug}/sessions/{session.pk}/"):
        first = client.get(url)
        assert "max-age=60" in first["Cache-Control"] and first["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        assert client.head(url).status_code == 200
    etag = client.get(f"/forum/{fair.slug}/")["ETag"]
    session.title_en = "Renamed"
    session.save()
    changed = client.get(f"/forum/{fair.slug}/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and "Renamed" in changed.content.decode()
    german = client.get(f"/forum/{fair.slug}/", HTTP_ACCEPT_LANGUAGE="de")
    assert german["ETag"] != changed["ETag"]


def test_program_page_query_count_does_not_grow_with_sessions(
    client, area, django_assert_max_num_queries
):
    fair = area.fair
    room = make_room(fair=fair)
    for hour in range(9, 17):
        make_session(fair=fair, room=room, starts_at=at(fair, hour=hour), topic=area.topics.first())
    with django_assert_max_num_queries(12):
        assert client.get(f"/forum/{fair.slug}/").status_code == 200


def test_a_session_of_another_fair_is_not_found(client, fair):
    session = make_session(fair=factories.make_fair())
    assert client.get(f"/forum/{fair.slug}/sessions/{session.pk}/").status_code == 404
    assert client.get("/forum/no-such-fair/").status_code == 404


ORGANIZER_URLS = [
    "/organizer/forum/",
    "/organizer/forum/rooms/new/",
    "/organizer/forum/sessions/new/",
    "/organizer/forum/import/",
    "/organizer/forum/results.csv",
]


@pytest.mark.parametrize("url", ORGANIZER_URLS)
def test_organizer_pages_are_for_organizers_only(client, exhibitor_user, fair, url):
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(exhibitor_user)
    assert client.get(url).status_code == 403


def test_organizer_adds_a_room_and_a_session_with_speakers_and_items(organizer_client, area):
    fair = area.fair
    response = organizer_client.post(
        f"/organizer/forum/rooms/new/?fair={fair.pk}", {"name": "Forum", "capacity": "150"}
    )
    assert response.status_code == 302
    room = Room.objects.get(fair=fair)
    data = {
        "code": "F1-01",
        "room": room.pk,
        "day": fair.starts_on.isoformat(),
        "start": "10:00",
        "end": "10:30",
        "title_de": "Wärmewende",
        "title_en": "Heat transition",
        "topic": area.topics.first().pk,
        "speakers": "Dr. Anna Beispiel (Stadt Dortmund, Moderation)",
        "items": "Wärmenetze | Heat networks\nThermostate",
    }
    url = f"/organizer/forum/sessions/new/?fair={fair.pk}"
    assert organizer_client.post(url, data).status_code == 302
    session = ForumSession.objects.get()
    assert session.speakers.get().role == "Moderation"
    assert session.vote_items.count() == 2
    # Same room and time again: the service's refusal shows on the form.
    clash = organizer_client.post(url, {**data, "code": "F1-02"})
    assert clash.status_code == 422 and "taken by session F1-01" in clash.content.decode()
    edit = organizer_client.get(f"/organizer/forum/sessions/{session.pk}/").content.decode()
    assert "Dr. Anna Beispiel (Stadt Dortmund, Moderation)" in edit


def test_organizer_import_page_shows_the_dry_run_per_row(organizer_client, area):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fair = area.fair
    content = (
        "Nr;Datum;Beginn;Ende;Raum;Plätze;Titel\r\n"
        f"F1;{fair.starts_on:%d.%m.%Y};10:00;10:30;Forum;100;Wärmewende\r\n"
        f"F2;{fair.starts_on:%d.%m.%Y};10:00;09:30;Forum;100;Rückwärts\r\n"
    ).encode("cp1252")
    response = organizer_client.post(
        f"/organizer/forum/import/?fair={fair.pk}",
        {"file": SimpleUploadedFile("programm.csv", content), "dry_run": "on"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dry run: nothing was saved" in page and "must end after it starts" in page
    assert "Windows-1252" in page and not ForumSession.objects.exists()
