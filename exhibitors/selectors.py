"""Reads for the exhibitor portal and the organizers' back office: querysets, no side effects."""

from decimal import Decimal

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Abs

from exhibitors.models import Exhibitor, ExhibitorAccount, StaffMember
from fair.models import Area, Fair, Stand

# States whose registrations reach the organizers: the contact confirmed the email address.
CONFIRMED_STATES = (
    Exhibitor.State.SUBMITTED,
    Exhibitor.State.APPROVED,
    Exhibitor.State.WAITLISTED,
    Exhibitor.State.REJECTED,
    Exhibitor.State.WITHDRAWN,
)
# States that still wait for the organizers' decision.
REVIEW_STATES = (Exhibitor.State.SUBMITTED, Exhibitor.State.WAITLISTED)


def exhibitor_for_user(*, user: User | AnonymousUser | None) -> Exhibitor | None:
    """The exhibitor whose portal this user may use, or None (anonymous, no portal account)."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Exhibitor.objects.select_related("fair", "area", "area__hall", "stand")
        .filter(accounts__user=user)
        .first()
    )


def exhibitor_account_for_user(*, user: User | AnonymousUser | None) -> ExhibitorAccount | None:
    """The user's portal account with its exhibitor (and the exhibitor's fair, area, hall and
    stand) in one query, or None."""
    if user is None or not user.is_authenticated:
        return None
    return (
        ExhibitorAccount.objects.select_related(
            "exhibitor__fair", "exhibitor__area__hall", "exhibitor__stand"
        )
        .filter(user=user)
        .first()
    )


def staff_member_for_exhibitor(*, exhibitor: Exhibitor, pk: int) -> StaffMember | None:
    """One staff member, only if it belongs to this exhibitor (other ids give None)."""
    return StaffMember.objects.filter(exhibitor=exhibitor, pk=pk).first()


def staff_used(*, exhibitor: Exhibitor) -> int:
    return StaffMember.objects.filter(exhibitor=exhibitor).count()


def exhibitors_for_back_office() -> QuerySet[Exhibitor]:
    """Every exhibitor with what the organizers' list shows, staff count annotated."""
    return Exhibitor.objects.select_related("fair", "area", "area__fair", "stand").annotate(
        staff_count=Count("staff", distinct=True)
    )


def exhibitors_awaiting_review(*, fair: Fair | None = None) -> QuerySet[Exhibitor]:
    """Confirmed registrations that still wait for a decision (submitted or waitlisted)."""
    queryset = exhibitors_for_back_office().filter(state__in=REVIEW_STATES)
    if fair is not None:
        queryset = queryset.filter(fair=fair)
    return queryset.order_by("confirmed_at", "pk")


def stands_free_for(*, exhibitor: Exhibitor) -> QuerySet[Stand]:
    """Free stands of the exhibitor's area, the best fit first: closest to the requested size,
    then the preferred stand type, then the stand number."""
    requested = Decimal(exhibitor.requested_sqm or 0)
    return (
        Stand.objects.filter(
            area_id=exhibitor.area_id, state=Stand.State.FREE, exhibitor__isnull=True
        )
        .select_related("area")
        .annotate(
            size=F("width_m") * F("depth_m"),
            size_gap=Abs(F("width_m") * F("depth_m") - Value(requested)),
        )
        .order_by("size_gap", "-size", "number")
    )


def stand_best_fit(*, exhibitor: Exhibitor) -> Stand | None:
    """The free stand that fits the request best; the preferred type wins among equal sizes."""
    stands = list(stands_free_for(exhibitor=exhibitor)[:50])
    if not stands:
        return None
    # size_gap is annotated by stands_free_for.
    best_gap = stands[0].size_gap  # type: ignore[attr-defined]
    same_gap = [stand for stand in stands if stand.size_gap == best_gap]  # type: ignore[attr-defined]
    preferred = [stand for stand in same_gap if stand.type == exhibitor.preferred_stand_type]
    return (preferred or same_gap)[0]


def areas_for_plan() -> QuerySet[Area]:
    """Every area with its fair and hall, and its stand counts (total, free)."""
    return (
        Area.objects.select_related("fair", "hall")
        .annotate(
            stand_count=Count("stands", distinct=True),
            free_count=Count("stands", filter=Q(stands__state=Stand.State.FREE), distinct=True),
        )
        .order_by("-fair__starts_on", "name")
    )


def stands_for_plan(*, area: Area) -> QuerySet[Stand]:
    """The area's stands with their exhibitor (if any), in number order."""
    return Stand.objects.filter(area=area).select_related("exhibitor").order_by("number")


def exhibitors_for_stand_pick(*, area: Area) -> QuerySet[Exhibitor]:
    """Registrations of the area that can get a stand on the plan: submitted, waitlisted, or
    approved (to move)."""
    return (
        Exhibitor.objects.filter(
            area=area,
            state__in=(*REVIEW_STATES, Exhibitor.State.APPROVED),
        )
        .select_related("stand")
        .order_by("company_name", "pk")
    )
