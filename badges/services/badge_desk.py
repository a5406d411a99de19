"""The control room's badge desk: an organizer revokes a badge or reissues a lost one.

The badge rules are ``badges.services.issue`` (``badge_revoke``, ``badge_reissue``); this
module adds what a person's act at a desk needs: one transaction, a refusal for erased people,
and an entry in the back office's history of the attendee (``django.contrib.admin``'s log,
which erasure and retention already scrub: ``badges.privacy.anonymize.admin_log_scrub``), so
"who revoked this badge, when" is answered in the same place as every other organizer change.
The entry names the badge by its printed short code, never by its QR secret.
"""

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from badges.codes import short_code_display
from badges.models import Attendee, Badge
from badges.privacy.exceptions import AttendeeErased
from badges.services.issue import badge_reissue, badge_revoke


def _history_record(*, actor: AbstractBaseUser, attendee: Attendee, message: str) -> None:
    LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=Attendee.objects.filter(pk=attendee.pk),
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


@transaction.atomic
def badge_desk_revoke(*, badge: Badge, actor: AbstractBaseUser) -> Badge:
    """Revoke the badge (its codes scan as "revoked" from now on) and record who did it.
    Revoking a revoked badge changes and records nothing."""
    locked = Badge.objects.select_for_update().select_related("attendee").get(pk=badge.pk)
    if locked.state != Badge.State.ACTIVE:
        return locked
    badge_revoke(badge=locked)
    _history_record(
        actor=actor,
        attendee=locked.attendee,
        message=f"Badge {short_code_display(locked.short_code)} revoked in the control room.",
    )
    return locked


@transaction.atomic
def badge_desk_reissue(*, attendee: Attendee, actor: AbstractBaseUser) -> Badge:
    """A lost badge: revoke the active one and issue a new one (``badge_reissue``), recorded.
    Raises AttendeeErased for a person whose data was erased: they get no new badge."""
    if Attendee.objects.filter(pk=attendee.pk, erased_at__isnull=False).exists():
        raise AttendeeErased()
    badge = badge_reissue(attendee=attendee)
    _history_record(
        actor=actor,
        attendee=attendee,
        message=(
            f"Badge reissued in the control room; new badge {short_code_display(badge.short_code)}."
        ),
    )
    return badge
