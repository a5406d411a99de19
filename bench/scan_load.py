"""Scan API load test: the server as the README deploys it, on PostgreSQL, over loopback.

    .venv/bin/python bench/scan_load.py [--seconds 15] [--rounds 8] [--slice 2]
        [--connections 16] [--rate 200] [--devices 100] [--badges 2000] [--batches 5]
        [--port 0] [--database fairlead_scanbench] [--compare GIT-REVISION | --without-lean-sql]

What it does, in one run:
1. drops and creates the database ``--database`` on 127.0.0.1:5432 (user postgres) and runs
   ``manage.py migrate`` (nothing else: that is the whole set-up);
2. creates a fair, one approved exhibitor with ``--devices`` paired scanner devices (tokens as
   ``create_scanner`` makes them) and ``--badges`` visitor badges, half sharing contact details;
3. starts the deployment command of the README, ``gunicorn fair.wsgi`` from the repository root
   (so with its ``gunicorn.conf.py``), DEBUG off; only the address is moved to 127.0.0.1:PORT
   with ``GUNICORN_CMD_ARGS``; the access log goes to a file as it would in production;
4. warms up every worker thread (not counted), then measures, each phase alone:
   * **saturation against healthz**, in ``--rounds`` rounds of two ``--slice``-second slices,
     in the order healthz, scans | scans, healthz | healthz, scans …, so that each scan slice
     has a healthz slice right next to it. The **healthz** slice: ``GET /healthz`` from
     ``--connections`` keep-alive connections as fast as it answers, the reference (full
     middleware stack and one database round trip). The **scans** slice: ``POST
     /api/scan/scans`` from as many connections as fast as the server answers; each scan is a
     random badge from a random device with a fresh client_id, one in ten with a note. The
     ratio is the median of the rounds' scans/s ÷ healthz/s. Why slices: on this kind of
     machine the CPU's speed changes from one second to the next (a fixed Python loop took
     0.20–0.42 s within one minute), and with a healthz phase 15 s away from the scans three
     runs gave ratios from 0.26 to 0.45;
   * **fixed rate**: ``--rate`` scans/s arriving on schedule (open loop: a late answer does not
     delay the next scan), latency from the scheduled send time: p50/p95/p99;
   * **batch**: ``--batches`` uploads of 500 scans each (half badges never scanned before),
     one after another; median time and cost per scan;
5. with ``--compare REV``: checks REV out into a temporary git worktree and measures a server
   started from there the same way (saturation against its own healthz slices, fixed rate,
   batches; same database, same data, leads emptied before), so two versions are compared
   within one run on the same machine; ``--without-lean-sql`` compares
   HEAD with ``bench/scan_without_lean_sql.patch`` applied: the scan path through the ORM
   instead of ``fair/lean_sql.py`` (the patch's header says what it changes);
6. checks, for each server, that the database holds exactly the leads and scans answered
   201/200 (one lead per scanned badge, each lead's scan_count = scans answered for it), and
   counts each server's errors (the goals and the errors in the exit code are this
   checkout's; the counts must hold for every server);
7. prints one line per phase and ONE summary line with all figures, then stops the server.

Every loop is bounded in time and count, and talks only to 127.0.0.1.
"""

import argparse
import asyncio
import collections
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import _server
from _server import (
    PG,
    ROOT,
    Connection,
    Tally,
    closed_loop,
    database_recreate,
    free_port,
    healthz_rate,
    log,
    open_loop,
    percentile,
    process_cpu_seconds,
    server_cpu_seconds,
    server_start,
    server_stop,
)

BATCH_SIZE = 500
NOTE = "Interested in smart parking sensors"


def environment(database: str) -> dict[str, str]:
    # The per-device scan limit (3000 per 10 minutes: a person scans about one badge a
    # second) is raised for the load test, which drives each device far faster; every scan
    # still pays for its charge. 100 devices of one exhibitor are above the default cap.
    return _server.environment(
        database,
        FAIRLEAD_RATE_LIMITS="scans_device=100000000/600",
        FAIRLEAD_DEVICES_PER_EXHIBITOR="1000",
    )


def data_create(*, env: dict[str, str], devices: int, badges: int) -> tuple[list, list, int]:
    """Fair, exhibitor, devices and badges; returns (tokens, badge QR contents, exhibitor id)."""
    _server.django_setup(env)
    import datetime
    from decimal import Decimal

    from django.db import connection
    from django.utils import timezone

    from badges.codes import qr_content, secret_generate, short_code_generate
    from badges.models import Attendee, Badge
    from exhibitors.models import Exhibitor
    from fair.models import Stand
    from leads.services.devices import device_provision

    now = timezone.now()
    area = _server.fair_area_create(
        starts_on=timezone.localdate(), registration_deadline=now - datetime.timedelta(days=1)
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
        **_server.exhibitor_fields(now),
        fair=area.fair,
        area=area,
        state=Exhibitor.State.APPROVED,
        stand=stand,
        company_name="Bench Sensorik GmbH",
        vat_id="DE123456789",
        contact_name="Kim Bench",
        contact_email="kim@bench.example",
        requested_sqm=20,
        confirmed_at=now,
        staff_quota=10,
    )
    tokens = [
        device_provision(exhibitor=exhibitor, label=f"Stand phone {n + 1}").token
        for n in range(devices)
    ]
    attendees = Attendee.objects.bulk_create(
        Attendee(
            **_server.visitor_fields(n, now),
            fair=area.fair,
            category=Attendee.Category.VISITOR,
            first_name="Besucher",
            last_name=f"Nummer {n}",
            company="Stadtwerke Beispielstadt",
        )
        for n in range(badges)
    )
    created = Badge.objects.bulk_create(
        Badge(attendee=attendee, secret=secret_generate(), short_code=short_code_generate())
        for attendee in attendees
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would soon: plans for the real table sizes
    connection.close()
    return tokens, [qr_content(badge.secret) for badge in created], exhibitor.pk


def leads_truncate() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE leads_leadnoterevision, leads_leadnote, leads_scan, leads_lead")
    connection.close()


# --- CPU accounting of PostgreSQL (Linux /proc) ------------------------------------------------


def database_cpu_seconds(database: str) -> float:
    """CPU time of the PostgreSQL backends serving the bench database (the server keeps its
    connections open between requests, CONN_MAX_AGE)."""
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [database]
        ).fetchall()
    return sum(process_cpu_seconds(pid) for (pid,) in rows)


class CpuMeter:
    """CPU seconds of the server's workers, PostgreSQL and this load generator, added up over
    the phases measured with it."""

    def __init__(self, server: subprocess.Popen, database: str):
        self.server, self.database = server, database
        self.server_s = self.database_s = self.client_s = 0.0

    def __enter__(self) -> "CpuMeter":
        self._start = self._now()
        return self

    def __exit__(self, *exc) -> None:
        spent = [b - a for a, b in zip(self._start, self._now(), strict=True)]
        self.server_s += spent[0]
        self.database_s += spent[1]
        self.client_s += spent[2]

    def _now(self) -> tuple[float, float, float]:
        return (
            server_cpu_seconds(self.server),
            database_cpu_seconds(self.database),
            time.process_time(),
        )

    def per_request_ms(self, requests: int) -> str:
        n = max(requests, 1)
        return (
            f"CPU/request: workers {self.server_s * 1000 / n:.2f} ms, PostgreSQL "
            f"{self.database_s * 1000 / n:.2f} ms, load generator {self.client_s * 1000 / n:.2f} ms"
        )


# --- the phases ---------------------------------------------------------------------------------


def scan_request(rng: random.Random, codes: list[str]) -> tuple[str, bytes]:
    code = rng.choice(codes)
    scan = {"code": code, "client_id": str(uuid.uuid4())}
    if rng.random() < 0.1:
        scan["note"] = NOTE
    return code, json.dumps(scan).encode()


async def batches_run(port, tokens, codes, fresh, count) -> tuple[list[float], Tally]:
    """``count`` offline uploads of BATCH_SIZE scans, one after another, each from another
    device; half of each batch are badges not scanned before."""
    tally = Tally()
    rng = random.Random(7)
    fresh = list(fresh)
    times = []
    connection = Connection(port)
    per_batch = BATCH_SIZE // 2
    for number in range(count):
        new = fresh[number * per_batch : (number + 1) * per_batch]
        chosen = [rng.choice(codes) for _ in range(BATCH_SIZE - len(new))] + new
        rng.shuffle(chosen)
        scans = [{"code": code, "client_id": str(uuid.uuid4())} for code in chosen]
        for scan in scans[::10]:
            scan["note"] = NOTE
        body = json.dumps({"scans": scans}).encode()
        token = tokens[number % len(tokens)]
        started = time.perf_counter()
        status, _headers, payload = await connection.request(
            "POST", "/api/scan/scans/batch", body, token
        )
        times.append(time.perf_counter() - started)
        if status != 200:
            tally.errors[f"batch HTTP {status}"] += BATCH_SIZE
            continue
        for code, result in zip(chosen, json.loads(payload)["results"], strict=True):
            tally.record(code, result["status"], 0.0)
    connection.close()
    return times, tally


# --- checks and figures -------------------------------------------------------------------------


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
        f"leads in DB {len(leads)} / badges scanned {len(expected)}; scans in DB {scans}, "
        f"sum of scan_count {total} / scans answered 200|201 {sum(sent.values())}; "
        f"per-lead counts {'match' if leads == expected else 'DIFFER'}"
    )


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


PATCH_WITHOUT_LEAN_SQL = Path(__file__).with_name("scan_without_lean_sql.patch")


def compare_tree(revision: str, patch: Path | None = None) -> Path:
    """A temporary git worktree of ``revision``, ``patch`` applied (removed by the caller)."""
    path = Path(tempfile.mkdtemp(prefix="fairlead-compare-"))
    subprocess.run(
        ["git", "worktree", "add", "--detach", "--force", str(path), revision],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    if patch is not None:
        subprocess.run(["git", "apply", str(patch)], cwd=path, check=True)
    return path


def rate(tally: Tally) -> float:
    return tally.answered / tally.elapsed


@dataclass
class Measured:
    """The scan phases against one server."""

    saturation: Tally
    saturation_cpu: CpuMeter
    healthz: Tally
    healthz_cpu: CpuMeter
    rounds: list[tuple[float, float]]  # per round: (healthz/s, scans/s)
    fixed: Tally
    fixed_cpu: CpuMeter
    batches: Tally
    batch_cpu: CpuMeter
    batch_times: list[float]
    counts_ok: bool
    counts: str

    @property
    def scan_rate(self) -> float:
        return rate(self.saturation)

    @property
    def round_ratios(self) -> list[float]:
        return [scans / healthz for healthz, scans in self.rounds]

    @property
    def ratio(self) -> float:
        return statistics.median(self.round_ratios)

    @property
    def errors(self) -> collections.Counter[str]:
        tallies = (self.healthz, self.saturation, self.fixed, self.batches)
        return sum((tally.errors for tally in tallies), collections.Counter())

    @property
    def batch_median(self) -> float:
        return statistics.median(self.batch_times)

    def single_cpu(self) -> float:
        meter = self.saturation_cpu
        return (meter.server_s + meter.database_s) / max(self.saturation.answered, 1)

    def batch_cpu_per_scan(self) -> float:
        meter = self.batch_cpu
        return (meter.server_s + meter.database_s) / max(BATCH_SIZE * len(self.batch_times), 1)


def phases_run(server, port, args, *, tokens, codes, fresh, exhibitor_id, scan) -> Measured:
    """Saturation against healthz, fixed rate and batches against the running ``server``, from
    no leads (so that the batches find their fresh badges fresh), then the counts check."""
    leads_truncate()
    log(f"saturation against healthz, {args.rounds} × 2 slices of {args.slice:g} s …")
    saturation_cpu = CpuMeter(server, args.database)
    healthz_cpu = CpuMeter(server, args.database)
    healthz_slices, scan_slices, rounds = [], [], []
    for number in range(args.rounds):
        pair = {}
        for kind in ("healthz", "scans") if number % 2 == 0 else ("scans", "healthz"):
            if kind == "healthz":
                with healthz_cpu:
                    pair[kind] = healthz_rate(
                        port, seconds=args.slice, connections=args.connections
                    )
            else:
                with saturation_cpu:
                    pair[kind] = asyncio.run(
                        closed_loop(
                            port,
                            seconds=args.slice,
                            connections=args.connections,
                            make_request=scan,
                            seed=number + 1,
                        )
                    )
        healthz_slices.append(pair["healthz"])
        scan_slices.append(pair["scans"])
        rounds.append((rate(pair["healthz"]), rate(pair["scans"])))
    log(f"fixed rate {args.rate:g}/s, {args.seconds:g} s …")
    with CpuMeter(server, args.database) as fixed_cpu:
        fixed = asyncio.run(
            open_loop(port, seconds=args.seconds, rate=args.rate, make_request=scan)
        )
    log(f"{args.batches} batches of {BATCH_SIZE} …")
    with CpuMeter(server, args.database) as batch_cpu:
        batch_times, batches = asyncio.run(batches_run(port, tokens, codes, fresh, args.batches))
    saturation = Tally.merged(scan_slices)
    ok, detail = counts_check(exhibitor_id, saturation.sent + fixed.sent + batches.sent)
    return Measured(
        saturation,
        saturation_cpu,
        Tally.merged(healthz_slices),
        healthz_cpu,
        rounds,
        fixed,
        fixed_cpu,
        batches,
        batch_cpu,
        batch_times,
        ok,
        detail,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=15, help="length of the fixed-rate phase")
    parser.add_argument("--rounds", type=int, default=8, help="rounds of saturation vs healthz")
    parser.add_argument("--slice", type=float, default=2, help="seconds of each slice of a round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rate", type=float, default=200, help="scans/s of the fixed-rate phase")
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument("--badges", type=int, default=2000)
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--database", default="fairlead_scanbench", help="dropped and created")
    other = parser.add_mutually_exclusive_group()
    other.add_argument("--compare", metavar="REV", help="also measure a server of this revision")
    other.add_argument(
        "--without-lean-sql",
        action="store_true",
        help=f"also measure HEAD with {PATCH_WITHOUT_LEAN_SQL.name} applied",
    )
    args = parser.parse_args()
    if args.badges < BATCH_SIZE * args.batches // 2 + 100:
        parser.error("--badges must leave 250 fresh badges per batch and 100 for the load")
    compare_name = "without-lean-sql" if args.without_lean_sql else args.compare

    env = environment(args.database)
    port = args.port or free_port()
    log(f"creating and migrating database {args.database} …")
    database_recreate(args.database, env)
    log(f"creating {args.devices} devices and {args.badges} badges …")
    tokens, all_codes, exhibitor_id = data_create(env=env, devices=args.devices, badges=args.badges)
    # Badges kept out of the load phases, so that every batch also creates leads.
    fresh = all_codes[-(BATCH_SIZE // 2) * args.batches :]
    codes = all_codes[: -(BATCH_SIZE // 2) * args.batches]

    def scan(rng: random.Random):
        code, body = scan_request(rng, codes)
        return code, "POST", "/api/scan/scans", body, rng.choice(tokens)

    def phases(server: subprocess.Popen) -> Measured:
        return phases_run(
            server,
            port,
            args,
            tokens=tokens,
            codes=codes,
            fresh=fresh,
            exhibitor_id=exhibitor_id,
            scan=scan,
        )

    def warm_up() -> None:
        log("warming up …")
        healthz_rate(port, seconds=3, connections=args.connections)
        asyncio.run(closed_loop(port, seconds=3, connections=args.connections, make_request=scan))

    server_log = Path(tempfile.gettempdir()) / f"fairlead-scan-load-{port}.log"
    server_log.unlink(missing_ok=True)
    compared = None
    log(f"starting `gunicorn fair.wsgi` (gunicorn.conf.py) on 127.0.0.1:{port} …")
    server = server_start(root=ROOT, port=port, env=env, log_path=server_log)
    try:
        warm_up()
        this = phases(server)
        load_average = os.getloadavg()
    finally:
        server_stop(server)

    if compare_name:
        tree = compare_tree(
            "HEAD" if args.without_lean_sql else args.compare,
            PATCH_WITHOUT_LEAN_SQL if args.without_lean_sql else None,
        )
        log(f"the same phases against {compare_name} ({tree}) …")
        try:
            other = server_start(root=tree, port=port, env=env, log_path=server_log)
            try:
                warm_up()
                compared = phases(other)
            finally:
                server_stop(other)
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False
            )
            shutil.rmtree(tree, ignore_errors=True)

    runs = [this] + ([compared] if compared else [])
    ok = all(run.counts_ok for run in runs)
    print(
        f"scan load: gunicorn fair.wsgi (gunicorn.conf.py), PostgreSQL, DEBUG off; "
        f"{args.devices} devices of one exhibitor, {args.badges} badges; "
        f"{args.connections} connections; saturation and healthz in {args.rounds} rounds of "
        f"2 × {args.slice:g} s, fixed rate {args.seconds:g} s; {os.cpu_count()} cores"
    )
    for name, run in [("this checkout", this)] + ([(compare_name, compared)] if compared else []):
        ratios = run.round_ratios
        print(f"{name}:")
        print(
            f"  healthz:      {rate(run.healthz):.0f} requests/s in the slices next to the scans "
            f"(rounds: {', '.join(f'{healthz:.0f}' for healthz, _ in run.rounds)}); "
            f"p50 {ms(percentile(run.healthz.latency, 0.5))} ms; "
            f"{run.healthz_cpu.per_request_ms(run.healthz.answered)}"
        )
        print(
            f"  saturation:   {run.scan_rate:.0f} scans/s ({run.saturation.status[201]} × 201, "
            f"{run.saturation.status[200]} × 200) (rounds: "
            f"{', '.join(f'{scans:.0f}' for _, scans in run.rounds)}); "
            f"p50 {ms(percentile(run.saturation.latency, 0.5))} ms, "
            f"p99 {ms(percentile(run.saturation.latency, 0.99))} ms; "
            f"{run.saturation_cpu.per_request_ms(run.saturation.answered)}"
        )
        print(
            f"  ratio:        {run.ratio:.2f} × healthz, the median of the rounds' "
            f"(min {min(ratios):.2f}, max {max(ratios):.2f})"
        )
        print(
            f"  fixed rate:   {rate(run.fixed):.0f} scans/s of "
            f"{args.rate:g} asked; p50 {ms(percentile(run.fixed.latency, 0.5))} ms, "
            f"p95 {ms(percentile(run.fixed.latency, 0.95))} ms, "
            f"p99 {ms(percentile(run.fixed.latency, 0.99))} ms; "
            f"{run.fixed_cpu.per_request_ms(run.fixed.answered)}"
        )
        print(
            f"  batch:        {args.batches} × {BATCH_SIZE} scans, median "
            f"{run.batch_median * 1000:.0f} ms (all: "
            f"{', '.join(f'{t * 1000:.0f}' for t in run.batch_times)} ms); workers + PostgreSQL "
            f"CPU {run.batch_cpu_per_scan() * 1000:.3f} ms per scan against "
            f"{run.single_cpu() * 1000:.3f} ms for a single scan; "
            f"results {dict(run.batches.status)}"
        )
        print(f"  counts:       {'OK' if run.counts_ok else 'MISMATCH'}: {run.counts}")
        errors = run.errors
        print(f"  errors:       {errors.total()}" + (f" {dict(errors)}" if errors else ""))
    print(f"load average:   {load_average[0]:.2f} {load_average[1]:.2f} {load_average[2]:.2f}")
    p99 = percentile(this.fixed.latency, 0.99)
    errors = this.errors.total()
    goals = this.ratio >= 0.4 and p99 <= 0.020 and this.batch_median <= 0.3
    summary = [
        f"healthz={rate(this.healthz):.0f}/s",
        f"scans={this.scan_rate:.0f}/s",
        f"ratio={this.ratio:.2f}",
        f"ratio_rounds={min(this.round_ratios):.2f}-{max(this.round_ratios):.2f}",
        f"fixed{args.rate:g}/s:p50={ms(percentile(this.fixed.latency, 0.5))}"
        f",p95={ms(percentile(this.fixed.latency, 0.95))},p99={ms(p99)}ms",
        f"batch500={this.batch_median * 1000:.0f}ms",
        f"cpu/scan:batch={this.batch_cpu_per_scan() * 1000:.2f}ms,"
        f"single={this.single_cpu() * 1000:.2f}ms",
    ]
    if compared:
        # The compared server's errors are its own figure (the ORM version falls behind a
        # fixed 200/s on a slow second); the goals are this checkout's.
        summary.append(
            f"{compare_name}:scans={compared.scan_rate:.0f}/s,"
            f"ratio={compared.ratio:.2f},"
            f"p99={ms(percentile(compared.fixed.latency, 0.99))}ms,"
            f"batch500={compared.batch_median * 1000:.0f}ms,"
            f"errors={compared.errors.total()}"
        )
    summary += [
        f"errors={errors}",
        f"counts={'OK' if ok else 'MISMATCH'}",
        f"load={load_average[0]:.2f}",
        f"goals={'met' if goals and ok and not errors else 'NOT-met'}",
    ]
    print("SUMMARY " + " ".join(summary))
    return 0 if ok and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
