"""The error body of ``/api/v1/``: the same ``{"error": code, "detail": text}`` as the scan API.

DRF's exceptions and the exhibitor workflow's domain errors are turned into ``api.errors``
bodies here (installed per view by ``api.v1.views.ApiView.get_exception_handler``).
"""

import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from api.errors import ErrorCode, error_body, error_status
from exhibitors.exceptions import ExhibitorError

# Codes of this API that the shared list (api.errors.ErrorCode) does not need.
CONFLICT_STATUS = 409
NOT_ACCEPTABLE, UNSUPPORTED_MEDIA_TYPE = "not_acceptable", "unsupported_media_type"


def _fields(detail, prefix: str = "") -> dict[str, list[str]]:
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


def _code_of(error: ExhibitorError) -> str:
    """``TransitionNotAllowed`` → ``transition_not_allowed``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(error).__name__).lower()


def api_exception_handler(exc, context):
    headers: dict[str, str] = {}
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, ExhibitorError):
        body = error_body(code=_code_of(exc), detail=str(exc))
        status = CONFLICT_STATUS
    elif isinstance(exc, exceptions.ValidationError):
        code = ErrorCode.VALIDATION_ERROR
        body = error_body(code=code, fields=_fields(exc.detail))
        status = error_status(code)
    elif isinstance(exc, exceptions.APIException):
        code = {
            exceptions.NotAuthenticated: ErrorCode.NOT_AUTHENTICATED,
            exceptions.AuthenticationFailed: ErrorCode.TOKEN_INVALID,
            exceptions.PermissionDenied: ErrorCode.PERMISSION_DENIED,
            exceptions.NotFound: ErrorCode.NOT_FOUND,
            exceptions.MethodNotAllowed: ErrorCode.METHOD_NOT_ALLOWED,
            exceptions.Throttled: ErrorCode.RATE_LIMITED,
            exceptions.ParseError: ErrorCode.MALFORMED_BODY,
            exceptions.NotAcceptable: NOT_ACCEPTABLE,
            exceptions.UnsupportedMediaType: UNSUPPORTED_MEDIA_TYPE,
        }
        code = next(
            (value for kind, value in code.items() if isinstance(exc, kind)),
            ErrorCode.SERVER_ERROR if exc.status_code >= 500 else "bad_request",
        )
        if isinstance(exc, exceptions.AuthenticationFailed) and exc.status_code == 403:
            # DRF turns 401 into 403 when no authenticator offers a challenge.
            code = ErrorCode.PERMISSION_DENIED
        detail = exc.detail if isinstance(exc.detail, str) else None
        if isinstance(exc, exceptions.NotAuthenticated):
            detail = str(_("Send an API token as 'Authorization: Bearer <token>' or log in."))
        body = error_body(code=code, detail=detail)
        status = exc.status_code
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
    else:
        return None
    set_rollback()
    return Response(body, status=status, headers=headers)
