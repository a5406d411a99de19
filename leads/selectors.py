"""Reads of the leads app: querysets and plain data, no side effects."""

import datetime
from collections.abc import Collection, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from badges.models import ATTENDEE_CONTACT_FIELDS, Attendee
from exhibitors.models import Exhibitor
from fair.hashing import secret_hash
from fair.lean_sql import LeanSelect
from fair.models import Area, Fair, Room, Stand, Topic
from leads.models import Lead, LeadNote, PairingCode, Question, ScannerDevice

# What an exhibitor sees of an attendee who consented to share contact details: all of them …
SHARED_CONTACT_FIELDS = ATTENDEE_CONTACT_FIELDS
# … and of one who did not: only what is printed on the badge anyway.
BADGE_FIELDS = ("first_name", "last_name", "company")


def lead_contact(*, lead: Lead, topics: Sequence[Topic] | None = None) -> dict[str, Any]:
    """The attendee data the lead's exhibitor may see, and nothing else.

    With the attendee's lead-sharing consent: name, company, job title, email, phone, country,
    postal code and interest topics (names in the active language), ``contact_shared: True``.
    Without it: only the badge print (first and last name, company), ``contact_shared: False``.
    Use it everywhere attendee data reaches an exhibitor (API, pages, exports). The topics
    are ``topics`` when given (``attendee_topics``), else ``attendee.topics.all()``, so
    prefetch ``attendee__topics`` for lists.
    """
    attendee = lead.attendee
    if not attendee.lead_sharing:
        contact: dict[str, Any] = {name: getattr(attendee, name) for name in BADGE_FIELDS}
        contact["contact_shared"] = False
        return contact
    contact = {name: getattr(attendee, name) for name in SHARED_CONTACT_FIELDS}
    contact["country"] = str(contact["country"] or "")  # the ISO code, not the field's object
    if topics is None:
        topics = list(attendee.topics.all())
    contact["topics"] = [topic.name for topic in topics]
    contact["contact_shared"] = True
    return contact


# The reads every scan makes, as fixed SQL (fair/lean_sql.py says why).
_DEVICE_BY_TOKEN = LeanSelect(
    [
        ("d", ScannerDevice, [f.name for f in ScannerDevice._meta.concrete_fields]),
        ("e", Exhibitor, ["id", "fair", "state", "company_name", "stand"]),
        ("r", Room, ["id", "fair", "name", "capacity"]),
        ("f", Fair, [f.name for f in Fair._meta.concrete_fields]),
    ],
    # A stand device has an exhibitor, a room device a room (never both: a check constraint).
    "{scannerdevice} d LEFT OUTER JOIN {exhibitor} e ON e.id = d.exhibitor_id "
    "LEFT OUTER JOIN {room} r ON r.id = d.room_id "
    "INNER JOIN {fair} f ON f.id = COALESCE(e.fair_id, r.fair_id) WHERE d.token_hash = %s",
)
_TOPICS_OF_ATTENDEES = LeanSelect(
    [
        ("j", Attendee.topics.through, ["id", "attendee"]),
        ("t", Topic, [f.name for f in Topic._meta.concrete_fields]),
    ],
    "{attendee_topics} j INNER JOIN {topic} t ON t.id = j.topic_id "
    "WHERE j.attendee_id {attendees_in} ORDER BY t.position, t.id",
    tables={"attendee_topics": Attendee.topics.through},
)
_NOTES_OF_LEADS = LeanSelect(
    [
        ("n", LeadNote, [f.name for f in LeadNote._meta.concrete_fields]),
        ("d", ScannerDevice, ["id", "label"]),
        ("u", get_user_model(), ["id", get_user_model().USERNAME_FIELD]),
    ],
    "{leadnote} n LEFT OUTER JOIN {scannerdevice} d ON d.id = n.device_id "
    "LEFT OUTER JOIN {user} u ON u.id = n.author_id WHERE n.lead_id {leads_in} "
    "ORDER BY n.written_at, n.id",
    tables={"user": get_user_model()},
)


def device_for_token(*, token: str) -> ScannerDevice | None:
    """The device holding this bearer token (revoked ones too: the caller refuses them).

    Comes with ``device.exhibitor`` (id, fair, state, company name, stand id) and
    ``device.exhibitor.fair`` loaded for a stand device, ``device.room`` (id, fair, name,
    capacity) and ``device.room.fair`` for a room device, in one query by the token's digest
    (unique index).
    """
    if not token:
        return None
    rows = _DEVICE_BY_TOKEN.rows([secret_hash(token)], model=ScannerDevice)
    if not rows:
        return None
    device: ScannerDevice
    exhibitor: Exhibitor | None
    room: Room | None
    device, exhibitor, room, fair = rows[0]
    if exhibitor is not None:
        exhibitor.fair = fair
        device.exhibitor = exhibitor
    if room is not None:
        room.fair = fair
        device.room = room
    return device


def device_fair(*, device: ScannerDevice) -> Fair:
    """The fair a device works at: its exhibitor's or its room's."""
    owner = device.exhibitor if device.exhibitor_id is not None else device.room
    if owner is None:
        raise ValueError("a device has an exhibitor or a room")
    return owner.fair


def devices_for_exhibitor(*, exhibitor: Exhibitor) -> QuerySet[ScannerDevice]:
    """The exhibitor's devices with their scan count, active ones first."""
    return (
        ScannerDevice.objects.filter(exhibitor=exhibitor)
        .annotate(scans_total=Count("scans"))
        .order_by(F("revoked_at").asc(nulls_first=True), "label", "id")
    )


def questions_for_exhibitor(
    *, exhibitor: Exhibitor, include_removed: bool = False
) -> QuerySet[Question]:
    """The exhibitor's qualifying questions in their order (removed ones only if asked)."""
    questions = Question.objects.filter(exhibitor=exhibitor)
    if not include_removed:
        questions = questions.filter(removed_at__isnull=True)
    return questions.order_by("position", "id")


def lead_notes_prefetch() -> "Prefetch[Any]":
    """A lead's notes, oldest first, with their device and author (``lead.notes.all()``)."""
    return Prefetch(
        "notes",
        queryset=LeadNote.objects.select_related("device", "author").order_by("written_at", "id"),
    )


def leads_for_exhibitor(*, exhibitor: Exhibitor) -> QuerySet[Lead]:
    """The exhibitor's leads, most recently scanned first, ready for ``lead_contact`` and notes."""
    return (
        Lead.objects.filter(exhibitor=exhibitor)
        .select_related("attendee")
        .prefetch_related("attendee__topics", lead_notes_prefetch())
        .order_by("-last_scanned_at", "-id")
    )


def leads_changed_since(*, exhibitor: Exhibitor, since: datetime.datetime | None) -> QuerySet[Lead]:
    """The exhibitor's leads, newest first; with ``since``, only those changed from then on."""
    leads = leads_for_exhibitor(exhibitor=exhibitor)
    if since is not None:
        leads = leads.filter(updated_at__gte=since)
    return leads


def lead_notes(*, lead_ids: Collection[int]) -> dict[int, list[LeadNote]]:
    """The notes of these leads by lead id, oldest first, with their author device (label) and
    user (name): one query for all of them."""
    notes: dict[int, list[LeadNote]] = {lead_id: [] for lead_id in lead_ids}
    if not notes:
        return notes
    for note, device, author in _NOTES_OF_LEADS.rows([list(notes)], model=LeadNote):
        note.device = device
        note.author = author
        notes[note.lead_id].append(note)
    return notes


def attendee_topics(*, attendee_ids: Collection[int]) -> dict[int, list[Topic]]:
    """The interest topics of these attendees by attendee id: one query for all of them."""
    topics: dict[int, list[Topic]] = {attendee_id: [] for attendee_id in attendee_ids}
    if not topics:
        return topics
    for link, topic in _TOPICS_OF_ATTENDEES.rows([list(topics)], model=Topic):
        topics[link.attendee_id].append(topic)
    return topics


def exhibitors_reported(
    *, fair: Fair | None = None, area: Area | None = None
) -> QuerySet[Exhibitor]:
    """The exhibitors a fair's (or an area's) reports count: the approved ones, and any other
    that has leads (a withdrawn exhibitor keeps its figures)."""
    exhibitors = Exhibitor.objects.all()
    if fair is not None:
        exhibitors = exhibitors.filter(fair=fair)
    if area is not None:
        exhibitors = exhibitors.filter(area=area)
    return exhibitors.filter(Q(state=Exhibitor.State.APPROVED) | Q(leads__isnull=False)).distinct()


def stand_for_exhibitor(*, exhibitor: Exhibitor) -> Stand | None:
    """The exhibitor's stand with its area and hall, or None before a stand is assigned."""
    if exhibitor.stand_id is None:
        return None
    return Stand.objects.select_related("area", "area__hall").get(pk=exhibitor.stand_id)


def device_for_exhibitor(*, exhibitor: Exhibitor, pk: int) -> ScannerDevice | None:
    """One device, only if it belongs to this exhibitor (other ids give None)."""
    return ScannerDevice.objects.filter(exhibitor=exhibitor, pk=pk).first()


def question_for_exhibitor(*, exhibitor: Exhibitor, pk: int) -> Question | None:
    """One current (not removed) question, only if it belongs to this exhibitor."""
    return Question.objects.filter(exhibitor=exhibitor, pk=pk, removed_at__isnull=True).first()


def pairing_code_state(
    *, device: ScannerDevice, code: str, now: datetime.datetime | None = None
) -> str:
    """``valid``, ``used``, ``expired`` or ``replaced`` (a newer code, or unknown) for a code."""
    now = now or timezone.now()
    pairing = PairingCode.objects.filter(device=device, code_hash=secret_hash(code)).first()
    if pairing is None:
        return "replaced"
    if pairing.used_at is not None:
        return "used"
    if pairing.expires_at <= now:
        return "expired"
    return "valid"
