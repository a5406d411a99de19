"""Fixtures for session check-in: a fair running today, a forum room with a session now, and
a room device paired the way the organizers' page pairs it.

Import into a test module with ``from tests.leads.checkin_fixtures import *``.
"""

import datetime
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from fair.models import Fair, ForumSession, Room
from leads.models import ScannerDevice
from leads.selectors import device_for_token
from leads.services.devices import (
    DeviceCredentials,
    device_pair,
    device_pairing_code_create,
    room_device_create,
)
from tests import factories
from tests.forum_factories import make_room, make_session

__all__ = [
    "checkin_body",
    "door",
    "door_api",
    "live_fair",
    "room",
    "room_device_paired",
    "session_now",
    "session_starting",
]


def room_device_paired(room: Room, label: str = "Door 1") -> DeviceCredentials:
    """A room device paired with a one-time code, as a phone at the door does."""
    device = room_device_create(room=room, label=label)
    issued = device_pairing_code_create(device=device)
    return device_pair(pairing_code=issued.code, device_name="Door phone")


def checkin_body(badge, **overrides) -> dict:
    body = {"code": badge.qr_content, "client_id": str(uuid.uuid4())}
    body.update(overrides)
    return body


@pytest.fixture
def live_fair(db) -> Fair:
    """A fair that runs today (from yesterday to tomorrow: a session now is on a fair day)."""
    today = timezone.localdate()
    return factories.make_fair(
        starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=1)
    )


@pytest.fixture
def room(live_fair) -> Room:
    return make_room(fair=live_fair, name="Forum Saal", capacity=3)


@pytest.fixture
def session_now(live_fair, room) -> ForumSession:
    """Started 10 minutes ago, ends in 50."""
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=10)
    return make_session(fair=live_fair, room=room, starts_at=start, minutes=60, items=0)


@pytest.fixture
def session_starting(live_fair, room, session_now) -> ForumSession:
    """The room's next session, right after ``session_now``."""
    return make_session(
        fair=live_fair, room=room, starts_at=session_now.ends_at, minutes=30, items=0
    )


@pytest.fixture
def door(room) -> ScannerDevice:
    """The room device as the scan API sees it (room and fair loaded by its token)."""
    credentials = room_device_paired(room)
    device = device_for_token(token=credentials.token)
    assert device is not None
    device.token = credentials.token  # type: ignore[attr-defined]  # for door_api
    return device


@pytest.fixture
def door_api(door) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {door.token}", HTTP_ACCEPT_LANGUAGE="en")
