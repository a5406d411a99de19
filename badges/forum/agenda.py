"""A visitor keeps their own agenda of forum sessions on their badge link page."""

from django.db import transaction
from django.utils.translation import gettext as _

from badges.forum.models import AgendaEntry
from badges.models import Attendee
from fair.forum.exceptions import ForumError
from fair.models import ForumSession


@transaction.atomic
def agenda_add(*, attendee: Attendee, session: ForumSession) -> AgendaEntry:
    """Save ``session`` to the attendee's agenda; saving it again changes nothing."""
    if session.fair_id != attendee.fair_id:
        raise ForumError(_("This session belongs to another fair."))
    entry, _created = AgendaEntry.objects.get_or_create(attendee=attendee, session=session)
    return entry


@transaction.atomic
def agenda_remove(*, attendee: Attendee, session: ForumSession) -> bool:
    """Take ``session`` off the agenda; True if it was there."""
    deleted, _rows = AgendaEntry.objects.filter(attendee=attendee, session=session).delete()
    return bool(deleted)
