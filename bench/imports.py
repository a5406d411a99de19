#!/usr/bin/env python3
"""Attendee import benchmark: dry run (preview) and import of a ticketing CSV.

    .venv/bin/python bench/imports.py [--rows 5000 50000]

Uses DATABASE_URL if set, else a temporary SQLite database. Writes a German-Excel-style file
(Windows-1252, semicolons) with the given number of rows, then times in this process:
parsing alone, the dry run (what the admin preview runs), and the import; then the same file
again (every row unchanged). Reference measured alone in the same run: parsing the same file
with the standard library's csv module, in rows per second.
"""

import argparse
import csv
import io
import os
import sys
import tempfile
import time
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[5000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fairlead-bench-") as folder:
        os.environ["DATABASE_URL"] = (
            os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3"
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fair.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        from badges.importer import csv_parse
        from badges.models import Attendee
        from badges.services.attendee_import import attendees_import
        from tests import factories

        call_command("migrate", verbosity=0)
        for rows in args.rows:
            content = _file(rows)
            started = time.perf_counter()
            list(csv.reader(io.StringIO(content.decode("cp1252")), delimiter=";"))
            reference = rows / (time.perf_counter() - started)
            fair = factories.make_fair()
            timings = {}
            for label, call in (
                ("parse", lambda c=content: csv_parse(c)),
                (
                    "dry run",
                    lambda c=content, f=fair: attendees_import(fair=f, content=c, dry_run=True),
                ),
                (
                    "import",
                    lambda c=content, f=fair: attendees_import(fair=f, content=c, dry_run=False),
                ),
                (
                    "re-import",
                    lambda c=content, f=fair: attendees_import(fair=f, content=c, dry_run=False),
                ),
            ):
                started = time.perf_counter()
                call()
                timings[label] = time.perf_counter() - started
            assert Attendee.objects.filter(fair=fair).count() == rows
            print(
                f"{rows} rows: "
                + " · ".join(f"{label} {seconds:.1f} s" for label, seconds in timings.items())
                + f" | import {rows / timings['import']:.0f} rows/s, ratio to csv.reader "
                f"{rows / timings['import'] / reference:.4f} | load {os.getloadavg()[0]:.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
