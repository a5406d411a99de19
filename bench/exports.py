"""Export benchmark: rows/s and peak memory of the CSV and XLSX lead downloads, PDF report time.

    .venv/bin/python bench/exports.py            # a temporary SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fairlead_bench .venv/bin/python bench/exports.py

Creates 100,000 leads of one exhibitor (bulk_create; half of the visitors share their contact
details, with topics, a note on every fourth lead and answers to two questions) and 5,000 leads
of a second exhibitor, then streams the same downloads the portal serves
(``leads.reports.exhibitor_download``) for the first 10,000 and for all 100,000 leads, and
builds the PDF lead report of the exhibitor with 5,000 leads.

Reference measured in the same run: the same contact columns written straight from one
``values_list()`` query with ``csv.writer`` (no consent rules, no topics, notes or answers):
the CSV and XLSX rates are reported as ratios to it (CPU time), which carry across machines.
Where the time goes: the lead rows alone (queries, consent filtering, row building), then the
layout's cells, then the writer.

    --leads N     leads of the big exhibitor (default 100,000; the download sizes are
                  10 % and 100 % of it)

Speed is measured without tracing (wall clock, and CPU time of this process, which other load
on the machine does not distort); peak memory in a second pass with tracemalloc (Python heap
allocated while the download streams; the bytes are counted and dropped as a client would
receive them). Targets: CSV >= 50,000 rows/s, XLSX >= 10,000 rows/s, PDF <= 10 s, peak memory
for 100,000 leads within 20 % of that for 10,000.
"""

import argparse
import csv
import datetime
import io
import os
import random
import sys
import tempfile
import time
import tracemalloc
import uuid
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_TMP = tempfile.TemporaryDirectory(prefix="fairlead-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_TMP.name}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fair.settings")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
# As in production: with DEBUG on, Django keeps the SQL of every query in memory.
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 60)
os.environ.setdefault("EMAIL_URL", "dummy://")  # production settings need a mail backend

import django  # noqa: E402

django.setup()

from decimal import Decimal  # noqa: E402

from _server import exhibitor_fields, fair_area_create, visitor_fields  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from badges.models import Attendee, Badge  # noqa: E402
from exhibitors.models import Exhibitor  # noqa: E402
from fair.models import Stand, Topic  # noqa: E402
from leads.export_layouts import standard_layout  # noqa: E402
from leads.models import Lead, LeadNote, Question, Scan, ScannerDevice  # noqa: E402
from leads.reports import (  # noqa: E402
    exhibitor_download,
    exhibitor_report_document,
    fair_zone,
    lead_rows,
)

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
BIG, PDF_LEADS = 100_000, 5_000
TOPICS = [
    ("Smartes Parken", "Smart parking"),
    ("Wärmewende", "Heat transition"),
    ("Smarte Mobilität", "Smart mobility"),
    ("Energie & Wasser", "Energy & water"),
]


_RANDOM = random.Random(2019)
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _code(length: int) -> str:
    # Fast, reproducible stand-ins for badge codes (the real ones come from ``secrets``).
    return "".join(_RANDOM.choices(CROCKFORD, k=length))


def setup_floor() -> tuple[Exhibitor, Exhibitor, list[Topic]]:
    now = timezone.now()
    area = fair_area_create(
        name="Elektrotechnik 2019",
        slug=f"bench-{uuid.uuid4().hex[:8]}",
        starts_on=datetime.date(2019, 2, 13),
        registration_deadline=now - datetime.timedelta(days=1),
    )
    topics = [
        Topic.objects.create(area=area, name_de=de, name_en=en, position=i)
        for i, (de, en) in enumerate(TOPICS)
    ]
    exhibitors = []
    for index, name in enumerate(("Wärmewerk Dortmund GmbH", "Straßenlicht AG")):
        stand = Stand.objects.create(
            area=area,
            number=f"3.B{index + 10}",
            width_m=Decimal(6),
            depth_m=Decimal(5),
            price_per_sqm=Decimal("189"),
            state=Stand.State.ASSIGNED,
        )
        exhibitors.append(
            Exhibitor.objects.create(
                **exhibitor_fields(now),
                fair=area.fair,
                area=area,
                state=Exhibitor.State.APPROVED,
                company_name=name,
                vat_id=f"DE{123456780 + index}",
                contact_name="Kim Kontakt",
                contact_email=f"kontakt{index}@bench.example",
                requested_sqm=30,
                stand=stand,
                staff_quota=10,
            )
        )
    return exhibitors[0], exhibitors[1], topics


def add_leads(exhibitor: Exhibitor, count: int, topics: list[Topic], offset: int) -> None:
    device = ScannerDevice.objects.create(exhibitor=exhibitor, label=f"Scanner {offset}")
    questions = [
        Question.objects.create(
            exhibitor=exhibitor,
            text="Budget?",
            kind="single",
            choices=["< 10k", "> 10k"],
            position=0,
        ),
        Question.objects.create(exhibitor=exhibitor, text="Rückruf?", kind="text", position=1),
    ]
    start = datetime.datetime(2019, 2, 13, 9, 0, tzinfo=BERLIN)
    step = 3 * 24 * 3600 / count
    batch = 5_000
    for base in range(0, count, batch):
        size = min(batch, count - base)
        attendees = Attendee.objects.bulk_create(
            [
                Attendee(
                    **visitor_fields(offset + base + n, start),
                    fair=exhibitor.fair,
                    category=Attendee.Category.VISITOR,
                    first_name=["Jürgen", "Дмитрий", "Ölaf", "Anna"][n % 4],
                    last_name=f"Groß-Müller {offset + base + n}",
                    company=["Stadtwerke Dortmund", "=cmd|' /C calc'!A0", "ООО Город"][n % 3],
                )
                for n in range(size)
            ]
        )
        Attendee.topics.through.objects.bulk_create(
            [
                Attendee.topics.through(attendee_id=a.pk, topic_id=topics[(i + k) % 4].pk)
                for i, a in enumerate(attendees)
                if i % 2 == 0
                for k in range(2)
            ]
        )
        badges = Badge.objects.bulk_create(
            [
                Badge(
                    attendee=a,
                    secret=_code(26),
                    short_code=_code(11),
                )
                for a in attendees
            ]
        )
        leads = Lead.objects.bulk_create(
            [
                Lead(
                    exhibitor=exhibitor,
                    attendee=a,
                    first_scanned_at=start + datetime.timedelta(seconds=(base + i) * step),
                    last_scanned_at=start + datetime.timedelta(seconds=(base + i) * step + 60),
                    scan_count=1,
                    rating=["hot", "warm", "cold", ""][i % 4],
                    tags=["bench", "Rückruf"] if i % 3 == 0 else [],
                    answers={str(questions[0].pk): "> 10k", str(questions[1].pk): "Montag früh"}
                    if i % 2
                    else {},
                )
                for i, a in enumerate(attendees)
            ]
        )
        Scan.objects.bulk_create(
            [
                Scan(
                    lead=lead,
                    device=device,
                    badge=badge,
                    client_id=uuid.uuid4(),
                    scanned_at=lead.first_scanned_at,
                    created_lead=True,
                )
                for lead, badge in zip(leads, badges, strict=True)
            ]
        )
        LeadNote.objects.bulk_create(
            [
                LeadNote(
                    lead=lead,
                    text=f"Möchte ein Angebot ({i})",
                    device=device,
                    written_at=lead.last_scanned_at,
                )
                for i, lead in enumerate(leads)
                if i % 4 == 0
            ]
        )


def baseline(exhibitor: Exhibitor, count: int) -> float:
    """Rows per CPU second: one values_list() query straight into csv.writer."""
    first_id = (
        Lead.objects.filter(exhibitor=exhibitor).order_by("pk").values_list("pk", flat=True).first()
    )
    rows = (
        Lead.objects.filter(exhibitor=exhibitor, pk__lt=first_id + count)
        .order_by("-last_scanned_at", "-id")
        .values_list(
            "id",
            "attendee__first_name",
            "attendee__last_name",
            "attendee__company",
            "attendee__job_title",
            "attendee__email",
            "attendee__phone",
            "attendee__country",
            "attendee__postal_code",
            "rating",
            "tags",
            "first_scanned_at",
            "last_scanned_at",
            "scan_count",
        )
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=",", lineterminator="\r\n")
    cpu = time.process_time()
    for row in rows.iterator(chunk_size=2000):
        writer.writerow(row)
        if buffer.tell() > 1_000_000:
            buffer.seek(0)
            buffer.truncate()
    return count / (time.process_time() - cpu)


def breakdown(exhibitor: Exhibitor, count: int) -> tuple[float, float]:
    """CPU seconds per 1,000 rows for (lead rows alone, rows and layout cells)."""
    first_id = (
        Lead.objects.filter(exhibitor=exhibitor).order_by("pk").values_list("pk", flat=True).first()
    )
    leads = Lead.objects.filter(exhibitor=exhibitor, pk__lt=first_id + count).order_by(
        "-last_scanned_at", "-id"
    )
    zone = fair_zone(exhibitor.fair)
    questions = list(Question.objects.filter(exhibitor=exhibitor).order_by("position", "id"))
    cpu = time.process_time()
    for _row in lead_rows(leads=leads, zone=zone, questions=questions):
        pass
    rows_only = time.process_time() - cpu
    layout = standard_layout(questions=questions, zone_name=zone.key)
    cpu = time.process_time()
    for row in lead_rows(leads=leads, zone=zone, questions=questions):
        layout.cells(row)
    with_cells = time.process_time() - cpu
    return rows_only / count * 1_000_000, with_cells / count * 1_000_000


def consume(download) -> int:
    size = 0
    for chunk in download.chunks:
        size += len(chunk)
    return size


def measure(exhibitor: Exhibitor, fmt: str, count: int) -> tuple[float, float, int, int]:
    first_id = (
        Lead.objects.filter(exhibitor=exhibitor).order_by("pk").values_list("pk", flat=True).first()
    )
    leads = Lead.objects.filter(exhibitor=exhibitor, pk__lt=first_id + count)
    started, cpu = time.perf_counter(), time.process_time()
    size = consume(exhibitor_download(exhibitor=exhibitor, fmt=fmt, leads=leads))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    tracemalloc.start()
    tracemalloc.reset_peak()
    consume(exhibitor_download(exhibitor=exhibitor, fmt=fmt, leads=leads))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return count / elapsed, count / cpu, peak, size


def main() -> None:
    global BIG
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=BIG)
    BIG = parser.parse_args().leads
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})", flush=True)
    # The schema straight from the models (as the test runner's --nomigrations does): the
    # benchmark measures exports, not migrations.
    from django.apps import apps
    from django.conf import settings

    settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        big, small, topics = setup_floor()
        add_leads(big, BIG, topics, offset=0)
        add_leads(small, PDF_LEADS, topics, offset=BIG)
    print(f"created {BIG + PDF_LEADS:,} leads in {time.perf_counter() - started:.1f} s", flush=True)
    results = {}
    small_count = BIG // 10
    reference = baseline(big, BIG)
    print(f"baseline values_list + csv.writer: {reference:,.0f} rows/s CPU", flush=True)
    rows_ms, cells_ms = breakdown(big, BIG)
    print(
        f"per 1,000 rows: lead rows (queries, consent, row building) {rows_ms:.1f} ms CPU, "
        f"+ layout cells {cells_ms - rows_ms:.1f} ms; "
        f"baseline in all {1000 / reference * 1000:.1f} ms",
        flush=True,
    )
    with translation.override("de"):
        for fmt in ("csv", "xlsx"):
            for count in (small_count, BIG):
                rate, cpu_rate, peak, size = measure(big, fmt, count)
                results[(fmt, count)] = peak
                print(
                    f"{fmt:4} {count:>7,} rows: {rate:>7,.0f} rows/s wall, {cpu_rate:>7,.0f} "
                    f"rows/s CPU (ratio to baseline {cpu_rate / reference:.2f}), peak memory "
                    f"{peak / 1024:>6,.0f} KiB, file {size / 1_048_576:5.1f} MiB",
                    flush=True,
                )
            growth = results[(fmt, BIG)] / results[(fmt, small_count)] - 1
            print(f"{fmt:4} peak memory {BIG:,} vs {small_count:,} rows: {growth:+.1%}", flush=True)
        started, cpu = time.perf_counter(), time.process_time()
        pdf = exhibitor_report_document(exhibitor=small)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"pdf  {PDF_LEADS:,} leads: {elapsed:.2f} s wall ({cpu:.2f} s CPU), "
        f"{len(pdf) / 1_048_576:.1f} MiB · load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} CPUs",
        flush=True,
    )


if __name__ == "__main__":
    main()
