"""Errors of the scan API and how every exception becomes the one JSON error body."""

import logging

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from api.errors import ErrorCode, error_body, error_status, fields_from_pydantic
from badges.exceptions import BadgeRevoked, BadgeUnknown
from leads.exceptions import LeadDataInvalid, LeadsError

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """An error the API layer itself raises (not found, batch too large …)."""

    def __init__(self, code: ErrorCode, detail: str | None = None):
        self.code = code
        self.detail = detail
        super().__init__(code.value)


class RateLimited(ApiError):
    """Over a rate limit (``fair.ratelimit``): 429 ``rate_limited`` with ``Retry-After``."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(ErrorCode.RATE_LIMITED)


def domain_error(exc: Exception) -> tuple[int, dict]:
    """Status and body for an exception of the leads or badges domain."""
    if isinstance(exc, BadgeUnknown):
        return error_status(ErrorCode.BADGE_UNKNOWN), error_body(code=ErrorCode.BADGE_UNKNOWN)
    if isinstance(exc, BadgeRevoked):
        return error_status(ErrorCode.BADGE_REVOKED), error_body(code=ErrorCode.BADGE_REVOKED)
    if isinstance(exc, LeadDataInvalid):
        return 422, error_body(code=exc.code, detail=str(exc.detail), fields=exc.fields)
    if isinstance(exc, LeadsError):
        return error_status(exc.code), error_body(code=exc.code, detail=str(exc.detail))
    raise TypeError(f"not a domain error: {exc!r}")


def _respond(api: NinjaAPI, request: HttpRequest, status: int, body: dict) -> HttpResponse:
    response = api.create_response(request, body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="fairlead-scan"'
    return response


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every error of ``api`` answer with ``{"error", "detail"[, "fields"]}``."""

    def on_domain(request, exc):
        status, body = domain_error(exc)
        return _respond(api, request, status, body)

    def on_api_error(request, exc: ApiError):
        body = error_body(code=exc.code, detail=exc.detail)
        response = _respond(api, request, error_status(exc.code), body)
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response

    def on_token_invalid(request, exc):
        return _respond(api, request, 401, error_body(code=ErrorCode.TOKEN_INVALID))

    def on_validation(request, exc: ValidationError):
        body = error_body(code=ErrorCode.VALIDATION_ERROR, fields=fields_from_pydantic(exc.errors))
        return _respond(api, request, 422, body)

    def on_http_error(request, exc: HttpError):
        if isinstance(exc, AuthenticationError):
            code = ErrorCode.NOT_AUTHENTICATED
        elif exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
            # ninja's "Cannot parse request body": not JSON at all.
            code = ErrorCode.MALFORMED_BODY
        else:
            code = {
                403: ErrorCode.PERMISSION_DENIED,
                404: ErrorCode.NOT_FOUND,
                405: ErrorCode.METHOD_NOT_ALLOWED,
                429: ErrorCode.RATE_LIMITED,
            }.get(exc.status_code, ErrorCode.VALIDATION_ERROR)
        return _respond(api, request, error_status(code), error_body(code=code))

    def on_not_found(request, exc):
        return _respond(api, request, 404, error_body(code=ErrorCode.NOT_FOUND))

    def on_too_big(request, exc):
        return _respond(api, request, 413, error_body(code=ErrorCode.PAYLOAD_TOO_LARGE))

    def on_unexpected(request, exc):
        logger.exception("scan API: unexpected error", exc_info=exc)
        return _respond(api, request, 500, error_body(code=ErrorCode.SERVER_ERROR))

    from api.scan.auth import TokenInvalid

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
