"""Input and output schemas of the scan API, and the functions that fill the output ones.

Every text a device sends is ``Text``: a NUL character (``\\u0000``, which PostgreSQL cannot
store in text) is refused with 422 here, before anything reaches a service.
"""

import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import AfterValidator, WithJsonSchema

from badges.models import Attendee
from fair.models import ForumSession, Topic
from leads.models import Lead, LeadNote, Question, ScannerDevice
from leads.selectors import BADGE_FIELDS, lead_contact
from leads.services.lead_data import NOTE_MAX_LENGTH, NOTES_PER_REQUEST_MAX


def _nul_refuse(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters (\\u0000)")
    return value


Text = Annotated[
    str, AfterValidator(_nul_refuse), Field(json_schema_extra={"pattern": "^[^\\u0000]*$"})
]
Rating = Literal["hot", "warm", "cold"]
AnswerValue = Text | list[Text] | None
BATCH_MAX = 500


class ErrorOut(Schema):
    error: str = Field(..., description="Stable machine code, e.g. `badge_unknown`.")
    detail: str = Field(..., description="Human text in the request's language.")
    fields: dict[str, list[str]] | None = Field(
        None, description="Only for 422: messages per field path, e.g. `answers.12`."
    )


# --- pairing and the device's view of itself --------------------------------------------------


class PairIn(Schema):
    pairing_code: Text = Field(
        ...,
        min_length=1,
        max_length=40,
        description="As shown in the portal, e.g. `AB12-CD34-EF56`",
    )
    device_name: Text = Field("", max_length=80, description="How the phone calls itself.")


class DeviceOut(Schema):
    id: int
    label: str
    paired_name: str
    paired_at: datetime.datetime | None


class ExhibitorOut(Schema):
    id: int
    company_name: str


class RoomOut(Schema):
    id: int
    name: str
    capacity: int


class PairOut(Schema):
    token: str = Field(..., description="Send as `Authorization: Bearer <token>`; keep it secret.")
    device: DeviceOut
    exhibitor: ExhibitorOut | None = Field(..., description="The stand device's exhibitor.")
    room: RoomOut | None = Field(None, description="The room device's forum room.")


class StandOut(Schema):
    number: str
    area: str
    hall: str


class FairOut(Schema):
    name: str
    venue: str
    city: str
    starts_on: datetime.date
    ends_on: datetime.date
    time_zone: str


class QuestionOut(Schema):
    id: int
    text: str
    kind: Literal["text", "single", "multiple"]
    choices: list[str]
    position: int


class MeOut(Schema):
    mode: Literal["leads", "attendance"] = Field(
        ...,
        description="`leads` for a stand device; `attendance` for a room device, which checks "
        "people in to sessions (`/checkins`, `/room`) and has no exhibitor, stand or questions.",
    )
    device: DeviceOut
    exhibitor: ExhibitorOut | None
    room: RoomOut | None = None
    stand: StandOut | None
    fair: FairOut
    questions: list[QuestionOut]


# --- scans and leads --------------------------------------------------------------------------


class ScanIn(Schema):
    code: Text = Field(
        ...,
        min_length=1,
        max_length=200,
        description="The scanned QR content (`FL1:…`) or the typed short code (`XXXX-XXXX-XXX`).",
    )
    client_id: UUID = Field(
        ..., description="Made by the device once per scan; a retry resends it."
    )
    scanned_at: datetime.datetime | None = Field(
        None,
        description="Device time (ISO 8601). More than 5 minutes ahead of the server or more "
        "than 30 days old (or before 2000) counts as a broken clock and is replaced by the "
        "server time; without an offset it is read in the fair's time zone.",
    )
    rating: Rating | None = None
    note: Text = Field("", max_length=NOTE_MAX_LENGTH)
    answers: dict[Text, AnswerValue] = Field(
        default_factory=dict,
        description="`{question_id: answer}`: text, one choice, or a list of choices.",
    )


class ContactOut(Schema):
    first_name: str
    last_name: str
    company: str
    contact_shared: bool = Field(
        ..., description="False: the attendee did not consent; only the badge print is shown."
    )
    job_title: str | None = None
    email: str | None = None
    phone: str | None = None
    country: str | None = None
    postal_code: str | None = None
    topics: list[str] | None = None


class NoteOut(Schema):
    id: int
    text: str
    device: str | None = Field(None, description="Label of the device that wrote the note.")
    author: str | None = Field(None, description="Portal user who wrote the note.")
    written_at: datetime.datetime


class LeadOut(Schema):
    id: int
    attendee: ContactOut
    first_scanned_at: datetime.datetime
    last_scanned_at: datetime.datetime
    scan_count: int
    rating: Rating | None
    tags: list[str]
    answers: dict[str, str | list[str]]
    notes: list[NoteOut]
    updated_at: datetime.datetime


class BatchIn(Schema):
    # Items are checked one by one (a malformed item fails alone), so the list takes any
    # JSON value; the documentation shows the real item schema.
    scans: Annotated[
        list[Any],
        WithJsonSchema(
            {
                "type": "array",
                "items": ScanIn.model_json_schema(),
                "maxItems": BATCH_MAX,
                "description": f"Up to {BATCH_MAX} scans as for `POST /scans`, oldest first.",
            }
        ),
    ]


class BatchResult(Schema):
    status: int = Field(..., description="201, 200, 404, 409, 410 or 422, as for `POST /scans`.")
    lead: LeadOut | None
    error: ErrorOut | None


class BatchOut(Schema):
    results: list[BatchResult]


class LeadPage(Schema):
    count: int
    next_offset: int | None = Field(None, description="Offset of the next page, null at the end.")
    items: list[LeadOut]


class NoteIn(Schema):
    text: Text = Field(..., max_length=NOTE_MAX_LENGTH)
    client_id: UUID | None = Field(None, description="Lets the device resend without duplicates.")
    written_at: datetime.datetime | None = Field(
        None,
        description="Device time, as `scanned_at` of a scan: replaced by the server time "
        "when the device clock is evidently wrong.",
    )


class LeadPatch(Schema):
    rating: Rating | None = None
    tags: list[Text] | None = Field(None, description="Added to the lead's tags.")
    answers: dict[Text, AnswerValue] | None = Field(None, description="Merged per question.")
    note: Text | None = Field(None, max_length=NOTE_MAX_LENGTH, description="One note to append.")
    notes: list[NoteIn | Text] | None = Field(
        None,
        max_length=NOTES_PER_REQUEST_MAX,
        description=f"Notes to append: at most {NOTES_PER_REQUEST_MAX} per request (`note` "
        "included) and 100 per lead.",
    )


# --- filling the output schemas ---------------------------------------------------------------


def device_out(device: ScannerDevice) -> dict[str, Any]:
    return {
        "id": device.pk,
        "label": device.label,
        "paired_name": device.paired_name,
        "paired_at": device.paired_at,
    }


def exhibitor_out(device: ScannerDevice) -> dict[str, Any] | None:
    if device.exhibitor is None:
        return None
    return {"id": device.exhibitor.pk, "company_name": device.exhibitor.company_name}


def room_out(device: ScannerDevice) -> dict[str, Any] | None:
    if device.room is None:
        return None
    return {"id": device.room.pk, "name": device.room.name, "capacity": device.room.capacity}


def question_out(question: Question) -> dict[str, Any]:
    return {
        "id": question.pk,
        "text": question.text,
        "kind": question.kind,
        "choices": question.choices,
        "position": question.position,
    }


def note_out(note: LeadNote) -> dict[str, Any]:
    return {
        "id": note.pk,
        "text": note.text,
        "device": note.device.label if note.device is not None else None,
        "author": note.author.get_username() if note.author is not None else None,
        "written_at": note.written_at,
    }


def lead_out(
    lead: Lead, notes: list[LeadNote] | None = None, topics: list[Topic] | None = None
) -> dict[str, Any]:
    """The API view of a lead; ``notes`` default to ``lead.notes.all()`` and ``topics`` to
    ``lead.attendee.topics.all()`` (prefetch both for lists)."""
    if notes is None:
        notes = list(lead.notes.all())
    return {
        "id": lead.pk,
        "attendee": lead_contact(lead=lead, topics=topics),
        "first_scanned_at": lead.first_scanned_at,
        "last_scanned_at": lead.last_scanned_at,
        "scan_count": lead.scan_count,
        "rating": lead.rating or None,
        "tags": lead.tags,
        "answers": lead.answers,
        "notes": [note_out(note) for note in notes],
        "updated_at": lead.updated_at,
    }


# --- session check-in (room devices) -----------------------------------------------------------


class CheckinIn(Schema):
    code: Text = Field(..., min_length=1, max_length=200, description="As for `POST /scans`.")
    client_id: UUID = Field(
        ..., description="Made by the device once per check-in; a retry resends it."
    )
    scanned_at: datetime.datetime | None = Field(
        None, description="Device time, as `scanned_at` of a scan; it picks the session."
    )


class PersonOut(Schema):
    first_name: str
    last_name: str
    company: str


class SessionOut(Schema):
    id: int
    code: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime


class CheckinOut(Schema):
    already: bool = Field(..., description="True: checked in to this session before.")
    person: PersonOut = Field(..., description="What the badge prints anyway.")
    session: SessionOut
    scanned_at: datetime.datetime
    checked_in: int = Field(..., description="People checked in to the session now.")
    capacity: int
    full: bool


class CheckinBatchIn(Schema):
    checkins: Annotated[
        list[Any],
        WithJsonSchema(
            {
                "type": "array",
                "items": CheckinIn.model_json_schema(),
                "maxItems": BATCH_MAX,
                "description": f"Up to {BATCH_MAX} check-ins as for `POST /checkins`.",
            }
        ),
    ]


class CheckinBatchResult(Schema):
    status: int = Field(..., description="201, 200, 404, 409, 410 or 422, as `POST /checkins`.")
    checkin: CheckinOut | None
    error: ErrorOut | None


class CheckinBatchOut(Schema):
    results: list[CheckinBatchResult]


class RecentOut(PersonOut):
    scanned_at: datetime.datetime


class RoomStatusOut(Schema):
    room: RoomOut
    session: SessionOut | None = Field(..., description="Now, or starting within 15 minutes.")
    next_session: SessionOut | None
    checked_in: int
    capacity: int
    full: bool
    recent: list[RecentOut] = Field(..., description="The last check-ins, newest first.")


def person_out(attendee: Attendee) -> dict[str, Any]:
    """Only what the badge prints: the door person reads it off the badge anyway."""
    return {name: getattr(attendee, name) for name in BADGE_FIELDS}


def session_out(session: ForumSession | None) -> dict[str, Any] | None:
    if session is None:
        return None
    return {
        "id": session.pk,
        "code": session.code,
        "title": session.title,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
    }


# --- the scan hot path's answers, built without validating them again -------------------------
#
# django-ninja validates a returned dict against the response schema (every field, through its
# Django-object getter) and then dumps it; for a schema instance it only dumps. The scan routes
# answer with instances built here from the dicts above, whose values already have the schema's
# types: the same JSON for about a tenth of a scan's Python time and a third of a batch's
# (bench/README.md). tests/api/test_scan_schemas.py holds them equal to the validated ones.


def lead_built(data: dict[str, Any]) -> LeadOut:
    """``lead_out``'s dict as a ``LeadOut``, without validation."""
    return LeadOut.model_construct(
        **{
            **data,
            "attendee": ContactOut.model_construct(**data["attendee"]),
            "notes": [NoteOut.model_construct(**note) for note in data["notes"]],
        }
    )


def batch_built(
    results: list[tuple[int, dict[str, Any] | None, dict[str, Any] | None]],
) -> BatchOut:
    """``(status, lead_out dict or None, error_body or None)`` per scan as a ``BatchOut``,
    without validation."""
    return BatchOut.model_construct(
        results=[
            BatchResult.model_construct(
                status=status,
                lead=lead_built(lead) if lead is not None else None,
                error=ErrorOut.model_construct(**error) if error is not None else None,
            )
            for status, lead, error in results
        ]
    )
