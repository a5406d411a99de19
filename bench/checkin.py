"""Session check-in at a door, measured on PostgreSQL: is one person per second per door easy?

    .venv/bin/python bench/checkin.py [--people 200] [--database fairlead_checkinbench]

Drops and creates ``--database`` on 127.0.0.1:5432 (user postgres), runs ``migrate``, creates
a fair running today with a forum room (capacity ``--people``) and a session now, a paired
room device and ``--people`` visitor badges. Then, in this process through Django's test
client (the whole middleware stack and the scan API, no network):

* **single**: each person checked in with its own ``POST /api/scan/checkins``, one after the
  other, as a door does: median, p95 and max milliseconds per check-in;
* **batch**: the same people again as one offline batch (``/checkins/batch``): every item is
  "already checked in"; total and per-item milliseconds.

Checks that the session holds exactly ``--people`` check-ins, prints one summary line.
"""

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--database", default="fairlead_checkinbench")
    args = parser.parse_args()

    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    os.environ["DATABASE_URL"] = f"{PG}/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fair.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    import datetime

    from django.test import Client
    from django.utils import timezone

    from badges.models import Attendee
    from badges.services.issue import badge_issue
    from fair.forum.program import SessionData, room_save, session_save
    from fair.models import Fair
    from leads.models import Attendance
    from leads.services.devices import (
        device_pair,
        device_pairing_code_create,
        room_device_create,
    )

    today = timezone.localdate()
    fair = Fair.objects.create(
        name="Bench",
        slug="bench",
        venue="Westfalenhallen",
        city="Dortmund",
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=1),
    )
    room = room_save(fair=fair, name="Forum", capacity=args.people)
    start = timezone.now() - datetime.timedelta(minutes=5)
    session = session_save(
        fair=fair,
        data=SessionData(
            code="B-1",
            room=room,
            topic=None,
            title_de="Bench",
            title_en="",
            abstract_de="",
            abstract_en="",
            pilot_project="",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            speakers=[],
            items=[],
        ),
    )
    device = room_device_create(room=room, label="Door")
    token = device_pair(pairing_code=device_pairing_code_create(device=device).code).token
    badges = [
        badge_issue(
            attendee=Attendee.objects.create(
                fair=fair,
                category=Attendee.Category.VISITOR,
                first_name="Besucher",
                last_name=str(n),
                company="Bench GmbH",
                email=f"b{n}@bench.example",
                confirmed_at=timezone.now(),
            )
        )
        for n in range(args.people)
    ]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def post(path: str, body: dict):
        return client.post(f"/api/scan/{path}", json.dumps(body), content_type="application/json")

    post("checkins", {"code": "FL1:" + "7" * 26, "client_id": str(uuid.uuid4())})  # warm-up
    times = []
    for badge in badges:
        began = time.perf_counter()
        response = post("checkins", {"code": badge.qr_content, "client_id": str(uuid.uuid4())})
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 201, response.content
    times.sort()
    began = time.perf_counter()
    batch = post(
        "checkins/batch",
        {"checkins": [{"code": b.qr_content, "client_id": str(uuid.uuid4())} for b in badges]},
    )
    batch_ms = (time.perf_counter() - began) * 1000
    assert [r["status"] for r in batch.json()["results"]] == [200] * args.people
    assert Attendance.objects.filter(session=session).count() == args.people
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"check-in single: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
        f"max {times[-1]:.1f} ms over {args.people}; batch of {args.people} repeats: "
        f"{batch_ms:.0f} ms ({batch_ms / args.people:.1f} ms each); count exact"
    )


if __name__ == "__main__":
    main()
