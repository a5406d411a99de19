"""The OpenAPI description of ``/api/v1/`` documents the error answers too.

DRF's AutoSchema lists only the success status of each operation; a client (and the fuzz
tests in tests/security/test_api_fuzz.py) must also know that every operation may answer
with the shared error body (``api.errors``): 401/403 (token), 404 (object or page not
found), 422 (a bad query parameter or body), 429 (throttled, with ``Retry-After``), and for
the POST actions 400 (not JSON), 409 (workflow refused) and 415 (not a JSON body).
"""

import types
import typing

from rest_framework import serializers
from rest_framework.schemas.openapi import AutoSchema

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "Stable machine code, e.g. `not_found`."},
        "detail": {"type": "string", "description": "Human text in the request's language."},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Only for 422: messages per field path.",
        },
    },
    "required": ["error", "detail"],
}

_DESCRIPTIONS = {
    "400": "The body is not valid JSON (`malformed_body`).",
    "401": "No token, or an unknown or revoked one (`not_authenticated`, `token_invalid`).",
    "403": "This caller may not do this (`permission_denied`).",
    "404": "No such object for this caller, or no such page (`not_found`).",
    "409": "The exhibitor's state does not allow this (`transition_not_allowed`, …).",
    "415": "The body is not JSON (`unsupported_media_type`).",
    "422": "A query parameter or body field is not valid (`validation_error`, with `fields`).",
    "429": "Too many requests (`rate_limited`); wait `Retry-After` seconds.",
}


_TYPES = {
    int: {"type": "integer"},
    str: {"type": "string"},
    bool: {"type": "boolean"},
    float: {"type": "number"},
    dict: {"type": "object"},
    list: {"type": "array", "items": {}},
}


def _annotation_schema(annotation) -> dict | None:
    """``int | None`` → ``{"type": "integer", "nullable": True}``; None if not simple."""
    args = typing.get_args(annotation)
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        others = [arg for arg in args if arg is not type(None)]
        if len(others) != 1:
            return None
        schema = _annotation_schema(others[0])
        return {**schema, "nullable": True} if schema else None
    origin = typing.get_origin(annotation) or annotation
    schema = _TYPES.get(origin)
    if schema is None:
        return None
    schema = dict(schema)
    if origin is list and args:
        schema["items"] = _annotation_schema(args[0]) or {}
    return schema


class ApiAutoSchema(AutoSchema):
    def map_field(self, field):
        # DRF documents every SerializerMethodField as a string; use the method's annotation.
        if isinstance(field, serializers.SerializerMethodField):
            method = getattr(field.parent, field.method_name, None)
            hints = typing.get_type_hints(method) if method is not None else {}
            schema = _annotation_schema(hints.get("return"))
            if schema is not None:
                return {**schema, "readOnly": True}
        if isinstance(field, serializers.PrimaryKeyRelatedField) and field.queryset is None:
            # A read-only foreign key: DRF cannot see the target's id type; ours are integers.
            schema = {"type": "integer", "readOnly": True}
            return {**schema, "nullable": True} if field.allow_null else schema
        return super().map_field(field)

    def map_field_validators(self, field, schema):
        super().map_field_validators(field, schema)
        if field.read_only and isinstance(field, serializers.URLField | serializers.EmailField):
            # An output value may be "" (not given): no URL/email pattern for what is sent.
            schema.pop("pattern", None)
            schema.pop("format", None)

    def get_components(self, path, method):
        components = super().get_components(path, method)
        components["Error"] = ERROR_SCHEMA
        return components

    def get_responses(self, path, method):
        responses = super().get_responses(path, method)
        codes = ["401", "403", "404", "422", "429"]
        if method in {"POST", "PUT", "PATCH"}:
            codes += ["400", "409", "415"]
        for code in sorted(codes):
            responses.setdefault(
                code,
                {
                    "description": _DESCRIPTIONS[code],
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
            )
        return responses
