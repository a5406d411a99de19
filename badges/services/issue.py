"""Badges: issue one per attendee, revoke, reissue, staff badges, badge links, and marking
print runs."""

import datetime
import secrets
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from badges.codes import secret_generate, short_code_generate
from badges.models import Attendee, Badge
from exhibitors.models import StaffMember
from fair.hashing import secret_hash

_ISSUE_ATTEMPTS = 5
_PRINTED_BATCH = 500


def badge_issue(*, attendee: Attendee) -> Badge:
    """Give the attendee a new active badge with fresh random codes."""
    for attempt in range(_ISSUE_ATTEMPTS):
        try:
            # A savepoint, so that a (astronomically unlikely) code collision can be retried
            # inside the caller's transaction.
            with transaction.atomic():
                return Badge.objects.create(
                    attendee=attendee, secret=secret_generate(), short_code=short_code_generate()
                )
        except IntegrityError:
            if (
                attempt == _ISSUE_ATTEMPTS - 1
                or attendee.badges.filter(state=Badge.State.ACTIVE).exists()
            ):
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def staff_badge_issue(*, staff_member: StaffMember) -> Badge:
    """Make (or refresh) the staff member's attendee record and give it an active badge.

    The exhibitor portal calls this within the stand's staff quota (it checks the quota).
    Calling it again keeps the active badge and only refreshes name, email and company.
    """
    exhibitor = staff_member.exhibitor
    values = {
        "fair": exhibitor.fair,
        "category": Attendee.Category.EXHIBITOR_STAFF,
        "exhibitor": exhibitor,
        "first_name": staff_member.first_name,
        "last_name": staff_member.last_name,
        "email": staff_member.email,
        "company": exhibitor.company_name,
        "country": exhibitor.country,
        "language": exhibitor.language,
    }
    attendee, _created = Attendee.objects.update_or_create(
        staff_member=staff_member,
        defaults=values,
        # The exhibitor vouches for its staff: no email confirmation round.
        create_defaults={**values, "confirmed_at": timezone.now()},
    )
    active = attendee.badges.filter(state=Badge.State.ACTIVE).first()
    return active or badge_issue(attendee=attendee)


def badge_link_rotate(*, attendee: Attendee) -> str:
    """A new secret for the attendee's badge link (``/badge/<token>/``); earlier links stop
    working. Only the token's hash is stored: mail the returned token, never log it."""
    token = secrets.token_urlsafe(32)
    attendee.access_token_hash = secret_hash(token)
    attendee.save(update_fields=["access_token_hash"])
    return token


def badge_revoke(*, badge: Badge) -> Badge:
    """Revoke a badge: later scans of its codes are told "revoked"."""
    if badge.state == Badge.State.ACTIVE:
        badge.state = Badge.State.REVOKED
        badge.revoked_at = timezone.now()
        badge.save(update_fields=["state", "revoked_at"])
    return badge


def staff_badge_revoke(*, staff_member: StaffMember) -> None:
    """Revoke the active badge of a staff member who leaves the stand team."""
    for badge in Badge.objects.filter(
        attendee__staff_member=staff_member, state=Badge.State.ACTIVE
    ):
        badge_revoke(badge=badge)


@transaction.atomic
def badge_reissue(*, attendee: Attendee) -> Badge:
    """A lost badge: revoke the active badge (its codes now scan as "revoked") and issue a
    new one. The attendee, their leads and their old badges stay; the visitor's badge link
    keeps working and shows the new badge."""
    locked = Attendee.objects.select_for_update().get(pk=attendee.pk)
    for badge in Badge.objects.filter(attendee=locked, state=Badge.State.ACTIVE):
        badge_revoke(badge=badge)
    return badge_issue(attendee=locked)


def badges_mark_printed(*, badge_ids: Iterable[int], at: datetime.datetime | None = None) -> int:
    """Record that these badges were printed (call it once the PDF is written)."""
    at = at or timezone.now()
    ids = list(badge_ids)
    updated = 0
    with transaction.atomic():
        for start in range(0, len(ids), _PRINTED_BATCH):
            updated += Badge.objects.filter(pk__in=ids[start : start + _PRINTED_BATCH]).update(
                printed_at=at
            )
    return updated
