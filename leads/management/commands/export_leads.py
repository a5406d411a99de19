"""``manage.py export_leads --format csv|csv-excel|xlsx|salesforce|hubspot|pdf --out FILE
[--exhibitor ID] [--fair ID] [--area ID]``

The same files as the portal and the organizers' dashboard, for automation:
with ``--exhibitor`` the exhibitor's lead file or PDF lead report; without it every lead of
a fair (``--fair``, default the latest) as CSV/XLSX, or the area PDF report (``--area``).
Each run is written to the lead export log (``leads.ExportAuditEntry``) with the rows written.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from exhibitors.models import Exhibitor
from fair.models import Area, Fair
from leads import export_audit, reports
from leads.models import ExportAuditEntry

FORMATS = ("csv", "csv-excel", "xlsx", "salesforce", "hubspot", "pdf")


class Command(BaseCommand):
    help = "Write a lead export (CSV, XLSX, CRM layouts) or a PDF lead report to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
        parser.add_argument("--out", required=True, help="the file to write")
        parser.add_argument("--exhibitor", type=int, metavar="ID")
        parser.add_argument("--fair", type=int, metavar="ID")
        parser.add_argument("--area", type=int, metavar="ID")
        parser.add_argument("--language", default="de", choices=("de", "en"))

    def handle(
        self,
        *args: Any,
        fmt: str,
        out: str,
        exhibitor: int | None = None,
        fair: int | None = None,
        area: int | None = None,
        language: str = "de",
        **options: Any,
    ) -> None:
        with translation.override(language):
            chunks = self._chunks(fmt=fmt, exhibitor_id=exhibitor, fair_id=fair, area_id=area)
            size = 0
            path = Path(out)
            try:
                with path.open("wb") as handle:
                    for chunk in chunks:
                        handle.write(chunk)
                        size += len(chunk)
            except OSError as error:
                raise CommandError(f"Cannot write {path}: {error}") from error
            finally:
                close = getattr(chunks, "close", None)
                if close is not None:
                    close()  # a broken-off stream still writes its log entry now
        self.stderr.write(f"Wrote {size:,} bytes to {path}.")

    def _audited(self, counted: export_audit.CountedDownload, **entry: Any) -> Iterator[bytes]:
        return export_audit.audited_download(
            counted,
            actor=export_audit.ExportActor.for_command("export_leads"),
            channel=ExportAuditEntry.Channel.COMMAND,
            **entry,
        ).chunks

    def _chunks(
        self, *, fmt: str, exhibitor_id: int | None, fair_id: int | None, area_id: int | None
    ) -> Iterator[bytes]:
        if exhibitor_id is not None:
            exhibitor = (
                Exhibitor.objects.select_related("fair", "area", "stand")
                .filter(pk=exhibitor_id)
                .first()
            )
            if exhibitor is None:
                raise CommandError(f"There is no exhibitor with id {exhibitor_id}.")
            if fmt == "pdf":
                pdf = reports.exhibitor_report_document(exhibitor=exhibitor)
                count = reports.exhibitor_leads(exhibitor=exhibitor).count()
                return self._audited(
                    export_audit.CountedDownload(
                        reports.Download("", "", iter([pdf])), export_audit.KnownCount(count)
                    ),
                    scope=ExportAuditEntry.Scope.EXHIBITOR_REPORT,
                    fmt=fmt,
                    exhibitor=exhibitor,
                )
            return self._audited(
                export_audit.exhibitor_lead_download(exhibitor=exhibitor, fmt=fmt),
                scope=ExportAuditEntry.Scope.EXHIBITOR_LEADS,
                fmt=fmt,
                exhibitor=exhibitor,
            )
        if fmt == "pdf":
            if area_id is None:
                raise CommandError("A PDF needs --exhibitor ID (lead report) or --area ID.")
            area_obj = Area.objects.select_related("fair").filter(pk=area_id).first()
            if area_obj is None:
                raise CommandError(f"There is no area with id {area_id}.")
            pdf = reports.area_report_document(area=area_obj)
            count = reports.area_exhibitors(area=area_obj).count()
            return self._audited(
                export_audit.CountedDownload(
                    reports.Download("", "", iter([pdf])), export_audit.KnownCount(count)
                ),
                scope=ExportAuditEntry.Scope.AREA_REPORT,
                fmt=fmt,
                area=area_obj,
            )
        if fmt in {"salesforce", "hubspot"}:
            raise CommandError(f"The {fmt} layout is made per exhibitor: give --exhibitor ID.")
        fairs = Fair.objects.order_by("-starts_on", "-id")
        fair_obj = fairs.filter(pk=fair_id).first() if fair_id is not None else fairs.first()
        if fair_obj is None:
            raise CommandError("There is no such fair.")
        return self._audited(
            export_audit.fair_lead_download(fair=fair_obj, fmt=fmt),
            scope=ExportAuditEntry.Scope.FAIR_LEADS,
            fmt=fmt,
            fair=fair_obj,
        )
