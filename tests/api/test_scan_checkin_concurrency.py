"""Several doors of one room checking people in at the same moment (PostgreSQL).

Each thread has its own connection and HTTP client; a barrier releases each round together.
"""

import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from leads.models import Attendance
from leads.services.devices import ROOM_DEVICES_MAX
from tests import factories
from tests.leads.checkin_fixtures import room_device_paired
from tests.leads.scan_fixtures import api_for

ROUNDS = 3


def _post(client, body) -> int:
    response = client.post("/api/scan/checkins", json.dumps(body), content_type="application/json")
    return response.status_code


def _parallel(worker, items) -> list:
    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(worker, items))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_doors_never_let_more_people_in_than_the_room_holds(room, session_now, live_fair):
    doors = [room_device_paired(room, f"Door {n}") for n in range(ROOM_DEVICES_MAX)]
    people = [
        [factories.make_badge(fair=live_fair) for _ in range(ROUNDS)] for _ in range(len(doors))
    ]
    barrier = threading.Barrier(len(doors))

    def worker(index: int) -> list[int]:
        client = api_for(doors[index])
        statuses = []
        try:
            for badge in people[index]:
                barrier.wait(timeout=30)
                body = {"code": badge.qr_content, "client_id": str(uuid.uuid4())}
                statuses.append(_post(client, body))
        finally:
            connection.close()
        return statuses

    statuses = [s for result in _parallel(worker, range(len(doors))) for s in result]

    capacity = room.capacity  # 3
    assert statuses.count(201) == capacity
    assert statuses.count(409) == len(doors) * ROUNDS - capacity
    assert Attendance.objects.filter(session=session_now).count() == capacity


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_person_scanned_at_every_door_at_once_is_checked_in_once(room, session_now, live_fair):
    doors = [room_device_paired(room, f"Door {n}") for n in range(ROOM_DEVICES_MAX)]
    badge = factories.make_badge(fair=live_fair)
    barrier = threading.Barrier(len(doors))

    def worker(credentials) -> int:
        client = api_for(credentials)
        try:
            barrier.wait(timeout=30)
            return _post(client, {"code": badge.qr_content, "client_id": str(uuid.uuid4())})
        finally:
            connection.close()

    statuses = _parallel(worker, doors)

    assert sorted(statuses) == [200] * (len(doors) - 1) + [201]
    assert Attendance.objects.count() == 1
