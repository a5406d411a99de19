"""The OpenAPI schema of ``/api/v1/`` and a documentation page rendered from it."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.errors import STATUS, ErrorCode
from api.v1.exceptions import CONFLICT_STATUS, api_exception_handler
from api.v1.throttling import DEFAULT_RATES, ApiAnonRateThrottle

TITLE = settings.SPECTACULAR_SETTINGS["TITLE"]
VERSION = settings.SPECTACULAR_SETTINGS["VERSION"]


def api_patterns(router_urls: list[URLPattern | URLResolver]) -> list[URLResolver]:
    return [path("api/v1/", include(router_urls))]


class OpenApiJsonFormatRenderer(OpenApiJsonRenderer):
    """JSON under ``?format=openapi-json``, the address clients (and the fuzz tests) use."""

    format = "openapi-json"


class ApiSchemaView(SpectacularAPIView):
    """The OpenAPI document (drf-spectacular): public, throttled per address, errors in the
    API's error body. YAML by default (``application/vnd.oai.openapi``; it loads with a safe
    loader), JSON by ``Accept: application/vnd.oai.openapi+json`` or ``?format=openapi-json``.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ApiAnonRateThrottle]
    renderer_classes = [OpenApiYamlRenderer, OpenApiJsonRenderer, OpenApiJsonFormatRenderer]
    serve_public = True

    def get_exception_handler(self) -> Callable[..., Response | None]:
        return api_exception_handler

    def handle_exception(self, exc: Exception) -> Response:
        # Errors (e.g. 429) are the API's JSON error body, not an OpenAPI document.
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


def schema_view(router_urls: list[URLPattern | URLResolver]) -> Callable[..., HttpResponse]:
    return ApiSchemaView.as_view(patterns=api_patterns(router_urls))


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    operations = []
    for route, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": route,
                    "id": operation.get("operationId", ""),
                    "description": operation.get("description", ""),
                    "parameters": operation.get("parameters", []),
                    "has_body": "requestBody" in operation,
                }
            )
    return operations


def docs_page(router_urls: list[URLPattern | URLResolver]) -> Callable[[HttpRequest], HttpResponse]:
    """A plain, self-hosted page (no external scripts) that lists every endpoint."""

    def view(request: HttpRequest) -> HttpResponse:
        generator = SchemaGenerator(patterns=api_patterns(router_urls))
        schema = generator.get_schema(request=None, public=True)
        errors = [(code.value, STATUS[code]) for code in ErrorCode]
        errors.append(("transition_not_allowed, stand_not_available, …", CONFLICT_STATUS))
        return render(
            request,
            "api/docs.html",
            {
                "title": TITLE,
                "version": VERSION,
                "operations": _operations(schema),
                "errors": errors,
                "rates": DEFAULT_RATES,
                "page_title": _("API documentation"),
            },
        )

    return view
