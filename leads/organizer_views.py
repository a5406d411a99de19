"""The organizers' lead dashboard and downloads (staff login).

Organizers are the controller of the visitors' data, but their lead files follow the same rule
as the exhibitors': contact fields a visitor did not agree to share with exhibitors are left
out, because these files are made to be passed on.
"""

import re
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fair.access import organizer_required
from fair.models import Area, Fair
from leads import charts, export_audit, reports
from leads.models import ExportAuditEntry, Lead, Scan
from leads.selectors import exhibitors_reported
from leads.views import download_response

REFRESH_SECONDS = 60
LEAD_FORMATS = ("csv", "csv-excel", "xlsx")


def _fair(request: HttpRequest) -> Fair:
    """The fair asked for (?fair=<id>), else the one running today, else the latest that has
    begun and has leads (a dashboard with data), else the latest."""
    fairs = Fair.objects.order_by("-starts_on", "-id")
    wanted = request.GET.get("fair", "")
    if wanted:
        # str.isdigit() accepts "²" and other digits int() refuses: ASCII digits only.
        if not re.fullmatch(r"[0-9]{1,18}", wanted):
            raise Http404("no such fair")
        return get_object_or_404(fairs, pk=int(wanted))
    today = timezone.localdate()
    fair = (
        fairs.filter(starts_on__lte=today, ends_on__gte=today).first()
        or fairs.filter(starts_on__lte=today, exhibitors__leads__isnull=False).first()
        or fairs.first()
    )
    if fair is None:
        raise Http404("no fair yet")
    return fair


def dashboard_data(*, fair: Fair) -> dict:
    """Figures and charts (inline SVG) of the dashboard for one fair."""
    leads = Lead.objects.filter(exhibitor__fair=fair)
    report = reports.lead_report(leads=leads, fair=fair, title=fair.name)
    stats = reports.exhibitor_statistics(exhibitors=exhibitors_reported(fair=fair))
    devices = reports.scans_per_device(
        scans=Scan.objects.filter(lead__exhibitor__fair=fair), limit=12
    )
    hours = charts.hour_range(report.per_hour)
    # Small view boxes: the SVGs scale up to their panels, and their text with them.
    wide, narrow = 420, 300
    per_exhibitor = charts.ranking_chart(
        _("Leads per exhibitor"),
        [(entry.company_name, entry.leads) for entry in sorted(stats, key=lambda e: -e.leads)][:15],
    )
    per_device = charts.ranking_chart(
        _("Scans per device"),
        [(f"{device.label} · {device.exhibitor_name}", device.scans) for device in devices],
        color="#1b7f3b",
    )
    attendance = reports.attendance_figures(fair=fair)
    people = charts.ranking_chart(
        _("Visitors and badges"),
        [
            (_("Visitors registered"), attendance["visitors_registered"]),
            (_("Visitors confirmed"), attendance["visitors_confirmed"]),
            (_("Badges issued"), attendance["badges_issued"]),
            (_("Badges printed"), attendance["badges_printed"]),
        ],
        color="#6a4fb3",
    )
    day_charts = [
        {
            "day": day,
            "svg": charts.chart_svg(
                charts.per_hour_chart(
                    counts,
                    title=_("Leads per hour, %(day)s")
                    % {"day": formats.date_format(day, "SHORT_DATE_FORMAT")},
                    hours=hours,
                ),
                width=narrow,
                height=150,
            ),
            "total": sum(counts),
        }
        for day, counts in report.per_hour.items()
    ]
    return {
        "fair": fair,
        "figures": report.figures,
        "attendance": attendance,
        "ratings": report.ratings,
        "stats": stats,
        "day_charts": day_charts,
        "per_day_svg": charts.chart_svg(
            charts.per_day_chart(report.per_day), width=narrow, height=150
        ),
        "rating_svg": charts.chart_svg(
            charts.rating_chart(report.ratings), width=narrow, height=100
        ),
        "exhibitor_svg": charts.chart_svg(
            per_exhibitor, width=wide, height=charts.bars_height(per_exhibitor)
        ),
        "device_svg": charts.chart_svg(
            per_device, width=wide, height=charts.bars_height(per_device)
        ),
        "people_svg": charts.chart_svg(people, width=narrow, height=charts.bars_height(people)),
        "updated_at": timezone.now(),
    }


@require_GET
@organizer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    fair = _fair(request)
    context = {
        **dashboard_data(fair=fair),
        "fairs": Fair.objects.order_by("-starts_on", "-id"),
        "areas": Area.objects.filter(fair=fair).order_by("name"),
        "refresh_seconds": REFRESH_SECONDS,
    }
    if request.GET.get("partial") == "1":
        return render(request, "leads/organizer/_panels.html", context)
    return render(request, "leads/organizer/dashboard.html", context)


def _actor(request: HttpRequest) -> export_audit.ExportActor:
    return export_audit.ExportActor.for_user(request.user)


def _fair_download(
    request: HttpRequest,
    fmt: str,
    scope: ExportAuditEntry.Scope,
    counted_for: Callable[[Fair], export_audit.CountedDownload],
) -> StreamingHttpResponse:
    """A download of the fair asked for (see ``_fair``) in ``fmt``, logged in the export log."""
    if fmt not in LEAD_FORMATS:
        raise Http404("unknown format")
    fair = _fair(request)
    download = export_audit.audited_download(
        counted_for(fair),
        actor=_actor(request),
        channel=ExportAuditEntry.Channel.ORGANIZER,
        scope=scope,
        fmt=fmt,
        fair=fair,
    )
    return download_response(download)


@require_GET
@organizer_required
def leads_export(request: HttpRequest, fmt: str) -> StreamingHttpResponse:
    return _fair_download(
        request,
        fmt,
        ExportAuditEntry.Scope.FAIR_LEADS,
        lambda fair: export_audit.fair_lead_download(fair=fair, fmt=fmt),
    )


@require_GET
@organizer_required
def statistics_export(request: HttpRequest, fmt: str) -> StreamingHttpResponse:
    return _fair_download(
        request,
        fmt,
        ExportAuditEntry.Scope.FAIR_STATISTICS,
        lambda fair: export_audit.CountedDownload(
            reports.exhibitor_statistics_download(fair=fair, fmt=fmt),
            export_audit.KnownCount(exhibitors_reported(fair=fair).count()),
        ),
    )


@require_GET
@organizer_required
def area_report(request: HttpRequest, area_id: int) -> HttpResponse:
    area = get_object_or_404(Area.objects.select_related("fair"), pk=area_id)
    pdf = reports.area_report_document(area=area)
    export_audit.export_audit_record(
        actor=_actor(request),
        channel=ExportAuditEntry.Channel.ORGANIZER,
        scope=ExportAuditEntry.Scope.AREA_REPORT,
        fmt="pdf",
        row_count=reports.area_exhibitors(area=area).count(),
        area=area,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="area-report-{reports._slug(area.name)}.pdf"'
    )
    response["Cache-Control"] = "no-store, private"
    return response
