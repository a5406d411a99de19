"""The error body of ``/api/v1/``: the same ``{"error": code, "detail": text}`` as the scan API,
with codes, statuses and texts from the one table in ``api/errors.py``.

DRF's exceptions, the domain errors of the apps below and any unexpected exception (a 500, as
JSON like every other answer of this API, never Django's HTML page) become ``api.errors``
bodies here (installed per view by ``ApiMixin.get_exception_handler``).
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from api.errors import ErrorCode, error_body, error_status, exception_body, exception_code

logger = logging.getLogger(__name__)

# Named by the documentation page (api/v1/docs.py): the status of workflow conflicts.
CONFLICT_STATUS = error_status(ErrorCode.EXHIBITOR_CONFLICT)

# DRF's own exceptions, most specific first.
_DRF_CODES: list[tuple[type[exceptions.APIException], ErrorCode]] = [
    (exceptions.ValidationError, ErrorCode.VALIDATION_ERROR),
    (exceptions.NotAuthenticated, ErrorCode.NOT_AUTHENTICATED),
    (exceptions.AuthenticationFailed, ErrorCode.TOKEN_INVALID),
    (exceptions.PermissionDenied, ErrorCode.PERMISSION_DENIED),
    (exceptions.NotFound, ErrorCode.NOT_FOUND),
    (exceptions.MethodNotAllowed, ErrorCode.METHOD_NOT_ALLOWED),
    (exceptions.NotAcceptable, ErrorCode.NOT_ACCEPTABLE),
    (exceptions.UnsupportedMediaType, ErrorCode.UNSUPPORTED_MEDIA_TYPE),
    (exceptions.Throttled, ErrorCode.RATE_LIMITED),
    (exceptions.ParseError, ErrorCode.MALFORMED_BODY),
]


def _fields(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation detail as the shared ``fields`` mapping (dotted paths)."""
    fields: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "__all__" if key == "non_field_errors" else str(key)
            for path, messages in _fields(value, f"{prefix}{name}.").items():
                fields.setdefault(path, []).extend(messages)
    elif isinstance(detail, list) and detail and not all(isinstance(item, str) for item in detail):
        for index, item in enumerate(detail):
            for path, messages in _fields(item, f"{prefix}{index}.").items():
                fields.setdefault(path, []).extend(messages)
    else:
        items = detail if isinstance(detail, list) else [detail]
        fields[prefix.rstrip(".") or "__all__"] = [str(item) for item in items]
    return fields


def _drf_answer(exc: exceptions.APIException) -> tuple[int, dict[str, Any], dict[str, str]]:
    code = next((code for kind, code in _DRF_CODES if isinstance(exc, kind)), None)
    if isinstance(exc, exceptions.AuthenticationFailed) and exc.status_code == 403:
        # DRF turns 401 into 403 when no authenticator offers a challenge.
        code = ErrorCode.PERMISSION_DENIED
    if code is None:  # an exception of DRF's we do not name: keep its status
        code = ErrorCode.SERVER_ERROR if exc.status_code >= 500 else ErrorCode.BAD_REQUEST
        status = exc.status_code
    else:
        status = error_status(code)
    fields = _fields(exc.detail) if code is ErrorCode.VALIDATION_ERROR else None
    headers = {}
    if auth_header := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = auth_header
    if wait := getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(wait))
    return status, error_body(code=code, fields=fields), headers


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    headers: dict[str, str] = {}
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    if exception_code(exc) is not None:
        status, body = exception_body(exc)
    elif isinstance(exc, exceptions.APIException):
        status, body, headers = _drf_answer(exc)
    else:
        logger.exception("back-office API: unexpected error", exc_info=exc)
        status, body = 500, error_body(code=ErrorCode.SERVER_ERROR)
    set_rollback()
    return Response(body, status=status, headers=headers)
