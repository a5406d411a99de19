"""What needs the organizers' attention, per fair: the counts of the control room's home.

Reads only. The home counts rows of every app (registrations, stand staff, visitors' erasure
requests, badges, scanner devices), so it lives in leads, the highest app that may read them
all. Each kind of work is one grouped query over all fairs, so the number of queries does not
grow with the number of fairs.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from badges.models import Badge, ErasureRequest
from exhibitors.models import Exhibitor
from fair.models import Fair
from leads.models import ScannerDevice

State = Exhibitor.State


@dataclass(frozen=True)
class FairAttention:
    fair: Fair
    awaiting_review: int  # confirmed registrations without a decision (submitted)
    waitlisted: int
    unassigned: int  # approved, but without a stand
    staff_over_quota: int  # approved exhibitors with more stand staff than their quota
    erasure_requests: int  # visitors' erasure requests waiting for the organizers
    badges_unprinted: int  # active badges not printed yet
    devices_unpaired: int  # scanner devices made in the portal, never paired, not revoked

    @property
    def total(self) -> int:
        return (
            self.awaiting_review
            + self.waitlisted
            + self.unassigned
            + self.staff_over_quota
            + self.erasure_requests
            + self.badges_unprinted
            + self.devices_unpaired
        )


def fairs_for_home() -> list[Fair]:
    """The fairs the home shows, the latest first."""
    return list(Fair.objects.order_by("-starts_on", "-pk"))


def fair_attention_list(*, fairs: Sequence[Fair]) -> list[FairAttention]:
    """For each fair (in the given order), what waits for the organizers. Five queries."""
    ids = [fair.pk for fair in fairs]
    registrations = {
        row["fair_id"]: row
        for row in Exhibitor.objects.filter(fair_id__in=ids)
        .values("fair_id")
        .annotate(
            submitted=Count("pk", filter=Q(state=State.SUBMITTED)),
            waitlisted=Count("pk", filter=Q(state=State.WAITLISTED)),
            unassigned=Count("pk", filter=Q(state=State.APPROVED, stand__isnull=True)),
        )
        .order_by()
    }
    over_quota = Counter(
        Exhibitor.objects.filter(fair_id__in=ids, state=State.APPROVED)
        .annotate(staff_count=Count("staff"))
        .filter(staff_count__gt=F("staff_quota"))
        .values_list("fair_id", flat=True)
    )
    erasures = _count_by(
        ErasureRequest.objects.filter(
            attendee__fair_id__in=ids, state=ErasureRequest.State.PENDING
        ),
        "attendee__fair_id",
    )
    unprinted = _count_by(
        Badge.objects.filter(
            attendee__fair_id__in=ids, state=Badge.State.ACTIVE, printed_at__isnull=True
        ),
        "attendee__fair_id",
    )
    unpaired = _count_by(
        ScannerDevice.objects.filter(
            exhibitor__fair_id__in=ids, paired_at__isnull=True, revoked_at__isnull=True
        ),
        "exhibitor__fair_id",
    )
    empty = {"submitted": 0, "waitlisted": 0, "unassigned": 0}
    result = []
    for fair in fairs:
        counts = registrations.get(fair.pk, empty)
        result.append(
            FairAttention(
                fair=fair,
                awaiting_review=counts["submitted"],
                waitlisted=counts["waitlisted"],
                unassigned=counts["unassigned"],
                staff_over_quota=over_quota[fair.pk],
                erasure_requests=erasures.get(fair.pk, 0),
                badges_unprinted=unprinted.get(fair.pk, 0),
                devices_unpaired=unpaired.get(fair.pk, 0),
            )
        )
    return result


def _count_by(queryset: QuerySet, field: str) -> dict[int, int]:
    """Rows per value of ``field`` (a fair id), in one GROUP BY query."""
    rows = queryset.values(field).annotate(n=Count("pk")).order_by().values_list(field, "n")
    return dict(rows)
