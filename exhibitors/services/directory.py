"""The organizers' veto over the public exhibitor directory: hide an entry, or show it again.

What an exhibitor shows is the exhibitor's own choice (portal profile, ``services/portal.py``);
the organizers can only take a whole entry out (e.g. a misleading text), never change it.
Each change is audited; the directory's version (``directory_selectors``) follows the
exhibitor's ``updated_at``, so cached pages drop the entry at once.
"""

from django.contrib.auth.models import User
from django.db import transaction

from exhibitors.models import Exhibitor
from exhibitors.services.audit import exhibitor_audit

NOTE_MAX_LENGTH = 500


@transaction.atomic
def exhibitor_directory_hide(
    *, exhibitor: Exhibitor, actor: User | None, hidden: bool, note: str = ""
) -> Exhibitor:
    """Hide the exhibitor's entry from the public directory and plan (``hidden=True``) or
    show it again; a repeated request changes nothing and writes no audit entry."""
    locked = Exhibitor.objects.select_for_update().get(pk=exhibitor.pk)
    if locked.directory_hidden == hidden:
        return locked
    locked.directory_hidden = hidden
    locked.save(update_fields=["directory_hidden", "updated_at"])
    exhibitor_audit(
        exhibitor=locked,
        action="directory_hide" if hidden else "directory_show",
        actor=actor,
        note=note.strip()[:NOTE_MAX_LENGTH],
    )
    return locked
