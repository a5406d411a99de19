"""python manage.py print_badges --out FILE.pdf [--layout …] [--category …] [--exhibitor …]
[--not-printed] [--fair SLUG]"""

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from badges.layouts import LAYOUTS, layout_get
from badges.models import Attendee
from badges.print_check import print_issue_text
from badges.printing import badges_write_pdf
from badges.selectors import badges_for_print
from badges.services.issue import badges_mark_printed
from exhibitors.models import Exhibitor
from fair.models import Fair

from ._fair import fair_for_command


class Command(BaseCommand):
    help = (
        "Print active badges as one PDF, sorted by name (by stand for staff), and mark them "
        "printed once the file is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="the PDF file to write")
        parser.add_argument("--layout", choices=sorted(LAYOUTS), default="a6-4up")
        parser.add_argument(
            "--category",
            action="append",
            choices=Attendee.Category.values,
            help="only this category (repeat for several)",
        )
        parser.add_argument(
            "--exhibitor", help="only the staff of this exhibitor (id or exact company name)"
        )
        parser.add_argument(
            "--not-printed", action="store_true", help="only badges not printed before"
        )
        parser.add_argument("--fair", help="fair slug (default: the only current fair)")

    def _exhibitor(self, fair: Fair, text: str | None) -> Exhibitor | None:
        if not text:
            return None
        exhibitors = Exhibitor.objects.filter(fair=fair)
        found = (
            exhibitors.filter(pk=int(text)).first()
            if text.isdigit()
            else exhibitors.filter(company_name__iexact=text).first()
        )
        if found is None:
            raise CommandError(f"No exhibitor {text!r} at {fair.slug}.")
        return found

    def handle(self, *args: Any, **options: Any) -> None:
        fair = fair_for_command(options["fair"])
        layout = layout_get(options["layout"])
        out = Path(options["out"]).resolve()
        if not out.parent.is_dir():
            raise CommandError(f"The folder {out.parent} does not exist.")
        badges = badges_for_print(
            fair=fair,
            categories=options["category"],
            exhibitor=self._exhibitor(fair, options["exhibitor"]),
            not_printed=options["not_printed"],
        )
        # Write next to the target and rename at the end: a failed run leaves no half file
        # and marks nothing printed.
        handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as stream:
                try:
                    result = badges_write_pdf(badges=badges, layout=layout, out=stream)
                except ValueError as exc:
                    raise CommandError("No active badge matches; nothing printed.") from exc
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, out)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        badges_mark_printed(badge_ids=result.badge_ids)
        for badge_id, name, issues in result.issues:
            for issue in issues:
                self.stderr.write(f"Warning: badge {badge_id} ({name}): {print_issue_text(issue)}")
        self.stdout.write(
            self.style.SUCCESS(f"{result.count} badge(s) written to {out} ({layout.key}).")
        )
