#!/usr/bin/env python3
"""Badge print-run benchmark: badges per second and peak memory, A6 four-up.

    .venv/bin/python bench/badges.py [--sizes 2000 10000]

Uses DATABASE_URL if set, else a temporary SQLite database. Seeds one fair per size with
that many attendees and active badges, then measures each print run in a fresh process
(the same code path as ``manage.py print_badges``: query → render → PDF file → mark printed):

- badges/s over the whole run (wall clock, and per CPU second, which other load on the
  machine does not change), from a process without tracing;
- peak RSS (ru_maxrss) of that process, and its growth over the baseline measured after
  Django, ReportLab and the fonts are loaded;
- peak Python heap during the run (tracemalloc), from a second fresh process.

A reference measured alone in the same run, in its own fresh process: ReportLab drawing
plain pages (Helvetica text, rectangles) without Fairlead code, as pages per CPU second. The
ratio badges per CPU second / reference pages per CPU second carries across machines whose CPU
speed differs.

Target: at least 300 badges/s; peak memory for 10,000 within 20 % of 2,000.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fair.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def seed(sizes: list[int]) -> dict[int, str]:
    """One fair per size with that many visitors, each with an active badge."""
    import datetime
    import uuid

    from django.core.management import call_command
    from django.utils import timezone

    from badges.codes import secret_generate, short_code_generate
    from badges.models import Attendee, Badge
    from fair.models import Fair

    call_command("migrate", verbosity=0)
    first = ["Jürgen", "Łucja", "Ayşe", "Řehoř", "Ödön", "Жанна", "Maximiliane Friederike"]
    last = ["Müller-Lüdenscheidt", "Wiśniewska", "Doğan-Şahin", "Dvořák", "Kőváry", "Щербакова"]
    slugs = {}
    today = timezone.localdate()
    for size in sizes:
        fair = Fair.objects.create(
            name=f"Elektrotechnik Bench {size}",
            slug=f"bench-{size}-{uuid.uuid4().hex[:8]}",
            venue="Westfalenhallen Dortmund",
            city="Dortmund",
            starts_on=today + datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=32),
        )
        now = timezone.now()
        for start in range(0, size, 1000):
            attendees = Attendee.objects.bulk_create(
                Attendee(
                    fair=fair,
                    category=Attendee.Category.VISITOR,
                    first_name=first[index % len(first)],
                    last_name=f"{last[index % len(last)]} {index}",
                    company="Stadtwerke Beispielstadt GmbH",
                    job_title="Leiter Digitalisierung",
                    email=f"bench{index}@example.org",
                    country="DE",
                    confirmed_at=now,
                )
                for index in range(start, min(size, start + 1000))
            )
            Badge.objects.bulk_create(
                Badge(attendee=attendee, secret=secret_generate(), short_code=short_code_generate())
                for attendee in attendees
            )
        slugs[size] = fair.slug
    return slugs


def cleanup(slugs: dict[int, str]) -> None:
    from badges.models import Attendee
    from fair.models import Fair

    for slug in slugs.values():
        Attendee.objects.filter(fair__slug=slug).delete()
        Fair.objects.filter(slug=slug).delete()


def child(slug: str, out: str, trace: bool) -> dict:
    """One print run in this (fresh) process."""
    import io
    import tracemalloc

    from badges.codes import qr_content, secret_generate
    from badges.layouts import LAYOUTS
    from badges.printing import badges_write_pdf
    from badges.render import BadgeData, badges_render
    from badges.selectors import badges_for_print
    from badges.services.issue import badges_mark_printed
    from fair.models import Fair

    layout = LAYOUTS["a6-4up"]
    # Warm up: fonts registered, QR tables built, modules imported.
    warm_up = BadgeData(
        qr_content=qr_content(secret_generate()),
        short_code="0000-0000-000",
        first_name="Warm",
        last_name="Up",
        category="visitor",
        category_label="Visitor",
        fair_name="Fair",
        fair_dates="",
    )
    badges_render([warm_up] * 4, layout=layout, out=io.BytesIO())
    baseline_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    fair = Fair.objects.get(slug=slug)
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    cpu_started = time.process_time()
    with open(out, "wb") as stream:
        result = badges_write_pdf(badges=badges_for_print(fair=fair), layout=layout, out=stream)
    badges_mark_printed(badge_ids=result.badge_ids)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    heap_peak = tracemalloc.get_traced_memory()[1] if trace else None
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "badges": result.count,
        "seconds": seconds,
        "per_second": result.count / seconds,
        "per_cpu_second": result.count / cpu_seconds,
        "maxrss_mib": peak_kib / 1024,
        "rss_growth_mib": (peak_kib - baseline_kib) / 1024,
        "heap_peak_mib": heap_peak / 1048576 if heap_peak is not None else None,
        "pdf_mib": os.path.getsize(out) / 1048576,
    }


def reference() -> dict:
    """Plain ReportLab work without Fairlead code: A4 pages of Helvetica text and rectangles."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas as rl_canvas

    pages = 500
    cpu_started = time.process_time()
    buffer = io.BytesIO()
    canvas = rl_canvas.Canvas(buffer, pagesize=A4, pageCompression=1, invariant=1)
    for page in range(pages):
        for row in range(40):
            canvas.rect(40, 40 + row * 19, 500, 16, stroke=1, fill=0)
            canvas.setFont("Helvetica", 10)
            canvas.drawString(44, 44 + row * 19, f"Reference line {page}.{row} Stadtwerke GmbH")
        canvas.showPage()
    canvas.save()
    return {"pages_per_cpu_second": pages / (time.process_time() - cpu_started)}


def run_reference() -> dict:
    command = [sys.executable, __file__, "--reference"]
    finished = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(finished.stdout.strip().splitlines()[-1])


def run_child(database_url: str, slug: str, out: str, trace: bool) -> dict:
    command = [
        sys.executable,
        __file__,
        "--child",
        slug,
        "--out",
        out,
        "--database-url",
        database_url,
    ]
    if trace:
        command.append("--trace")
    finished = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(finished.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--child")
    parser.add_argument("--out")
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--database-url")
    parser.add_argument("--reference", action="store_true")
    args = parser.parse_args()

    if args.reference:
        print(json.dumps(reference()))
        return

    if args.child:
        django_setup(args.database_url)
        print(json.dumps(child(args.child, args.out, args.trace)))
        return

    with tempfile.TemporaryDirectory(prefix="fairlead-bench-") as folder:
        database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3"
        django_setup(database_url)
        started = time.perf_counter()
        slugs = seed(args.sizes)
        print(f"database: {database_url.split('@')[-1]}; seeded {sum(args.sizes)} badges "
              f"in {time.perf_counter() - started:.1f} s; layout a6-4up (A4 sheets)")  # fmt: skip
        rows = {}
        ref = run_reference()["pages_per_cpu_second"]
        print(f"reference (plain ReportLab, alone): {ref:.0f} pages per CPU second", flush=True)
        try:
            for size in args.sizes:
                out = f"{folder}/run-{size}.pdf"
                plain = run_child(database_url, slugs[size], out, trace=False)
                traced = run_child(database_url, slugs[size], out, trace=True)
                rows[size] = (plain, traced)
                print(
                    f"{size:>6} badges: {plain['per_second']:5.0f} badges/s wall clock "
                    f"({plain['seconds']:.1f} s; {plain['per_cpu_second']:.0f} per CPU second; "
                    f"ratio to reference {plain['per_cpu_second'] / ref:.3f}; "
                    f"PDF {plain['pdf_mib']:.1f} MiB) | "
                    f"peak RSS {plain['maxrss_mib']:.1f} MiB (+{plain['rss_growth_mib']:.1f} MiB "
                    f"over baseline) | peak Python heap {traced['heap_peak_mib']:.2f} MiB",
                    flush=True,
                )
        finally:
            cleanup(slugs)
    if len(rows) >= 2:
        small, large = min(rows), max(rows)
        heap_ratio = rows[large][1]["heap_peak_mib"] / rows[small][1]["heap_peak_mib"]
        rss_ratio = rows[large][0]["maxrss_mib"] / rows[small][0]["maxrss_mib"]
        slowest = min(plain["per_second"] for plain, _ in rows.values())
        load = os.getloadavg()[0]
        print(
            f"peak heap {large}/{small}: {heap_ratio:.3f} · peak RSS {large}/{small}: "
            f"{rss_ratio:.3f} (target ≤ 1.20) · slowest run {slowest:.0f} badges/s (target ≥ 300)"
            f" · load average {load:.1f} on {os.cpu_count()} CPUs"
        )


if __name__ == "__main__":
    main()
