"""The moderator opens and closes voting on a session's items.

An item goes pending → open → closed; a closed item can be opened again (the moderator closed
it too early), which keeps its first opening time. The item row is locked ``FOR UPDATE`` for
the change, and every vote holds a share lock on it (``badges.forum.vote_sql``): closing waits
for the votes in flight, and once it has returned, no vote for the item can still land.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fair.forum.exceptions import ForumError
from fair.models import VoteItem


def _locked(item: VoteItem) -> VoteItem:
    return VoteItem.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def vote_item_open(*, item: VoteItem) -> VoteItem:
    locked = _locked(item)
    if locked.state != VoteItem.State.OPEN:
        locked.state = VoteItem.State.OPEN
        locked.opened_at = locked.opened_at or timezone.now()
        locked.closed_at = None
        locked.save(update_fields=["state", "opened_at", "closed_at"])
    return locked


@transaction.atomic
def vote_item_close(*, item: VoteItem) -> VoteItem:
    locked = _locked(item)
    if locked.state == VoteItem.State.PENDING:
        raise ForumError(_("Voting on this item has not been opened yet."))
    if locked.state == VoteItem.State.OPEN:
        locked.state = VoteItem.State.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["state", "closed_at"])
    return locked
