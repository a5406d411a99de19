"""How a phone votes without the badge secret in any QR or URL.

The projector's QR holds only the public vote page of the session. The phone is known by a
cookie that the visitor sets on purpose, from their badge link page ("vote from this phone")
or by typing the short code printed on their badge on the vote page. The cookie holds the
fair and attendee ids, signed with the site's key (it cannot be forged or moved to another
fair), never the badge secret or link and nothing personal; it only lets the phone vote and
see its own votes (the badge page, data and consent stay behind the badge link). It is
HttpOnly, SameSite=Lax, Secure in production, scoped to /forum/ and expires the day after the
fair. A revoked badge or an erased attendee votes no more, cookie or not.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from badges.forum.selectors import voter_for_attendee_id
from badges.models import Attendee
from fair.forum.program import fair_zone
from fair.models import Fair

COOKIE = "fairlead_voter"
COOKIE_PATH = "/forum/"
SALT = "badges.forum.voter"
MAX_AGE = 90 * 24 * 3600  # the signature's own limit, whatever the cookie's expiry says


def voter_cookie_set(response: HttpResponse, *, attendee: Attendee) -> None:
    fair = attendee.fair
    expires = datetime.datetime.combine(
        fair.ends_on + datetime.timedelta(days=1), datetime.time(23, 59), tzinfo=fair_zone(fair)
    )
    response.set_signed_cookie(
        COOKIE,
        f"{fair.pk}:{attendee.pk}",
        salt=SALT,
        max_age=max(60, int((expires - timezone.now()).total_seconds())),
        path=COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def voter_cookie_delete(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, path=COOKIE_PATH, samesite="Lax")


def voter_cookie_ids(request: HttpRequest) -> tuple[int, int] | None:
    """The (fair id, attendee id) of this phone's valid voter cookie, if it has one; whether
    the attendee still may vote is for the caller to look up."""
    try:
        value = request.get_signed_cookie(COOKIE, salt=SALT, max_age=MAX_AGE)
    except (KeyError, signing.BadSignature):
        return None
    if value is None:
        return None
    fair_id, _sep, attendee_id = value.partition(":")
    if not fair_id.isdigit() or not attendee_id.isdigit() or len(attendee_id) > 18:
        return None
    return int(fair_id), int(attendee_id)


def voter_from_request(request: HttpRequest, *, fair: Fair) -> Attendee | None:
    """The attendee this phone votes for at ``fair``, if its cookie is valid and still may."""
    ids = voter_cookie_ids(request)
    if ids is None or ids[0] != fair.pk:
        return None
    return voter_for_attendee_id(attendee_id=ids[1], fair=fair)
