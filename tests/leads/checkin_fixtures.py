"""Helpers of the session check-in tests: a room device paired the way the organizers' page
pairs it, and a check-in request body. The fixtures (a fair running today, a forum room with
a session now, a paired door device) are in ``tests/conftest.py``."""

import uuid

from fair.models import Room
from leads.services.devices import (
    DeviceCredentials,
    device_pair,
    device_pairing_code_create,
    room_device_create,
)


def room_device_paired(room: Room, label: str = "Door 1") -> DeviceCredentials:
    """A room device paired with a one-time code, as a phone at the door does."""
    device = room_device_create(room=room, label=label)
    issued = device_pairing_code_create(device=device)
    return device_pair(pairing_code=issued.code, device_name="Door phone")


def checkin_body(badge, **overrides) -> dict:
    body = {"code": badge.qr_content, "client_id": str(uuid.uuid4())}
    body.update(overrides)
    return body
