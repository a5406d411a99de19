"""A URLconf for the error-page tests: the real one plus views that fail on purpose, with the
real error handlers (Django reads them from the URLconf module)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from fair import urls as fair_urls
from fair.urls import handler400, handler403, handler404, handler500  # noqa: F401


def _raise(exception: Exception):
    def view(request: HttpRequest) -> HttpResponse:
        raise exception

    return view


urlpatterns = [
    *fair_urls.urlpatterns,
    path("boom/", _raise(RuntimeError("boom"))),
    path("forbidden/", _raise(PermissionDenied())),
    path("bad/", _raise(SuspiciousOperation("bad"))),
]
