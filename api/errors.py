"""The one error body and the one error-code table of Fairlead's APIs.

Every error answer of ``/api/scan/`` (django-ninja) and ``/api/v1/`` (DRF) is::

    {"error": "<stable machine code>", "detail": "<human text, in the request's language>"}

plus ``"fields": {"<field path>": ["<message>", …]}`` for validation errors (422). Field paths
are dotted: ``client_id``, ``answers.12``, ``scans.3.code``. Clients branch on ``error``, never
on ``detail``; codes are only ever added, never renamed.

``ERRORS`` is the table: each code with its HTTP status and its text, which both APIs send and
both APIs' documentation show (the domain's own sentence where it has one, so a portal page
and the API say the same). ``EXCEPTION_CODES`` says explicitly which code each domain
exception of the apps below answers with (a code never comes from a class name); a test makes
sure that every domain exception is listed.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from badges.exceptions import BadgeRevoked, BadgeUnknown
from exhibitors import exceptions as exhibitor_errors
from leads import exceptions as leads_errors


class ErrorCode(StrEnum):
    NOT_AUTHENTICATED = "not_authenticated"
    TOKEN_INVALID = "token_invalid"
    DEVICE_REVOKED = "device_revoked"
    PERMISSION_DENIED = "permission_denied"
    EXHIBITOR_INACTIVE = "exhibitor_inactive"
    PAIRING_CODE_INVALID = "pairing_code_invalid"
    PAIRING_CODE_EXPIRED = "pairing_code_expired"
    PAIRING_CODE_USED = "pairing_code_used"
    DEVICE_LABEL_TAKEN = "device_label_taken"
    DEVICE_LIMIT_REACHED = "device_limit_reached"
    BADGE_UNKNOWN = "badge_unknown"
    BADGE_REVOKED = "badge_revoked"
    OWN_STAFF = "own_staff"
    NOT_A_LEAD = "not_a_lead"
    VALIDATION_ERROR = "validation_error"
    MALFORMED_BODY = "malformed_body"
    BAD_REQUEST = "bad_request"
    CLIENT_ID_CONFLICT = "client_id_conflict"
    ROOM_DEVICE = "room_device"
    STAND_DEVICE = "stand_device"
    NO_SESSION = "no_session"
    SESSION_FULL = "session_full"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    FAIR_ALREADY_STARTED = "fair_already_started"
    STAND_NOT_AVAILABLE = "stand_not_available"
    NO_FREE_STAND = "no_free_stand"
    INVALID_STAFF_QUOTA = "invalid_staff_quota"
    STAFF_QUOTA_REACHED = "staff_quota_reached"
    STAFF_EMAIL_TAKEN = "staff_email_taken"
    STAFF_CHANGE_NOT_ALLOWED = "staff_change_not_allowed"
    PROFILE_LOCKED = "profile_locked"
    PORTAL_ACCOUNT_CONFLICT = "portal_account_conflict"
    EXHIBITOR_CONFLICT = "exhibitor_conflict"
    BATCH_TOO_LARGE = "batch_too_large"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"


@dataclass(frozen=True)
class ErrorSpec:
    status: int
    detail: Promise  # a lazy translation: rendered in the request's language


ERRORS: dict[ErrorCode, ErrorSpec] = {
    ErrorCode.NOT_AUTHENTICATED: ErrorSpec(
        401, _("Send the token as 'Authorization: Bearer <token>'.")
    ),
    ErrorCode.TOKEN_INVALID: ErrorSpec(401, _("This token is not known or no longer valid.")),
    ErrorCode.DEVICE_REVOKED: ErrorSpec(401, leads_errors.DeviceRevoked.default_detail),
    ErrorCode.PERMISSION_DENIED: ErrorSpec(403, _("You may not do this.")),
    ErrorCode.EXHIBITOR_INACTIVE: ErrorSpec(403, leads_errors.ExhibitorNotApproved.default_detail),
    ErrorCode.PAIRING_CODE_INVALID: ErrorSpec(400, leads_errors.PairingCodeInvalid.default_detail),
    ErrorCode.PAIRING_CODE_EXPIRED: ErrorSpec(400, leads_errors.PairingCodeExpired.default_detail),
    ErrorCode.PAIRING_CODE_USED: ErrorSpec(400, leads_errors.PairingCodeUsed.default_detail),
    ErrorCode.DEVICE_LABEL_TAKEN: ErrorSpec(409, leads_errors.DeviceLabelTaken.default_detail),
    ErrorCode.DEVICE_LIMIT_REACHED: ErrorSpec(409, leads_errors.DeviceLimitReached.default_detail),
    ErrorCode.BADGE_UNKNOWN: ErrorSpec(404, _("No badge of this fair has this code.")),
    ErrorCode.BADGE_REVOKED: ErrorSpec(410, _("This badge was revoked.")),
    ErrorCode.OWN_STAFF: ErrorSpec(422, leads_errors.OwnStaff.default_detail),
    ErrorCode.NOT_A_LEAD: ErrorSpec(422, leads_errors.NotALead.default_detail),
    ErrorCode.VALIDATION_ERROR: ErrorSpec(422, leads_errors.LeadDataInvalid.default_detail),
    ErrorCode.MALFORMED_BODY: ErrorSpec(422, _("The request body is not valid JSON.")),
    ErrorCode.BAD_REQUEST: ErrorSpec(400, _("This request cannot be understood.")),
    ErrorCode.CLIENT_ID_CONFLICT: ErrorSpec(409, leads_errors.ClientIdConflict.default_detail),
    ErrorCode.ROOM_DEVICE: ErrorSpec(409, leads_errors.NotAStandDevice.default_detail),
    ErrorCode.STAND_DEVICE: ErrorSpec(409, leads_errors.NotARoomDevice.default_detail),
    ErrorCode.NO_SESSION: ErrorSpec(409, leads_errors.NoSessionNow.default_detail),
    ErrorCode.SESSION_FULL: ErrorSpec(409, leads_errors.SessionFull.default_detail),
    ErrorCode.TRANSITION_NOT_ALLOWED: ErrorSpec(
        409, _("The exhibitor's state does not allow this change.")
    ),
    ErrorCode.FAIR_ALREADY_STARTED: ErrorSpec(
        409, _("This change is only possible before the fair starts.")
    ),
    ErrorCode.STAND_NOT_AVAILABLE: ErrorSpec(
        409, _("The stand is taken, reserved, or belongs to another area.")
    ),
    ErrorCode.NO_FREE_STAND: ErrorSpec(409, _("No free stand is left in the exhibitor's area.")),
    ErrorCode.INVALID_STAFF_QUOTA: ErrorSpec(409, _("The staff quota must be 0 to 32767.")),
    ErrorCode.STAFF_QUOTA_REACHED: ErrorSpec(409, _("All staff badges of the quota are in use.")),
    ErrorCode.STAFF_EMAIL_TAKEN: ErrorSpec(
        409, _("Another staff member of this exhibitor has this email address.")
    ),
    ErrorCode.STAFF_CHANGE_NOT_ALLOWED: ErrorSpec(
        409, _("Staff can be changed only for an approved exhibitor until the fair is over.")
    ),
    ErrorCode.PROFILE_LOCKED: ErrorSpec(409, _("The profile can no longer be edited.")),
    ErrorCode.PORTAL_ACCOUNT_CONFLICT: ErrorSpec(
        409, _("The contact's user account already belongs to another exhibitor.")
    ),
    ErrorCode.EXHIBITOR_CONFLICT: ErrorSpec(
        409, _("The exhibitor's registration does not allow this.")
    ),
    ErrorCode.BATCH_TOO_LARGE: ErrorSpec(
        413, _("A batch holds at most 500 scans; nothing was stored.")
    ),
    ErrorCode.PAYLOAD_TOO_LARGE: ErrorSpec(413, _("The request body is too large.")),
    ErrorCode.NOT_FOUND: ErrorSpec(404, _("Not found.")),
    ErrorCode.METHOD_NOT_ALLOWED: ErrorSpec(405, _("This method is not allowed here.")),
    ErrorCode.NOT_ACCEPTABLE: ErrorSpec(406, _("This API answers in JSON only.")),
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: ErrorSpec(415, _("Send the request body as JSON.")),
    ErrorCode.RATE_LIMITED: ErrorSpec(429, leads_errors.ScanBudgetUsedUp.default_detail),
    ErrorCode.SERVER_ERROR: ErrorSpec(
        500, _("Something went wrong on our side; please try again.")
    ),
}

# Which code each domain exception answers with. Subclasses not listed take the code of their
# nearest listed base class.
EXCEPTION_CODES: dict[type[Exception], ErrorCode] = {
    BadgeUnknown: ErrorCode.BADGE_UNKNOWN,
    BadgeRevoked: ErrorCode.BADGE_REVOKED,
    leads_errors.ExhibitorNotApproved: ErrorCode.EXHIBITOR_INACTIVE,
    leads_errors.DeviceRevoked: ErrorCode.DEVICE_REVOKED,
    leads_errors.PairingCodeInvalid: ErrorCode.PAIRING_CODE_INVALID,
    leads_errors.PairingCodeExpired: ErrorCode.PAIRING_CODE_EXPIRED,
    leads_errors.PairingCodeUsed: ErrorCode.PAIRING_CODE_USED,
    leads_errors.OwnStaff: ErrorCode.OWN_STAFF,
    leads_errors.NotALead: ErrorCode.NOT_A_LEAD,
    leads_errors.ClientIdConflict: ErrorCode.CLIENT_ID_CONFLICT,
    leads_errors.NotAStandDevice: ErrorCode.ROOM_DEVICE,
    leads_errors.NotARoomDevice: ErrorCode.STAND_DEVICE,
    leads_errors.NoSessionNow: ErrorCode.NO_SESSION,
    leads_errors.SessionFull: ErrorCode.SESSION_FULL,
    leads_errors.AttendanceExportRefused: ErrorCode.BAD_REQUEST,
    leads_errors.LeadDataInvalid: ErrorCode.VALIDATION_ERROR,
    leads_errors.DeviceLabelTaken: ErrorCode.DEVICE_LABEL_TAKEN,
    leads_errors.DeviceLimitReached: ErrorCode.DEVICE_LIMIT_REACHED,
    leads_errors.ScanBudgetUsedUp: ErrorCode.RATE_LIMITED,
    leads_errors.LeadsError: ErrorCode.BAD_REQUEST,
    exhibitor_errors.TransitionNotAllowed: ErrorCode.TRANSITION_NOT_ALLOWED,
    exhibitor_errors.FairAlreadyStarted: ErrorCode.FAIR_ALREADY_STARTED,
    exhibitor_errors.StandNotAvailable: ErrorCode.STAND_NOT_AVAILABLE,
    exhibitor_errors.NoFreeStand: ErrorCode.NO_FREE_STAND,
    exhibitor_errors.InvalidStaffQuota: ErrorCode.INVALID_STAFF_QUOTA,
    exhibitor_errors.StaffQuotaReached: ErrorCode.STAFF_QUOTA_REACHED,
    exhibitor_errors.StaffEmailTaken: ErrorCode.STAFF_EMAIL_TAKEN,
    exhibitor_errors.StaffChangeNotAllowed: ErrorCode.STAFF_CHANGE_NOT_ALLOWED,
    exhibitor_errors.ProfileLocked: ErrorCode.PROFILE_LOCKED,
    exhibitor_errors.PortalAccountConflict: ErrorCode.PORTAL_ACCOUNT_CONFLICT,
    exhibitor_errors.StandPlanInvalid: ErrorCode.VALIDATION_ERROR,
    exhibitor_errors.MessageRefused: ErrorCode.VALIDATION_ERROR,
    exhibitor_errors.ExhibitorError: ErrorCode.EXHIBITOR_CONFLICT,
}


def exception_code(exc: BaseException) -> ErrorCode | None:
    """The code of a domain exception (by the table, nearest listed class first), or None."""
    for kind in type(exc).__mro__:
        if kind in EXCEPTION_CODES:
            return EXCEPTION_CODES[kind]
    return None


def error_status(code: ErrorCode) -> int:
    return ERRORS[code].status


def error_body(
    *,
    code: ErrorCode,
    detail: str | Promise | None = None,
    fields: Mapping[str, Iterable[str | Promise]] | None = None,
) -> dict[str, Any]:
    """The error body for ``code``; ``detail`` defaults to the code's text in the table."""
    body: dict[str, Any] = {
        "error": code.value,
        "detail": str(ERRORS[code].detail if detail is None else detail),
    }
    if fields is not None:
        body["fields"] = {
            name: [str(message) for message in messages] for name, messages in fields.items()
        }
    return body


def exception_body(exc: BaseException) -> tuple[int, dict[str, Any]]:
    """Status and body for a domain exception listed in ``EXCEPTION_CODES``.

    The text is the table's, except where the exception carries more: the fields of
    ``LeadDataInvalid``, and the sentence of an exhibitor workflow error, which names the
    exhibitor and the states involved.
    """
    code = exception_code(exc)
    if code is None:
        raise TypeError(f"not a domain error: {exc!r}")
    if isinstance(exc, leads_errors.LeadDataInvalid):
        return error_status(code), error_body(code=code, fields=exc.fields)
    if isinstance(exc, exhibitor_errors.ExhibitorError) and str(exc):
        return error_status(code), error_body(code=code, detail=str(exc))
    return error_status(code), error_body(code=code)


_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


def fields_from_pydantic(errors: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """``fields`` from pydantic-style errors (``{"loc": (...), "msg": ...}``).

    The location prefix a framework adds (``body``/``query``/… and, for a body, the name of the
    argument it was bound to) is dropped, so that paths name the JSON fields the client sent.
    Errors about the body as a whole are filed under ``__all__``. Pass ``loc`` as pydantic
    itself gives it to have nothing dropped.
    """
    fields: dict[str, list[str]] = {}
    for error in errors:
        loc = list(error.get("loc", ()))
        if loc and loc[0] in _LOCATIONS:
            where = loc.pop(0)
            if where == "body" and loc:
                loc.pop(0)
        name = ".".join(str(part) for part in loc) or "__all__"
        fields.setdefault(name, []).append(str(error.get("msg", "")))
    return fields


def error_codes_markdown() -> str:
    """One line per code for API documentation (both APIs show the same table)."""
    return "\n".join(
        f"* `{code.value}` ({spec.status}): {spec.detail}" for code, spec in ERRORS.items()
    )


# The HTTP status of each code (the v1 documentation page lists them).
STATUS = {code: spec.status for code, spec in ERRORS.items()}
