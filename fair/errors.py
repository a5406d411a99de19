"""Our own error pages: branded, translated, with a way back (fair/urls.py names them as
``handler400`` … ``handler500``; ``CSRF_FAILURE_VIEW`` points at ``csrf_failure``).

Every page renders without the database: the 500 page must work when the database is the
problem, so these views override the context that would reach it (the logged-in user and
messages come from the session, which lives in the database) and their templates show no
user-specific navigation. Error pages are never cached and never send their URL on
(``fair.secret_link``), since the URL that failed may hold a secret.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from fair.secret_link import secret_link_headers

# What a template could otherwise read from the session (and so from the database).
_NO_SESSION = {"user": None, "messages": ()}


def _error_page(
    request: HttpRequest, template: str, status: int, **context: object
) -> HttpResponse:
    response = render(request, f"errors/{template}.html", {**_NO_SESSION, **context}, status=status)
    secret_link_headers(response)
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "400", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "403", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "404", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(request, "500", 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form was sent without a valid security token (cookies blocked, a page left open for
    long, or a form on another site): say so, and lead back to the form to send it again."""
    referer = request.META.get("HTTP_REFERER", "")
    back = (
        referer
        if referer
        and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        else ""
    )
    return _error_page(request, "csrf", 403, back=back)
