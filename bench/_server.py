"""What the server benches share: the environment of a DEBUG-off deployment on one PostgreSQL
database, the database made afresh, gunicorn started and stopped, a keep-alive HTTP client with
closed- and open-loop drivers, CPU accounting from /proc, and the bench fair's common rows.

``bench/scan_load.py``, ``bench/directory.py``, ``bench/voting.py``, ``bench/scan_profile.py``
and ``bench/exports.py`` import it (``sys.path`` holds ``bench/`` when a script runs). Every
loop is bounded in time and talks only to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import collections
import datetime
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"

# One request of a load driver: (badge code or None, method, path, body, bearer token).
Request = tuple[str | None, str, str, bytes, str]

_STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - _STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def environment(database: str, **extra: str) -> dict[str, str]:
    """The environment of a production-like server on ``database``; ``extra`` adds or
    overrides variables (e.g. raised rate limits for a load test)."""
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{database}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "ERROR",
        "EMAIL_URL": "dummy://",
        "DJANGO_SETTINGS_MODULE": "fair.settings",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def database_recreate(database: str, env: dict[str, str]) -> None:
    """Drop and create ``database``, then ``manage.py migrate`` it."""
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def django_setup(env: dict[str, str]) -> None:
    """Django in this process, on the bench's environment (to write the bench data)."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- the bench fair -------------------------------------------------------------------------------


def fair_area_create(
    *,
    starts_on: datetime.date,
    registration_deadline: datetime.datetime,
    name: str = "Elektrotechnik Bench",
    slug: str = "bench",
) -> Any:
    """A three-day fair in Dortmund with hall 3 and its Smart City area; returns the area."""
    from django.utils import timezone

    from fair.models import Area, Fair, Hall

    fair = Fair.objects.create(
        name=name,
        slug=slug,
        venue="Westfalenhallen Dortmund",
        city="Dortmund",
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=2),
    )
    hall = Hall.objects.create(fair=fair, name="Halle 3")
    return Area.objects.create(
        fair=fair,
        hall=hall,
        name="Smart City",
        slug="smart-city",
        registration_opens_at=timezone.now() - datetime.timedelta(days=60),
        registration_deadline=registration_deadline,
    )


def exhibitor_fields(now: datetime.datetime) -> dict[str, Any]:
    """An approved exhibitor's address and accepted terms (name, contact and stand vary)."""
    return {
        "street": "Rheinlanddamm 200",
        "postal_code": "44139",
        "city": "Dortmund",
        "country": "DE",
        "terms_accepted_at": now,
        "terms_version": "2019-01",
        "privacy_accepted_at": now,
        "privacy_version": "2019-01",
    }


def visitor_fields(number: int, at: datetime.datetime) -> dict[str, Any]:
    """A confirmed visitor's contact details; every second one shares them with exhibitors."""
    shares = number % 2 == 0
    return {
        "job_title": "Leiter Digitalisierung",
        "email": f"visitor{number}@bench.example",
        "phone": "+49 231 0000",
        "country": "DE",
        "postal_code": "44135",
        "lead_sharing": shares,
        "lead_sharing_at": at if shares else None,
        "lead_sharing_text_version": "2019-01" if shares else "",
        "confirmed_at": at,
    }


# --- the server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_start(
    *,
    root: Path,
    port: int,
    env: dict[str, str],
    log_path: Path,
    arguments: Sequence[str] = (),
) -> subprocess.Popen[bytes]:
    """The README's deployment command (``gunicorn fair.wsgi`` with its gunicorn.conf.py, plus
    ``arguments``), from ``root``, listening on 127.0.0.1:``port``, once /healthz answers."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server_env = {
        **env,
        "PYTHONPATH": str(root),
        "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{port}",
    }
    log_file = log_path.open("ab")
    server = subprocess.Popen(
        [str(gunicorn), "fair.wsgi", *arguments],
        cwd=root,
        env=server_env,
        stdout=log_file,
        stderr=log_file,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}; see {log_path}")
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
    raise SystemExit(f"gunicorn did not come up; see {log_path}")


def server_stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# --- CPU accounting (Linux /proc) -----------------------------------------------------------------


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(server: subprocess.Popen[bytes]) -> float:
    """CPU time of the gunicorn workers (children of the master) so far."""
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    except OSError:
        return 0.0
    return sum(process_cpu_seconds(int(pid)) for pid in children)


# --- the client -----------------------------------------------------------------------------------


class Connection:
    """A minimal keep-alive HTTP/1.1 client: Content-Length bodies (JSON or a form), a bearer
    token, and the cookies the server sets, kept per connection. A form is sent with the
    ``csrftoken`` cookie's value as its CSRF header."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        token: str = "",
        form: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """(status, headers with lower-case names, body) of one request."""
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
        if token:
            head.append(f"Authorization: Bearer {token}")
        if form is not None:
            body = urlencode(form).encode()
            head += ["Content-Type: application/x-www-form-urlencoded"]
            if "csrftoken" in self.cookies:
                head.append(f"X-CSRFToken: {self.cookies['csrftoken']}")
        elif body:
            head.append("Content-Type: application/json")
        if body:
            head.append(f"Content-Length: {len(body)}")
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("server closed the connection")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookie, _, _attributes = value.partition(";")
                key, _, cookie_value = cookie.partition("=")
                self.cookies[key] = cookie_value
            headers[name] = value
        length = int(headers.get("content-length", "0"))
        payload = await self.reader.readexactly(length) if length else b""
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Tally:
    """What a load phase sent and got back."""

    def __init__(self) -> None:
        self.latency: list[float] = []
        self.sent: collections.Counter[str] = collections.Counter()  # code -> answered 200/201
        self.status: collections.Counter[int] = collections.Counter()
        self.errors: collections.Counter[str] = collections.Counter()
        self.elapsed = 0.0

    @property
    def answered(self) -> int:
        return sum(self.status.values())

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @classmethod
    def merged(cls, tallies: Sequence[Tally]) -> Tally:
        """One tally of several phases (their times added up)."""
        whole = cls()
        for tally in tallies:
            whole.latency += tally.latency
            whole.sent.update(tally.sent)
            whole.status.update(tally.status)
            whole.errors.update(tally.errors)
            whole.elapsed += tally.elapsed
        return whole

    def record(self, code: str | None, status: int, latency: float) -> None:
        self.latency.append(latency)
        if status in (200, 201):
            self.status[status] += 1
            if code is not None:
                self.sent[code] += 1
        else:
            self.errors[f"HTTP {status}"] += 1


async def closed_loop(
    port: int,
    *,
    seconds: float,
    connections: int,
    make_request: Callable[[random.Random], Request],
    seed: int = 0,
) -> Tally:
    """``connections`` clients, each sending its next request as soon as it has the answer
    (each client's random requests seeded by ``seed`` and its number)."""
    tally = Tally()
    stop_at = time.monotonic() + seconds

    async def client(number: int) -> None:
        connection = Connection(port)
        rng = random.Random(seed * 100_000 + number)
        while time.monotonic() < stop_at:
            code, method, path, body, token = make_request(rng)
            started = time.perf_counter()
            try:
                status, _headers, _body = await connection.request(method, path, body, token)
            except (OSError, ConnectionError, asyncio.IncompleteReadError) as error:
                tally.errors[type(error).__name__] += 1
                connection.close()
                continue
            tally.record(code, status, time.perf_counter() - started)
        connection.close()

    started = time.monotonic()
    await asyncio.gather(*(client(n) for n in range(connections)))
    tally.elapsed = time.monotonic() - started
    return tally


async def open_loop(
    port: int,
    *,
    seconds: float,
    rate: float,
    make_request: Callable[[random.Random], Request],
    max_connections: int = 256,
) -> Tally:
    """Requests arriving at a fixed ``rate`` per second, whatever the answers do; latency is
    counted from each request's scheduled time (no coordinated omission)."""
    tally = Tally()
    idle: list[Connection] = []
    opened = 0
    rng = random.Random(11)
    total = int(seconds * rate)
    started = time.perf_counter()
    tasks = []

    async def send(scheduled: float, request: Request) -> None:
        nonlocal opened
        code, method, path, body, token = request
        connection = idle.pop() if idle else None
        if connection is None:
            if opened >= max_connections:
                tally.errors["no free connection"] += 1
                return
            opened += 1
            connection = Connection(port)
        try:
            status, _headers, _body = await connection.request(method, path, body, token)
        except (OSError, ConnectionError, asyncio.IncompleteReadError) as error:
            tally.errors[type(error).__name__] += 1
            connection.close()
            return
        tally.record(code, status, time.perf_counter() - scheduled)
        idle.append(connection)

    for number in range(total):
        scheduled = started + number / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(send(scheduled, make_request(rng))))
    await asyncio.gather(*tasks)
    tally.elapsed = time.perf_counter() - started
    for connection in idle:
        connection.close()
    return tally


def healthz_rate(port: int, *, seconds: float, connections: int) -> Tally:
    """/healthz alone (the middleware stack and one database round trip): the reference."""

    def healthz(_rng: random.Random) -> Request:
        return None, "GET", "/healthz", b"", ""

    return asyncio.run(
        closed_loop(port, seconds=seconds, connections=connections, make_request=healthz)
    )


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nan without values)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
