"""Visitor self-registration with double opt-in: register, confirm, mail the badge link."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from badges.consent import LEAD_SHARING_TEXT_VERSION
from badges.models import Attendee, ConsentEvent
from badges.privacy import consent_record
from badges.services.issue import badge_issue, badge_link_rotate
from badges.tokens import confirmation_token_new
from fair.mail import absolute_url, mail_send_on_commit
from fair.models import Fair, Topic

# At most one mail per attendee in this interval, however often the form is sent.
MAIL_INTERVAL = datetime.timedelta(seconds=60)


@dataclass(frozen=True)
class Registration:
    attendee: Attendee
    # "created": new, confirmation mailed; "pending": not yet confirmed, confirmation mailed
    # again; "resent": confirmed earlier, badge link mailed again; "throttled": a mail went
    # out less than MAIL_INTERVAL ago, nothing sent.
    outcome: str


def confirmation_token_issue(*, attendee: Attendee) -> str:
    """A new confirmation link token for the attendee; earlier confirmation links stop
    working. The token is random and signed: it holds no personal data."""
    token, digest = confirmation_token_new()
    attendee.confirmation_token_hash = digest
    attendee.save(update_fields=["confirmation_token_hash"])
    return token


def _mail_allowed(attendee: Attendee, now: datetime.datetime) -> bool:
    return attendee.mail_sent_at is None or now - attendee.mail_sent_at >= MAIL_INTERVAL


def _mail_confirmation(attendee: Attendee, now: datetime.datetime) -> None:
    url = absolute_url(
        reverse("badges:confirm", kwargs={"token": confirmation_token_issue(attendee=attendee)})
    )
    hours = settings.FAIRLEAD_CONFIRMATION_MAX_AGE // 3600
    mail_send_on_commit(
        to=attendee.email,
        template="badges/mail/confirm",
        context={"attendee": attendee, "fair": attendee.fair, "url": url, "hours": hours},
        language=attendee.language,
    )
    attendee.mail_sent_at = now
    attendee.save(update_fields=["mail_sent_at"])


def _mail_badge(attendee: Attendee, token: str, now: datetime.datetime) -> None:
    url = absolute_url(reverse("badges:badge", kwargs={"token": token}))
    mail_send_on_commit(
        to=attendee.email,
        template="badges/mail/badge",
        context={"attendee": attendee, "fair": attendee.fair, "url": url},
        language=attendee.language,
    )
    attendee.mail_sent_at = now
    attendee.save(update_fields=["mail_sent_at"])


def _badge_link_resend(attendee: Attendee, now: datetime.datetime) -> str:
    """Mail a confirmed attendee a new badge link (the old one stops working: only digests
    are stored, so the link cannot be mailed again as it was). "resent" or "throttled"."""
    if not _mail_allowed(attendee, now):
        return "throttled"
    if not attendee.badges.exists():
        badge_issue(attendee=attendee)
    _mail_badge(attendee, badge_link_rotate(attendee=attendee), now)
    return "resent"


_VISITOR_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "job_title",
    "phone",
    "country",
    "postal_code",
)


@transaction.atomic
def visitor_register(
    *, fair: Fair, data: dict[str, Any], topics: Iterable[Topic], language: str
) -> Registration:
    """Register a visitor (double opt-in): mail a confirmation link, or — for an address that
    already confirmed for this fair — mail the badge link again instead of a second record.

    ``data`` holds the form's cleaned values: email, lead_sharing and the _VISITOR_FIELDS.
    """
    now = timezone.now()
    email = data["email"].strip().lower()
    topics = list(topics)
    if any(topic.area.fair_id != fair.pk for topic in topics):
        raise ValueError("topics must belong to the fair")
    existing = (
        Attendee.objects.select_for_update()
        .filter(fair=fair, category=Attendee.Category.VISITOR, email=email)
        .first()
    )
    if existing is not None and existing.confirmed_at is not None:
        return Registration(attendee=existing, outcome=_badge_link_resend(existing, now))
    attendee = existing or Attendee(fair=fair, category=Attendee.Category.VISITOR, email=email)
    if existing is not None and not _mail_allowed(existing, now):
        return Registration(attendee=existing, outcome="throttled")
    # Not confirmed yet: the latest form wins (only the mailbox owner can confirm it).
    for name in _VISITOR_FIELDS:
        setattr(attendee, name, data.get(name, "") or "")
    attendee.language = language
    decided_before = (attendee.lead_sharing, attendee.lead_sharing_text_version)
    attendee.lead_sharing = bool(data.get("lead_sharing"))
    attendee.lead_sharing_at = now
    attendee.lead_sharing_text_version = LEAD_SHARING_TEXT_VERSION
    try:
        with transaction.atomic():
            attendee.save()
    except IntegrityError:
        # Someone registered the same address a moment ago: treat it as a repeat.
        existing = Attendee.objects.get(fair=fair, category=Attendee.Category.VISITOR, email=email)
        return Registration(attendee=existing, outcome="throttled")
    if existing is None or decided_before != (attendee.lead_sharing, LEAD_SHARING_TEXT_VERSION):
        consent_record(
            attendee=attendee,
            given=attendee.lead_sharing,
            text_version=attendee.lead_sharing_text_version,
            source=ConsentEvent.Source.REGISTRATION,
            at=now,
        )
    attendee.topics.set(topics)
    _mail_confirmation(attendee, now)
    return Registration(attendee=attendee, outcome="pending" if existing else "created")


@transaction.atomic
def visitor_confirm(*, attendee: Attendee) -> str | None:
    """Confirm the visitor's address, give them a badge and mail the secret badge link.

    Returns the link's token (the caller redirects the visitor to their badge), or None when
    the address was confirmed before: a confirmation link works once, and a second click (or
    a mail scanner replaying it) changes nothing — the badge link went out by mail already.
    """
    now = timezone.now()
    locked = Attendee.objects.select_for_update().select_related("fair").get(pk=attendee.pk)
    if locked.confirmed_at is not None:
        return None
    locked.confirmed_at = now
    locked.save(update_fields=["confirmed_at"])
    if not locked.badges.exists():
        badge_issue(attendee=locked)
    token = badge_link_rotate(attendee=locked)
    _mail_badge(locked, token, now)
    return token


@transaction.atomic
def visitor_badge_link_resend(*, fair: Fair, email: str) -> str:
    """ "Find my badge link again": mail the badge link to a confirmed, not erased attendee of
    ``fair`` with this address. Returns "resent", "throttled" or "unknown" — for the log and
    the tests only: the page says the same whatever happened (no address enumeration)."""
    attendee = (
        Attendee.objects.select_for_update()
        .select_related("fair")
        .filter(
            fair=fair,
            category=Attendee.Category.VISITOR,
            email=email.strip().lower(),
            confirmed_at__isnull=False,
            erased_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if attendee is None:
        return "unknown"
    return _badge_link_resend(attendee, timezone.now())
