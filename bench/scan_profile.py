"""Where the time of one scan goes: the WSGI application called in-process, as gunicorn calls it.

    .venv/bin/python bench/scan_profile.py [--scans 2000] [--database fairlead_scanbench]
                                           [--batches 0] [--top 25] [--sort tottime]

Creates the same data as ``bench/scan_load.py`` (drops and creates ``--database``), sends
``--scans`` scans through ``fair.wsgi.application`` (no HTTP server, no network client), then
prints the wall time per scan, the database round trips per scan and a cProfile summary: the
share of time spent in each layer (middleware, authentication, request parsing and schema
validation, the capture service, the database driver, building the response) and the functions
with the most own time. ``/healthz`` is profiled the same way as the reference. With
``--batches N`` it also profiles N offline uploads of 500 scans each, shaped as
``bench/scan_load.py`` sends them (half of each batch badges not scanned before, one in ten
with a note); its figures are per batch.
"""

import argparse
import cProfile
import io
import json
import pstats
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scan_load

# Layers by the file a function lives in; the first match wins (ordered specific → general).
LAYERS = [
    ("database driver (psycopg)", ("psycopg",)),
    ("ORM query building", ("django/db/models",)),
    ("Django DB backend", ("django/db/",)),
    ("authentication (device token)", ("api/scan/auth.py", "ninja/security")),
    ("capture service and selectors", ("leads/services", "leads/selectors", "fair/ratelimit")),
    ("schema validation (pydantic)", ("pydantic",)),
    ("django-ninja (routing, parsing, responses)", ("ninja/",)),
    ("API routes and output", ("api/scan",)),
    ("middleware", ("django/middleware", "whitenoise", "fair/security", "django/contrib")),
    ("request/response objects", ("django/http", "django/core/handlers")),
    ("URL resolving", ("django/urls",)),
    ("translation", ("django/utils/translation",)),
    ("JSON", ("json/",)),
]


def environ_for(path: str, method: str, body: bytes, token: str) -> dict:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_AUTHORIZATION": f"Bearer {token}" if token else "",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def call(application, environ: dict) -> str:
    status = []

    def start_response(line, headers, exc_info=None):
        status.append(line)

    for _chunk in application(environ, start_response):
        pass
    return status[0]


def layer_of(filename: str) -> str:
    for layer, needles in LAYERS:
        if any(needle in filename for needle in needles):
            return layer
    return "other"


# Inclusive CPU time of the steps of a request (function name → what it is).
STEPS = [
    ("wsgi.py", "__call__", "whole request (WSGI handler)"),
    ("base.py", "_get_response", "inside the middleware (URL resolving, view)"),
    ("resolvers.py", "resolve", "URL resolving"),
    ("operation.py", "run", "django-ninja operation (auth, parsing, view, response)"),
    ("operation.py", "_run_authentication", "authentication (device token)"),
    ("operation.py", "_get_values", "request parsing and schema validation"),
    ("routes.py", "scan_create", "the route"),
    ("capture.py", "lead_capture", "capture service (one transaction)"),
    ("routes.py", "_captured_out", "the lead as answered (notes, topics)"),
    ("operation.py", "_result_to_response", "response validation and JSON"),
]


def steps_report(stats: pstats.Stats, count: int) -> list[str]:
    lines = []
    for file_end, name, label in STEPS:
        total = sum(
            row[3]
            for (filename, _line, function), row in stats.stats.items()
            if function == name and filename.endswith(file_end)
        )
        if total:
            lines.append(f"  {label:58s} {total / count * 1000:6.3f} ms")
    return lines


def layers_report(stats: pstats.Stats, total: float, count: int) -> list[str]:
    own: dict[str, float] = {}
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        own[layer_of(filename)] = own.get(layer_of(filename), 0.0) + tottime
    lines = []
    for layer, seconds in sorted(own.items(), key=lambda item: -item[1]):
        lines.append(
            f"  {layer:45s} {seconds / count * 1000:6.3f} ms  {seconds / total * 100:5.1f} %"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scans", type=int, default=2000)
    parser.add_argument("--database", default="fairlead_scanbench", help="dropped and created")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--batches", type=int, default=0, help="also profile 500-scan batches")
    parser.add_argument("--sort", default="tottime", help="pstats order: tottime, cumulative")
    args = parser.parse_args()

    env = scan_load.environment(args.database)
    scan_load.database_recreate(args.database, env)
    per_batch = scan_load.BATCH_SIZE // 2
    # Each batch (and its warm-up and statement-listing runs) takes fresh badges of its own.
    fresh_count = per_batch * (2 * args.batches + 3)
    tokens, all_codes, _exhibitor = scan_load.data_create(
        env=env, devices=100, badges=2000 + fresh_count
    )
    codes, fresh = all_codes[:2000], all_codes[2000:]

    import psycopg
    from django.db import connection

    from fair.wsgi import application

    # Round trips: every exchange with the server goes through Connection.wait (statements,
    # BEGIN, COMMIT, the health check's SELECT 1 when it runs).
    round_trips = [0]
    wait = psycopg.Connection.wait

    def counted_wait(self, *args, **kwargs):
        round_trips[0] += 1
        return wait(self, *args, **kwargs)

    psycopg.Connection.wait = counted_wait

    rng = random.Random(3)

    def scan_environ() -> dict:
        body = {"code": rng.choice(codes), "client_id": str(uuid.uuid4())}
        if rng.random() < 0.1:
            body["note"] = scan_load.NOTE
        return environ_for("/api/scan/scans", "POST", json.dumps(body).encode(), rng.choice(tokens))

    def health_environ() -> dict:
        return environ_for("/healthz", "GET", b"", "")

    def batch_environ() -> dict:
        chosen = [rng.choice(codes) for _ in range(scan_load.BATCH_SIZE - per_batch)]
        chosen += [fresh.pop() for _ in range(per_batch)]
        rng.shuffle(chosen)
        scans = [{"code": code, "client_id": str(uuid.uuid4())} for code in chosen]
        for scan in scans[::10]:
            scan["note"] = scan_load.NOTE
        body = json.dumps({"scans": scans}).encode()
        return environ_for("/api/scan/scans/batch", "POST", body, rng.choice(tokens))

    cases = [
        (health_environ, "GET /healthz", args.scans),
        (scan_environ, "POST /api/scan/scans", args.scans),
    ]
    if args.batches:
        cases.append((batch_environ, "POST /api/scan/scans/batch", args.batches))
    for make, label, requests in cases:
        batches = label.endswith("batch")
        for _ in range(2 if batches else 300):  # warm up: connections, prepared statements
            call(application, make())
        environs = [make() for _ in range(requests)]
        before = round_trips[0]
        started, cpu = time.perf_counter(), time.thread_time()
        statuses = [call(application, environ) for environ in environs]
        wall, cpu = time.perf_counter() - started, time.thread_time() - cpu
        trips = (round_trips[0] - before) / requests
        statements: list[str] = []

        def count(execute, sql, params, many, context, statements=statements):
            statements.append(sql)
            return execute(sql, params, many, context)

        listed = 1 if batches else 200
        environs = [make() for _ in range(listed)]
        with connection.execute_wrapper(count):
            for environ in environs:
                call(application, environ)
        environs = [make() for _ in range(requests)]
        # CPU time, not wall time: waiting for PostgreSQL is not Python's cost.
        profile = cProfile.Profile(time.thread_time)
        profile.enable()
        for environ in environs:
            call(application, environ)
        profile.disable()
        stats = pstats.Stats(profile)
        total = sum(row[2] for row in stats.stats.values())
        calls = sum(row[1] for row in stats.stats.values())
        print(f"\n== {label}: {requests} requests, statuses {sorted(set(statuses))}")
        print(
            f"unprofiled: wall {wall / requests * 1000:.3f} ms, CPU {cpu / requests * 1000:.3f}"
            f" ms per request; {trips:.2f} round trips per request (all: statements, BEGIN, "
            f"COMMIT, health check); {len(statements) / listed:.1f} SQL statements per request; "
            f"{calls / requests:.0f} Python function calls per request (profiled)"
        )
        if label.startswith("POST"):
            seen: dict[str, int] = {}
            for sql in statements[-20:]:
                seen[sql[:110]] = seen.get(sql[:110], 0) + 1
            print("the statements of the last requests:")
            for sql, number in seen.items():
                print(f"  {number} × {sql}")
        per_request = total / requests * 1000
        print(f"own time by layer (profiled CPU time, {per_request:.3f} ms per request):")
        print("\n".join(layers_report(stats, total, requests)))
        print("inclusive CPU time of the steps (profiled):")
        print("\n".join(steps_report(stats, requests)))
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
        print("\n".join(out.getvalue().splitlines()[6 : 6 + args.top + 3]))
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
