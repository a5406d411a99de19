"""Public directory and hall plan under load: gunicorn + PostgreSQL as the README deploys it,
DEBUG off, over loopback.

    .venv/bin/python bench/directory.py [--runs 3] [--seconds 8] [--connections 16]
        [--exhibitors 60] [--port 0] [--database fairlead_directorybench]

What it does:
1. drops and creates the database ``--database`` on 127.0.0.1:5432 (user postgres), runs
   ``manage.py migrate`` and creates one fair with a Smart City area: the nine topics,
   ``--exhibitors`` approved exhibitors on stands laid out on the plan (topics, German and
   English catalog entries, every fifth with a co-exhibitor) and a few unapproved ones;
2. collects the static files (into a temporary folder) and starts the README's deployment
   command, ``gunicorn fair.wsgi`` from the repository root
   (with its ``gunicorn.conf.py``), as ``bench/scan_load.py`` does (both with ``bench/_server.py``);
3. per run (``--runs``), each page alone, ``--connections`` keep-alive clients for
   ``--seconds`` s, each sending its next GET as soon as it has the answer:
   * ``healthz``: /healthz, the reference (middleware stack and one database round trip);
   * ``list``: the area's exhibitor list; ``filtered``: the list of one topic;
   * ``exhibitor``: an exhibitor's page with its plan (one of ten, at random);
   * ``plan``: the hall plan with the table of stands;
   * ``search (uncached)``: the list searched for a new random text on every request, so the
     page's cached part never helps: the cost of building a page;
   a page's main part is cached per directory version, so ``list`` … ``plan`` mostly measure
   the cached path (one query) once every worker has built it;
4. prints per run and page: requests/s, p50 and p99 latency, errors, and requests/s as a
   share of healthz's; then the median of the runs and the load average (the machine is
   shared: compare the ratios, not the absolute figures).

Every loop is bounded in time and count and talks only to 127.0.0.1.
"""

import argparse
import asyncio
import os
import random
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _server  # noqa: E402  (the server and client helpers of the benches)

# The exhibitor pages asked for: ten (each worker process builds and keeps each page once;
# with every exhibitor the warm-up would have to visit them all in every process).
HOT = 10
CATALOG_DE = "Sensoren, Plattformen und Beratung für die smarte Stadt: {name} zeigt Pilotprojekte"
CATALOG_EN = "Sensors, platforms and advice for the smart city: {name} shows pilot projects."


def data_create(*, env: dict[str, str], exhibitors: int) -> tuple[str, list[int], list[int]]:
    """The fair, area, stands and exhibitors; returns (area path, exhibitor ids, topic ids)."""
    _server.django_setup(env)
    import datetime
    from decimal import Decimal

    from django.db import connection
    from django.utils import timezone

    from exhibitors.models import CoExhibitor, Exhibitor
    from fair.demo import TOPICS
    from fair.models import Stand, Topic

    now = timezone.now()
    area = _server.fair_area_create(
        starts_on=timezone.localdate() + datetime.timedelta(days=30),
        registration_deadline=now + datetime.timedelta(days=10),
    )
    topics = [
        Topic.objects.create(area=area, name_de=de, name_en=en, position=n)
        for n, (de, en) in enumerate(TOPICS)
    ]
    ids = []
    for n in range(exhibitors + 5):
        approved = n < exhibitors
        stand = None
        if approved:
            stand = Stand.objects.create(
                area=area,
                number=f"3.{chr(65 + n // 10)}{n % 10 + 1:02d}",
                width_m=Decimal(5),
                depth_m=Decimal(4),
                x_m=Decimal(5 * (n % 10)),
                y_m=Decimal(7 * (n // 10)),
                open_sides="S",
                price_per_sqm=Decimal("189.00"),
                state=Stand.State.ASSIGNED,
            )
        name = f"Bench Stadtwerk {n:03d} GmbH"
        exhibitor = Exhibitor.objects.create(
            **_server.exhibitor_fields(now),
            fair=area.fair,
            area=area,
            state=Exhibitor.State.APPROVED if approved else Exhibitor.State.SUBMITTED,
            stand=stand,
            company_name=name,
            vat_id=f"DE{300000000 + n}",
            website=f"https://stadtwerk{n}.example",
            contact_name=f"Kim Bench {n}",
            contact_email=f"kim{n}@bench.example",
            requested_sqm=20,
            catalog_text=CATALOG_DE.format(name=name),
            catalog_text_en=CATALOG_EN.format(name=name),
            confirmed_at=now,
        )
        exhibitor.topics.set([topics[n % 9], topics[(n * 7 + 3) % 9]])
        if n % 5 == 0:
            CoExhibitor.objects.create(exhibitor=exhibitor, name=f"Mitaussteller {n} UG")
        if approved:
            ids.append(exhibitor.pk)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    return f"/fairs/{area.fair.slug}/{area.slug}", ids, [topic.pk for topic in topics]


def pages(base: str, exhibitor_ids: list[int], topic_ids: list[int]) -> dict:
    """Page name → a function from a random generator to the path to GET."""

    def search(rng: random.Random) -> str:
        return f"{base}/exhibitors/?q={''.join(rng.choices(string.ascii_lowercase, k=6))}"

    return {
        "healthz": lambda rng: "/healthz",
        "list": lambda rng: f"{base}/exhibitors/",
        "filtered": lambda rng: f"{base}/exhibitors/?topic={rng.choice(topic_ids)}",
        "exhibitor": lambda rng: f"{base}/exhibitors/{rng.choice(exhibitor_ids[:HOT])}/",
        "plan": lambda rng: f"{base}/plan/",
        "search (uncached)": search,
    }


def measure(port: int, path_for, *, seconds: float, connections: int) -> _server.Tally:
    def make_request(rng: random.Random):
        return None, "GET", path_for(rng), b"", ""

    return asyncio.run(
        _server.closed_loop(
            port, seconds=seconds, connections=connections, make_request=make_request
        )
    )


def figures(tally: _server.Tally) -> dict[str, float]:
    return {
        "rps": tally.answered / tally.elapsed if tally.elapsed else 0.0,
        "p50": _server.percentile(tally.latency, 0.5) * 1000,
        "p99": _server.percentile(tally.latency, 0.99) * 1000,
        "errors": tally.error_count,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--exhibitors", type=int, default=60)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--database", default="fairlead_directorybench")
    args = parser.parse_args()
    if not (1 <= args.runs <= 10 and 1 <= args.seconds <= 120 and 1 <= args.connections <= 256):
        raise SystemExit("--runs 1..10, --seconds 1..120, --connections 1..256")
    if not 1 <= args.exhibitors <= 250:
        raise SystemExit("--exhibitors 1..250")

    env = _server.environment(args.database)
    # The README's deployment collects the static files first (DEBUG off serves them from the
    # manifest); here into a temporary folder, so the work tree stays as it is.
    static_root = tempfile.mkdtemp(prefix="fairlead-directory-bench-static-")
    env["DJANGO_STATIC_ROOT"] = static_root
    _server.log(f"collectstatic into {static_root}")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    _server.log(f"database {args.database}: recreate and migrate")
    _server.database_recreate(args.database, env)
    base, exhibitor_ids, topic_ids = data_create(env=env, exhibitors=args.exhibitors)
    port = args.port or _server.free_port()
    log_path = Path(tempfile.gettempdir()) / f"fairlead-directory-bench-{port}.log"
    _server.log(f"gunicorn on 127.0.0.1:{port} (log {log_path})")
    server = _server.server_start(root=ROOT, port=port, env=env, log_path=log_path)
    results: dict[str, list[dict[str, float]]] = {}
    try:
        targets = pages(base, exhibitor_ids, topic_ids)
        # Warm-up, not counted: every worker thread connects and builds each cached part.
        for path_for in targets.values():
            measure(port, path_for, seconds=3, connections=args.connections)
        for run in range(1, args.runs + 1):
            print(f"run {run}:")
            reference = 0.0
            for name, path_for in targets.items():
                tally = measure(port, path_for, seconds=args.seconds, connections=args.connections)
                found = figures(tally)
                if name == "healthz":
                    reference = found["rps"]
                found["ratio"] = found["rps"] / reference if reference else 0.0
                results.setdefault(name, []).append(found)
                print(
                    f"  {name:<18} {found['rps']:8.1f} req/s  p50 {found['p50']:7.1f} ms  "
                    f"p99 {found['p99']:7.1f} ms  errors {found['errors']:.0f}  "
                    f"{found['ratio']:.2f} × healthz",
                    flush=True,
                )
    finally:
        _server.server_stop(server)
        shutil.rmtree(static_root, ignore_errors=True)
    print(f"median of {args.runs} runs ({args.connections} connections, {args.seconds:g} s each):")
    for name, runs in results.items():
        print(
            f"  {name:<18} {statistics.median(r['rps'] for r in runs):8.1f} req/s  "
            f"p50 {statistics.median(r['p50'] for r in runs):7.1f} ms  "
            f"p99 {statistics.median(r['p99'] for r in runs):7.1f} ms  "
            f"{statistics.median(r['ratio'] for r in runs):.2f} × healthz  "
            f"errors {sum(r['errors'] for r in runs):.0f}"
        )
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")
    if any(r["errors"] for runs in results.values() for r in runs):
        raise SystemExit(1)


if __name__ == "__main__":
    started = time.monotonic()
    main()
    _server.log(f"done in {time.monotonic() - started:.0f} s")
