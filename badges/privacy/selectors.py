"""Reads for the visitors' data-protection rights: who captured them, their consent history,
their pending erasure request, and the copy of everything held about them."""

import datetime
import zoneinfo
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from badges.codes import short_code_display
from badges.models import ATTENDEE_CONTACT_FIELDS, Attendee, ConsentEvent, ErasureRequest
from badges.privacy.registry import Capture, attendee_data_holders

# Bumped when the shape of the JSON copy changes.
DATA_FORMAT_VERSION = 1

_ATTENDEE_FIELDS = ("category", *ATTENDEE_CONTACT_FIELDS, "language", "external_id")


def attendee_zone(attendee: Attendee) -> zoneinfo.ZoneInfo:
    """The fair's time zone: times shown to the visitor and in their copy are in it."""
    return zoneinfo.ZoneInfo(attendee.fair.time_zone or "Europe/Berlin")


def captures_for_attendee(*, attendee: Attendee) -> list[Capture]:
    """The exhibitors that captured the attendee, most recent scan first, from every
    registered data holder (``leads``: one query).

    Only company, stand and scan times: the exhibitor's rating, tags, answers and notes are
    the exhibitor's own records and are not shown here.
    """
    captures = [
        capture
        for holder in attendee_data_holders()
        for capture in holder.captures(attendee=attendee)
    ]
    return sorted(captures, key=lambda capture: capture.last_scanned_at, reverse=True)


def consent_history(*, attendee: Attendee) -> QuerySet[ConsentEvent]:
    return ConsentEvent.objects.filter(attendee=attendee).order_by("at", "id")


def erasure_pending(*, attendee: Attendee) -> ErasureRequest | None:
    return ErasureRequest.objects.filter(
        attendee=attendee, state=ErasureRequest.State.PENDING
    ).first()


def _iso(value: datetime.datetime | None, zone: zoneinfo.ZoneInfo) -> str | None:
    return value.astimezone(zone).isoformat() if value is not None else None


def attendee_data(*, attendee: Attendee) -> dict[str, Any]:
    """Everything the platform holds about the attendee, as JSON-ready data.

    Times are ISO 8601 in the fair's time zone. Badges are listed by their printed short code
    and state; the QR secret is left out (it is a credential, and the short code identifies
    the badge). Leads list the exhibitor, stand, scan times and scan count, not the exhibitor's
    own notes, ratings, tags or answers.
    """
    attendee = Attendee.objects.select_related("fair").get(pk=attendee.pk)
    zone = attendee_zone(attendee)
    fair = attendee.fair
    person = {name: getattr(attendee, name) for name in _ATTENDEE_FIELDS}
    person["country"] = str(attendee.country or "")  # the ISO code, not the field's object
    person["topics"] = [
        {"de": topic.name_de, "en": topic.name_en}
        for topic in attendee.topics.order_by("position", "name_de")
    ]
    person["registered_at"] = _iso(attendee.created_at, zone)
    person["email_confirmed_at"] = _iso(attendee.confirmed_at, zone)
    person["lead_sharing"] = attendee.lead_sharing
    person["lead_sharing_decided_at"] = _iso(attendee.lead_sharing_at, zone)
    person["lead_sharing_text_version"] = attendee.lead_sharing_text_version
    return {
        "format": DATA_FORMAT_VERSION,
        "generated_at": _iso(timezone.now(), zone),
        "time_zone": zone.key,
        "fair": {
            "name": fair.name,
            "venue": fair.venue,
            "city": fair.city,
            "first_day": fair.starts_on.isoformat(),
            "last_day": fair.ends_on.isoformat(),
        },
        "attendee": person,
        "consent_history": [
            {
                "given": event.given,
                "text_version": event.text_version,
                "source": event.source,
                "at": _iso(event.at, zone),
            }
            for event in consent_history(attendee=attendee)
        ],
        "badges": [
            {
                "short_code": short_code_display(badge.short_code),
                "state": badge.state,
                "issued_at": _iso(badge.issued_at, zone),
                "printed_at": _iso(badge.printed_at, zone),
                "revoked_at": _iso(badge.revoked_at, zone),
            }
            for badge in attendee.badges.order_by("issued_at", "id")
        ],
        "leads": [
            {
                "exhibitor": capture.exhibitor,
                "stand": capture.stand,
                "first_scanned_at": capture.first_scanned_at.isoformat(),
                "last_scanned_at": capture.last_scanned_at.isoformat(),
                "scan_count": capture.scan_count,
            }
            for capture in captures_for_attendee(attendee=attendee)
        ],
        "erasure_requests": [
            {
                "state": request.state,
                "requested_at": _iso(request.requested_at, zone),
                "decided_at": _iso(request.decided_at, zone),
            }
            for request in attendee.erasure_requests.order_by("requested_at", "id")
        ],
        "forum": {
            "agenda": [
                {
                    "session": entry.session.code,
                    "title": entry.session.title_de,
                    "starts_at": _iso(entry.session.starts_at, zone),
                    "added_at": _iso(entry.added_at, zone),
                }
                for entry in attendee.agenda_entries.select_related("session").order_by(
                    "session__starts_at", "id"
                )
            ],
            "checkins": [
                {
                    "session": checkin.session,
                    "title": checkin.title,
                    "room": checkin.room,
                    "checked_in_at": checkin.checked_in_at.isoformat(),
                }
                for holder in attendee_data_holders()
                for checkin in holder.checkins(attendee=attendee)
            ],
            "votes": [
                {
                    "session": vote.item.session.code,
                    "item": vote.item.title_de,
                    "relevance": vote.value,
                    "cast_at": _iso(vote.cast_at, zone),
                    "changed_at": _iso(vote.changed_at, zone),
                }
                for vote in attendee.votes.select_related("item__session").order_by("cast_at", "id")
            ],
        },
    }
