"""Reads for attendees and badges: querysets and lookups, no side effects."""

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from badges.codes import CodeFormatError, code_parse
from badges.exceptions import BadgeRevoked, BadgeUnknown, ConfirmationInvalid
from badges.models import Attendee, Badge
from badges.tokens import (
    ConfirmationTokenExpired,
    ConfirmationTokenInvalid,
    confirmation_token_digest,
)
from exhibitors.models import Exhibitor
from fair.hashing import secret_hash
from fair.models import Fair, Topic


def badge_resolve(*, code: str, fair: Fair) -> Badge:
    """The active badge for scanned QR content or a typed short code at this fair.

    Raises BadgeUnknown for text that is no code of ours (typos included) or belongs to no
    badge of this fair, BadgeRevoked for a badge that was revoked.
    """
    try:
        kind, value = code_parse(code)
    except CodeFormatError as exc:
        raise BadgeUnknown(str(exc)) from exc
    lookup = {"secret": value} if kind == "secret" else {"short_code": value}
    badge = (
        Badge.objects.select_related("attendee", "attendee__fair")
        .filter(attendee__fair=fair, **lookup)
        .first()
    )
    if badge is None:
        raise BadgeUnknown("no badge with this code")
    if badge.state == Badge.State.REVOKED:
        raise BadgeRevoked(badge)
    return badge


def fairs_open_for_visitors(*, today: datetime.date | None = None) -> QuerySet[Fair]:
    """Fairs visitors can register for: those not over yet, the soonest first."""
    today = today or timezone.localdate()
    return Fair.objects.filter(ends_on__gte=today).order_by("starts_on", "name")


def topics_for_fair(*, fair: Fair) -> QuerySet[Topic]:
    return (
        Topic.objects.filter(area__fair=fair)
        .select_related("area")
        .order_by("area__name", "position", "name_de")
    )


def attendee_for_access_token(*, token: str) -> Attendee | None:
    """The attendee whose secret badge link carries ``token`` (only its hash is stored)."""
    if not token or len(token) > 100:
        return None
    return (
        Attendee.objects.select_related("fair").filter(access_token_hash=secret_hash(token)).first()
    )


def visitor_for_confirmation(*, token: str) -> Attendee:
    """The visitor a confirmation link was made for (confirmed already or not); raises
    ConfirmationInvalid for a link that was altered, replaced by a newer one, or expired."""
    try:
        digest = confirmation_token_digest(
            token=token, max_age=settings.FAIRLEAD_CONFIRMATION_MAX_AGE
        )
    except ConfirmationTokenExpired as exc:
        raise ConfirmationInvalid(expired=True) from exc
    except ConfirmationTokenInvalid as exc:
        raise ConfirmationInvalid() from exc
    attendee = (
        Attendee.objects.select_related("fair")
        .filter(
            confirmation_token_hash=digest,
            category=Attendee.Category.VISITOR,
            erased_at__isnull=True,
        )
        .first()
    )
    if attendee is None:
        raise ConfirmationInvalid()
    return attendee


def badge_active(*, attendee: Attendee) -> Badge | None:
    return attendee.badges.filter(state=Badge.State.ACTIVE).first()


def badges_for_print(
    *,
    fair: Fair,
    categories: list[str] | None = None,
    exhibitor: Exhibitor | None = None,
    not_printed: bool = False,
    ids: list[int] | QuerySet[Badge, int] | None = None,
    order: str | None = None,
) -> QuerySet[Badge]:
    """Active badges of a print run. ``order``: "name" (last, first name) or "stand" (stand
    number, company, name); by default "stand" when only staff badges are printed."""
    queryset = Badge.objects.filter(state=Badge.State.ACTIVE, attendee__fair=fair).select_related(
        "attendee", "attendee__fair", "attendee__exhibitor", "attendee__exhibitor__stand"
    )
    if categories:
        queryset = queryset.filter(attendee__category__in=categories)
    if exhibitor is not None:
        queryset = queryset.filter(attendee__exhibitor=exhibitor)
    if not_printed:
        queryset = queryset.filter(printed_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    staff_only = exhibitor is not None or categories == [Attendee.Category.EXHIBITOR_STAFF]
    if (order or ("stand" if staff_only else "name")) == "stand":
        return queryset.order_by(
            "attendee__exhibitor__stand__number",
            "attendee__exhibitor__company_name",
            "attendee__last_name",
            "attendee__first_name",
            "pk",
        )
    return queryset.order_by("attendee__last_name", "attendee__first_name", "pk")


def staff_badges_for_exhibitor(*, exhibitor: Exhibitor) -> QuerySet[Badge]:
    """The exhibitor's own active staff badges, by name."""
    return badges_for_print(
        fair=exhibitor.fair,
        categories=[Attendee.Category.EXHIBITOR_STAFF],
        exhibitor=exhibitor,
        order="name",
    )
