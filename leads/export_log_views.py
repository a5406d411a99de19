"""The lead export log in the control room's privacy desk, /organizer/privacy/exports/
(organizers only): every lead file, report or statistics file handed out, who took it, what
and how many rows (``leads.export_audit`` writes the entries). It lives in leads because the
log is the leads app's; the privacy desk of badges links here."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fair.access import organizer_required
from fair.models import Fair
from leads.models import ExportAuditEntry

PAGE_SIZE = 50


def export_log_entries(
    *, fair: Fair | None = None, channel: str = ""
) -> QuerySet[ExportAuditEntry]:
    """The log, newest first, with what a list row shows fetched in the same query."""
    entries = ExportAuditEntry.objects.select_related("fair", "exhibitor", "area").order_by(
        "-at", "-pk"
    )
    if fair is not None:
        entries = entries.filter(fair=fair)
    if channel in ExportAuditEntry.Channel.values:
        entries = entries.filter(channel=channel)
    return entries


@require_GET
@organizer_required
def export_log(request: HttpRequest) -> HttpResponse:
    fairs = list(Fair.objects.order_by("-starts_on", "-pk"))
    wanted = request.GET.get("fair", "")
    fair = None
    if re.fullmatch(r"[0-9]{1,18}", wanted):
        fair = next((item for item in fairs if item.pk == int(wanted)), None)
    channel = request.GET.get("channel", "")
    entries = export_log_entries(fair=fair, channel=channel)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "leads/organizer/export_log.html",
        {
            "page": page,
            "fairs": fairs,
            "fair": fair,
            "channel": channel,
            "channels": ExportAuditEntry.Channel.choices,
            "query": query.urlencode(),
        },
    )
