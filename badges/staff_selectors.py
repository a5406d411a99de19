"""Reads for the portal's stand-staff pages: the staff list with each person's active badge."""

from django.db.models import Prefetch, QuerySet

from badges.models import Attendee, Badge
from exhibitors.models import Exhibitor, StaffMember


def staff_for_exhibitor(*, exhibitor: Exhibitor) -> QuerySet[StaffMember]:
    """The exhibitor's stand staff with their attendee record and active badge
    (``member.attendee.active_badges``: a list of at most one badge)."""
    return (
        StaffMember.objects.filter(exhibitor=exhibitor)
        .select_related("attendee")
        .prefetch_related(
            Prefetch(
                "attendee__badges",
                queryset=Badge.objects.filter(state=Badge.State.ACTIVE),
                to_attr="active_badges",
            )
        )
        .order_by("last_name", "first_name", "pk")
    )


def staff_badge_for_member(*, exhibitor: Exhibitor, staff_member: StaffMember) -> QuerySet[Badge]:
    """The staff member's active badge (none or one), ready to print."""
    return (
        Badge.objects.filter(
            state=Badge.State.ACTIVE,
            attendee__staff_member=staff_member,
            attendee__exhibitor=exhibitor,
            attendee__category=Attendee.Category.EXHIBITOR_STAFF,
        )
        .select_related(
            "attendee", "attendee__fair", "attendee__exhibitor", "attendee__exhibitor__stand"
        )
        .order_by("pk")
    )
