"""Later edits of a lead, from the portal or a device: merged, never overwritten by empty values."""

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leads.exceptions import ClientIdConflict, LeadDataInvalid
from leads.models import Lead, LeadNote, ScannerDevice
from leads.services.lead_data import (
    NoteDraft,
    answers_clean,
    client_time_effective,
    note_clean,
    notes_count_check,
    tags_merge,
)


@transaction.atomic
def lead_update(
    *,
    lead: Lead,
    rating: str | None = None,
    tags: Sequence[str] | None = None,
    answers: dict[str, Any] | None = None,
    note: str | None = None,
    device: ScannerDevice | None = None,
    author: AbstractBaseUser | None = None,
    notes: Sequence[NoteDraft] = (),
) -> Lead:
    """Merge new values into a lead: nothing is overwritten with an empty value.

    ``rating`` replaces the rating when given; ``answers`` are merged per question; ``tags``
    are added; ``note`` (and each of ``notes``) is appended as a LeadNote by ``device`` or
    ``author``, at its ``written_at`` when that is plausible (else now). A note with a
    ``client_id`` that is already stored is skipped (a retry). At most
    ``NOTES_PER_REQUEST_MAX`` notes per call and ``NOTES_PER_LEAD_MAX`` per lead.
    Raises ``LeadDataInvalid`` (nothing changes then).
    """
    locked = (
        Lead.objects.select_for_update(of=("self",))
        .select_related("attendee", "exhibitor", "exhibitor__fair")
        .get(pk=lead.pk)
    )
    errors: dict[str, list[str]] = {}
    if rating and rating not in Lead.Rating.values:
        errors["rating"] = [str(_("Use hot, warm or cold."))]
    clean_answers: dict[str, str | list[str]] = {}
    try:
        clean_answers = answers_clean(exhibitor=locked.exhibitor, answers=answers)
    except LeadDataInvalid as exc:
        errors.update(exc.fields)
    merged_tags = locked.tags
    try:
        merged_tags = tags_merge(current=locked.tags, new=tags)
    except LeadDataInvalid as exc:
        errors.update(exc.fields)
    drafts = [NoteDraft(text=note)] if note and note.strip() else []
    drafts += list(notes)
    clean_drafts = []
    for index, draft in enumerate(drafts):
        try:
            text = note_clean(draft.text, field=f"notes.{index}")
        except LeadDataInvalid as exc:
            errors.update(exc.fields)
            continue
        if text:
            clean_drafts.append(NoteDraft(text, draft.client_id, draft.written_at))
    # Notes sent again (a client_id already stored) are skipped, and do not count.
    earlier = {
        earlier.client_id: earlier.lead_id
        for earlier in LeadNote.objects.filter(
            client_id__in=[draft.client_id for draft in clean_drafts if draft.client_id]
        )
    }
    if any(lead_id != locked.pk for lead_id in earlier.values()):
        raise ClientIdConflict()
    new_drafts = [draft for draft in clean_drafts if draft.client_id not in earlier]
    try:
        notes_count_check(
            existing=LeadNote.objects.filter(lead=locked).count() if new_drafts else 0,
            in_request=len(drafts),
            adding=len(new_drafts),
            field="notes",
        )
    except LeadDataInvalid as exc:
        errors.update(exc.fields)
    if errors:
        raise LeadDataInvalid(errors)

    now = timezone.now()
    fields = ["updated_at"]
    if rating:
        locked.rating = rating
        fields.append("rating")
    if clean_answers:
        locked.answers = {**locked.answers, **clean_answers}
        fields.append("answers")
    if merged_tags != locked.tags:
        locked.tags = merged_tags
        fields.append("tags")
    for draft in new_drafts:
        LeadNote.objects.create(
            lead=locked,
            text=draft.text,
            device=device,
            author_id=author.pk if author is not None else None,
            written_at=client_time_effective(
                sent=draft.written_at, received_at=now, time_zone=locked.exhibitor.fair.time_zone
            ),
            client_id=draft.client_id,
        )
        fields.append("notes")
    if len(fields) > 1:
        locked.save(update_fields=[name for name in dict.fromkeys(fields) if name != "notes"])
    return locked
