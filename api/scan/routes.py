"""Endpoints of the scan API: turn requests into service/selector calls and results into JSON.

Nothing here writes to the database itself; every write goes through ``leads.services``.
"""

import datetime
from collections.abc import Sequence
from typing import Any

import pydantic
from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.params.functions import Path, Query

from api.errors import ErrorCode, error_body, exception_body, fields_from_pydantic
from api.params import since_clean
from api.scan.auth import DeviceBearer, DeviceClaim, device_checked
from api.scan.exceptions import ApiError, RateLimited
from api.scan.schemas import (
    BATCH_MAX,
    BatchIn,
    BatchOut,
    ErrorOut,
    LeadOut,
    LeadPage,
    LeadPatch,
    MeOut,
    NoteIn,
    PairIn,
    PairOut,
    ScanIn,
    batch_built,
    device_out,
    exhibitor_out,
    lead_built,
    lead_out,
    question_out,
    room_out,
)
from exhibitors.models import Exhibitor
from fair.ratelimit import client_ip, pairing_per_ip, rate_limit_hit, rate_limit_refund
from leads.exceptions import (
    NotAStandDevice,
    PairingCodeExpired,
    PairingCodeInvalid,
    PairingCodeUsed,
    ScanBudgetUsedUp,
)
from leads.models import Lead, LeadNote, ScannerDevice
from leads.selectors import (
    attendee_topics,
    device_fair,
    lead_notes,
    leads_changed_since,
    leads_for_exhibitor,
    questions_for_exhibitor,
    stand_for_exhibitor,
)
from leads.services.capture import lead_capture_batch, lead_capture_draft
from leads.services.capture_data import CaptureResult, ScanDraft
from leads.services.capture_fast import lead_capture_fast
from leads.services.devices import device_pair, device_seen
from leads.services.lead_data import NoteDraft
from leads.services.lead_update import lead_update

router = Router()

# Numbers the database can hold (a larger offset or id is a 422, not a database error).
ID_MAX = 2**63 - 1
OFFSET_MAX = 2**31 - 1


def _errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    return dict.fromkeys(statuses, ErrorOut)


_AUTH_ERRORS = (401, 403)


def _any_device(request: HttpRequest) -> ScannerDevice:
    device: ScannerDevice = request.auth  # type: ignore[attr-defined]
    return device


def _device(request: HttpRequest) -> ScannerDevice:
    """The stand device of the request; a room device is refused (409 ``room_device``)."""
    device = _any_device(request)
    _exhibitor(device)
    return device


def _exhibitor(device: ScannerDevice) -> Exhibitor:
    if device.exhibitor is None:
        raise NotAStandDevice()
    return device.exhibitor


def _captured_out(results: Sequence[CaptureResult]) -> dict[int, dict[str, Any]]:
    """The leads of these results as they stand after all of them, by id: the leads are the
    capture's own objects, notes and topics come in one query each unless the capture read
    them."""
    leads: dict[int, Lead] = {}
    for result in results:
        if not result.replayed or result.lead.pk not in leads:
            leads[result.lead.pk] = result.lead
    # Notes known without a query: those the capture read, or none for a lead that had none
    # before this request; to them come the notes of this request.
    earlier: dict[int, list[LeadNote]] = {}
    had_notes = {result.lead.pk for result in results if result.notes_before != 0}
    for result in results:
        if result.earlier_notes is not None:
            earlier[result.lead.pk] = list(result.earlier_notes)
        elif result.notes_before == 0 and result.lead.pk not in had_notes:
            earlier.setdefault(result.lead.pk, [])
    notes = lead_notes(lead_ids=[lead_id for lead_id in leads if lead_id not in earlier])
    for result in results:
        if result.note is not None and result.lead.pk in earlier:
            earlier[result.lead.pk].append(result.note)
    for lead_id, listed in earlier.items():
        notes[lead_id] = sorted(listed, key=lambda note: (note.written_at, note.pk))
    topics = {r.lead.attendee_id: r.topics for r in results if r.topics is not None}
    sharing = [lead.attendee_id for lead in leads.values() if lead.attendee.lead_sharing]
    topics.update(attendee_topics(attendee_ids=[a for a in sharing if a not in topics]))
    return {
        lead_id: lead_out(lead, notes.get(lead_id, []), topics.get(lead.attendee_id))
        for lead_id, lead in leads.items()
    }


def _lead_or_404(device: ScannerDevice, lead_id: int) -> Lead:
    lead = leads_for_exhibitor(exhibitor=_exhibitor(device)).filter(pk=lead_id).first()
    if lead is None:
        raise ApiError(ErrorCode.NOT_FOUND)
    return lead


@router.post(
    "/pair",
    auth=None,
    response={200: PairOut, **_errors(400, 401, 403, 422, 429)},
    summary="Exchange a pairing code for the device token",
    description="No authentication. The pairing code comes from the exhibitor portal (text, QR "
    "or the link `/scan/#pair=<code>`), is valid 15 minutes and works once. Pairing a device "
    "again replaces its token; the old token is refused from then on. After 10 wrong codes "
    "from one address within 10 minutes, pairing answers `429 rate_limited` with "
    "`Retry-After` (seconds) until the window ends.",
)
def pair(request: HttpRequest, payload: PairIn) -> dict[str, Any]:
    # Counted before the code is checked, so that concurrent guesses cannot overshoot the
    # limit; only wrong codes keep counting, anything else is taken back.
    address = client_ip(request)
    wait = rate_limit_hit(limit=pairing_per_ip(), key=address)
    if wait:
        raise RateLimited(wait)
    wrong_code = False
    try:
        credentials = device_pair(
            pairing_code=payload.pairing_code, device_name=payload.device_name
        )
    except (PairingCodeInvalid, PairingCodeExpired, PairingCodeUsed):
        wrong_code = True
        raise
    finally:
        if not wrong_code:
            rate_limit_refund(limit=pairing_per_ip(), key=address)
    return {
        "token": credentials.token,
        "device": device_out(credentials.device),
        "exhibitor": exhibitor_out(credentials.device),
        "room": room_out(credentials.device),
    }


@router.get(
    "/me",
    response={200: MeOut, **_errors(*_AUTH_ERRORS)},
    summary="The device, its exhibitor and stand or its room, the fair, the questions",
)
def me(request: HttpRequest) -> dict[str, Any]:
    device = _any_device(request)
    exhibitor = device.exhibitor
    fair = device_fair(device=device)
    stand = stand_for_exhibitor(exhibitor=exhibitor) if exhibitor is not None else None
    return {
        "mode": "leads" if exhibitor is not None else "attendance",
        "device": device_out(device),
        "exhibitor": exhibitor_out(device),
        "room": room_out(device),
        "stand": (
            {"number": stand.number, "area": stand.area.name, "hall": stand.area.hall.name}
            if stand is not None
            else None
        ),
        "fair": {
            "name": fair.name,
            "venue": fair.venue,
            "city": fair.city,
            "starts_on": fair.starts_on,
            "ends_on": fair.ends_on,
            "time_zone": fair.time_zone,
        },
        "questions": [question_out(q) for q in questions_for_exhibitor(exhibitor=exhibitor)]
        if exhibitor is not None
        else [],
    }


@router.post(
    "/scans",
    response={
        201: LeadOut,
        200: LeadOut,
        **_errors(*_AUTH_ERRORS, 404, 409, 410, 422, 429),
    },
    auth=DeviceBearer(remember=True),
    summary="Record one badge scan",
    description="`201` for the first scan of this attendee by this exhibitor, `200` for any later "
    "scan (from any of the exhibitor's devices). Sending the same `client_id` again returns the "
    "original status and the lead and changes nothing (header `Idempotent-Replayed: true`). "
    "Errors: `badge_unknown` 404, `badge_revoked` 410, `own_staff`/`not_a_lead`/"
    "`validation_error`/`malformed_body` 422, `client_id_conflict` 409, `rate_limited` 429 "
    "(a device may send 3000 scans per 10 minutes; a well-formed code that matches no badge "
    "counts 100 more): keep the scan queued and send it again after `Retry-After` seconds.",
)
def scan_create(request: HttpRequest, payload: ScanIn, response: HttpResponse) -> Status[LeadOut]:
    claim: DeviceClaim = request.auth  # type: ignore[attr-defined]
    draft = ScanDraft(
        code=payload.code,
        client_id=payload.client_id,
        scanned_at=payload.scanned_at,
        rating=payload.rating,
        note=payload.note,
        answers=payload.answers,
    )
    device, result = claim.device, None
    if not claim.checked:  # remembered: the scan's statement checks the device, or takes nothing
        result = lead_capture_fast(device=device, draft=draft, token_hash=claim.token_hash)
        if result is None:
            device = device_checked(token=claim.token)
        device_seen(device=device)
    if result is None:
        result = lead_capture_draft(device=device, draft=draft, fast=claim.checked)
    if result.replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(
        201 if result.created else 200, lead_built(_captured_out([result])[result.lead.pk])
    )


@router.post(
    "/scans/batch",
    response={200: BatchOut, **_errors(*_AUTH_ERRORS, 409, 413, 422, 429)},
    summary="Upload up to 500 scans queued offline",
    description="One result per scan, in order, each as `POST /scans` would have answered it "
    "(`lead` shows the lead after the whole batch). A bad item never fails the others. More than "
    "500 scans are refused whole with `413 batch_too_large` and nothing is stored. If the request "
    "fails as a whole (network, 5xx), send the same batch again: stored scans are recognized by "
    "their `client_id`. Every item counts against the device's scan limit; a batch that does "
    "not fit at all is refused whole with `429 rate_limited`, nothing stored. A well-formed code "
    "that matches no badge costs 100 more before the next item is answered: once the budget is "
    "used up, the remaining items answer `429 rate_limited` each (header `Retry-After`), "
    "nothing of them stored: send them again after `Retry-After` seconds.",
)
def scan_batch(request: HttpRequest, payload: BatchIn, response: HttpResponse) -> BatchOut:
    if len(payload.scans) > BATCH_MAX:
        raise ApiError(ErrorCode.BATCH_TOO_LARGE)
    device = _device(request)
    invalid: dict[int, dict[str, Any]] = {}
    drafts: list[ScanDraft] = []
    for index, item in enumerate(payload.scans):
        try:
            scan = ScanIn.model_validate(item)
        except pydantic.ValidationError as exc:
            fields = fields_from_pydantic(exc.errors(include_url=False))
            invalid[index] = error_body(code=ErrorCode.VALIDATION_ERROR, fields=fields)
            continue
        drafts.append(
            ScanDraft(
                code=scan.code,
                client_id=scan.client_id,
                scanned_at=scan.scanned_at,
                rating=scan.rating,
                note=scan.note,
                answers=scan.answers,
            )
        )
    results = lead_capture_batch(device=device, scans=drafts)
    captured = iter(results)
    outcomes: list[tuple[int, int | None, dict[str, Any] | None]] = []
    for index in range(len(payload.scans)):
        if index in invalid:
            outcomes.append((422, None, invalid[index]))
            continue
        result = next(captured)
        if isinstance(result, CaptureResult):
            outcomes.append((201 if result.created else 200, result.lead.pk, None))
            continue
        status, body = exception_body(result)
        if isinstance(result, ScanBudgetUsedUp):
            response["Retry-After"] = str(result.retry_after)
        outcomes.append((status, None, body))
    leads = _captured_out([result for result in results if isinstance(result, CaptureResult)])
    return batch_built(
        [
            (status, leads[lead_id] if lead_id else None, error)
            for status, lead_id, error in outcomes
        ]
    )


@router.get(
    "/leads",
    response={200: LeadPage, **_errors(*_AUTH_ERRORS, 409, 422)},
    summary="This exhibitor's leads, newest first",
    description="With `since`, only leads changed (scanned, rated, annotated) from then on; "
    "`since` lies between 2000-01-01 and tomorrow (else 422), without an offset it is read in "
    "the fair's time zone. Page with `limit` (1–200) and `offset`.",
)
def lead_list(
    request: HttpRequest,
    since: datetime.datetime | None = None,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=OFFSET_MAX),
) -> dict[str, Any]:
    device = _device(request)
    if since is not None:
        try:
            since = since_clean(since, time_zone=_exhibitor(device).fair.time_zone)
        except ValueError as exc:
            raise ApiError(ErrorCode.VALIDATION_ERROR, fields={"since": [str(exc)]}) from exc
    leads = leads_changed_since(exhibitor=_exhibitor(device), since=since)
    count = leads.count()
    page = [lead_out(lead) for lead in leads[offset : offset + limit]]
    next_offset = offset + limit if offset + limit < count else None
    return {"count": count, "next_offset": next_offset, "items": page}


@router.get(
    "/leads/{lead_id}",
    response={200: LeadOut, **_errors(*_AUTH_ERRORS, 404, 409, 422)},
    summary="One lead of this exhibitor",
)
def lead_detail(request: HttpRequest, lead_id: int = Path(..., ge=1, le=ID_MAX)) -> dict[str, Any]:
    return lead_out(_lead_or_404(_device(request), lead_id))


@router.patch(
    "/leads/{lead_id}",
    response={200: LeadOut, **_errors(*_AUTH_ERRORS, 404, 409, 422)},
    summary="Rate, tag, answer or annotate a lead",
    description="Merges: `rating` replaces the rating when given, `answers` are merged per "
    "question, `tags` are added, `note`/`notes` are appended with this device as author. Empty "
    "values never clear anything. A note with a `client_id` already stored is not added again. "
    "At most 20 notes per request and 100 per lead (422 beyond).",
)
def lead_patch(
    request: HttpRequest, payload: LeadPatch, lead_id: int = Path(..., ge=1, le=ID_MAX)
) -> dict[str, Any]:
    device = _device(request)
    lead = _lead_or_404(device, lead_id)
    drafts = [
        NoteDraft(text=item)
        if isinstance(item, str)
        else NoteDraft(text=item.text, client_id=item.client_id, written_at=item.written_at)
        for item in payload.notes or ()
        if isinstance(item, str | NoteIn)
    ]
    lead_update(
        lead=lead,
        rating=payload.rating,
        tags=payload.tags,
        answers=payload.answers,
        note=payload.note,
        notes=drafts,
        device=device,
    )
    return lead_out(_lead_or_404(device, lead_id))
