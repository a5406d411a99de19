"""Staff badges follow the exhibitor's staff list, and a staff member can get their badge link.

The exhibitor services (``exhibitors.services.portal`` and ``.workflow``) own the staff list
and announce its changes with the signals of ``exhibitors/signals.py``; the receivers here,
connected in ``badges/apps.py``, run inside the same transaction:

* a staff member added or changed → their attendee record is made or refreshed and holds an
  active badge (``staff_badge_issue``);
* a staff member leaving → the badge is revoked; the attendee record stays (without the link
  to the staff list), so that leads other exhibitors captured from this person stay theirs;
* the company renamed → staff badges print the new name;
* the exhibitor rejected, withdrawn or deleted → every staff badge is revoked.

``staff_badge_link_send`` mails a staff member the secret link of their own badge page
(``/badge/<token>/``), the same page and mechanism visitors have.
"""

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from badges.models import Attendee, Badge
from badges.services.issue import badge_link_rotate, staff_badge_issue, staff_badge_revoke
from exhibitors.models import Exhibitor, StaffMember
from exhibitors.signals import (
    exhibitor_renamed,
    exhibitor_staff_closed,
    staff_member_leaving,
    staff_member_saved,
)
from fair.mail import absolute_url, mail_send_on_commit

# At most one badge-link mail per staff member in this interval, however often it is asked for.
LINK_MAIL_INTERVAL = datetime.timedelta(seconds=60)


class StaffBadgeLinkTooSoon(Exception):
    """A badge link went to this staff member a moment ago; nothing was sent."""


def _on_staff_member_saved(sender: type, *, staff_member: StaffMember, **kwargs: Any) -> None:
    staff_badge_issue(staff_member=staff_member)


def _on_staff_member_leaving(sender: type, *, staff_member: StaffMember, **kwargs: Any) -> None:
    staff_badge_revoke(staff_member=staff_member)
    Attendee.objects.filter(staff_member=staff_member).update(staff_member=None)


def _on_exhibitor_renamed(sender: type, *, exhibitor: Exhibitor, **kwargs: Any) -> None:
    Attendee.objects.filter(exhibitor=exhibitor, staff_member__isnull=False).update(
        company=exhibitor.company_name
    )


def _on_exhibitor_staff_closed(sender: type, *, exhibitor: Exhibitor, **kwargs: Any) -> None:
    Badge.objects.filter(
        attendee__exhibitor=exhibitor,
        attendee__category=Attendee.Category.EXHIBITOR_STAFF,
        state=Badge.State.ACTIVE,
    ).update(state=Badge.State.REVOKED, revoked_at=timezone.now())


def staff_signals_connect() -> None:
    """Called once from ``BadgesConfig.ready``."""
    uid = "badges.services.staff"
    staff_member_saved.connect(_on_staff_member_saved, dispatch_uid=f"{uid}.saved")
    staff_member_leaving.connect(_on_staff_member_leaving, dispatch_uid=f"{uid}.leaving")
    exhibitor_renamed.connect(_on_exhibitor_renamed, dispatch_uid=f"{uid}.renamed")
    exhibitor_staff_closed.connect(_on_exhibitor_staff_closed, dispatch_uid=f"{uid}.closed")


@transaction.atomic
def staff_badge_link_send(*, staff_member: StaffMember) -> Attendee:
    """Mail the staff member a new secret link to their badge page (in the exhibitor's
    language); a link sent earlier stops working. The staff member gets a badge first if
    the list was filled in before badges existed. Raises StaffBadgeLinkTooSoon within
    LINK_MAIL_INTERVAL of the last mail."""
    staff_badge_issue(staff_member=staff_member)
    attendee = (
        Attendee.objects.select_for_update().select_related("fair").get(staff_member=staff_member)
    )
    now = timezone.now()
    if attendee.mail_sent_at is not None and now - attendee.mail_sent_at < LINK_MAIL_INTERVAL:
        raise StaffBadgeLinkTooSoon()
    token = badge_link_rotate(attendee=attendee)
    exhibitor = staff_member.exhibitor
    mail_send_on_commit(
        to=attendee.email,
        template="exhibitors/mail/staff_badge",
        context={
            "member": staff_member,
            "exhibitor": exhibitor,
            "fair": attendee.fair,
            "url": absolute_url(reverse("badges:badge", kwargs={"token": token})),
        },
        language=exhibitor.language,
    )
    attendee.mail_sent_at = now
    attendee.save(update_fields=["mail_sent_at"])
    return attendee
