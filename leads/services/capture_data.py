"""What a scan capture takes and gives, shared by its engine (``leads.services.capture``) and
its one-statement path (``leads.services.capture_fast``)."""

import datetime
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from fair.models import Topic
from leads.models import Lead, LeadNote, Scan
from leads.selectors import SHARED_CONTACT_FIELDS

# The attendee fields a lead shows (``leads.selectors.lead_contact``) and capture decides on.
ATTENDEE_FIELDS = [
    "id",
    "fair",
    "category",
    "exhibitor",
    *SHARED_CONTACT_FIELDS,
    "lead_sharing",
]
# One statement per kind of code (an OR of both would keep PostgreSQL from starting at the
# unique index of each).
BADGE_CODE_COLUMNS = {"secret": "secret", "short": "short_code"}


@dataclass(frozen=True)
class ScanDraft:
    """One scan as a device sends it."""

    code: str
    client_id: UUID
    scanned_at: datetime.datetime | None = None
    rating: str | None = None
    note: str = ""
    answers: dict[str, Any] | None = None


@dataclass(frozen=True)
class CaptureResult:
    lead: Lead  # with ``lead.attendee`` loaded
    created: bool
    replayed: bool
    scan: Scan
    # The note this scan added (None for a replay or a scan without note).
    note: LeadNote | None = None
    # The lead's notes before this capture (None for a replay): with 0, its notes are exactly
    # the ``note``s of this capture's results for it, and nobody needs to read them back.
    notes_before: int | None = None
    # Those notes, oldest first, when the capture read them (the one-statement scan does, with
    # their device and author), else None: the caller reads them (``lead_notes``).
    earlier_notes: list[LeadNote] | None = None
    # The attendee's interest topics when the capture read them already (a lead whose
    # attendee shares them), else None: the caller reads them (``attendee_topics``).
    topics: list[Topic] | None = None
