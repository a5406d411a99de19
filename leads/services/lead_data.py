"""Validation of what a device or a person adds to a lead: answers, tags, notes, device time.

Shared by ``capture`` (values sent with a scan) and ``lead_update`` (values added later); each
raises ``LeadDataInvalid`` with one entry per bad field, so a form or an API can show them all.
"""

import datetime
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exhibitors.models import Exhibitor
from leads.exceptions import LeadDataInvalid
from leads.models import Question

SCAN_FUTURE_TOLERANCE = datetime.timedelta(minutes=5)
SCAN_MAX_AGE = datetime.timedelta(days=30)
NOTE_MAX_LENGTH = 4000
ANSWER_MAX_LENGTH = 1000
TAG_MAX_LENGTH = 40
TAGS_MAX = 30


@dataclass(frozen=True)
class NoteDraft:
    """A note to add to a lead; ``client_id`` lets a device send it again without duplicates."""

    text: str
    client_id: UUID | None = None
    written_at: datetime.datetime | None = None


def scan_time_effective(
    *, scanned_at: datetime.datetime | None, received_at: datetime.datetime, time_zone: str
) -> datetime.datetime:
    """The time recorded for a scan: the device's time unless its clock is evidently wrong."""
    if scanned_at is None:
        return received_at
    if timezone.is_naive(scanned_at):
        scanned_at = timezone.make_aware(scanned_at, zoneinfo.ZoneInfo(time_zone))
    if scanned_at > received_at + SCAN_FUTURE_TOLERANCE or scanned_at < received_at - SCAN_MAX_AGE:
        return received_at
    return min(scanned_at, received_at)


def answers_clean(
    *, exhibitor: Exhibitor, answers: dict | None, questions: Sequence[Question] | None = None
) -> dict[str, str | list[str]]:
    """Validate answers ``{question_id: value}`` against the exhibitor's current questions.

    Returns the non-empty answers keyed by the question id as a string; empty values ("" or [])
    are dropped, so they never overwrite an earlier answer. Raises ``LeadDataInvalid`` with one
    entry per bad answer (``answers.<id>``).
    """
    if not answers:
        return {}
    if questions is None:
        questions = Question.objects.filter(exhibitor=exhibitor, removed_at__isnull=True)
    by_id = {str(q.pk): q for q in questions}
    cleaned: dict[str, str | list[str]] = {}
    errors: dict[str, list[str]] = {}
    for raw_key, value in answers.items():
        key = str(raw_key).strip()
        field = f"answers.{key}"
        question = by_id.get(key)
        if question is None:
            errors[field] = [str(_("There is no such question."))]
            continue
        if value is None or value == "" or value == []:
            continue
        if question.kind == Question.Kind.TEXT:
            if not isinstance(value, str):
                errors[field] = [str(_("Answer this question with text."))]
            elif len(value.strip()) > ANSWER_MAX_LENGTH:
                errors[field] = [
                    str(_("At most %(length)d characters.")) % {"length": ANSWER_MAX_LENGTH}
                ]
            elif value.strip():
                cleaned[key] = value.strip()
        elif question.kind == Question.Kind.SINGLE:
            if not isinstance(value, str) or value not in question.choices:
                errors[field] = [str(_("Pick one of the offered choices."))]
            else:
                cleaned[key] = value
        else:
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, list) or any(
                not isinstance(item, str) or item not in question.choices for item in values
            ):
                errors[field] = [str(_("Pick only offered choices."))]
            else:
                cleaned[key] = [choice for choice in question.choices if choice in values]
    if errors:
        raise LeadDataInvalid(errors)
    return cleaned


def tags_merge(*, current: Sequence[str], new: Sequence[str] | None) -> list[str]:
    merged = list(current)
    seen = {tag.casefold() for tag in merged}
    errors: list[str] = []
    for tag in new or ():
        if not isinstance(tag, str):
            errors.append(str(_("A tag is a piece of text.")))
            continue
        tag = " ".join(tag.split())
        if not tag or tag.casefold() in seen:
            continue
        if len(tag) > TAG_MAX_LENGTH:
            errors.append(
                str(_("A tag has at most %(length)d characters.")) % {"length": TAG_MAX_LENGTH}
            )
            continue
        seen.add(tag.casefold())
        merged.append(tag)
    if len(merged) > TAGS_MAX:
        errors.append(str(_("A lead has at most %(count)d tags.")) % {"count": TAGS_MAX})
    if errors:
        raise LeadDataInvalid({"tags": errors})
    return merged


def note_clean(text: str | None, field: str = "note") -> str:
    text = (text or "").strip()
    if len(text) > NOTE_MAX_LENGTH:
        raise LeadDataInvalid(
            {field: [str(_("At most %(length)d characters.")) % {"length": NOTE_MAX_LENGTH}]}
        )
    return text
