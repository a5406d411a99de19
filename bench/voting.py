"""Live voting under load: gunicorn + PostgreSQL, DEBUG off, on loopback.

    .venv/bin/python bench/voting.py [--runs 3] [--voters 500] [--pollers 500]
                                     [--seconds 30] [--port 8219]
                                     [--database fairlead_forum_votebench]

What it does:
1. drops and creates the database ``--database`` on 127.0.0.1:5432 (user
   postgres), migrates it and creates a fair with ``--voters`` visitors with badges;
2. starts gunicorn as the README deploys it (``bench/_server.py``: ``gunicorn fair.wsgi`` with
   its gunicorn.conf.py, two processes per core of two threads each, keep-alive) on 127.0.0.1
   only, DEBUG off,
   EMAIL_URL=dummy://; the per-address vote limit is raised, as all simulated phones share
   127.0.0.1 (the per-badge limit stays as shipped, and every vote still pays both counters);
3. links every voter's phone as a visitor does (GET the vote page for the CSRF cookie, POST
   the badge's short code for the voter cookie) — not timed;
4. per run (``--runs``), on a fresh session whose item is opened:
   a. /healthz alone from 32 keep-alive connections for 5 s: the reference requests/s;
   b. ``--pollers`` pages (one keep-alive connection each) poll the session's live.json every
      second, as the projector and the vote pages do, while ``--voters`` voters each POST one
      vote at a random moment within ``--seconds`` s, a fifth of them changing it once 1–5 s
      later; every vote POST is timed;
   c. the database must hold exactly one vote per voter with the value each sent last, and
      the live JSON must show the same counts (zero lost, zero doubled);
5. prints per run: votes/s, vote latency p50/p95/p99, poll requests/s and p99, errors,
   healthz requests/s and the ratio votes/s ÷ healthz/s; then the median and spread of the
   three runs, and the load average (the machine is shared).
"""

import argparse
import asyncio
import collections
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import (
    ROOT,
    Connection,
    database_recreate,
    django_setup,
    environment,
    healthz_rate,
    log,
    percentile,
    process_cpu_seconds,
    server_cpu_seconds,
    server_start,
    server_stop,
)

CSRF = secrets.token_hex(16)  # a 32-character CSRF secret: cookie and header carry it


def bench_environment(database: str) -> dict[str, str]:
    """All simulated phones share 127.0.0.1: the per-address limits are raised (the per-badge
    limit stays as shipped, and every vote still pays both counters)."""
    return environment(
        database, FAIRLEAD_RATE_LIMITS="vote_ip=100000000/600,forum_code_ip=100000000/600"
    )


def data_create(*, env: dict[str, str], voters: int) -> tuple[str, list[str]]:
    """A fair with ``voters`` visitors and badges; returns (fair slug, short codes)."""
    django_setup(env)
    import datetime

    from django.utils import timezone

    from badges.codes import secret_generate, short_code_generate
    from badges.models import Attendee, Badge
    from fair.models import Fair

    today = timezone.localdate()
    fair = Fair.objects.create(
        name="Elektrotechnik Bench",
        slug="bench",
        venue="Westfalenhallen Dortmund",
        city="Dortmund",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=2),
    )
    attendees = Attendee.objects.bulk_create(
        Attendee(
            fair=fair,
            category=Attendee.Category.VISITOR,
            first_name="Besucher",
            last_name=f"Nummer {n}",
            email=f"visitor{n}@bench.example",
            confirmed_at=timezone.now(),
        )
        for n in range(voters)
    )
    badges = Badge.objects.bulk_create(
        Badge(attendee=attendee, secret=secret_generate(), short_code=short_code_generate())
        for attendee in attendees
    )
    return fair.slug, [badge.short_code for badge in badges]


def session_create(run: int) -> tuple[int, int]:
    """A fresh session of the bench fair with one item, opened; (session id, item id)."""
    import datetime

    from django.db import connection

    from fair.forum.lines import ItemLine
    from fair.forum.moderation import vote_item_open
    from fair.forum.program import SessionData, fair_zone, room_save, session_save
    from fair.models import Fair, Room

    fair = Fair.objects.get(slug="bench")
    room = Room.objects.filter(fair=fair).first() or room_save(
        fair=fair, name="Forum", capacity=200
    )
    start = datetime.datetime.combine(fair.starts_on, datetime.time(9 + run), fair_zone(fair))
    session = session_save(
        fair=fair,
        data=SessionData(
            code=f"B-{run}",
            room=room,
            title_de=f"Bench {run}",
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=30),
            items=[ItemLine("Smartes Parken", "Smart parking")],
        ),
    )
    item = vote_item_open(item=session.vote_items.get())
    connection.close()
    return session.pk, item.pk


async def phones_link(port: int, slug: str, codes: list[str], session_id: int) -> list[Connection]:
    """One connection per voter, linked to its badge by the typed short code."""

    async def link(code: str) -> Connection:
        phone = Connection(port)
        phone.cookies["csrftoken"] = CSRF
        status, _h, _b = await phone.request(
            "POST", f"/forum/{slug}/sessions/{session_id}/vote/code/", form={"code": code}
        )
        assert status == 302 and "fairlead_voter" in phone.cookies, status
        phone.close()  # the phone comes back later, on a new connection
        return phone

    phones = []
    for start in range(0, len(codes), 50):
        phones += await asyncio.gather(*(link(code) for code in codes[start : start + 50]))
    return phones


async def voting_run(port, slug, phones, session_id, item_id, *, pollers, seconds) -> dict:
    rng = random.Random(17)
    stats = {
        "vote_latency": [],
        "vote_errors": collections.Counter(),
        "poll_latency": [],
        "poll_errors": collections.Counter(),
        "last_value": {},
    }
    vote_path = f"/forum/{slug}/sessions/{session_id}/vote/"
    live_path = f"/forum/{slug}/sessions/{session_id}/live.json"
    started = time.monotonic()
    stop_polling = started + seconds + 6

    async def poller(offset: float) -> None:
        connection = Connection(port)
        await asyncio.sleep(offset)
        while time.monotonic() < stop_polling:
            began = time.perf_counter()
            try:
                status, _h, _b = await connection.request("GET", live_path)
            except (OSError, ConnectionError, asyncio.IncompleteReadError) as error:
                stats["poll_errors"][type(error).__name__] += 1
                connection.close()
                continue
            stats["poll_latency"].append(time.perf_counter() - began)
            if status != 200:
                stats["poll_errors"][f"HTTP {status}"] += 1
            await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - began)))
        connection.close()

    async def voter(index: int, phone: Connection) -> None:
        await asyncio.sleep(rng.uniform(0, seconds))
        values = [rng.randint(1, 5)]
        if rng.random() < 0.2:
            values.append(rng.randint(1, 5))
        for turn, value in enumerate(values):
            if turn:
                await asyncio.sleep(rng.uniform(1, 5))
            began = time.perf_counter()
            try:
                status, _h, _b = await phone.request(
                    "POST", vote_path, form={"item": str(item_id), "value": str(value)}
                )
            except (OSError, ConnectionError, asyncio.IncompleteReadError) as error:
                stats["vote_errors"][type(error).__name__] += 1
                phone.close()
                continue
            stats["vote_latency"].append(time.perf_counter() - began)
            if status == 302:
                stats["last_value"][index] = value
            else:
                stats["vote_errors"][f"HTTP {status}"] += 1
        phone.close()

    await asyncio.gather(
        *(poller(rng.uniform(0, 1)) for _ in range(pollers)),
        *(voter(index, phone) for index, phone in enumerate(phones)),
    )
    elapsed = time.monotonic() - started
    stats["votes_per_second"] = len(stats["vote_latency"]) / seconds
    stats["polls_per_second"] = len(stats["poll_latency"]) / elapsed
    # What the projector shows at the end must be what the voters sent.
    _status, _h, body = await Connection(port).request("GET", live_path)
    stats["live"] = json.loads(body)["items"][0]
    return stats


def votes_check(item_id: int, stats: dict, voters: int) -> tuple[bool, str]:
    from badges.forum.models import Vote

    rows = list(Vote.objects.filter(item_id=item_id).values_list("attendee_id", "value"))
    per_attendee = collections.Counter(attendee for attendee, _value in rows)
    doubled = sum(1 for count in per_attendee.values() if count > 1)
    expected = collections.Counter(stats["last_value"].values())
    stored = collections.Counter(value for _attendee, value in rows)
    live = stats["live"]["counts"]
    ok = (
        len(rows) == len(stats["last_value"]) == voters
        and doubled == 0
        and stored == expected
        and live == [stored[value] for value in range(1, 6)]
    )
    return ok, (
        f"votes in DB {len(rows)} / voters answered 302 {len(stats['last_value'])} / voters "
        f"{voters}; doubled {doubled}; values per 1..5 DB {[stored[v] for v in range(1, 6)]} "
        f"sent {[expected[v] for v in range(1, 6)]} live.json {live}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--voters", type=int, default=500)
    parser.add_argument("--pollers", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--port", type=int, default=8219)
    parser.add_argument("--database", default="fairlead_forum_votebench")
    args = parser.parse_args()

    env = bench_environment(args.database)
    log(f"database {args.database}: recreate and migrate")
    database_recreate(args.database, env)
    slug, codes = data_create(env=env, voters=args.voters)
    log_path = Path(tempfile.gettempdir()) / f"fairlead-voting-bench-{args.port}.log"
    server = server_start(root=ROOT, port=args.port, env=env, log_path=log_path)
    log(f"gunicorn up on 127.0.0.1:{args.port} (gunicorn.conf.py, DEBUG off)")
    results = []
    try:
        for run in range(1, args.runs + 1):
            session_id, item_id = session_create(run)
            phones = asyncio.run(phones_link(args.port, slug, codes, session_id))
            reference = healthz_rate(args.port, seconds=5, connections=32)
            healthz = reference.answered / reference.elapsed
            log(f"run {run}: healthz alone {healthz:.0f}/s; voting with {args.pollers} pollers")
            cpu_before, wall_before = server_cpu_seconds(server), time.monotonic()
            client_before = process_cpu_seconds(os.getpid())
            stats = asyncio.run(
                voting_run(
                    args.port,
                    slug,
                    phones,
                    session_id,
                    item_id,
                    pollers=args.pollers,
                    seconds=args.seconds,
                )
            )
            wall = time.monotonic() - wall_before
            server_cores = (server_cpu_seconds(server) - cpu_before) / wall
            client_cores = (process_cpu_seconds(os.getpid()) - client_before) / wall
            ok, detail = votes_check(item_id, stats, args.voters)
            latency = stats["vote_latency"]
            result = {
                "votes": len(latency),
                "votes_per_second": stats["votes_per_second"],
                "p50_ms": 1000 * percentile(latency, 0.50),
                "p95_ms": 1000 * percentile(latency, 0.95),
                "p99_ms": 1000 * percentile(latency, 0.99),
                "polls_per_second": stats["polls_per_second"],
                "poll_p99_ms": 1000 * percentile(stats["poll_latency"], 0.99),
                "healthz_per_second": healthz,
                "ratio": stats["votes_per_second"] / healthz,
                "errors": dict(stats["vote_errors"] + stats["poll_errors"]),
                "exact": ok,
                "server_cores": server_cores,
                "client_cores": client_cores,
                "load": os.getloadavg()[0],
            }
            results.append(result)
            print(
                f"run {run}: {result['votes']} vote requests in {args.seconds:.0f} s = "
                f"{result['votes_per_second']:.1f} votes/s; vote latency p50 "
                f"{result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, p99 "
                f"{result['p99_ms']:.1f} ms; polls {result['polls_per_second']:.0f}/s (p99 "
                f"{result['poll_p99_ms']:.1f} ms); errors {result['errors'] or 'none'}; "
                f"healthz alone {healthz:.0f}/s; votes/s / healthz/s = {result['ratio']:.4f}",
                flush=True,
            )
            print(f"run {run}: {'EXACT' if ok else 'MISMATCH'}: {detail}", flush=True)
            print(
                f"run {run}: CPU used while voting: gunicorn workers {server_cores:.2f} cores, "
                f"this client {client_cores:.2f} cores; load average {result['load']:.2f} "
                f"on {os.cpu_count()} CPUs",
                flush=True,
            )
    finally:
        server_stop(server)

    def summary(key: str, unit: str, digits: int = 1) -> str:
        values = [result[key] for result in results]
        return (
            f"{key}: median {statistics.median(values):.{digits}f}{unit} "
            f"(spread {min(values):.{digits}f}–{max(values):.{digits}f})"
        )

    print("summary over", len(results), "runs:")
    for key, unit, digits in (
        ("votes_per_second", "/s", 1),
        ("p99_ms", " ms", 1),
        ("p95_ms", " ms", 1),
        ("polls_per_second", "/s", 0),
        ("poll_p99_ms", " ms", 1),
        ("healthz_per_second", "/s", 0),
        ("ratio", "", 4),
        ("server_cores", " cores", 2),
        ("load", "", 2),
    ):
        print("  " + summary(key, unit, digits))
    print(f"  exact in every run: {all(result['exact'] for result in results)}")
    print(f"  load average (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if all(result["exact"] for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
