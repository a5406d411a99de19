"""Security headers Django's own SecurityMiddleware does not set (Content-Security-Policy and
Permissions-Policy), and a guard against NUL bytes in query strings.

The policy comes from ``settings.FAIRLEAD_CSP`` (directive → list of sources) and
``settings.FAIRLEAD_PERMISSIONS_POLICY`` (feature → allow list); both are built into header
values once, when the middleware is created (an empty setting sends no header). A view that
needs something else sets its own header, which is then left alone.

Why the sources are what they are (see also SECURITY.md):

* ``script-src 'self' 'wasm-unsafe-eval'``: only our own script files, no inline script and
  no ``eval``; ``'wasm-unsafe-eval'`` lets the scanner page compile the WebAssembly barcode
  decoder (``static/vendor/barcode-detector``) and nothing else.
* ``style-src 'self'``: our stylesheets only. Scripts may still set ``element.style`` (the
  CSSOM is not covered by CSP), which the scanner page and the API docs' Swagger UI do.
* ``img-src 'self' data: blob:``: QR codes and icons; ``media-src 'self' blob:``: the camera
  stream; ``worker-src``/``manifest-src``/``connect-src 'self'``: the scanner's service
  worker, web app manifest and API calls (same origin only).
* ``frame-ancestors 'none'``, ``object-src 'none'``, ``base-uri 'none'``,
  ``form-action 'self'``: no framing (clickjacking), no plugins, no ``<base>`` hijacking,
  forms post only to us.
"""

import base64
import hashlib
from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


def csp_header(directives: Mapping[str, Sequence[str]]) -> str:
    """``{"default-src": ["'self'"], "upgrade-insecure-requests": []}`` →
    ``default-src 'self'; upgrade-insecure-requests``."""
    return "; ".join(
        " ".join([name, *sources]) if sources else name for name, sources in directives.items()
    )


def permissions_policy_header(features: Mapping[str, Sequence[str]]) -> str:
    """``{"camera": ["self"], "microphone": []}`` → ``camera=(self), microphone=()``."""
    return ", ".join(f"{feature}=({' '.join(allow)})" for feature, allow in features.items())


def csp_header_name() -> str:
    if getattr(settings, "FAIRLEAD_CSP_REPORT_ONLY", False):
        return "Content-Security-Policy-Report-Only"
    return "Content-Security-Policy"


def csp_with(overrides: Mapping[str, Sequence[str]]) -> str:
    """The configured policy with some directives replaced, for the one view that needs it."""
    return csp_header({**getattr(settings, "FAIRLEAD_CSP", {}), **overrides})


def csp_style_attribute_sources(*styles: str) -> list[str]:
    """Sources that allow exactly these ``style="…"`` attribute values and no others."""
    digests = (
        base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() for style in styles
    )
    return ["'unsafe-hashes'", *(f"'sha256-{digest}'" for digest in digests)]


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy to every response that has none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = csp_header(getattr(settings, "FAIRLEAD_CSP", {}))
        self.csp_header_name = csp_header_name()
        self.permissions_policy = permissions_policy_header(
            getattr(settings, "FAIRLEAD_PERMISSIONS_POLICY", {})
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.csp and self.csp_header_name not in response:
            response[self.csp_header_name] = self.csp
        if self.permissions_policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions_policy
        return response


class NulQueryGuardMiddleware:
    """Answers 400 to a page request whose query string holds a NUL byte (``%00``).

    PostgreSQL refuses NUL in a text value, so a search or filter parameter carrying one
    would turn into a server error wherever it reaches a query (admin searches and filters,
    portal filters). No honest link has one. The APIs (``/api/``) check their parameters in
    their own schemas and answer with their own error body, so they are left to them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/") and any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL byte in the query string")
        return self.get_response(request)
