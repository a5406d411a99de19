"""Reads of the organizers' registration pages: the review queue, one registration with all
it holds, and the place of a registration in the queue (previous / next).

The queue is first come, first served: ordered by when the contact confirmed the address
(unconfirmed registrations last), then by id, so that previous / next walk the same order as
the list. A registration that has just left the queue (approved from a "submitted" list) keeps
its place for previous / next: its neighbors are found by that same order.
"""

import datetime
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet

from exhibitors.models import Exhibitor, ExhibitorAuditEntry
from exhibitors.selectors import REVIEW_STATES

State = Exhibitor.State
# The state filter's values besides the states themselves.
QUEUE_REVIEW = "review"
QUEUE_ALL = "all"
# The "needs" filter's values: approved exhibitors the organizers still owe something.
NEED_STAND = "stand"  # approved, no stand yet
NEED_STAFF = "staff"  # more stand staff than the quota
# Stands in for "not confirmed yet" in the order (after every real date).
_NEVER = datetime.datetime.max.replace(tzinfo=datetime.UTC)


def exhibitors_for_queue(
    *,
    fair_id: int | None = None,
    area_id: int | None = None,
    state: str = QUEUE_REVIEW,
    search: str = "",
    need: str = "",
) -> QuerySet[Exhibitor]:
    """Registrations in queue order. ``state``: a state, "review" (submitted or waitlisted)
    or "all" (also unconfirmed ones). ``search``: part of the company name, VAT ID, contact
    name or contact email. ``need``: only approved exhibitors without a stand
    (``NEED_STAND``) or with more stand staff than their quota (``NEED_STAFF``); it
    overrides ``state``."""
    queryset = Exhibitor.objects.select_related("fair", "area", "stand")
    # A need picks approved exhibitors, whatever the state filter says.
    if need == NEED_STAND:
        queryset = queryset.filter(state=State.APPROVED, stand__isnull=True)
    elif need == NEED_STAFF:
        queryset = queryset.annotate(staff_count=Count("staff", distinct=True)).filter(
            state=State.APPROVED, staff_count__gt=F("staff_quota")
        )
    elif state == QUEUE_REVIEW:
        queryset = queryset.filter(state__in=REVIEW_STATES)
    elif state != QUEUE_ALL:
        queryset = queryset.filter(state=state)
    if fair_id is not None:
        queryset = queryset.filter(fair_id=fair_id)
    if area_id is not None:
        queryset = queryset.filter(area_id=area_id)
    if search:
        queryset = queryset.filter(
            Q(company_name__icontains=search)
            | Q(vat_id__icontains=search)
            | Q(contact_name__icontains=search)
            | Q(contact_email__icontains=search)
        )
    return queryset.order_by(F("confirmed_at").asc(nulls_last=True), "pk")


def _queue_key(confirmed_at: datetime.datetime | None, pk: int) -> tuple[datetime.datetime, int]:
    return (confirmed_at or _NEVER, pk)


@dataclass(frozen=True)
class QueuePlace:
    previous_id: int | None
    next_id: int | None
    position: int | None  # 1-based; None when the registration is not (any more) in the queue
    total: int


def queue_place(*, queue: QuerySet[Exhibitor], exhibitor: Exhibitor) -> QueuePlace:
    """Where ``exhibitor`` stands in ``queue`` and who comes before and after it (one query)."""
    keys = sorted(_queue_key(at, pk) for at, pk in queue.values_list("confirmed_at", "pk"))
    own = _queue_key(exhibitor.confirmed_at, exhibitor.pk)
    before = bisect_left(keys, own)
    inside = before < len(keys) and keys[before] == own
    after = bisect_right(keys, own)
    return QueuePlace(
        previous_id=keys[before - 1][1] if before > 0 else None,
        next_id=keys[after][1] if after < len(keys) else None,
        position=before + 1 if inside else None,
        total=len(keys),
    )


def exhibitor_for_review(*, pk: int) -> Exhibitor | None:
    """One registration with everything the review page shows, in a fixed number of queries."""
    return (
        Exhibitor.objects.select_related("fair", "area", "area__hall", "stand")
        .prefetch_related(
            "topics",
            "co_exhibitors",
            Prefetch(
                "audit_entries",
                queryset=ExhibitorAuditEntry.objects.order_by("-at", "-id"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
