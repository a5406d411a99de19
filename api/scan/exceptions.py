"""Errors of the scan API and how every exception becomes the one JSON error body."""

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from api.errors import ErrorCode, error_body, error_status, exception_body, fields_from_pydantic
from badges.exceptions import BadgeRevoked, BadgeUnknown
from leads.exceptions import LeadsError, ScanBudgetUsedUp

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """An error the API layer itself raises (not found, batch too large …)."""

    def __init__(self, code: ErrorCode, *, fields: dict[str, list[str]] | None = None):
        self.code = code
        self.fields = fields
        super().__init__(code.value)


class RateLimited(ApiError):
    """Over a rate limit (``fair.ratelimit``): 429 ``rate_limited`` with ``Retry-After``."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(ErrorCode.RATE_LIMITED)


class TokenInvalid(Exception):
    """No device has this bearer token."""


# ninja's own HTTP errors by status.
_HTTP_CODES = {
    403: ErrorCode.PERMISSION_DENIED,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    429: ErrorCode.RATE_LIMITED,
}


def _respond(
    api: NinjaAPI, request: HttpRequest, status: int, body: dict[str, Any]
) -> HttpResponse:
    response = api.create_response(request, body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="fairlead-scan"'
    return response


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every error of ``api`` answer with ``{"error", "detail"[, "fields"]}``.

    (django-ninja types a handler's exception as "the class or an instance of it"; they are
    all instances here, hence ``Any``.)
    """

    def on_domain(request: HttpRequest, exc: Any) -> HttpResponse:
        status, body = exception_body(exc)
        response = _respond(api, request, status, body)
        if isinstance(exc, ScanBudgetUsedUp):
            response["Retry-After"] = str(exc.retry_after)
        return response

    def on_api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        body = error_body(code=exc.code, fields=exc.fields)
        response = _respond(api, request, error_status(exc.code), body)
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response

    def on_token_invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        return _respond(api, request, 401, error_body(code=ErrorCode.TOKEN_INVALID))

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        body = error_body(code=ErrorCode.VALIDATION_ERROR, fields=fields_from_pydantic(exc.errors))
        return _respond(api, request, 422, body)

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            code = ErrorCode.NOT_AUTHENTICATED
        elif exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
            # ninja's "Cannot parse request body": not JSON at all.
            code = ErrorCode.MALFORMED_BODY
        else:
            code = _HTTP_CODES.get(exc.status_code, ErrorCode.VALIDATION_ERROR)
        return _respond(api, request, error_status(code), error_body(code=code))

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return _respond(api, request, 404, error_body(code=ErrorCode.NOT_FOUND))

    def on_too_big(request: HttpRequest, exc: Any) -> HttpResponse:
        return _respond(api, request, 413, error_body(code=ErrorCode.PAYLOAD_TOO_LARGE))

    def on_unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.exception("scan API: unexpected error", exc_info=exc)
        return _respond(api, request, 500, error_body(code=ErrorCode.SERVER_ERROR))

    api.add_exception_handler(LeadsError, on_domain)
    api.add_exception_handler(BadgeUnknown, on_domain)
    api.add_exception_handler(BadgeRevoked, on_domain)
    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(TokenInvalid, on_token_invalid)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(Exception, on_unexpected)
