"""python manage.py import_attendees FILE.csv [--fair SLUG] [--dry-run] [--map COLUMN=FIELD …]"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from badges.importer import FIELDS, MAX_BYTES, ImportFileError
from badges.services.attendee_import import attendees_import

from ._fair import fair_for_command


class Command(BaseCommand):
    help = (
        "Import attendees from a ticketing CSV (header row; UTF-8, UTF-16 or Windows-1252; "
        "comma, semicolon or tab). Prints what happened to each row; --dry-run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV file")
        parser.add_argument("--fair", help="fair slug (default: the only current fair)")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would happen, change nothing"
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=FIELD",
            help=f"read COLUMN as FIELD ({', '.join(FIELDS)}; empty: ignore it); repeatable",
        )
        parser.add_argument("--encoding", help="the file's encoding, instead of detecting it")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(
                f"{path} has {path.stat().st_size / 1048576:.1f} MB; at most "
                f"{MAX_BYTES // 1048576} MB can be imported at once. Split the file."
            )
        mapping = {}
        for pair in options["map"]:
            column, separator, target = pair.partition("=")
            if not separator or not column.strip():
                raise CommandError(f"--map takes COLUMN=FIELD, not {pair!r}.")
            mapping[column.strip()] = target.strip()
        fair = fair_for_command(options["fair"])
        try:
            report = attendees_import(
                fair=fair,
                content=path.read_bytes(),
                dry_run=options["dry_run"],
                mapping=mapping,
                encoding=options["encoding"],
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Encoding {report.encoding}, separator {report.delimiter}; columns:")
        for header, target in report.mapping:
            self.stdout.write(f"  {header} → {target or '(ignored)'}")
        for row in report.rows:
            detail = "; ".join(row.reasons) if row.reasons else ", ".join(row.changed)
            line = f"line {row.line}: {row.action:<9} {row.key} {row.name}"
            line = f"{line} — {detail}" if detail else line
            self.stdout.write(self.style.ERROR(line) if row.action == "rejected" else line)
            for warning in row.warnings:
                self.stdout.write(self.style.WARNING(f"line {row.line}: warning: {warning}"))
        if report.unknown_columns:
            self.stdout.write(f"Ignored columns: {', '.join(report.unknown_columns)}")
        counts = report.counts
        summary = (
            f"{'Dry run, nothing saved' if report.dry_run else 'Imported'} into {fair.slug}: "
            f"{counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['rejected']} rejected."
        )
        self.stdout.write(self.style.SUCCESS(summary))
