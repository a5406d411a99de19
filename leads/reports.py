"""Lead downloads and report documents: the same files for the portal, the organizers and
the command line, built from the row selectors (``leads.report_rows``), filters
(``leads.report_filters``) and figures (``leads.report_stats``). Those modules' names are
re-exported here, where the views and the API have always found them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    QuerySet,
)

from badges.forum.selectors import forum_results_for_fair
from exhibitors.models import Exhibitor
from fair.models import Area, Fair
from leads.models import Lead, Question
from leads.report_filters import leads_filter, tags_in_use
from leads.report_rows import (
    CONTACT_FIELDS,
    EXPORT_CHUNK_SIZE,
    RATINGS,
    LeadRow,
    answer_text,
    contact_expressions,
    day_bounds,
    fair_days,
    fair_zone,
    lead_rows,
    questions_for,
)
from leads.report_stats import (
    DeviceCount,
    ExhibitorStats,
    LeadReport,
    area_exhibitors,
    attendance_figures,
    exhibitor_leads,
    exhibitor_statistics,
    key_figures,
    lead_report,
    leads_per_day,
    leads_per_hour,
    rating_split,
    scans_per_device,
    top_topics,
)
from leads.selectors import exhibitors_reported

__all__ = [
    "CONTACT_FIELDS",
    "EXPORT_CHUNK_SIZE",
    "RATINGS",
    "DeviceCount",
    "Download",
    "ExhibitorStats",
    "LeadReport",
    "LeadRow",
    "RowCounter",
    "answer_text",
    "area_exhibitors",
    "area_report_document",
    "attendance_figures",
    "contact_expressions",
    "day_bounds",
    "exhibitor_download",
    "exhibitor_leads",
    "exhibitor_report_document",
    "exhibitor_statistics",
    "exhibitor_statistics_download",
    "fair_days",
    "fair_zone",
    "key_figures",
    "lead_report",
    "lead_rows",
    "leads_filter",
    "leads_per_day",
    "leads_per_hour",
    "organizer_leads_download",
    "questions_for",
    "rating_split",
    "scans_per_device",
    "tags_in_use",
    "top_topics",
]


# --- downloads and documents: the same files for the portal, the organizers and the CLI -----


class RowCounter:
    """Passes rows through and counts them (the export log records how many were sent)."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self._rows = iter(rows)
        self.count = 0

    def __iter__(self) -> RowCounter:
        return self

    def __next__(self) -> Any:
        row = next(self._rows)
        self.count += 1
        return row


@dataclass
class Download:
    filename: str
    content_type: str
    chunks: Iterator[bytes]
    # Lead files count the rows they stream; None where the count is known beforehand.
    rows: RowCounter | None = None


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text)[:40] or "export"


def _fair_dates(fair: Fair) -> str:
    from django.utils import formats

    first = formats.date_format(fair.starts_on, "SHORT_DATE_FORMAT")
    last = formats.date_format(fair.ends_on, "SHORT_DATE_FORMAT")
    return first if first == last else f"{first} – {last}"


# Formats that share a file extension get distinct file names (leads.csv, leads-excel.csv).
FILENAME_SUFFIX = {"csv-excel": "-excel", "salesforce": "-salesforce", "hubspot": "-hubspot"}


def exhibitor_download(
    *, exhibitor: Exhibitor, fmt: str, leads: QuerySet[Lead] | None = None
) -> Download:
    """One exhibitor's leads (all, or the filtered ``leads``) as a file in ``fmt``."""
    from leads import export_layouts, exports

    formats = exports.export_formats()
    if fmt not in formats:
        raise ValueError(f"unknown export format {fmt!r}")
    fair = exhibitor.fair
    zone = fair_zone(fair)
    leads = exhibitor_leads(exhibitor=exhibitor) if leads is None else leads
    leads = leads.filter(exhibitor=exhibitor)
    questions = list(
        Question.objects.filter(exhibitor=exhibitor)
        .order_by("position", "id")
        .only("id", "exhibitor_id", "text", "position")
    )
    if fmt == "salesforce":
        layout = export_layouts.salesforce_layout(source=fair.name, zone_name=zone.key)
    elif fmt == "hubspot":
        layout = export_layouts.hubspot_layout(zone_name=zone.key)
    else:
        layout = export_layouts.standard_layout(questions=questions, zone_name=zone.key)
    rows = RowCounter(lead_rows(leads=leads, zone=zone, questions=questions))
    spec = formats[fmt]
    return Download(
        filename=f"leads-{_slug(exhibitor.company_name)}{FILENAME_SUFFIX.get(fmt, '')}"
        f".{spec.extension}",
        content_type=spec.content_type,
        chunks=exports.lead_export_stream(
            fmt=fmt, layout=layout, rows=rows, row_count=leads.count() if fmt == "xlsx" else None
        ),
        rows=rows,
    )


def organizer_leads_download(*, fair: Fair, fmt: str) -> Download:
    """Every lead of a fair (exhibitor and stand in front) as CSV, CSV for Excel or XLSX."""
    from leads import export_layouts, exports

    if fmt not in {"csv", "csv-excel", "xlsx"}:
        raise ValueError(f"unknown export format {fmt!r}")
    zone = fair_zone(fair)
    leads = Lead.objects.filter(exhibitor__fair=fair).order_by(
        "exhibitor__company_name", "exhibitor_id", "-last_scanned_at", "-id"
    )
    layout = export_layouts.standard_layout(questions=None, with_exhibitor=True, zone_name=zone.key)
    spec = exports.export_formats()[fmt]
    rows = RowCounter(lead_rows(leads=leads, zone=zone))
    return Download(
        filename=f"leads-{_slug(fair.name)}{FILENAME_SUFFIX.get(fmt, '')}.{spec.extension}",
        content_type=spec.content_type,
        chunks=exports.lead_export_stream(
            fmt=fmt, layout=layout, rows=rows, row_count=leads.count() if fmt == "xlsx" else None
        ),
        rows=rows,
    )


def exhibitor_statistics_download(*, fair: Fair, fmt: str) -> Download:
    """Lead and scan figures per exhibitor of a fair as CSV or XLSX."""
    from django.utils.translation import gettext as _

    from leads import exports

    zone = fair_zone(fair)
    stats = exhibitor_statistics(exhibitors=exhibitors_reported(fair=fair))
    header = [
        _("Exhibitor ID"),
        _("Exhibitor"),
        _("Area"),
        _("Stand"),
        _("Leads"),
        _("hot"),
        _("warm"),
        _("cold"),
        _("not rated"),
        _("Contact details shared"),
        _("Scans"),
        _("Scanner devices"),
        _("First scan (%(zone)s)") % {"zone": zone.key},
        _("Last scan (%(zone)s)") % {"zone": zone.key},
    ]
    rows = (
        [
            entry.exhibitor_id,
            entry.company_name,
            entry.area_name,
            entry.stand_number,
            entry.leads,
            entry.hot,
            entry.warm,
            entry.cold,
            entry.unrated,
            entry.shared_contacts,
            entry.scans,
            entry.devices,
            entry.first_scan.astimezone(zone) if entry.first_scan else None,
            entry.last_scan.astimezone(zone) if entry.last_scan else None,
        ]
        for entry in stats
    )
    name = f"exhibitor-statistics-{_slug(fair.name)}"
    if fmt == "xlsx":
        chunks = exports.xlsx_stream(
            header=[str(text) for text in header],
            rows=rows,
            sheet_title=str(_("Exhibitors")),
            column_widths=(10, 30, 20, 10, 8, 8, 8, 8, 10, 12, 8, 10, 19, 19),
            row_count=len(stats),
        )
        return Download(f"{name}.xlsx", exports.XLSX_TYPE, chunks)
    if fmt in {"csv", "csv-excel"}:
        chunks = exports.csv_stream(
            header=[str(text) for text in header],
            rows=rows,
            delimiter=";" if fmt == "csv-excel" else ",",
        )
        return Download(f"{name}.csv", exports.CSV_TYPE, chunks)
    raise ValueError(f"unknown export format {fmt!r}")


def exhibitor_report_document(
    *, exhibitor: Exhibitor, now: datetime.datetime | None = None
) -> bytes:
    """The exhibitor's PDF lead report as bytes."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from leads.report_pdf import ReportHead, exhibitor_report_pdf

    fair = exhibitor.fair
    zone = fair_zone(fair)
    leads = exhibitor_leads(exhibitor=exhibitor)
    stand = exhibitor.stand.number if exhibitor.stand is not None else ""
    head = ReportHead(
        title=str(_("Lead report")),
        subject=exhibitor.company_name,
        lines=[
            (_("Stand %(number)s") % {"number": stand}) + f" · {exhibitor.area.name}"
            if stand
            else exhibitor.area.name,
            fair.name,
            fair.place,
            _fair_dates(fair),
        ],
        generated_at=(now or timezone.now()).astimezone(zone),
        zone_name=zone.key,
    )
    report = lead_report(leads=leads, fair=fair, title=exhibitor.company_name)
    rows = lead_rows(leads=leads.order_by("-last_scanned_at", "-id"), zone=zone)
    return exhibitor_report_pdf(head=head, report=report, rows=rows)


def area_report_document(*, area: Area, now: datetime.datetime | None = None) -> bytes:
    """The area's PDF report (area total, statistics table, each exhibitor) as bytes."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from leads.report_pdf import ReportHead, area_report_pdf

    fair = area.fair
    zone = fair_zone(fair)
    exhibitors = area_exhibitors(area=area)
    head = ReportHead(
        title=str(_("Area report")),
        subject=area.name,
        lines=[fair.name, fair.place, _fair_dates(fair)],
        generated_at=(now or timezone.now()).astimezone(zone),
        zone_name=zone.key,
    )
    area_leads = Lead.objects.filter(exhibitor__area=area)
    total = lead_report(leads=area_leads, fair=fair, title=area.name)
    stats = exhibitor_statistics(exhibitors=exhibitors)
    per_exhibitor = [
        (
            entry,
            lead_report(
                leads=Lead.objects.filter(exhibitor_id=entry.exhibitor_id),
                fair=fair,
                title=entry.company_name,
            ),
        )
        for entry in stats
    ]
    # The forum's sessions on this area's topics (or on none: the area hosts the forum).
    forum = [
        result
        for result in forum_results_for_fair(fair=fair)
        if result.session.topic is None or result.session.topic.area_id == area.pk
    ]
    return area_report_pdf(
        head=head, total=total, stats=stats, exhibitor_reports=per_exhibitor, forum=forum
    )
