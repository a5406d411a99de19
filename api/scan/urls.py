"""URLs of the scan API: the ninja API, plus JSON answers for unknown paths and methods."""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase, HttpResponseNotAllowed, JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from api.errors import ErrorCode, error_body, error_status
from api.scan.api import api

View = Callable[..., HttpResponseBase]


def _json_method_not_allowed(view: View) -> View:
    """django-ninja answers a wrong method with Django's empty 405; give the JSON body instead."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = JsonResponse(
                error_body(code=ErrorCode.METHOD_NOT_ALLOWED),
                status=error_status(ErrorCode.METHOD_NOT_ALLOWED),
            )
            response["Allow"] = allowed
        return response

    return wrapper


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    return JsonResponse(error_body(code=ErrorCode.NOT_FOUND), status=404)


_patterns, _app_name, _namespace = api.urls
for _pattern in _patterns:
    if _pattern.callback is not None:
        _pattern.callback = _json_method_not_allowed(_pattern.callback)

urlpatterns = [
    path("", include((_patterns, _app_name), namespace=_namespace)),
    re_path(r"^(?P<rest>.*)$", not_found),
]
