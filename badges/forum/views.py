"""The visitor's forum pages: vote from the phone, the projector with live results, and the
agenda behind the badge link.

Public pages (no login): the vote page of a session (the projector's QR opens it; the phone is
known by its voter cookie, see ``badges.forum.voter_cookie``), the fair's "vote now" page, the
projector page and its small live JSON. Badge-link pages (``secret_link_page``): the agenda,
its calendar file, and "vote from this phone".
"""

import hashlib
import json
import time

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from badges.forum.agenda import agenda_add, agenda_remove
from badges.forum.selectors import (
    ItemResults,
    agenda_session_ids,
    agenda_sessions,
    session_item_results,
    session_with_voter,
    voter_for_code,
    votes_for_session,
)
from badges.forum.voter_cookie import (
    voter_cookie_delete,
    voter_cookie_ids,
    voter_cookie_set,
    voter_from_request,
)
from badges.forum.voting import vote_request_charge, vote_submit
from badges.models import Attendee
from badges.render import qr_png_bytes
from badges.selectors import attendee_for_access_token, badge_active
from fair.forum.calendar import calendar_host, sessions_ics
from fair.forum.program import fair_zone
from fair.forum.selectors import (
    program_days,
    program_sessions,
    session_by_fair_slug,
    session_for_fair,
)
from fair.logging import QUIET_ACCESS_LOG
from fair.models import Fair, ForumSession, VoteItem
from fair.ratelimit import client_ip, forum_code_per_ip, rate_limit_hit, rate_limit_wait
from fair.secret_link import secret_link_page
from fair.views import too_many_requests

# How often the projector and the vote page ask for news (the issue: within two seconds).
POLL_MILLISECONDS = 1000


# live.json is polled by every projector and vote page of a session, hundreds of them every
# second: each process computes a session's results at most once per LIVE_CACHE_SECONDS and
# answers the other polls from memory (bench/voting.py measures it). With the pages polling
# every POLL_MILLISECONDS, a vote shows on the projector within 1.5 s plus the round trip.
LIVE_CACHE_SECONDS = 0.5
_live_cache: dict[tuple[str, int], tuple[float, bytes, str]] = {}


def _session(fair_slug: str, session_id: int) -> tuple[Fair, ForumSession]:
    session = session_by_fair_slug(fair_slug=fair_slug, session_id=session_id)
    if session is None:
        raise Http404("no such session")
    return session.fair, session


def _vote_url(session: ForumSession) -> str:
    return reverse("voting:vote", kwargs={"fair_slug": session.fair.slug, "session_id": session.pk})


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 10 else None


# --------------------------------------------------------------------------- voting


@never_cache
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, fair_slug: str, session_id: int) -> HttpResponse:
    """GET: the session's items with the phone's own votes; POST: one vote (item, value)."""
    ids = voter_cookie_ids(request)
    if request.method == "POST" and ids is not None:
        return _vote_post(request, fair_slug=fair_slug, session_id=session_id, ids=ids)
    found = session_with_voter(
        fair_slug=fair_slug, session_id=session_id, attendee_id=ids[1] if ids else None
    )
    if found is None:
        raise Http404("no such session")
    session, voter = found
    fair = session.fair
    if ids is None or ids[0] != fair.pk:  # a cookie of another fair votes nowhere else
        voter = None
    if request.method == "POST":
        return _not_linked(request, session)
    mine = votes_for_session(attendee=voter, session=session) if voter else {}
    return render(
        request,
        "forum/vote.html",
        {
            "fair": fair,
            "session": session,
            "voter": voter,
            "rows": [
                (item, mine.get(item.item_id)) for item in session_item_results(session=session)
            ],
            "values": range(1, 6),
            "live_url": reverse(
                "voting:live", kwargs={"fair_slug": fair.slug, "session_id": session.pk}
            ),
            "poll": POLL_MILLISECONDS,
        },
    )


def _not_linked(request: HttpRequest, session: ForumSession) -> HttpResponse:
    messages.error(request, _("This phone is not linked to a badge yet."))
    return redirect(_vote_url(session))


def _vote_post(
    request: HttpRequest, *, fair_slug: str, session_id: int, ids: tuple[int, int]
) -> HttpResponse:
    charged = vote_request_charge(
        fair_slug=fair_slug, session_id=session_id, attendee_id=ids[1], address=client_ip(request)
    )
    if charged is None:
        raise Http404("no such session")
    session, voter = charged.session, charged.voter
    if voter is None or ids[0] != session.fair_id:  # a cookie of another fair votes nowhere else
        return _not_linked(request, session)
    if charged.retry_after:
        return too_many_requests(request, retry_after=charged.retry_after)
    item_id, value = _int(request.POST.get("item")), _int(request.POST.get("value"))
    if item_id is None or value is None:
        messages.error(request, _("Please choose an item and a value from 1 to 5."))
        return redirect(_vote_url(session))
    outcome = vote_submit(attendee=voter, item_id=item_id, value=value, session_id=session.pk)
    back = redirect(f"{_vote_url(session)}#item-{item_id}")
    if outcome.item is None:
        messages.error(request, outcome.refused)
        return back
    if outcome.changed:
        text = _("Your vote on “%(item)s” is now %(value)d.")
    elif outcome.created:
        text = _("Thank you: you gave “%(item)s” a %(value)d.")
    else:
        text = _("Your vote on “%(item)s” stays %(value)d.")
    messages.success(request, text % {"item": outcome.item, "value": value})
    return back


@never_cache
@require_POST
def vote_code(request: HttpRequest, fair_slug: str, session_id: int) -> HttpResponse:
    """The phone is linked to the badge whose printed short code the visitor typed."""
    fair, session = _session(fair_slug, session_id)
    wait = rate_limit_wait(limit=forum_code_per_ip(), key=client_ip(request))
    if wait:
        return too_many_requests(request, retry_after=wait)
    voter = voter_for_code(code=request.POST.get("code", ""), fair=fair)
    if voter is None:
        rate_limit_hit(limit=forum_code_per_ip(), key=client_ip(request))
        messages.error(
            request,
            _(
                "No badge of this fair has this code. It is printed under the QR code of your "
                "badge, e.g. 7K3M-QX2P-9TA."
            ),
        )
        return redirect(_vote_url(session))
    messages.success(request, _("This phone now votes with your badge."))
    response = redirect(_vote_url(session))
    voter_cookie_set(response, attendee=voter)
    return response


@never_cache
@require_POST
def forget(request: HttpRequest, fair_slug: str) -> HttpResponse:
    fair = get_object_or_404(Fair, slug=fair_slug)
    messages.success(request, _("This phone no longer votes with your badge."))
    response = redirect("voting:vote_now", fair_slug=fair.slug)
    voter_cookie_delete(response)
    return response


@never_cache
@require_GET
def vote_now(request: HttpRequest, fair_slug: str) -> HttpResponse:
    """The fair's sessions of today (in the fair's zone), those with voting open first."""
    fair = get_object_or_404(Fair, slug=fair_slug)
    zone = fair_zone(fair)
    today = timezone.now().astimezone(zone).date()
    sessions = list(program_sessions(fair=fair))
    open_ids = set(
        VoteItem.objects.filter(session__fair=fair, state=VoteItem.State.OPEN).values_list(
            "session_id", flat=True
        )
    )
    todays = [s for s in sessions if s.starts_at.astimezone(zone).date() == today]
    return render(
        request,
        "forum/vote_now.html",
        {
            "fair": fair,
            "open_sessions": [s for s in sessions if s.pk in open_ids],
            "todays": [s for s in todays if s.pk not in open_ids],
            "voter": voter_from_request(request, fair=fair),
            "zone": zone.key,
        },
    )


# --------------------------------------------------------------------------- projector


def live_payload(items: list[ItemResults]) -> dict:
    return {
        "items": [
            {
                "id": item.item_id,
                "state": item.state,
                "counts": list(item.counts),
                "total": item.total,
                "mean": None if item.mean is None else round(item.mean, 2),
            }
            for item in items
        ]
    }


def _live_body(fair_slug: str, session_id: int) -> tuple[bytes, str]:
    key = (fair_slug, session_id)
    now = time.monotonic()
    cached = _live_cache.get(key)
    if cached is not None and now - cached[0] < LIVE_CACHE_SECONDS:
        return cached[1], cached[2]
    _fair, session = _session(fair_slug, session_id)
    body = json.dumps(
        live_payload(session_item_results(session=session)), separators=(",", ":")
    ).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    if len(_live_cache) > 1000:  # sessions of a whole fair fit many times over
        _live_cache.clear()
    _live_cache[key] = (now, body, etag)
    return body, etag


@require_GET
def live(request: HttpRequest, fair_slug: str, session_id: int) -> HttpResponse:
    """The session's items with state and results, small, for polling (ETag → 304)."""
    body, etag = _live_body(fair_slug, session_id)
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    request.META[QUIET_ACCESS_LOG] = True  # polled every second by every page: no log line
    return response


@require_GET
def projector(request: HttpRequest, fair_slug: str, session_id: int) -> HttpResponse:
    fair, session = _session(fair_slug, session_id)
    return render(
        request,
        "forum/projector.html",
        {
            "fair": fair,
            "session": session,
            "items": session_item_results(session=session),
            "values": range(1, 6),
            "vote_url": settings.FAIRLEAD_BASE_URL + _vote_url(session),
            "live_url": reverse(
                "voting:live", kwargs={"fair_slug": fair.slug, "session_id": session.pk}
            ),
            "poll": POLL_MILLISECONDS,
            "zone": fair_zone(fair).key,
        },
    )


@require_GET
def vote_qr(request: HttpRequest, fair_slug: str, session_id: int) -> HttpResponse:
    """The QR of the session's public vote page (no badge, no personal data in it)."""
    _fair, session = _session(fair_slug, session_id)
    png = qr_png_bytes(settings.FAIRLEAD_BASE_URL + _vote_url(session), box_size=10)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


# --------------------------------------------------------------------------- badge link


def _link_invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "badges/link_invalid.html", {"revoked": False}, status=404)


def _attendee(token: str) -> Attendee | None:
    return attendee_for_access_token(token=token)


@secret_link_page
@require_http_methods(["GET", "POST"])
def agenda(request: HttpRequest, token: str) -> HttpResponse:
    """The fair's program with the visitor's own agenda; POST saves or removes a session."""
    attendee = _attendee(token)
    if attendee is None:
        return _link_invalid(request)
    fair = attendee.fair
    if request.method == "POST":
        session = session_for_fair(fair=fair, session_id=_int(request.POST.get("session")) or 0)
        if session is None:
            messages.error(request, _("This session is not on the program (any more)."))
            return redirect("badges:agenda", token=token)
        if request.POST.get("action") == "remove":
            agenda_remove(attendee=attendee, session=session)
            messages.success(
                request, _("“%(title)s” was removed from your agenda.") % {"title": session.title}
            )
        else:
            agenda_add(attendee=attendee, session=session)
            messages.success(
                request, _("“%(title)s” is on your agenda.") % {"title": session.title}
            )
        return redirect(reverse("badges:agenda", kwargs={"token": token}) + f"#s{session.pk}")
    sessions = list(program_sessions(fair=fair))
    saved = agenda_session_ids(attendee=attendee)
    return render(
        request,
        "forum/agenda.html",
        {
            "fair": fair,
            "token": token,
            "days": program_days(fair=fair, sessions=sessions),
            "mine": [session for session in sessions if session.pk in saved],
            "saved": saved,
            "can_vote": badge_active(attendee=attendee) is not None,
            "zone": fair_zone(fair).key,
        },
    )


@secret_link_page
@require_GET
def agenda_ics(request: HttpRequest, token: str) -> HttpResponse:
    attendee = _attendee(token)
    if attendee is None:
        return _link_invalid(request)
    content = sessions_ics(
        sessions=agenda_sessions(attendee=attendee).select_related("fair"),
        name=_("My agenda") + f" – {attendee.fair.name}",
        base_url=settings.FAIRLEAD_BASE_URL,
        host=calendar_host(),
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-agenda.ics"'
    return response


@secret_link_page
@require_POST
def vote_from_this_phone(request: HttpRequest, token: str) -> HttpResponse:
    """Remember the badge on this phone for forum votes (see badges.forum.voter_cookie)."""
    attendee = _attendee(token)
    if attendee is None or badge_active(attendee=attendee) is None:
        return _link_invalid(request)
    messages.success(request, _("This phone now votes with your badge."))
    response = redirect("voting:vote_now", fair_slug=attendee.fair.slug)
    voter_cookie_set(response, attendee=attendee)
    return response
