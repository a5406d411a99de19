"""The one error body of Fairlead's APIs, independent of the framework that serves it.

Every error answer of ``/api/scan/`` (django-ninja) and ``/api/v1/`` (DRF) is::

    {"error": "<stable machine code>", "detail": "<human text, in the request's language>"}

plus ``"fields": {"<field path>": ["<message>", …]}`` for validation errors (422). Field paths
are dotted: ``client_id``, ``answers.12``, ``scans.3.code``. Clients branch on ``error``, never
on ``detail``; codes are only ever added, never renamed.
"""

from collections.abc import Iterable, Mapping
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class ErrorCode(StrEnum):
    NOT_AUTHENTICATED = "not_authenticated"
    TOKEN_INVALID = "token_invalid"
    DEVICE_REVOKED = "device_revoked"
    PERMISSION_DENIED = "permission_denied"
    EXHIBITOR_INACTIVE = "exhibitor_inactive"
    PAIRING_CODE_INVALID = "pairing_code_invalid"
    PAIRING_CODE_EXPIRED = "pairing_code_expired"
    PAIRING_CODE_USED = "pairing_code_used"
    BADGE_UNKNOWN = "badge_unknown"
    BADGE_REVOKED = "badge_revoked"
    OWN_STAFF = "own_staff"
    NOT_A_LEAD = "not_a_lead"
    VALIDATION_ERROR = "validation_error"
    MALFORMED_BODY = "malformed_body"
    CLIENT_ID_CONFLICT = "client_id_conflict"
    BATCH_TOO_LARGE = "batch_too_large"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"


# The HTTP status that goes with each code.
STATUS: dict[ErrorCode, int] = {
    ErrorCode.NOT_AUTHENTICATED: 401,
    ErrorCode.TOKEN_INVALID: 401,
    ErrorCode.DEVICE_REVOKED: 401,
    ErrorCode.PERMISSION_DENIED: 403,
    ErrorCode.EXHIBITOR_INACTIVE: 403,
    ErrorCode.PAIRING_CODE_INVALID: 400,
    ErrorCode.PAIRING_CODE_EXPIRED: 400,
    ErrorCode.PAIRING_CODE_USED: 400,
    ErrorCode.BADGE_UNKNOWN: 404,
    ErrorCode.BADGE_REVOKED: 410,
    ErrorCode.OWN_STAFF: 422,
    ErrorCode.NOT_A_LEAD: 422,
    ErrorCode.VALIDATION_ERROR: 422,
    ErrorCode.MALFORMED_BODY: 422,
    ErrorCode.CLIENT_ID_CONFLICT: 409,
    ErrorCode.BATCH_TOO_LARGE: 413,
    ErrorCode.PAYLOAD_TOO_LARGE: 413,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.SERVER_ERROR: 500,
}

# A default human text per code, for errors that bring none of their own.
DETAIL = {
    ErrorCode.NOT_AUTHENTICATED: _("Send the device token as 'Authorization: Bearer <token>'."),
    ErrorCode.TOKEN_INVALID: _("This device token is not known; pair the device again."),
    ErrorCode.DEVICE_REVOKED: _("This scanner device was revoked by its exhibitor."),
    ErrorCode.PERMISSION_DENIED: _("You may not do this."),
    ErrorCode.EXHIBITOR_INACTIVE: _("Only approved exhibitors can use scanner devices."),
    ErrorCode.PAIRING_CODE_INVALID: _("This pairing code is not valid."),
    ErrorCode.PAIRING_CODE_EXPIRED: _("This pairing code has expired."),
    ErrorCode.PAIRING_CODE_USED: _("This pairing code was already used."),
    ErrorCode.BADGE_UNKNOWN: _("No badge of this fair has this code."),
    ErrorCode.BADGE_REVOKED: _("This badge was revoked."),
    ErrorCode.OWN_STAFF: _("This badge belongs to your own stand staff."),
    ErrorCode.NOT_A_LEAD: _("This is an organizer or service badge."),
    ErrorCode.VALIDATION_ERROR: _("Some values are not valid."),
    ErrorCode.MALFORMED_BODY: _("The request body is not valid JSON."),
    ErrorCode.CLIENT_ID_CONFLICT: _("This client_id was already used for a different scan."),
    ErrorCode.BATCH_TOO_LARGE: _("A batch holds at most 500 scans; nothing was stored."),
    ErrorCode.PAYLOAD_TOO_LARGE: _("The request body is too large."),
    ErrorCode.NOT_FOUND: _("Not found."),
    ErrorCode.METHOD_NOT_ALLOWED: _("This method is not allowed here."),
    ErrorCode.RATE_LIMITED: _("Too many requests; try again shortly."),
    ErrorCode.SERVER_ERROR: _("Something went wrong on our side; please try again."),
}


def error_status(code: str) -> int:
    """The HTTP status of a code (400 for a code this module does not know)."""
    try:
        return STATUS[ErrorCode(code)]
    except ValueError:
        return 400


def error_body(
    *, code: str, detail: str | None = None, fields: Mapping[str, Iterable[str]] | None = None
) -> dict:
    """The error body for ``code``; ``detail`` defaults to the code's standard text."""
    if detail is None:
        try:
            detail = DETAIL[ErrorCode(code)]
        except ValueError:
            detail = DETAIL[ErrorCode.VALIDATION_ERROR]
    body: dict = {"error": str(code), "detail": str(detail)}
    if fields is not None:
        body["fields"] = {
            name: [str(message) for message in messages] for name, messages in fields.items()
        }
    return body


_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


def fields_from_pydantic(errors: Iterable[Mapping]) -> dict[str, list[str]]:
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


# One line per code for API documentation (the ninja API puts this into its description).
def error_codes_markdown() -> str:
    return "\n".join(f"* `{code.value}` ({STATUS[code]}): {DETAIL[code]}" for code in ErrorCode)
