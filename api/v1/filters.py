"""Query-parameter filtering of ``/api/v1/`` lists, declared once per view for both the
filtering and the OpenAPI schema (plain DRF, no django-filter)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend


@dataclass(frozen=True)
class QueryParam:
    name: str
    description: str
    # How the text becomes a value; raise ValueError for a bad value (→ 422).
    parse: Callable[[str], object] = str
    schema: dict | None = None
    choices: tuple[str, ...] = ()


ID_MAX = 2**63 - 1  # the largest id the database can hold


def parse_int(text: str) -> int:
    value = int(text)
    if not 1 <= value <= ID_MAX:
        raise ValueError("not an id")
    return value


def parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in {"1", "true", "yes"}:
        return True
    if lowered in {"0", "false", "no"}:
        return False
    raise ValueError("not a boolean")


def parse_since(text: str) -> datetime.datetime:
    value = parse_datetime(text.replace(" ", "+"))
    if value is None:
        raise ValueError("not a datetime")
    if value.tzinfo is None:
        raise ValueError("no time zone")
    return value


def query_values(request, params: list[QueryParam]) -> dict[str, object]:
    """The given query parameters, parsed; a bad value raises 422 with the field named."""
    values: dict[str, object] = {}
    errors: dict[str, list[str]] = {}
    for param in params:
        text = request.query_params.get(param.name)
        if text is None:
            continue
        if text == "" and param.parse is str and not param.choices:
            continue  # an empty search or tag filters nothing
        if param.choices and text not in param.choices:
            errors[param.name] = [
                _("Use one of: %(choices)s.") % {"choices": ", ".join(param.choices)}
            ]
            continue
        try:
            values[param.name] = param.parse(text)
        except ValueError:
            errors[param.name] = [_("This value is not valid: %(value)s") % {"value": text[:50]}]
    if errors:
        raise ValidationError(errors)
    return values


class DeclaredParamsFilter(BaseFilterBackend):
    """Calls ``view.filter_by(queryset, values)`` with the view's parsed ``query_params``."""

    def filter_queryset(self, request, queryset: QuerySet, view) -> QuerySet:
        params = getattr(view, "query_params", [])
        if not params:
            return queryset
        return view.filter_by(queryset, query_values(request, params))

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = []
        for param in getattr(view, "query_params", []):
            schema = dict(param.schema or {"type": "string"})
            if param.choices:
                schema["enum"] = list(param.choices)
            parameters.append(
                {
                    "name": param.name,
                    "required": False,
                    "in": "query",
                    "description": str(param.description),
                    "schema": schema,
                }
            )
        return parameters
