#!/usr/bin/env python3
"""Attendee import benchmark: dry run (preview) and import of a ticketing CSV.

    .venv/bin/python bench/imports.py [--rows 5000 50000] [--runs 3] [--pages]

Uses DATABASE_URL if set, else a temporary SQLite database; DEBUG off as in production (no
query log). Writes a German-Excel-style file (Windows-1252, semicolons) with the given number
of rows, then times in this process, ``--runs`` times on a fresh fair each: parsing alone,
the dry run and the import in one call each (as the command runs them), then the same file
again (every row unchanged); and the wizard's way on another fair: dry run and import chunk
by chunk (``FAIRLEAD_IMPORT_CHUNK_ROWS``, one request each), with the longest chunk, which is
what a request of the wizard takes. Prints the median and the spread (min–max) of each.
Reference measured alone in the same run, before each run: reading the same file with the
standard library (``csv.DictReader``, median of five); the ratios are time / reference time,
so that figures from a busy machine compare.

``--pages``: instead, the wizard's requests through Django's test client (in this process, no
HTTP server; the session in the database): upload, columns, every chunk of the dry run, its
results page, every chunk of the import, its results page; prints each kind of request's
longest time.
"""

import argparse
import csv
import io
import os
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _file(rows: int) -> bytes:
    # About 80 bytes a row, so that 50,000 rows stay within the 5 MB upload limit.
    lines = ["Ticketnummer;Vorname;Nachname;E-Mail-Adresse;Unternehmen;PLZ;Land"]
    for index in range(rows):
        lines.append(
            f"T-{index};Jürgen{index};Müller-Lüdenscheidt;j{index}@example.org;"
            f"Stadtwerke Bochum;{44135 + index % 100:05d};DE"
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _seconds(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _figure(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def _timed(times: dict[str, list[float]], kind: str, call, *args, **kwargs):
    started = time.perf_counter()
    response = call(*args, **kwargs)
    times.setdefault(kind, []).append(time.perf_counter() - started)
    assert response.status_code in (200, 302), (kind, response.status_code)
    return response


def _pages_run(content: bytes) -> dict[str, float]:
    """One wizard run on a new fair: the longest request of each kind."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from badges.importer import csv_head, fields_recognized
    from tests import factories

    fair = factories.make_fair()
    client = Client()
    client.force_login(factories.make_organizer())
    times: dict[str, list[float]] = {}
    names = ("import_upload", "import_mapping", "import_check", "import_run", "import_done")
    url = {name: reverse(f"organizer_attendees:{name}") for name in names}
    upload = SimpleUploadedFile("bench.csv", content, content_type="text/csv")
    _timed(times, "upload", client.post, url["import_upload"], {"fair": fair.pk, "file": upload})
    _timed(times, "columns", client.get, url["import_mapping"])
    header, _rows = csv_head(content)
    fields = fields_recognized(header)
    mapping = {f"col_{index}": fields[name] for index, name in enumerate(header)}
    _timed(times, "columns", client.post, url["import_mapping"], mapping)
    for phase, page in (("check", "import_check"), ("import", "import_done")):
        _timed(times, f"{phase} page", client.get, url[page])
        chunk, finished = 0, False
        while not finished:
            answer = _timed(
                times, f"{phase} chunk", client.post, url["import_run"],
                {"phase": phase, "chunk": chunk}, HTTP_ACCEPT="application/json",
            ).json()  # fmt: skip
            chunk, finished = answer["next"], answer["finished"]
        _timed(times, f"{phase} results", client.get, url[page])
    return {kind: max(values) for kind, values in times.items()}


def _pages(content: bytes, runs: int) -> None:
    """The wizard's requests, as a browser with the progress page's script sends them."""
    longest: dict[str, list[float]] = {}
    for _run in range(runs):
        for kind, seconds in _pages_run(content).items():
            longest.setdefault(kind, []).append(seconds)
    print(
        "  longest request of each kind, median (min–max):\n  "
        + "\n  ".join(f"{kind} {_figure(values)}" for kind, values in longest.items()),
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", action="store_true", help="time the wizard's requests")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fairlead-bench-") as folder:
        os.environ["DATABASE_URL"] = (
            os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3"
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fair.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        from badges.importer import csv_parse
        from badges.models import Attendee
        from badges.services.attendee_import import attendees_import, attendees_import_chunk
        from tests import factories

        settings.DEBUG = False  # as in production: no query log
        call_command("migrate", verbosity=0)
        for rows in args.rows:
            content = _file(rows)
            if args.pages:
                size = settings.FAIRLEAD_IMPORT_CHUNK_ROWS
                print(f"{rows} rows, {args.runs} runs, chunks of {size}, the wizard's requests:")
                _pages(content, args.runs)
                print(f"  load {os.getloadavg()[0]:.1f}", flush=True)
                continue
            timings: dict[str, list[float]] = {}
            for _run in range(args.runs):
                timings.setdefault("reference", []).append(
                    statistics.median(
                        _seconds(
                            lambda c=content: list(
                                csv.DictReader(io.StringIO(c.decode("cp1252")), delimiter=";")
                            )
                        )
                        for _repeat in range(5)
                    )
                )
                fair = factories.make_fair()
                timings.setdefault("parse", []).append(_seconds(lambda c=content: csv_parse(c)))
                for label, dry_run in (("dry run", True), ("import", False), ("re-import", False)):
                    timings.setdefault(label, []).append(
                        _seconds(
                            lambda c=content, f=fair, d=dry_run: attendees_import(
                                fair=f, content=c, dry_run=d
                            )
                        )
                    )
                assert Attendee.objects.filter(fair=fair).count() == rows
                wizard = factories.make_fair()
                size = settings.FAIRLEAD_IMPORT_CHUNK_ROWS
                chunks: list[float] = []
                for label, dry_run in (("wizard dry run", True), ("wizard import", False)):
                    for number in range(-(-rows // size)):
                        chunks.append(
                            _seconds(
                                partial(
                                    attendees_import_chunk, fair=wizard,
                                    upload=f"bench-{wizard.pk}", content=content, mapping=None,
                                    dry_run=dry_run, number=number, size=size,
                                )
                            )
                        )  # fmt: skip
                    timings.setdefault(label, []).append(sum(chunks))
                    chunks_longest = max(chunks)
                    chunks.clear()
                    timings.setdefault(f"longest {label} request", []).append(chunks_longest)
                assert Attendee.objects.filter(fair=wizard).count() == rows
            ratios = {
                label: statistics.median(
                    seconds / reference
                    for seconds, reference in zip(timings[label], timings["reference"], strict=True)
                )
                for label in ("dry run", "import", "wizard dry run", "wizard import")
            }
            print(
                f"{rows} rows, {args.runs} runs, chunks of {settings.FAIRLEAD_IMPORT_CHUNK_ROWS}, "
                "median (min–max):\n  "
                + "\n  ".join(f"{label} {_figure(values)}" for label, values in timings.items())
                + "\n  × reference: "
                + ", ".join(f"{label} {ratio:.0f}" for label, ratio in ratios.items())
                + f"\n  load {os.getloadavg()[0]:.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
