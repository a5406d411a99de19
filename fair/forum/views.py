"""The public forum program (no login): by day and room, one page per session, and both as
iCalendar files. Pages are cacheable: an ETag from the program's version answers a repeated
request with 304, and browsers keep a page for a minute (``private``: every page carries the
language switch's CSRF token, which must not be shared between visitors)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.views.decorators.http import condition, require_safe

from fair.forum.calendar import calendar_host, sessions_ics
from fair.forum.program import fair_zone
from fair.forum.selectors import (
    program_days,
    program_rooms,
    program_sessions,
    program_version,
    session_for_fair,
)
from fair.models import Fair

CACHE_SECONDS = 60


def _etag(request: HttpRequest, fair_slug: str, **kwargs: Any) -> str | None:
    fair = Fair.objects.filter(slug=fair_slug).first()
    if fair is None:
        return None
    return f"{program_version(fair=fair)}-{request.GET.urlencode()}"


def cacheable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """ETag from the program's version (304 when unchanged) and a minute in the browser."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
        return response

    return require_safe(condition(etag_func=_etag)(wrapper))


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@cacheable
def program(request: HttpRequest, fair_slug: str) -> HttpResponse:
    fair = get_object_or_404(Fair, slug=fair_slug)
    rooms = list(program_rooms(fair=fair))
    sessions = list(program_sessions(fair=fair))
    room_id = request.GET.get("room", "")
    room = next((r for r in rooms if str(r.pk) == room_id), None)
    if room_id and room is None:
        raise Http404("no such room")
    if room is not None:
        sessions = [session for session in sessions if session.room_id == room.pk]
    return render(
        request,
        "forum/program.html",
        {
            "fair": fair,
            "rooms": rooms,
            "room": room,
            "days": program_days(fair=fair, sessions=sessions),
            "zone": fair_zone(fair).key,
        },
    )


@cacheable
def session(request: HttpRequest, fair_slug: str, session_id: int) -> HttpResponse:
    fair = get_object_or_404(Fair, slug=fair_slug)
    found = session_for_fair(fair=fair, session_id=session_id)
    if found is None:
        raise Http404("no such session")
    return render(
        request,
        "forum/session.html",
        {"fair": fair, "session": found, "zone": fair_zone(fair).key},
    )


@cacheable
def program_ics(request: HttpRequest, fair_slug: str) -> HttpResponse:
    fair = get_object_or_404(Fair, slug=fair_slug)
    content = sessions_ics(
        sessions=program_sessions(fair=fair),
        name=f"{fair.name} – Forum",
        base_url=settings.FAIRLEAD_BASE_URL,
        host=calendar_host(),
    )
    return _ics_response(content, f"{slugify(fair.slug)}-forum.ics")


@cacheable
def session_ics(request: HttpRequest, fair_slug: str, session_id: int) -> HttpResponse:
    fair = get_object_or_404(Fair, slug=fair_slug)
    found = session_for_fair(fair=fair, session_id=session_id)
    if found is None:
        raise Http404("no such session")
    content = sessions_ics(
        sessions=[found],
        name=found.title,
        base_url=settings.FAIRLEAD_BASE_URL,
        host=calendar_host(),
    )
    return _ics_response(content, f"{slugify(found.code) or found.pk}.ics")
