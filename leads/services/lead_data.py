"""Validation of what a device or a person adds to a lead: answers, tags, notes, device time.

Shared by ``capture`` (values sent with a scan) and ``lead_update`` (values added later); each
raises ``LeadDataInvalid`` with one entry per bad field, so a form or an API can show them all.

Limits (each a 422 with a clear message, in the APIs' schemas too): a note has at most
``NOTE_MAX_LENGTH`` characters, one request adds at most ``NOTES_PER_REQUEST_MAX`` notes to a
lead, and a lead has at most ``NOTES_PER_LEAD_MAX`` notes; so the largest lead the API accepts
(100 notes of 4,000 characters) is what the PDF report must render in a few seconds.

A time a client sends (a scan's or a note's) is the client's clock: kept when it is plausible,
replaced by the server's receive time when it is not (``client_time_effective``), so no stored
time is ever outside [``leads.models.TIME_MIN``, now] and none can make a read fail.
"""

import datetime
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exhibitors.models import Exhibitor
from fair.text import text_normalize
from leads.exceptions import LeadDataInvalid
from leads.models import TIME_MIN, Question

SCAN_FUTURE_TOLERANCE = datetime.timedelta(minutes=5)
SCAN_MAX_AGE = datetime.timedelta(days=30)
NOTE_MAX_LENGTH = 4000
NOTES_PER_REQUEST_MAX = 20
NOTES_PER_LEAD_MAX = 100
ANSWER_MAX_LENGTH = 1000
TAG_MAX_LENGTH = 40
TAGS_MAX = 30


@dataclass(frozen=True)
class NoteDraft:
    """A note to add to a lead; ``client_id`` lets a device send it again without duplicates."""

    text: str
    client_id: UUID | None = None
    written_at: datetime.datetime | None = None


def client_time_effective(
    *, sent: datetime.datetime | None, received_at: datetime.datetime, time_zone: str
) -> datetime.datetime:
    """The time recorded for what a client did (a scan, a note): the client's time unless its
    clock is evidently wrong (more than ``SCAN_FUTURE_TOLERANCE`` ahead of the server or more
    than ``SCAN_MAX_AGE`` behind it), then the server's receive time. A time without offset is
    read in the fair's zone."""
    if sent is None:
        return received_at
    # Years far off are refused before any arithmetic: year 1 with a positive offset is before
    # year 1 in UTC, which Python cannot represent (and PostgreSQL stores as 1 BC).
    if not TIME_MIN.year <= sent.year <= received_at.year + 1:
        return received_at
    if timezone.is_naive(sent):
        sent = timezone.make_aware(sent, zoneinfo.ZoneInfo(time_zone))
    if sent > received_at + SCAN_FUTURE_TOLERANCE or sent < received_at - SCAN_MAX_AGE:
        return received_at
    return min(sent, received_at)


def answers_clean(
    *,
    exhibitor: Exhibitor,
    answers: Mapping[str, Any] | None,
    questions: Sequence[Question] | None = None,
) -> dict[str, str | list[str]]:
    """Validate answers ``{question_id: value}`` against the exhibitor's current questions.

    Returns the non-empty answers keyed by the question id as a string; empty values ("" or [])
    are dropped, so they never overwrite an earlier answer. Raises ``LeadDataInvalid`` with one
    entry per bad answer (``answers.<id>``).
    """
    if not answers:
        return {}
    if questions is None:
        questions = list(Question.objects.filter(exhibitor=exhibitor, removed_at__isnull=True))
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
            elif "\x00" in value:
                errors[field] = [str(_("An answer cannot contain NUL characters."))]
            elif len(value.strip()) > ANSWER_MAX_LENGTH:
                errors[field] = [
                    str(_("At most %(length)d characters.")) % {"length": ANSWER_MAX_LENGTH}
                ]
            elif value.strip():
                cleaned[key] = text_normalize(value.strip())
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
        if "\x00" in tag:
            errors.append(str(_("A tag cannot contain NUL characters.")))
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
    text = text_normalize((text or "").strip())
    if len(text) > NOTE_MAX_LENGTH:
        raise LeadDataInvalid(
            {field: [str(_("At most %(length)d characters.")) % {"length": NOTE_MAX_LENGTH}]}
        )
    if "\x00" in text:
        raise LeadDataInvalid({field: [str(_("A note cannot contain NUL characters."))]})
    return text


def notes_count_check(*, in_request: int, existing: int, adding: int, field: str) -> None:
    """Refuse more than ``NOTES_PER_REQUEST_MAX`` notes in one request (``in_request``, retries
    included) and more than ``NOTES_PER_LEAD_MAX`` on a lead (``existing`` + the new ones it
    would get, ``adding``)."""
    if in_request > NOTES_PER_REQUEST_MAX:
        message = ngettext(
            "At most %(count)d note can be added at once.",
            "At most %(count)d notes can be added at once.",
            NOTES_PER_REQUEST_MAX,
        ) % {"count": NOTES_PER_REQUEST_MAX}
        raise LeadDataInvalid({field: [message]})
    if existing + adding > NOTES_PER_LEAD_MAX:
        message = ngettext(
            "A lead has at most %(count)d note.",
            "A lead has at most %(count)d notes.",
            NOTES_PER_LEAD_MAX,
        ) % {"count": NOTES_PER_LEAD_MAX}
        raise LeadDataInvalid({field: [message]})
