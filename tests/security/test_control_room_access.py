"""Every page of the control room's attendee desk, import wizard, privacy desk, export log and
exhibitor messages is for organizers only: a logged-in exhibitor gets 403 on each URL (GET and
POST alike), an anonymous caller is sent to the login page, and nothing is changed."""

import pytest
from django.urls import reverse

from badges.models import Badge, ErasureRequest
from exhibitors.models import ExhibitorMessage
from tests import factories


@pytest.fixture
def world(fair, exhibitor):
    badge = factories.make_badge(fair=fair)
    erasure = ErasureRequest.objects.create(attendee=badge.attendee, requested_at=badge.issued_at)
    return {"badge": badge, "attendee": badge.attendee, "erasure": erasure}


def control_room_urls(world) -> list[tuple[str, str]]:
    attendee, badge, erasure = world["attendee"], world["badge"], world["erasure"]
    return [
        ("get", reverse("organizer_attendees:list")),
        ("get", reverse("organizer_attendees:detail", kwargs={"attendee_id": attendee.pk})),
        ("post", reverse("organizer_attendees:reissue", kwargs={"attendee_id": attendee.pk})),
        ("post", reverse("organizer_attendees:revoke", kwargs={"badge_id": badge.pk})),
        ("post", reverse("organizer_attendees:reprint", kwargs={"badge_id": badge.pk})),
        ("get", reverse("organizer_attendees:print_run")),
        ("post", reverse("organizer_attendees:print_run")),
        ("get", reverse("organizer_attendees:import_upload")),
        ("post", reverse("organizer_attendees:import_upload")),
        ("get", reverse("organizer_attendees:import_mapping")),
        ("get", reverse("organizer_attendees:import_check")),
        ("post", reverse("organizer_attendees:import_check")),
        ("post", reverse("organizer_attendees:import_cancel")),
        ("get", reverse("organizer_privacy:desk")),
        ("get", reverse("organizer_privacy:erasure_confirm", kwargs={"request_id": erasure.pk})),
        ("post", reverse("organizer_privacy:erasure_confirm", kwargs={"request_id": erasure.pk})),
        ("post", reverse("organizer_privacy:erasure_reject", kwargs={"request_id": erasure.pk})),
        ("get", reverse("organizer:export_log")),
        ("get", reverse("organizer_exhibitor_messages:index")),
        ("post", reverse("organizer_exhibitor_messages:index")),
    ]


URL_COUNT = 20


def test_every_control_room_url_is_listed(world):
    assert len(control_room_urls(world)) == URL_COUNT


@pytest.mark.parametrize("index", range(URL_COUNT))
def test_exhibitor_account_gets_403(exhibitor_client, world, index):
    method, url = control_room_urls(world)[index]
    data = {"layout": "a6-4up", "note": "no", "fair": str(world["attendee"].fair_id)}
    response = getattr(exhibitor_client, method)(url, data)

    assert response.status_code == 403, url
    badge = Badge.objects.get(pk=world["badge"].pk)
    assert (badge.state, badge.printed_at) == (Badge.State.ACTIVE, None)
    assert ErasureRequest.objects.get().state == ErasureRequest.State.PENDING
    assert not ExhibitorMessage.objects.exists()


@pytest.mark.parametrize("index", range(URL_COUNT))
def test_anonymous_is_sent_to_login(client, world, index):
    method, url = control_room_urls(world)[index]
    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("index", [0, 1, 5, 7, 13, 14, 17, 18])
def test_organizer_opens_the_pages(organizer_client, world, index):
    _method, url = control_room_urls(world)[index]
    response = organizer_client.get(url)

    assert response.status_code == 200, url
    assert b"control-room-nav" in response.content
