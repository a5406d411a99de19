"""Lead filters shared by the portal pages, their exports and the API (rating, tag, search, …)."""

from __future__ import annotations

import datetime
import zoneinfo

from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)

from exhibitors.models import Exhibitor
from leads.models import Lead, Scan, ScannerDevice
from leads.report_rows import (
    day_bounds,
)

# --- lead filters shared by the portal pages, their exports and the API ---------------------


def leads_filter(
    *,
    leads: QuerySet[Lead],
    rating: str | None = None,
    tag: str | None = None,
    day: datetime.date | None = None,
    zone: zoneinfo.ZoneInfo | None = None,
    device: ScannerDevice | int | None = None,
    search: str = "",
    exhibitor: Exhibitor | int | None = None,
    changed_since: datetime.datetime | None = None,
) -> QuerySet[Lead]:
    """Narrow a lead queryset. ``rating="none"`` means unrated; ``day`` is a fair day in
    ``zone`` and matches leads with at least one scan on that day; ``device`` matches leads that
    device scanned; ``search`` matches every word against first name, last name or company."""
    if exhibitor is not None:
        leads = leads.filter(exhibitor=exhibitor)
    if rating:
        leads = leads.filter(rating="" if rating == "none" else rating)
    if tag:
        leads = leads.filter(pk__in=_lead_ids_with_tag(leads=leads, tag=tag))
    if day is not None:
        start, end = day_bounds(day=day, zone=zone or zoneinfo.ZoneInfo("Europe/Berlin"))
        leads = leads.filter(
            Exists(
                Scan.objects.filter(lead=OuterRef("pk"), scanned_at__gte=start, scanned_at__lt=end)
            )
        )
    if device is not None:
        leads = leads.filter(Exists(Scan.objects.filter(lead=OuterRef("pk"), device=device)))
    for word in search.split():
        leads = leads.filter(
            Q(attendee__first_name__icontains=word)
            | Q(attendee__last_name__icontains=word)
            | Q(attendee__company__icontains=word)
        )
    if changed_since is not None:
        leads = leads.filter(updated_at__gte=changed_since)
    return leads


def _lead_ids_with_tag(*, leads: QuerySet[Lead], tag: str) -> list[int]:
    # JSON containment is not portable (SQLite has none), so the tag lists are read and matched
    # here; the list holds ids only and is passed back as one IN (…) parameter list.
    wanted = tag.casefold()
    return [
        lead_id
        for lead_id, tags in leads.order_by().prefetch_related(None).values_list("id", "tags")
        if any(str(item).casefold() == wanted for item in tags or [])
    ]


def tags_in_use(*, leads: QuerySet[Lead]) -> list[str]:
    """Every tag used on these leads, sorted case-insensitively (one query)."""
    seen: dict[str, str] = {}
    for tags in leads.order_by().prefetch_related(None).values_list("tags", flat=True):
        for tag in tags or []:
            seen.setdefault(str(tag).casefold(), str(tag))
    return sorted(seen.values(), key=str.casefold)
