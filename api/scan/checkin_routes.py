"""Endpoints of the scan API for room devices: session check-in at the door of a forum room.

Same authentication, idempotency (``client_id``), offline batches and error body as the lead
endpoints; a stand device is refused here with 409 ``stand_device`` (and a room device on the
lead endpoints with 409 ``room_device``). Writes go through ``leads.services.checkin``.
"""

from typing import Any

import pydantic
from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from api.errors import ErrorCode, error_body, exception_body, fields_from_pydantic
from api.scan.exceptions import ApiError
from api.scan.schemas import (
    BATCH_MAX,
    CheckinBatchIn,
    CheckinBatchOut,
    CheckinIn,
    CheckinOut,
    ErrorOut,
    RoomStatusOut,
    person_out,
    session_out,
)
from leads.attendance_selectors import room_status
from leads.exceptions import NotARoomDevice, ScanBudgetUsedUp
from leads.models import ScannerDevice
from leads.services.checkin import (
    CheckinDraft,
    CheckinResult,
    attendance_checkin,
    attendance_checkin_batch,
)

router = Router(tags=["session check-in"])


def _room_device(request: HttpRequest) -> ScannerDevice:
    device: ScannerDevice = request.auth  # type: ignore[attr-defined]
    if device.room is None:
        raise NotARoomDevice()
    return device


def _errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    return dict.fromkeys(statuses, ErrorOut)


def checkin_out(result: CheckinResult) -> dict[str, Any]:
    attendance = result.attendance
    return {
        "already": not result.created,
        "person": person_out(attendance.attendee),
        "session": session_out(attendance.session),
        "scanned_at": attendance.scanned_at,
        "checked_in": result.checked_in,
        "capacity": result.capacity,
        "full": result.checked_in >= result.capacity,
    }


@router.get(
    "/room",
    response={200: RoomStatusOut, **_errors(401, 403, 409)},
    summary="The room's session now, its count and the last check-ins (room devices)",
    description="`session` is the session a check-in now counts for: the one running, or the "
    "next one starting within 15 minutes; null when there is none.",
)
def room(request: HttpRequest) -> dict[str, Any]:
    status = room_status(device=_room_device(request))
    return {
        "room": {"id": status.room.pk, "name": status.room.name, "capacity": status.room.capacity},
        "session": session_out(status.session),
        "next_session": session_out(status.next_session),
        "checked_in": status.checked_in,
        "capacity": status.room.capacity,
        "full": status.full,
        "recent": [
            {**person_out(attendance.attendee), "scanned_at": attendance.scanned_at}
            for attendance in status.recent
        ],
    }


@router.post(
    "/checkins",
    response={201: CheckinOut, 200: CheckinOut, **_errors(401, 403, 404, 409, 410, 422, 429)},
    summary="Check one badge in to the session in this device's room",
    description="`201`: checked in now; `200` with `already: true`: this person was checked in "
    "to the session before (at any door), nothing stored. The same `client_id` again returns "
    "the original answer (header `Idempotent-Replayed: true`). Errors: `badge_unknown` 404 "
    "(also a badge of another fair), `badge_revoked` 410, `no_session` 409 (nothing runs in the "
    "room and nothing starts within 15 minutes of `scanned_at`), `session_full` 409 (as many "
    "people checked in as the room holds: nobody more is let in), `client_id_conflict` 409, "
    "`stand_device` 409, `rate_limited` 429 as for scans.",
)
def checkin_create(
    request: HttpRequest, payload: CheckinIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    result = attendance_checkin(
        device=_room_device(request),
        code=payload.code,
        client_id=payload.client_id,
        scanned_at=payload.scanned_at,
    )
    if result.replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if result.created else 200, checkin_out(result))


@router.post(
    "/checkins/batch",
    response={200: CheckinBatchOut, **_errors(401, 403, 409, 413, 422, 429)},
    summary="Upload up to 500 check-ins queued offline",
    description="One result per check-in, in order, each as `POST /checkins` would have "
    "answered it; a bad item never fails the others. Each counts for the session of its own "
    "`scanned_at`. More than 500 are refused whole (`413 batch_too_large`); a batch beyond the "
    "device's scan limit is refused whole (`429`). Send a failed batch again as it was: stored "
    "check-ins are recognized by their `client_id`.",
)
def checkin_batch(
    request: HttpRequest, payload: CheckinBatchIn, response: HttpResponse
) -> dict[str, Any]:
    if len(payload.checkins) > BATCH_MAX:
        raise ApiError(ErrorCode.BATCH_TOO_LARGE)
    device = _room_device(request)
    invalid: dict[int, dict[str, Any]] = {}
    drafts: list[CheckinDraft] = []
    for index, item in enumerate(payload.checkins):
        try:
            checkin = CheckinIn.model_validate(item)
        except pydantic.ValidationError as exc:
            fields = fields_from_pydantic(exc.errors(include_url=False))
            invalid[index] = error_body(code=ErrorCode.VALIDATION_ERROR, fields=fields)
            continue
        drafts.append(CheckinDraft(checkin.code, checkin.client_id, checkin.scanned_at))
    outcomes = iter(attendance_checkin_batch(device=device, checkins=drafts))
    results: list[dict[str, Any]] = []
    for index in range(len(payload.checkins)):
        if index in invalid:
            results.append({"status": 422, "checkin": None, "error": invalid[index]})
            continue
        outcome = next(outcomes)
        if isinstance(outcome, CheckinResult):
            status = 201 if outcome.created else 200
            results.append({"status": status, "checkin": checkin_out(outcome), "error": None})
            continue
        status, body = exception_body(outcome)
        if isinstance(outcome, ScanBudgetUsedUp):
            response["Retry-After"] = str(outcome.retry_after)
        results.append({"status": status, "checkin": None, "error": body})
    return {"results": results}
