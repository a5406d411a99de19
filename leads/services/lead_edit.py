"""Taking things back on a lead in the portal: clear the rating, remove a tag, change or delete
a note — what ``lead_update`` (which only ever adds) cannot do.

Decisions:
* Who may change a note: the person who wrote it (``author``), and for a note written on a
  scanner device, any portal user of the device's exhibitor (the stand team shares its phones;
  staff have no portal login of their own). A colleague's portal note stays theirs.
* A note's earlier text is kept as a ``LeadNoteRevision`` each time it is changed or deleted,
  with who wrote it and who changed it; a deleted note's history stays with the lead. Erasing
  the visitor deletes the history together with the notes (``badges.privacy``).
* Each change bumps ``Lead.updated_at``, so devices and the API's ``since`` see it.
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibitors.models import Exhibitor
from leads.exceptions import LeadDataInvalid
from leads.models import Lead, LeadNote, LeadNoteRevision
from leads.services.lead_data import note_clean


class NoteNotYours(Exception):
    """The user neither wrote the note nor belongs to the exhibitor of its device."""

    def __init__(self) -> None:
        super().__init__(_("Only its writer can change this note."))


def lead_note_editable(*, note: LeadNote, user: User, exhibitor: Exhibitor) -> bool:
    """Whether ``user`` (a portal user of ``exhibitor``) may change or delete the note."""
    if note.author_id is not None:
        return note.author_id == user.pk
    return note.device is not None and note.device.exhibitor_id == exhibitor.pk


def _locked_lead(lead: Lead) -> Lead:
    return Lead.objects.select_for_update(of=("self",)).get(pk=lead.pk)


def _touch(lead: Lead, *fields: str) -> None:
    lead.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def lead_rating_clear(*, lead: Lead) -> Lead:
    """The lead has no rating any more (hot, warm or cold was a mistake)."""
    locked = _locked_lead(lead)
    if locked.rating:
        locked.rating = ""
        _touch(locked, "rating")
    return locked


@transaction.atomic
def lead_tag_remove(*, lead: Lead, tag: str) -> Lead:
    """Remove one tag (compared without regard to case, as tags are merged)."""
    locked = _locked_lead(lead)
    wanted = " ".join(tag.split()).casefold()
    remaining = [existing for existing in locked.tags if existing.casefold() != wanted]
    if remaining != locked.tags:
        locked.tags = remaining
        _touch(locked, "tags")
    return locked


def _own_note(*, note: LeadNote, user: User, exhibitor: Exhibitor) -> LeadNote:
    locked = (
        LeadNote.objects.select_for_update(of=("self",))
        .select_related("device", "lead")
        .get(pk=note.pk, lead__exhibitor=exhibitor)
    )
    if not lead_note_editable(note=locked, user=user, exhibitor=exhibitor):
        raise NoteNotYours()
    return locked


def _revision(*, note: LeadNote, action: str, user: User) -> LeadNoteRevision:
    return LeadNoteRevision.objects.create(
        lead_id=note.lead_id,
        note=note,
        action=action,
        text=note.text,
        written_at=note.written_at,
        device_id=note.device_id,
        author_id=note.author_id,
        revised_at=timezone.now(),
        revised_by=user,
    )


@transaction.atomic
def lead_note_edit(*, note: LeadNote, text: str, user: User, exhibitor: Exhibitor) -> LeadNote:
    """Change a note's text (the earlier text goes into its history). Raises NoteNotYours or
    LeadDataInvalid (empty or too long: delete a note instead of emptying it)."""
    locked = _own_note(note=note, user=user, exhibitor=exhibitor)
    clean = note_clean(text, field="text")
    if not clean:
        raise LeadDataInvalid({"text": [_("A note cannot be empty; delete it instead.")]})
    if clean == locked.text:
        return locked
    _locked_lead(locked.lead)
    _revision(note=locked, action=LeadNoteRevision.Action.EDITED, user=user)
    locked.text = clean
    locked.save(update_fields=["text"])
    _touch(locked.lead)
    return locked


@transaction.atomic
def lead_note_delete(*, note: LeadNote, user: User, exhibitor: Exhibitor) -> None:
    """Delete a note; its text stays in the lead's note history. Raises NoteNotYours."""
    locked = _own_note(note=note, user=user, exhibitor=exhibitor)
    lead = _locked_lead(locked.lead)
    _revision(note=locked, action=LeadNoteRevision.Action.DELETED, user=user)
    locked.delete()
    _touch(lead)
