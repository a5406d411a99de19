"""Writes of the leads app: scanner devices, qualifying questions, lead capture and updates.

Decisions worth knowing (each has a test in ``tests/leads``):

* **Who is a lead.** Visitors, press, speakers and *other* exhibitors' stand staff are leads like
  anyone else (their data is shown according to their own lead-sharing consent). A badge of the
  scanning exhibitor's *own* stand staff is refused with ``OwnStaff`` (code ``own_staff``), and
  organizer and service badges with ``NotALead`` (``not_a_lead``); in both cases nothing is stored.
* **Device time.** ``scanned_at`` is the device clock. A missing value means "now". Device time
  more than ``SCAN_FUTURE_TOLERANCE`` ahead of the server, or more than ``SCAN_MAX_AGE`` behind
  it, is a broken clock: the scan is kept (losing a real contact is worse than a wrong minute)
  and gets the server's receive time instead. A time without offset is read in the fair's zone.
* **Merging.** A later scan or an update never overwrites a value with an empty one: a rating
  replaces the rating only when given, answers are merged per question (the newest non-empty
  answer to a question wins), tags are added to the set, and notes are appended, each with its
  author device (or user) and time.
* **Retries.** ``lead_capture`` with a ``client_id`` that is already stored returns the stored
  result (``replayed=True``) and changes nothing, also when the retry races the original.
"""

import datetime
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, OperationalError, connections, router, transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from badges.codes import CodeFormatError, code_parse
from badges.exceptions import BadgeRevoked, BadgeUnknown
from badges.models import Attendee
from exhibitors.models import Exhibitor
from leads.exceptions import (
    ClientIdConflict,
    DeviceLabelTaken,
    DeviceRevoked,
    ExhibitorNotApproved,
    LeadDataInvalid,
    LeadsError,
    NotALead,
    OwnStaff,
    PairingCodeExpired,
    PairingCodeInvalid,
    PairingCodeUsed,
)
from leads.models import Lead, LeadNote, PairingCode, Question, Scan, ScannerDevice
from leads.selectors import badge_for_scan, lead_for_update
from leads.tokens import (
    device_token_generate,
    pairing_code_generate,
    pairing_code_normalise,
    secret_hash,
)

PAIRING_CODE_VALIDITY = datetime.timedelta(minutes=15)
# last_seen_at is written at most this often per device, so scans do not each cost a write.
LAST_SEEN_RESOLUTION = datetime.timedelta(seconds=60)
SCAN_FUTURE_TOLERANCE = datetime.timedelta(minutes=5)
SCAN_MAX_AGE = datetime.timedelta(days=30)
NOTE_MAX_LENGTH = 4000
ANSWER_MAX_LENGTH = 1000
TAG_MAX_LENGTH = 40
TAGS_MAX = 30
CHOICE_MAX_LENGTH = 100
CHOICES_MAX = 30

_NOT_LEADS = frozenset({Attendee.Category.ORGANIZER, Attendee.Category.SERVICE})


# --- scanner devices -------------------------------------------------------------------------


@dataclass(frozen=True)
class PairingCodeIssued:
    device: ScannerDevice
    code: str
    expires_at: datetime.datetime


@dataclass(frozen=True)
class DeviceCredentials:
    device: ScannerDevice
    token: str


def _require_approved(exhibitor: Exhibitor) -> None:
    if exhibitor.state != Exhibitor.State.APPROVED:
        raise ExhibitorNotApproved()


@transaction.atomic
def device_create(*, exhibitor: Exhibitor, label: str) -> ScannerDevice:
    """Register a scanner device for an approved exhibitor (not paired yet)."""
    _require_approved(exhibitor)
    label = label.strip()
    if ScannerDevice.objects.filter(exhibitor=exhibitor, label=label).exists():
        raise DeviceLabelTaken()
    try:
        with transaction.atomic():
            return ScannerDevice.objects.create(exhibitor=exhibitor, label=label)
    except IntegrityError as exc:
        raise DeviceLabelTaken() from exc


@transaction.atomic
def device_pairing_code_create(
    *, device: ScannerDevice, now: datetime.datetime | None = None
) -> PairingCodeIssued:
    """A new one-time pairing code for the device; earlier unused codes stop working."""
    now = now or timezone.now()
    _require_approved(device.exhibitor)
    if device.revoked_at is not None:
        raise DeviceRevoked()
    PairingCode.objects.filter(device=device, used_at__isnull=True).delete()
    code = pairing_code_generate()
    pairing = PairingCode.objects.create(
        device=device, code_hash=secret_hash(code), expires_at=now + PAIRING_CODE_VALIDITY
    )
    return PairingCodeIssued(device=device, code=code, expires_at=pairing.expires_at)


@transaction.atomic
def device_pair(
    *, pairing_code: str, device_name: str = "", now: datetime.datetime | None = None
) -> DeviceCredentials:
    """Exchange a pairing code for the device's long-lived token.

    Pairing again (with a new code) replaces the token: the previous holder is refused at once.
    """
    now = now or timezone.now()
    code_hash = secret_hash(pairing_code_normalise(pairing_code))
    pairing = (
        PairingCode.objects.select_for_update(of=("self",))
        .select_related("device", "device__exhibitor")
        .filter(code_hash=code_hash)
        .first()
    )
    if pairing is None:
        raise PairingCodeInvalid()
    if pairing.used_at is not None:
        raise PairingCodeUsed()
    if pairing.expires_at <= now:
        raise PairingCodeExpired()
    device = pairing.device
    if device.revoked_at is not None:
        raise DeviceRevoked()
    _require_approved(device.exhibitor)
    token = device_token_generate()
    pairing.used_at = now
    pairing.save(update_fields=["used_at"])
    device.token_hash = secret_hash(token)
    device.paired_at = now
    device.last_seen_at = now
    device.paired_name = device_name.strip()[:80]
    device.save(update_fields=["token_hash", "paired_at", "last_seen_at", "paired_name"])
    return DeviceCredentials(device=device, token=token)


@transaction.atomic
def device_provision(*, exhibitor: Exhibitor, label: str) -> DeviceCredentials:
    """Create a device that is paired at once (for organizers handing out prepared phones)."""
    device = device_create(exhibitor=exhibitor, label=label)
    token = device_token_generate()
    device.token_hash = secret_hash(token)
    device.paired_at = timezone.now()
    device.save(update_fields=["token_hash", "paired_at"])
    return DeviceCredentials(device=device, token=token)


@transaction.atomic
def device_revoke(*, device: ScannerDevice, now: datetime.datetime | None = None) -> ScannerDevice:
    """Revoke a device: its token and open pairing codes are refused from now on. Final."""
    if device.revoked_at is None:
        device.revoked_at = now or timezone.now()
        device.save(update_fields=["revoked_at"])
    PairingCode.objects.filter(device=device, used_at__isnull=True).delete()
    return device


def device_seen(*, device: ScannerDevice, now: datetime.datetime | None = None) -> None:
    """Note that the device was active; written at most once per ``LAST_SEEN_RESOLUTION``."""
    now = now or timezone.now()
    if device.last_seen_at is not None and now - device.last_seen_at < LAST_SEEN_RESOLUTION:
        return
    ScannerDevice.objects.filter(pk=device.pk).update(last_seen_at=now)
    device.last_seen_at = now


# --- qualifying questions ---------------------------------------------------------------------


def _question_clean(*, text: str, kind: str, choices: Sequence[str]) -> tuple[str, list[str]]:
    errors: dict[str, list[str]] = {}
    text = text.strip()
    if not text:
        errors["text"] = [str(_("Enter the question."))]
    if kind not in Question.Kind.values:
        errors["kind"] = [str(_("Choose a kind of question."))]
    cleaned: list[str] = []
    if kind in {Question.Kind.SINGLE, Question.Kind.MULTIPLE}:
        for choice in choices:
            choice = choice.strip()
            if choice and choice.casefold() not in {c.casefold() for c in cleaned}:
                cleaned.append(choice)
        if len(cleaned) < 2:
            errors["choices"] = [str(_("A choice question needs at least two different choices."))]
        elif len(cleaned) > CHOICES_MAX or any(len(c) > CHOICE_MAX_LENGTH for c in cleaned):
            errors["choices"] = [
                str(_("At most %(count)d choices of up to %(length)d characters each."))
                % {"count": CHOICES_MAX, "length": CHOICE_MAX_LENGTH}
            ]
    if errors:
        raise LeadDataInvalid(errors)
    return text, cleaned


@transaction.atomic
def question_create(
    *, exhibitor: Exhibitor, text: str, kind: str, choices: Sequence[str] = ()
) -> Question:
    text, cleaned = _question_clean(text=text, kind=kind, choices=choices)
    last = Question.objects.filter(exhibitor=exhibitor, removed_at__isnull=True).aggregate(
        last=Max("position")
    )["last"]
    return Question.objects.create(
        exhibitor=exhibitor,
        text=text,
        kind=kind,
        choices=cleaned,
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def question_update(
    *, question: Question, text: str, kind: str, choices: Sequence[str] = ()
) -> Question:
    """Change a question; answers already given keep their values."""
    text, cleaned = _question_clean(text=text, kind=kind, choices=choices)
    question.text, question.kind, question.choices = text, kind, cleaned
    question.save(update_fields=["text", "kind", "choices"])
    return question


@transaction.atomic
def question_remove(*, question: Question, now: datetime.datetime | None = None) -> Question:
    """Stop asking a question. It stays stored so that answers already given keep their label."""
    if question.removed_at is None:
        question.removed_at = now or timezone.now()
        question.save(update_fields=["removed_at"])
    return question


@transaction.atomic
def question_move(*, question: Question, offset: int) -> Question:
    """Move a question up (``offset=-1``) or down (``+1``) among the exhibitor's questions."""
    ordered = list(
        Question.objects.select_for_update()
        .filter(exhibitor_id=question.exhibitor_id, removed_at__isnull=True)
        .order_by("position", "id")
    )
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    target = index + offset
    if 0 <= target < len(ordered):
        ordered.insert(target, ordered.pop(index))
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
        if item.pk == question.pk:
            question.position = position
    return question


# --- leads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaptureResult:
    lead: Lead
    created: bool
    replayed: bool
    scan: Scan
    # The note this scan added (None for a replay or a scan without note).
    note: LeadNote | None = None


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


def _tags_merge(*, current: Sequence[str], new: Sequence[str] | None) -> list[str]:
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


def _lead_refuse(*, attendee: Attendee, exhibitor: Exhibitor) -> None:
    if attendee.category in _NOT_LEADS:
        raise NotALead()
    if (
        attendee.category == Attendee.Category.EXHIBITOR_STAFF
        and attendee.exhibitor_id == exhibitor.pk
    ):
        raise OwnStaff()


def _note_clean(text: str | None, field: str = "note") -> str:
    text = (text or "").strip()
    if len(text) > NOTE_MAX_LENGTH:
        raise LeadDataInvalid(
            {field: [str(_("At most %(length)d characters.")) % {"length": NOTE_MAX_LENGTH}]}
        )
    return text


def _capture_replay(*, device: ScannerDevice, code: str, client_id: UUID) -> CaptureResult | None:
    """The stored result for a client_id already used, or None if it is new."""
    scan = (
        Scan.objects.select_related("lead", "lead__attendee", "badge", "device")
        .filter(client_id=client_id)
        .first()
    )
    if scan is None:
        return None
    try:
        kind, value = code_parse(code)
    except CodeFormatError:
        kind, value = "", ""
    same_badge = value == (scan.badge.secret if kind == "secret" else scan.badge.short_code)
    if scan.device.exhibitor_id != device.exhibitor_id or not same_badge:
        raise ClientIdConflict()
    return CaptureResult(lead=scan.lead, created=scan.created_lead, replayed=True, scan=scan)


def lead_capture(
    *,
    device: ScannerDevice,
    code: str,
    client_id: UUID,
    scanned_at: datetime.datetime | None = None,
    rating: str | None = None,
    note: str = "",
    answers: dict | None = None,
) -> CaptureResult:
    """Record one badge scan at a stand; safe to call again with the same ``client_id``.

    Exactly one lead per (exhibitor, attendee), also when several devices of the exhibitor
    scan the same badge at the same moment: the lead row is locked (``SELECT … FOR UPDATE``)
    before it is counted up in the database (``scan_count = scan_count + 1``, i.e.
    ``F("scan_count") + 1``), a concurrent first scan that loses the race to create the lead
    falls back to the winner's row (savepoint + unique constraint), and a concurrent retry is
    caught by the unique ``Scan.client_id``.

    Raises ``BadgeUnknown``/``BadgeRevoked`` (from the badges app), ``OwnStaff``, ``NotALead``,
    ``LeadDataInvalid`` (answers, note) or ``ClientIdConflict``; nothing is stored then. A retry
    of a scan that was stored returns the stored result, even if the badge was revoked since.
    """
    try:
        return _lead_capture(
            device=device,
            code=code,
            client_id=client_id,
            scanned_at=scanned_at,
            rating=rating,
            note=note,
            answers=answers,
        )
    except (IntegrityError, BadgeUnknown, BadgeRevoked, LeadsError):
        # The common path does not look for an earlier scan first; only a failure costs that
        # query. A unique violation on Scan.client_id means a retry raced its original.
        replay = _capture_replay(device=device, code=code, client_id=client_id)
        if replay is None:
            raise
        return replay


@dataclass(frozen=True)
class ScanDraft:
    """One scan as a device sends it (the arguments of ``lead_capture``)."""

    code: str
    client_id: UUID
    scanned_at: datetime.datetime | None = None
    rating: str | None = None
    note: str = ""
    answers: dict | None = None


CaptureError = LeadsError | BadgeUnknown | BadgeRevoked
_BATCH_ATTEMPTS = 3
_RETRY_SQLSTATES = {"40P01", "40001"}  # deadlock detected, serialization failure


def lead_capture_batch(
    *, device: ScannerDevice, scans: Sequence[ScanDraft]
) -> list[CaptureResult | CaptureError]:
    """Record scans a device queued offline, in order: one result or domain error per scan.

    The whole batch is one transaction (one commit, so one disk flush instead of one per
    scan) and each scan runs in its own savepoint, so a refused scan leaves the others in
    place. Should the database break a deadlock with another batch touching the same leads
    in another order, the batch is rolled back and run again (it is idempotent anyway).
    """
    for attempt in range(_BATCH_ATTEMPTS):
        try:
            with transaction.atomic():
                return [_capture_or_error(device=device, scan=scan) for scan in scans]
        except OperationalError as exc:
            sqlstate = getattr(exc.__cause__, "sqlstate", None)
            if sqlstate not in _RETRY_SQLSTATES or attempt == _BATCH_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _capture_or_error(*, device: ScannerDevice, scan: ScanDraft) -> CaptureResult | CaptureError:
    try:
        return lead_capture(
            device=device,
            code=scan.code,
            client_id=scan.client_id,
            scanned_at=scan.scanned_at,
            rating=scan.rating,
            note=scan.note,
            answers=scan.answers,
        )
    except (LeadsError, BadgeUnknown, BadgeRevoked) as error:
        return error


@transaction.atomic
def _lead_capture(
    *,
    device: ScannerDevice,
    code: str,
    client_id: UUID,
    scanned_at: datetime.datetime | None,
    rating: str | None,
    note: str,
    answers: dict | None,
) -> CaptureResult:
    exhibitor = device.exhibitor
    fair = exhibitor.fair
    received_at = timezone.now()
    badge = badge_for_scan(code=code, fair_id=fair.pk)
    attendee = badge.attendee
    _lead_refuse(attendee=attendee, exhibitor=exhibitor)
    if rating and rating not in Lead.Rating.values:
        raise LeadDataInvalid({"rating": [str(_("Use hot, warm or cold."))]})
    clean_answers = answers_clean(exhibitor=exhibitor, answers=answers)
    note = _note_clean(note)
    when = scan_time_effective(
        scanned_at=scanned_at, received_at=received_at, time_zone=fair.time_zone
    )

    lead = lead_for_update(exhibitor_id=exhibitor.pk, attendee_id=attendee.pk)
    created = False
    if lead is None:
        try:
            with transaction.atomic():
                lead = Lead.objects.create(
                    exhibitor=exhibitor,
                    attendee=attendee,
                    first_scanned_at=when,
                    last_scanned_at=when,
                    scan_count=1,
                    rating=rating or "",
                    answers=clean_answers,
                )
            created = True
        except IntegrityError:
            # Another device created the lead a moment ago: count this scan on that one.
            lead = lead_for_update(exhibitor_id=exhibitor.pk, attendee_id=attendee.pk)
            if lead is None:
                raise
    if not created:
        changes: dict = {
            "first_scanned_at": min(lead.first_scanned_at, when),
            "last_scanned_at": max(lead.last_scanned_at, when),
            "updated_at": received_at,
        }
        if rating:
            changes["rating"] = rating
        if clean_answers:
            changes["answers"] = {**lead.answers, **clean_answers}
        _lead_count_up(lead_id=lead.pk, changes=changes)
        # The row is locked by this transaction, so the stored values are exactly these.
        lead.scan_count += 1
        for name, value in changes.items():
            setattr(lead, name, value)
    lead.attendee = attendee
    scan = _row_insert(
        Scan(
            lead=lead,
            device=device,
            badge=badge,
            client_id=client_id,
            scanned_at=when,
            created_lead=created,
        )
    )
    written = None
    if note:
        written = _row_insert(LeadNote(lead=lead, text=note, device=device, written_at=when))
    return CaptureResult(lead=lead, created=created, replayed=False, scan=scan, note=written)


# The two writes of every scan, as fixed SQL: compiling them through the ORM cost more CPU
# than the rest of the scan together (see leads/selectors.py, ``_LeanSelect``).
_STATEMENTS: dict[tuple, str] = {}


def _lead_count_up(*, lead_id: int, changes: dict) -> None:
    """``Lead.objects.filter(pk=…).update(scan_count=F("scan_count") + 1, **changes)``.

    The increment happens in the database (``scan_count = scan_count + 1``), so it is exact
    even without the row lock the caller holds.
    """
    using = router.db_for_write(Lead)
    connection = connections[using]
    fields = [Lead._meta.get_field(name) for name in sorted(changes)]
    key = ("lead_count_up", using, tuple(field.name for field in fields))
    if key not in _STATEMENTS:
        quote = connection.ops.quote_name
        column = quote(Lead._meta.get_field("scan_count").column)
        assignments = [f"{column} = {column} + 1"]
        assignments += [f"{quote(field.column)} = %s" for field in fields]
        _STATEMENTS[key] = (  # only quoted identifiers in the text; values are parameters
            f"UPDATE {quote(Lead._meta.db_table)} SET {', '.join(assignments)} "  # noqa: S608
            f"WHERE {quote(Lead._meta.pk.column)} = %s"
        )
    params = [field.get_db_prep_save(changes[field.name], connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(_STATEMENTS[key], [*params, lead_id])


def _row_insert(obj: Model) -> Model:
    """Insert a new row for ``obj`` as ``obj.save()`` would (no model signals are sent)."""
    model = type(obj)
    using = router.db_for_write(model)
    connection = connections[using]
    if not connection.features.can_return_columns_from_insert:
        obj.save(force_insert=True, using=using)
        return obj
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    key = ("insert", using, model._meta.label)
    if key not in _STATEMENTS:
        quote = connection.ops.quote_name
        _STATEMENTS[key] = (  # only quoted identifiers in the text; values are parameters
            f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608
            f"({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) "
            f"RETURNING {quote(model._meta.pk.column)}"
        )
    params = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(_STATEMENTS[key], params)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = using
    return obj


@transaction.atomic
def lead_update(
    *,
    lead: Lead,
    rating: str | None = None,
    tags: Sequence[str] | None = None,
    answers: dict | None = None,
    note: str | None = None,
    device: ScannerDevice | None = None,
    author: AbstractBaseUser | None = None,
    notes: Sequence[NoteDraft] = (),
) -> Lead:
    """Merge new values into a lead: nothing is overwritten with an empty value.

    ``rating`` replaces the rating when given; ``answers`` are merged per question; ``tags``
    are added; ``note`` (and each of ``notes``) is appended as a LeadNote by ``device`` or
    ``author``. A note with a ``client_id`` that is already stored is skipped (a retry).
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
    clean_answers: dict = {}
    try:
        clean_answers = answers_clean(exhibitor=locked.exhibitor, answers=answers)
    except LeadDataInvalid as exc:
        errors.update(exc.fields)
    merged_tags = locked.tags
    try:
        merged_tags = _tags_merge(current=locked.tags, new=tags)
    except LeadDataInvalid as exc:
        errors.update(exc.fields)
    drafts = [NoteDraft(text=note)] if note and note.strip() else []
    drafts += list(notes)
    clean_drafts = []
    for index, draft in enumerate(drafts):
        try:
            text = _note_clean(draft.text, field=f"notes.{index}")
        except LeadDataInvalid as exc:
            errors.update(exc.fields)
            continue
        if text:
            clean_drafts.append(NoteDraft(text, draft.client_id, draft.written_at))
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
    for draft in clean_drafts:
        if draft.client_id is not None:
            earlier = LeadNote.objects.filter(client_id=draft.client_id).first()
            if earlier is not None:
                if earlier.lead_id != locked.pk:
                    raise ClientIdConflict()
                continue
        written_at = draft.written_at or now
        if timezone.is_naive(written_at):
            written_at = timezone.make_aware(
                written_at, zoneinfo.ZoneInfo(locked.exhibitor.fair.time_zone)
            )
        LeadNote.objects.create(
            lead=locked,
            text=draft.text,
            device=device,
            author=author,
            written_at=min(written_at, now),
            client_id=draft.client_id,
        )
        fields.append("notes")
    if len(fields) > 1:
        locked.save(update_fields=[name for name in dict.fromkeys(fields) if name != "notes"])
    return locked
