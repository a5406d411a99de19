"""Lead-sharing consent: its history, and the visitor's own decision on the badge page.

Withdrawal takes effect at once everywhere, because every path that shows attendee data to
an exhibitor reads ``Attendee.lead_sharing`` live (``leads.selectors.lead_contact`` for pages
and both APIs, ``leads.reports.contact_expressions`` inside the SQL of every export and PDF).
The registered data holders are told (``touch``), so e.g. the exhibitor's leads are marked
changed and integrations that sync with ``?since=`` fetch the reduced record.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from badges.consent import LEAD_SHARING_TEXT_VERSION
from badges.models import Attendee, ConsentEvent
from badges.privacy.exceptions import AttendeeErased
from badges.privacy.registry import attendee_data_holders

logger = logging.getLogger("fairlead.privacy")


def consent_record(
    *, attendee: Attendee, given: bool, text_version: str, source: str, at: datetime.datetime
) -> ConsentEvent:
    """Add one entry to the attendee's consent history (call it where the decision is saved)."""
    return ConsentEvent.objects.create(
        attendee=attendee, given=given, text_version=text_version or "", source=source, at=at
    )


@transaction.atomic
def consent_set(
    *, attendee: Attendee, given: bool, now: datetime.datetime | None = None
) -> Attendee:
    """The visitor gives (with today's text version) or withdraws lead-sharing consent.

    Takes effect at once: exhibitors' pages, files and API answers read the current state.
    Asking for the state the attendee already has changes nothing and records nothing.
    """
    now = now or timezone.now()
    locked = Attendee.objects.select_for_update().get(pk=attendee.pk)
    if locked.erased_at is not None:
        raise AttendeeErased()
    if locked.lead_sharing == given:
        return locked
    locked.lead_sharing = given
    locked.lead_sharing_at = now
    locked.lead_sharing_text_version = LEAD_SHARING_TEXT_VERSION
    locked.save(update_fields=["lead_sharing", "lead_sharing_at", "lead_sharing_text_version"])
    consent_record(
        attendee=locked,
        given=given,
        text_version=LEAD_SHARING_TEXT_VERSION,
        source=ConsentEvent.Source.SELF_SERVICE,
        at=now,
    )
    for holder in attendee_data_holders():
        holder.touch(attendee_ids=[locked.pk], now=now)
    logger.info("attendee %s %s lead-sharing consent", locked.pk, "gave" if given else "withdrew")
    return locked
