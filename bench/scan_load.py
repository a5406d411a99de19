"""Scan API load test: the production server (gunicorn, 2 workers) on PostgreSQL, on loopback.

    .venv/bin/python bench/scan_load.py [--seconds 20] [--connections 16] [--devices 8]
                                        [--badges 2000] [--threads 4]

What it does:
1. drops and creates the database ``fairlead_scanbench`` on 127.0.0.1:5432 (user postgres)
   and migrates it (``manage.py migrate``, ``createcachetable``);
2. creates a fair, one approved exhibitor, ``--devices`` paired scanner devices (tokens as
   ``create_scanner`` makes them) and ``--badges`` visitor badges, half of them sharing their
   contact details;
3. starts ``gunicorn fair.wsgi`` with 2 workers (gthread, ``--threads`` each, keep-alive) on
   127.0.0.1 only, DEBUG off;
4. drives ``POST /api/scan/scans`` from ``--connections`` keep-alive connections (asyncio,
   one process) for ``--seconds``: each scan is a random badge from a random device with a
   fresh client_id, one in ten with a note; at the same time one more connection polls
   ``/healthz`` back to back;
   the database URL asks for server-side binding with prepared statements (see ``PREPARED``;
   ``--client-side-binding`` runs Django's default instead, for comparison);
5. sends one 500-scan batch (half of it badges not scanned before) and times it;
6. checks that the database holds exactly the leads and scans that were answered 201/200
   (one lead per scanned badge, each lead's scan_count = scans sent for that badge);
7. prints scans/s, latency p50/p95/p99, errors, /healthz requests/s, the count check and
   the batch time, then stops the server.
"""

import argparse
import asyncio
import collections
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "fairlead_scanbench"
PG = "postgres://postgres@127.0.0.1:5432"
BATCH_SIZE = 500

# Server-side binding lets psycopg prepare the statements a connection repeats (after two
# runs), so PostgreSQL stops re-planning the same few queries on every scan: it halves the
# database's CPU per scan. dj-database-url turns the query string into DATABASES OPTIONS.
PREPARED = "?server_side_binding=true&prepare_threshold=2"

ENV = {
    **os.environ,
    "DATABASE_URL": f"{PG}/{DB_NAME}{PREPARED}",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_LOG_LEVEL": "ERROR",
    "EMAIL_URL": "dummy://",  # production settings need a mail backend; the bench sends none
    # The per-device scan limit (fair/ratelimit.py: 3000 per 10 minutes, a person scans about
    # one badge a second) is raised for the load test, which drives each device at ~100 scans
    # a second; every scan still pays the limiter's counter upsert.
    "FAIRLEAD_RATE_LIMITS": "scans_device=100000000/600",
    "DJANGO_SETTINGS_MODULE": "fair.settings",
    "PYTHONPATH": str(ROOT),
}


_STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - _STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def database_recreate() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    python = sys.executable
    for command in (["migrate", "--noinput", "-v", "0"], ["createcachetable"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=ENV, check=True)


def data_create(*, devices: int, badges: int) -> tuple[list[str], list[str], int]:
    """Fair, exhibitor, devices and badges; returns (tokens, badge QR contents, exhibitor id)."""
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from badges.codes import qr_content, secret_generate, short_code_generate
    from badges.models import Attendee, Badge
    from exhibitors.models import Exhibitor
    from fair.models import Area, Fair, Hall, Stand
    from leads.services.devices import device_provision

    now = timezone.now()
    today = timezone.localdate()
    fair = Fair.objects.create(
        name="Elektrotechnik Bench",
        slug="bench",
        venue="Westfalenhallen Dortmund",
        city="Dortmund",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=2),
    )
    hall = Hall.objects.create(fair=fair, name="Halle 3")
    area = Area.objects.create(
        fair=fair,
        hall=hall,
        name="Smart City",
        slug="smart-city",
        registration_opens_at=now - datetime.timedelta(days=60),
        registration_deadline=now - datetime.timedelta(days=1),
    )
    stand = Stand.objects.create(
        area=area,
        number="3.B12",
        width_m=Decimal(4),
        depth_m=Decimal(5),
        price_per_sqm=Decimal("189.00"),
        state=Stand.State.ASSIGNED,
    )
    exhibitor = Exhibitor.objects.create(
        fair=fair,
        area=area,
        state=Exhibitor.State.APPROVED,
        stand=stand,
        company_name="Bench Sensorik GmbH",
        street="Rheinlanddamm 200",
        postal_code="44139",
        city="Dortmund",
        country="DE",
        vat_id="DE123456789",
        contact_name="Kim Bench",
        contact_email="kim@bench.example",
        requested_sqm=20,
        terms_accepted_at=now,
        terms_version="2019-01",
        privacy_accepted_at=now,
        privacy_version="2019-01",
        confirmed_at=now,
        staff_quota=10,
    )
    tokens = [
        device_provision(exhibitor=exhibitor, label=f"Stand phone {n + 1}").token
        for n in range(devices)
    ]
    attendees = Attendee.objects.bulk_create(
        Attendee(
            fair=fair,
            category=Attendee.Category.VISITOR,
            first_name="Besucher",
            last_name=f"Nummer {n}",
            company="Stadtwerke Beispielstadt",
            job_title="Leiter Digitalisierung",
            email=f"visitor{n}@bench.example",
            phone="+49 231 0000",
            country="DE",
            postal_code="44135",
            lead_sharing=n % 2 == 0,
            lead_sharing_at=now if n % 2 == 0 else None,
            lead_sharing_text_version="2019-01" if n % 2 == 0 else "",
            confirmed_at=now,
        )
        for n in range(badges)
    )
    created = Badge.objects.bulk_create(
        Badge(attendee=attendee, secret=secret_generate(), short_code=short_code_generate())
        for attendee in attendees
    )
    from django.db import connection

    connection.close()
    return tokens, [qr_content(badge.secret) for badge in created], exhibitor.pk


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(server: subprocess.Popen) -> float:
    """CPU time of the gunicorn workers (children of the master) so far."""
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    except OSError:
        return 0.0
    return sum(process_cpu_seconds(int(pid)) for pid in children)


def database_cpu_seconds() -> float:
    """CPU time of the PostgreSQL backends serving the bench database (the server's
    connections stay open between requests, CONN_MAX_AGE)."""
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        pids = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [DB_NAME]
        ).fetchall()
    return sum(process_cpu_seconds(pid) for (pid,) in pids)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_start(port: int, threads: int) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "fair.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=ENV)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(
                    b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                )
                if sock.recv(64).startswith(b"HTTP/1.1 200"):
                    return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not come up")


class Connection:
    """A minimal keep-alive HTTP/1.1 client: enough for JSON requests with Content-Length."""

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes = b"", token: str = "") -> tuple:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
        if token:
            head.append(f"Authorization: Bearer {token}")
        if body:
            head += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("server closed the connection")
        status = int(status_line.split()[1])
        length, close = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        payload = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def scan_loop(port, tokens, codes, stop_at, stats, rng) -> None:
    connection = Connection(port)
    token = rng.choice(tokens)
    while time.monotonic() < stop_at:
        code = rng.choice(codes)
        scan = {"code": code, "client_id": str(uuid.uuid4())}
        if rng.random() < 0.1:
            scan["note"] = "Interested in smart parking sensors"
        started = time.perf_counter()
        try:
            status, _ = await connection.request(
                "POST", "/api/scan/scans", json.dumps(scan).encode(), token
            )
        except (OSError, ConnectionError, asyncio.IncompleteReadError) as error:
            stats["errors"][type(error).__name__] += 1
            connection.close()
            continue
        stats["latency"].append(time.perf_counter() - started)
        if status in (200, 201):
            stats["sent"][code] += 1
            stats["status"][status] += 1
        else:
            stats["errors"][f"HTTP {status}"] += 1
    connection.close()


async def health_loop(port, stop_at, stats) -> None:
    connection = Connection(port)
    while time.monotonic() < stop_at:
        try:
            status, _ = await connection.request("GET", "/healthz")
        except (OSError, ConnectionError, asyncio.IncompleteReadError):
            stats["health_errors"] += 1
            connection.close()
            continue
        if status == 200:
            stats["health_ok"] += 1
        else:
            stats["health_errors"] += 1
    connection.close()


async def load_run(port, tokens, codes, *, seconds, connections) -> dict:
    stats = {
        "latency": [],
        "sent": collections.Counter(),
        "status": collections.Counter(),
        "errors": collections.Counter(),
        "health_ok": 0,
        "health_errors": 0,
    }
    rng = random.Random(4)
    started = time.monotonic()
    stop_at = started + seconds
    await asyncio.gather(
        *(
            scan_loop(port, tokens, codes, stop_at, stats, random.Random(rng.random()))
            for _ in range(connections)
        ),
        health_loop(port, stop_at, stats),
    )
    stats["elapsed"] = time.monotonic() - started
    return stats


async def batch_run(port, token, codes, fresh, stats) -> tuple[float, collections.Counter]:
    """One offline upload: half badges scanned before, half never seen (new leads)."""
    rng = random.Random(7)
    chosen = [rng.choice(codes) for _ in range(BATCH_SIZE - len(fresh))] + list(fresh)
    rng.shuffle(chosen)
    body = json.dumps(
        {"scans": [{"code": code, "client_id": str(uuid.uuid4())} for code in chosen]}
    ).encode()
    connection = Connection(port)
    started = time.perf_counter()
    status, payload = await connection.request("POST", "/api/scan/scans/batch", body, token)
    elapsed = time.perf_counter() - started
    connection.close()
    results = collections.Counter()
    if status != 200:
        results[f"HTTP {status}"] += BATCH_SIZE
        return elapsed, results
    for code, result in zip(chosen, json.loads(payload)["results"], strict=True):
        results[result["status"]] += 1
        if result["status"] in (200, 201):
            stats["sent"][code] += 1
    return elapsed, results


def counts_check(exhibitor_id: int, sent: collections.Counter) -> tuple[bool, str]:
    from django.db.models import Sum

    from leads.models import Lead, Scan

    leads = dict(
        Lead.objects.filter(exhibitor_id=exhibitor_id).values_list(
            "attendee__badges__secret", "scan_count"
        )
    )
    expected = {code.removeprefix("FL1:"): count for code, count in sent.items()}
    scans = Scan.objects.filter(lead__exhibitor_id=exhibitor_id).count()
    total = Lead.objects.filter(exhibitor_id=exhibitor_id).aggregate(s=Sum("scan_count"))["s"]
    ok = leads == expected and scans == sum(sent.values()) == total
    return ok, (
        f"leads in DB {len(leads)} / badges scanned {len(expected)}; "
        f"scans in DB {scans}, sum of scan_count {total} / scans answered 200|201 "
        f"{sum(sent.values())}; per-lead counts {'match' if leads == expected else 'DIFFER'}"
    )


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--devices", type=int, default=8)
    parser.add_argument("--badges", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument(
        "--client-side-binding",
        action="store_true",
        help="Django's default psycopg setup: no prepared statements",
    )
    args = parser.parse_args()
    if args.client_side_binding:
        ENV["DATABASE_URL"] = f"{PG}/{DB_NAME}"

    log(f"creating and migrating database {DB_NAME} …")
    database_recreate()
    log(f"creating {args.devices} devices and {args.badges} badges …")
    tokens, codes, exhibitor_id = data_create(devices=args.devices, badges=args.badges)
    port = free_port()
    log(f"starting gunicorn (2 workers × {args.threads} threads) on 127.0.0.1:{port} …")
    server = server_start(port, args.threads)
    try:
        # Warm up every worker thread's database connection and code paths (not counted).
        asyncio.run(load_run(port, tokens, codes[:50], seconds=2, connections=args.connections))
        from django.db import connection as db

        with db.cursor() as cursor:
            cursor.execute("TRUNCATE leads_leadnote, leads_scan, leads_lead")
        db.close()
        # Badges kept out of the load run, so that the batch also creates leads.
        fresh = codes[-BATCH_SIZE // 2 :]
        codes = codes[: -BATCH_SIZE // 2]
        log(f"driving scans for {args.seconds:g} s over {args.connections} connections …")
        server_cpu = server_cpu_seconds(server)
        database_cpu = database_cpu_seconds()
        client_cpu = time.process_time()
        stats = asyncio.run(
            load_run(port, tokens, codes, seconds=args.seconds, connections=args.connections)
        )
        server_cpu = server_cpu_seconds(server) - server_cpu
        database_cpu = database_cpu_seconds() - database_cpu
        client_cpu = time.process_time() - client_cpu
        load_average = os.getloadavg()
        log("timing one 500-scan batch …")
        batch_seconds, batch_results = asyncio.run(batch_run(port, tokens[0], codes, fresh, stats))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    ok, detail = counts_check(exhibitor_id, stats["sent"])

    latency = stats["latency"]
    answered = sum(stats["status"].values())
    errors = sum(stats["errors"].values())
    binding = "client-side binding" if args.client_side_binding else "prepared statements"
    print(
        f"scan load: {args.seconds:g} s, {args.connections} connections, "
        f"{args.devices} devices, {args.badges} badges, gunicorn 2 workers × "
        f"{args.threads} threads, PostgreSQL ({binding}), DEBUG off"
    )
    print(
        f"scans/s:        {answered / stats['elapsed']:.0f} "
        f"({answered} scans: {stats['status'][201]} × 201, {stats['status'][200]} × 200)"
    )
    if latency:
        print(
            f"latency:        p50 {percentile(latency, 0.50) * 1000:.1f} ms, "
            f"p95 {percentile(latency, 0.95) * 1000:.1f} ms, "
            f"p99 {percentile(latency, 0.99) * 1000:.1f} ms "
            f"(mean {statistics.fmean(latency) * 1000:.1f} ms)"
        )
    print(f"errors:         {errors}" + (f" {dict(stats['errors'])}" if errors else ""))
    print(
        f"/healthz:       {stats['health_ok'] / stats['elapsed']:.0f} requests/s "
        f"in the same run ({stats['health_errors']} errors)"
    )
    requests = answered + errors + stats["health_ok"] + stats["health_errors"]
    per_request = 1000 / max(requests, 1)
    print(
        f"CPU/request:    gunicorn workers {server_cpu * per_request:.2f} ms, PostgreSQL "
        f"{database_cpu * per_request:.2f} ms, load generator {client_cpu * per_request:.2f} ms "
        f"(busy: workers {server_cpu / stats['elapsed'] * 100:.0f}%, PostgreSQL "
        f"{database_cpu / stats['elapsed'] * 100:.0f}% of one core; {os.cpu_count()} cores, "
        f"load average {load_average[0]:.1f} at the end of the run)"
    )
    print(
        f"500-scan batch: {batch_seconds * 1000:.0f} ms "
        f"(results {dict(sorted(batch_results.items(), key=str))})"
    )
    print(f"counts:         {'OK' if ok else 'MISMATCH'}: {detail}")
    target = answered / stats["elapsed"] >= 600 and not errors and ok and batch_seconds <= 1
    print(
        f"target (≥ 600 scans/s, no errors, exact counts, batch ≤ 1 s): "
        f"{'met' if target else 'NOT met'}"
    )
    return 0 if ok and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
