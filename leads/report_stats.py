"""Counts for charts, dashboards and reports: days and hours in the fair's time zone.

The aggregations (``leads_per_day``, ``leads_per_hour``, ``rating_split``, ``top_topics``,
``scans_per_device``, ``exhibitor_statistics``, ``attendance_figures``) feed the charts of the
dashboard, the PDF reports and the statistics API. Days and hours are counted in the fair's
own time zone (Europe/Berlin), by the lead's first scan.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Max,
    Min,
    Q,
    QuerySet,
)
from django.db.models.functions import ExtractHour, TruncDate

from badges.models import Attendee, Badge
from exhibitors.models import Exhibitor
from fair.models import Area, Fair
from leads.models import Lead, Scan
from leads.report_rows import (
    RATINGS,
    fair_days,
    fair_zone,
    topic_name,
)
from leads.selectors import exhibitors_reported, leads_for_exhibitor

# --- aggregations for charts -----------------------------------------------------------------


def leads_per_day(*, leads: QuerySet[Lead], fair: Fair) -> list[tuple[datetime.date, int]]:
    """Leads by the day of their first scan; every fair day is listed, also with 0."""
    zone = fair_zone(fair)
    counts = dict(
        leads.order_by()
        .annotate(day=TruncDate("first_scanned_at", tzinfo=zone))
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    for day in fair_days(fair=fair):
        counts.setdefault(day, 0)
    return sorted(counts.items())


def leads_per_hour(*, leads: QuerySet[Lead], fair: Fair) -> dict[datetime.date, list[int]]:
    """Leads by day and hour (0 … 23) of their first scan; every fair day is listed."""
    zone = fair_zone(fair)
    result: dict[datetime.date, list[int]] = {day: [0] * 24 for day in fair_days(fair=fair)}
    rows = (
        leads.order_by()
        .annotate(
            day=TruncDate("first_scanned_at", tzinfo=zone),
            hour=ExtractHour("first_scanned_at", tzinfo=zone),
        )
        .values_list("day", "hour")
        .annotate(n=Count("id"))
        .values_list("day", "hour", "n")
    )
    for day, hour, count in rows:
        result.setdefault(day, [0] * 24)[hour] += count
    return dict(sorted(result.items()))


def rating_split(*, leads: QuerySet[Lead]) -> dict[str, int]:
    """{"hot": n, "warm": n, "cold": n, "": unrated}."""
    counts = dict(
        leads.order_by().values_list("rating").annotate(n=Count("id")).values_list("rating", "n")
    )
    return {rating: counts.get(rating, 0) for rating in RATINGS}


def top_topics(*, leads: QuerySet[Lead], limit: int = 8) -> list[tuple[str, int]]:
    """The interest topics most often named by the leads' visitors; only visitors who agreed to
    share their details count (their topics are part of the shared data)."""
    through = Attendee.topics.through
    rows = (
        through.objects.filter(
            attendee__in=leads.filter(attendee__lead_sharing=True).values("attendee_id")
        )
        .values_list("topic_id", "topic__name_de", "topic__name_en")
        .annotate(n=Count("id"))
        .order_by("-n", "topic__position", "topic__name_de")  # type: ignore[misc]  # stubs miss n
    )
    return [(topic_name(name_de, name_en), count) for _, name_de, name_en, count in rows[:limit]]


@dataclass
class DeviceCount:
    device_id: int
    label: str
    exhibitor_name: str
    scans: int


def scans_per_device(*, scans: QuerySet[Scan], limit: int | None = None) -> list[DeviceCount]:
    rows = (
        scans.order_by()
        .values_list("device_id", "device__label", "device__exhibitor__company_name")
        .annotate(n=Count("id"))
        .order_by("-n", "device__label")
    )
    if limit is not None:
        rows = rows[:limit]
    return [DeviceCount(device_id, label, name, n) for device_id, label, name, n in rows]


@dataclass
class ExhibitorStats:
    exhibitor_id: int
    company_name: str
    stand_number: str
    area_name: str
    leads: int = 0
    hot: int = 0
    warm: int = 0
    cold: int = 0
    unrated: int = 0
    shared_contacts: int = 0
    scans: int = 0
    devices: int = 0
    first_scan: datetime.datetime | None = None
    last_scan: datetime.datetime | None = None


def exhibitor_statistics(*, exhibitors: QuerySet[Exhibitor]) -> list[ExhibitorStats]:
    """Lead and scan figures per exhibitor, in three queries whatever the number of exhibitors."""
    stats = {
        pk: ExhibitorStats(pk, name, stand or "", area)
        for pk, name, stand, area in exhibitors.order_by("company_name", "pk").values_list(
            "pk", "company_name", "stand__number", "area__name"
        )
    }
    lead_figures = (
        Lead.objects.filter(exhibitor__in=exhibitors.values("pk"))
        .order_by()
        .values_list("exhibitor_id")
        .annotate(
            total=Count("id"),
            hot=Count("id", filter=Q(rating="hot")),
            warm=Count("id", filter=Q(rating="warm")),
            cold=Count("id", filter=Q(rating="cold")),
            shared=Count("id", filter=Q(attendee__lead_sharing=True)),
            first=Min("first_scanned_at"),
            last=Max("last_scanned_at"),
        )
        .values_list("exhibitor_id", "total", "hot", "warm", "cold", "shared", "first", "last")
    )
    for pk, total, hot, warm, cold, shared, first, last in lead_figures:
        entry = stats[pk]
        entry.leads, entry.hot, entry.warm, entry.cold = total, hot, warm, cold
        entry.unrated = total - hot - warm - cold
        entry.shared_contacts, entry.first_scan, entry.last_scan = shared, first, last
    scan_figures = (
        Scan.objects.filter(lead__exhibitor__in=exhibitors.values("pk"))
        .order_by()
        .values_list("lead__exhibitor_id")
        .annotate(n=Count("id"), devices=Count("device_id", distinct=True))
        .values_list("lead__exhibitor_id", "n", "devices")
    )
    for pk, scans, devices in scan_figures:
        stats[pk].scans, stats[pk].devices = scans, devices
    return list(stats.values())


def attendance_figures(*, fair: Fair) -> dict[str, int]:
    """Visitors registered and confirmed, badges issued (active) and printed, for one fair."""
    visitors = Attendee.objects.filter(fair=fair, category=Attendee.Category.VISITOR).aggregate(
        registered=Count("id"),
        confirmed=Count("id", filter=Q(confirmed_at__isnull=False)),
        sharing=Count("id", filter=Q(lead_sharing=True)),
    )
    badges = Badge.objects.filter(attendee__fair=fair).aggregate(
        issued=Count("id", filter=Q(state=Badge.State.ACTIVE)),
        printed=Count("id", filter=Q(printed_at__isnull=False)),
    )
    return {
        "visitors_registered": visitors["registered"],
        "visitors_confirmed": visitors["confirmed"],
        "visitors_sharing": visitors["sharing"],
        "badges_issued": badges["issued"],
        "badges_printed": badges["printed"],
    }


def key_figures(*, leads: QuerySet[Lead]) -> dict:
    """Totals for a set of leads: leads, scans, shared contacts, first and last scan."""
    figures = leads.order_by().aggregate(
        leads=Count("id"),
        shared=Count("id", filter=Q(attendee__lead_sharing=True)),
        first=Min("first_scanned_at"),
        last=Max("last_scanned_at"),
    )
    scan_figures = Scan.objects.filter(lead__in=leads.order_by().values("pk")).aggregate(
        scans=Count("id"), devices=Count("device_id", distinct=True)
    )
    return {**figures, **scan_figures}


# --- bundles for the PDF reports and the dashboard ------------------------------------------


@dataclass
class LeadReport:
    """Everything one set of leads shows in a report: figures and chart data."""

    title: str
    figures: dict
    ratings: dict[str, int]
    per_day: list[tuple[datetime.date, int]]
    per_hour: dict[datetime.date, list[int]]
    topics: list[tuple[str, int]]
    devices: list[DeviceCount] = field(default_factory=list)


def lead_report(*, leads: QuerySet[Lead], fair: Fair, title: str) -> LeadReport:
    return LeadReport(
        title=title,
        figures=key_figures(leads=leads),
        ratings=rating_split(leads=leads),
        per_day=leads_per_day(leads=leads, fair=fair),
        per_hour=leads_per_hour(leads=leads, fair=fair),
        topics=top_topics(leads=leads),
        devices=scans_per_device(scans=Scan.objects.filter(lead__in=leads.values("pk"))),
    )


def exhibitor_leads(*, exhibitor: Exhibitor) -> QuerySet[Lead]:
    """All leads of one exhibitor (``leads_for_exhibitor``) without its list prefetches."""
    return leads_for_exhibitor(exhibitor=exhibitor).select_related(None).prefetch_related(None)


def area_exhibitors(*, area: Area) -> QuerySet[Exhibitor]:
    """Exhibitors of an area that have or had leads, or hold a stand, by company name."""
    return (
        exhibitors_reported(area=area)
        .select_related("stand", "area", "fair")
        .order_by("company_name", "pk")
    )
