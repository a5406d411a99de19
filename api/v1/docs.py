"""The OpenAPI schema of ``/api/v1/`` and a documentation page rendered from it."""

from django.shortcuts import render
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import AllowAny
from rest_framework.schemas.openapi import SchemaGenerator
from rest_framework.schemas.views import SchemaView

from api.errors import STATUS, ErrorCode
from api.v1.exceptions import CONFLICT_STATUS, api_exception_handler
from api.v1.throttling import DEFAULT_RATES, ApiAnonRateThrottle

TITLE = "Fairlead back-office API"
VERSION = "1.0.0"
DESCRIPTION = (
    "Fairs, areas, stands, exhibitors, attendees, leads and statistics for organizers and "
    "exhibitors. Authenticate with `Authorization: Bearer <token>`; errors are "
    '`{"error": "<code>", "detail": "<text>"}`.'
)


def api_patterns(router_urls: list) -> list:
    return [path("api/v1/", include(router_urls))]


class ApiSchemaView(SchemaView):
    """The OpenAPI document: public, throttled per address, errors in the API's error body."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ApiAnonRateThrottle]

    def get_exception_handler(self):
        return api_exception_handler


def schema_view(router_urls: list):
    generator = SchemaGenerator(
        title=TITLE, description=DESCRIPTION, patterns=api_patterns(router_urls), version=VERSION
    )
    return ApiSchemaView.as_view(schema_generator=generator, public=True)


def _operations(schema: dict) -> list[dict]:
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


def docs_page(router_urls: list):
    """A plain, self-hosted page (no external scripts) that lists every endpoint."""

    def view(request):
        generator = SchemaGenerator(
            title=TITLE,
            version=VERSION,
            description=DESCRIPTION,
            patterns=api_patterns(router_urls),
        )
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
