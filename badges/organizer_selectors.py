"""Reads of the control room's attendee and privacy pages: the attendee search with its
filters, the erasure requests waiting for a decision, when each fair's data is erased, and
how far an import wizard's dry run or import is.

Searching by badge code accepts the code as printed ("7K3M-9Q2Z-X0A", any case, with or
without hyphens); a text that is no valid code is searched as a name, company or address.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from badges.codes import CodeFormatError, short_code_normalize
from badges.models import (
    Attendee,
    AttendeeImportChunk,
    Badge,
    ErasureRequest,
    PrivacyAuditEntry,
)
from badges.privacy.retention import retention_days
from fair.models import Fair

PRINTED_CHOICES = ("printed", "not_printed")
BADGE_CHOICES = ("active", "revoked", "none")
QUERY_MAX_LENGTH = 100


def attendees_search(
    *,
    fair: Fair,
    query: str = "",
    category: str = "",
    printed: str = "",
    badge: str = "",
) -> QuerySet[Attendee]:
    """Attendees of the fair, by name, annotated with their active badge (``badge_id``,
    ``badge_code``, ``badge_printed_at``) and ``has_revoked`` (a revoked badge exists).

    ``query``: part of the name, company or email, or a badge code (active or revoked);
    ``category``: an Attendee.Category value; ``printed``: "printed" / "not_printed" (the
    active badge); ``badge``: "active" (has an active badge), "revoked" (has a revoked badge
    and no active one), "none" (no badge at all). Unknown filter values are ignored.
    """
    active = Badge.objects.filter(attendee=OuterRef("pk"), state=Badge.State.ACTIVE)
    revoked = Badge.objects.filter(attendee=OuterRef("pk"), state=Badge.State.REVOKED)
    queryset = (
        Attendee.objects.filter(fair=fair)
        .select_related("fair", "exhibitor")
        .annotate(
            badge_id=Subquery(active.values("pk")[:1]),
            badge_code=Subquery(active.values("short_code")[:1]),
            badge_printed_at=Subquery(active.values("printed_at")[:1]),
            has_revoked=Exists(revoked),
        )
    )
    query = " ".join(query.split())[:QUERY_MAX_LENGTH]
    if query:
        condition = Q()
        for word in query.split(" "):
            condition &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(company__icontains=word)
                | Q(email__icontains=word)
            )
        try:
            code = short_code_normalize(query)
        except CodeFormatError:
            pass
        else:
            condition |= Q(badges__short_code=code)
        queryset = queryset.filter(condition).distinct()
    if category in Attendee.Category.values:
        queryset = queryset.filter(category=category)
    if printed in PRINTED_CHOICES:
        queryset = queryset.filter(
            Exists(active.filter(printed_at__isnull=printed == "not_printed"))
        )
    if badge == "active":
        queryset = queryset.filter(Exists(active))
    elif badge == "revoked":
        queryset = queryset.filter(Exists(revoked)).exclude(Exists(active))
    elif badge == "none":
        queryset = queryset.exclude(badges__isnull=False)
    return queryset.order_by("last_name", "first_name", "pk")


def attendee_badges(*, attendee: Attendee) -> QuerySet[Badge]:
    """Every badge the attendee ever had, the newest first."""
    return Badge.objects.filter(attendee=attendee).order_by("-issued_at", "-pk")


def erasure_requests_pending(*, fair: Fair | None = None) -> QuerySet[ErasureRequest]:
    """Requests waiting for an organizer's decision, the oldest first (it waited longest)."""
    queryset = ErasureRequest.objects.filter(state=ErasureRequest.State.PENDING)
    if fair is not None:
        queryset = queryset.filter(attendee__fair=fair)
    return queryset.select_related("attendee", "attendee__fair").order_by("requested_at", "pk")


def erasure_requests_decided(*, limit: int = 20) -> QuerySet[ErasureRequest]:
    """The latest decisions (the person's name is gone once erased; the request stays)."""
    return (
        ErasureRequest.objects.exclude(state=ErasureRequest.State.PENDING)
        .select_related("attendee", "attendee__fair", "decided_by")
        .order_by("-decided_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class FairRetention:
    fair: Fair
    erase_on: datetime.date  # the first day ``purge_expired`` erases the fair's data
    days_left: int  # until erase_on; 0 or less: due or done
    purged_at: datetime.datetime | None  # the last purge that changed something
    people_held: int  # attendees whose data is still held (not erased)
    erased: int

    @property
    def due(self) -> bool:
        return self.days_left <= 0


def fairs_retention(*, today: datetime.date | None = None) -> list[FairRetention]:
    """Per fair, the newest first: when its personal data is erased (the day after its last
    day plus the retention period, as ``badges.privacy.retention.fairs_expired`` decides),
    whether that happened, and how many people's data is still held."""
    today = today or timezone.localdate()
    days = retention_days()
    purges = PrivacyAuditEntry.objects.filter(
        fair=OuterRef("pk"), action=PrivacyAuditEntry.Action.RETENTION_PURGED
    ).order_by("-at")
    fairs = Fair.objects.annotate(
        purged_at=Subquery(purges.values("at")[:1]),
        people_held=Count("attendees", filter=Q(attendees__erased_at__isnull=True)),
        erased=Count("attendees", filter=Q(attendees__erased_at__isnull=False)),
    ).order_by("-starts_on", "-pk")
    rows = []
    for fair in fairs:
        erase_on = fair.ends_on + datetime.timedelta(days=days + 1)
        rows.append(
            FairRetention(
                fair=fair,
                erase_on=erase_on,
                days_left=(erase_on - today).days,
                purged_at=fair.purged_at,
                people_held=fair.people_held,
                erased=fair.erased,
            )
        )
    return rows


def import_chunks_done(*, upload: str, dry_run: bool) -> int:
    """How many chunks of an import wizard's dry run or import are done (they run in order)."""
    return AttendeeImportChunk.objects.filter(upload=upload, dry_run=dry_run).count()


def import_results(*, upload: str, dry_run: bool) -> list[dict[str, Any]]:
    """The result of each row of an import wizard's dry run or import, in file order."""
    chunks = AttendeeImportChunk.objects.filter(upload=upload, dry_run=dry_run).order_by("number")
    return [row for rows in chunks.values_list("rows", flat=True) for row in rows]
