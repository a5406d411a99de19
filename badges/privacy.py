"""Writes for the visitors' data-protection rights: consent, a copy of their data, erasure.

* ``consent_set``: the visitor gives or withdraws lead-sharing consent on their badge page.
  Withdrawal takes effect at once everywhere, because every path that shows attendee data to an
  exhibitor reads ``Attendee.lead_sharing`` live (``leads.selectors.lead_contact`` for pages and
  both APIs, ``leads.reports.contact_expressions`` inside the SQL of every export and PDF).
  The exhibitor's leads are marked changed, so integrations that sync with ``?since=`` fetch
  the reduced record.
* ``attendee_data_download``: the copy of their data (GDPR Art. 15/20) as a JSON-ready dict,
  logged in the privacy log.
* ``erasure_request`` → ``erasure_confirm`` / ``erasure_reject``: the visitor asks, an organizer
  decides in the admin (Art. 17 has exceptions, so a person decides, not the code).
* ``attendees_anonymise``: the one routine that erases people, used by the erasure and by the
  retention purge (``fair.retention``).

What "erased" means: names, email, phone, company, job title, country, postal code and ticket
number are blanked or replaced, interest topics cleared, badges revoked, the badge link made
invalid, consent withdrawn (recorded in the consent history). Each exhibitor's lead stays with
its first and last scan time and scan count (and the scans with their device and time), so lead
statistics stay right; the rating, tags, answers and notes on that lead are deleted, because
they are personal data about the person.

Exhibitors' notes, ratings, tags and answers are not part of the visitor's copy: the exhibitor
records them for its own purposes and is the controller for them. The visitor sees which
exhibitors captured them (company, stand, first and last scan), so they know whom to ask.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from badges.consent import LEAD_SHARING_TEXT_VERSION
from badges.models import Attendee, Badge, ConsentEvent, ErasureRequest, PrivacyAuditEntry
from badges.privacy_selectors import attendee_data
from fair.mail import absolute_url, mail_send_on_commit

logger = logging.getLogger("fairlead.privacy")

# What an erased person is called from then on (language-neutral: it is stored).
ERASED_NAME = "—"
ERASED_EMAIL_DOMAIN = "erased.invalid"
_CHUNK = 500


class PrivacyRefused(Exception):
    """A privacy request that cannot be carried out; ``str(exc)`` says why (translated)."""


class AttendeeErased(PrivacyRefused):
    def __init__(self):
        super().__init__(_("This person's data has already been erased."))


class ErasureAlreadyRequested(PrivacyRefused):
    def __init__(self):
        super().__init__(_("An erasure request is already waiting for the organizers."))


class ErasureNotPending(PrivacyRefused):
    def __init__(self):
        super().__init__(_("This erasure request was already decided."))


class ErasureReasonMissing(PrivacyRefused):
    def __init__(self):
        super().__init__(_("Say why the request is rejected: the person is told the reason."))


def _audit(
    *,
    action: str,
    attendee: Attendee | None = None,
    fair_id: int | None = None,
    actor: AbstractBaseUser | None = None,
    actor_label: str = "",
    details: dict | None = None,
) -> PrivacyAuditEntry:
    if actor is not None and not actor_label:
        actor_label = actor.get_username()
    return PrivacyAuditEntry.objects.create(
        action=action,
        attendee=attendee,
        fair_id=fair_id if fair_id is not None else (attendee.fair_id if attendee else None),
        actor=actor,
        actor_label=actor_label or "system",
        details=details or {},
    )


def _leads_touch(attendee_ids: Iterable[int], now: datetime.datetime) -> int:
    """Mark the attendees' leads changed, so "changed since" syncs pick up the new state."""
    from leads.models import Lead

    return Lead.objects.filter(attendee_id__in=list(attendee_ids)).update(updated_at=now)


# --------------------------------------------------------------------------- consent


def consent_record(
    *, attendee: Attendee, given: bool, text_version: str, source: str, at: datetime.datetime
) -> ConsentEvent:
    """Add one entry to the attendee's consent history (call it where the decision is saved)."""
    return ConsentEvent.objects.create(
        attendee=attendee,
        given=given,
        text_version=text_version if given else (text_version or ""),
        source=source,
        at=at,
    )


@transaction.atomic
def consent_set(
    *, attendee: Attendee, given: bool, now: datetime.datetime | None = None
) -> Attendee:
    """The visitor gives (with today's text version) or withdraws lead-sharing consent.

    Takes effect at once: exhibitors' pages, files and API answers read the current state.
    Asking for the state the attendee already has changes nothing and records nothing.
    """
    now = now or timezone.now()
    locked = Attendee.objects.select_for_update().get(pk=attendee.pk)
    if locked.erased_at is not None:
        raise AttendeeErased()
    if locked.lead_sharing == given:
        return locked
    locked.lead_sharing = given
    locked.lead_sharing_at = now
    locked.lead_sharing_text_version = LEAD_SHARING_TEXT_VERSION
    locked.save(update_fields=["lead_sharing", "lead_sharing_at", "lead_sharing_text_version"])
    consent_record(
        attendee=locked,
        given=given,
        text_version=LEAD_SHARING_TEXT_VERSION,
        source=ConsentEvent.Source.SELF_SERVICE,
        at=now,
    )
    _leads_touch([locked.pk], now)
    logger.info("attendee %s %s lead-sharing consent", locked.pk, "gave" if given else "withdrew")
    return locked


# --------------------------------------------------------------------------- copy of the data


@transaction.atomic
def attendee_data_download(*, attendee: Attendee) -> dict:
    """Everything held about the attendee (see ``attendee_data``), logged as handed out."""
    data = attendee_data(attendee=attendee)
    _audit(
        action=PrivacyAuditEntry.Action.DATA_DOWNLOADED,
        attendee=attendee,
        actor_label="badge link",
        details={"leads": len(data["leads"]), "badges": len(data["badges"])},
    )
    return data


# --------------------------------------------------------------------------- erasure


@transaction.atomic
def erasure_request(*, attendee: Attendee, now: datetime.datetime | None = None) -> ErasureRequest:
    """The visitor asks for erasure; the organizers are told (if an address is configured)."""
    now = now or timezone.now()
    locked = Attendee.objects.select_for_update().select_related("fair").get(pk=attendee.pk)
    if locked.erased_at is not None:
        raise AttendeeErased()
    if ErasureRequest.objects.filter(attendee=locked, state=ErasureRequest.State.PENDING).exists():
        raise ErasureAlreadyRequested()
    try:
        with transaction.atomic():
            request = ErasureRequest.objects.create(attendee=locked, requested_at=now)
    except IntegrityError as exc:  # a second request at the same moment (SQLite: no row lock)
        raise ErasureAlreadyRequested() from exc
    _audit(
        action=PrivacyAuditEntry.Action.ERASURE_REQUESTED,
        attendee=locked,
        actor_label="badge link",
        details={"request": request.pk},
    )
    organizers = getattr(settings, "FAIRLEAD_ORGANIZER_EMAIL", "")
    if organizers:
        url = absolute_url(reverse("admin:badges_erasurerequest_change", args=[request.pk]))
        mail_send_on_commit(
            to=organizers,
            template="badges/mail/erasure_requested",
            context={"fair": locked.fair, "request": request, "url": url},
            language=settings.LANGUAGE_CODE,
        )
    logger.info("attendee %s asked for erasure (request %s)", locked.pk, request.pk)
    return request


def _locked_pending(request: ErasureRequest) -> ErasureRequest:
    locked = (
        ErasureRequest.objects.select_for_update()
        .select_related("attendee", "attendee__fair")
        .get(pk=request.pk)
    )
    if locked.state != ErasureRequest.State.PENDING:
        raise ErasureNotPending()
    return locked


@transaction.atomic
def erasure_confirm(
    *, request: ErasureRequest, actor: AbstractBaseUser, now: datetime.datetime | None = None
) -> ErasureRequest:
    """An organizer confirms the request: the person is anonymised everywhere (see the module
    docstring), told so at their old address, and the privacy log records it."""
    now = now or timezone.now()
    locked = _locked_pending(request)
    attendee = locked.attendee
    address, language, fair = attendee.email, attendee.language, attendee.fair
    counts = attendees_anonymise(
        attendees=Attendee.objects.filter(pk=attendee.pk),
        source=ConsentEvent.Source.ERASURE,
        now=now,
    )
    locked.state = ErasureRequest.State.COMPLETED
    locked.decided_at = now
    locked.decided_by = actor
    locked.save(update_fields=["state", "decided_at", "decided_by"])
    _audit(
        action=PrivacyAuditEntry.Action.ERASURE_COMPLETED,
        attendee=attendee,
        actor=actor,
        details={"request": locked.pk, **counts.as_dict()},
    )
    if not address.endswith(f"@{ERASED_EMAIL_DOMAIN}"):
        mail_send_on_commit(
            to=address,
            template="badges/mail/erasure_done",
            context={"fair": fair},
            language=language,
        )
    logger.info("erasure request %s confirmed by %s", locked.pk, actor.get_username())
    return locked


@transaction.atomic
def erasure_reject(
    *,
    request: ErasureRequest,
    actor: AbstractBaseUser,
    note: str,
    now: datetime.datetime | None = None,
) -> ErasureRequest:
    """An organizer rejects the request (e.g. a legal duty to keep the data) and says why;
    the person is told the reason by mail."""
    note = (note or "").strip()
    if not note:
        raise ErasureReasonMissing()
    now = now or timezone.now()
    locked = _locked_pending(request)
    locked.state = ErasureRequest.State.REJECTED
    locked.decided_at = now
    locked.decided_by = actor
    locked.note = note
    locked.save(update_fields=["state", "decided_at", "decided_by", "note"])
    attendee = locked.attendee
    _audit(
        action=PrivacyAuditEntry.Action.ERASURE_REJECTED,
        attendee=attendee,
        actor=actor,
        details={"request": locked.pk},
    )
    mail_send_on_commit(
        to=attendee.email,
        template="badges/mail/erasure_rejected",
        context={"fair": attendee.fair, "attendee": attendee, "note": note},
        language=attendee.language,
    )
    return locked


# --------------------------------------------------------------------------- anonymising


@dataclass
class AnonymiseCounts:
    attendees: int = 0
    consents_withdrawn: int = 0
    badges_revoked: int = 0
    leads_stripped: int = 0
    notes_deleted: int = 0
    requests_closed: int = 0

    def add(self, other: "AnonymiseCounts") -> None:
        for name, value in other.as_dict().items():
            setattr(self, name, getattr(self, name) + value)

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def attendees_anonymise(
    *, attendees, source: str, now: datetime.datetime | None = None
) -> AnonymiseCounts:
    """Erase the people in the ``attendees`` queryset who are not erased yet (idempotent), in
    chunks of set-based updates. Call it inside the caller's transaction."""
    from leads.models import Lead, LeadNote, LeadNoteRevision

    now = now or timezone.now()
    counts = AnonymiseCounts()
    ids = list(attendees.filter(erased_at__isnull=True).order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            sharing = list(
                Attendee.objects.filter(pk__in=chunk, lead_sharing=True).values_list(
                    "pk", flat=True
                )
            )
            ConsentEvent.objects.bulk_create(
                ConsentEvent(
                    attendee_id=pk,
                    given=False,
                    text_version=LEAD_SHARING_TEXT_VERSION,
                    source=source,
                    at=now,
                )
                for pk in sharing
            )
            counts.consents_withdrawn += len(sharing)
            counts.attendees += Attendee.objects.filter(pk__in=chunk).update(
                first_name="",
                last_name=ERASED_NAME,
                company="",
                job_title="",
                email=Concat(
                    Value("erased-"),
                    Cast(F("id"), output_field=CharField()),
                    Value(f"@{ERASED_EMAIL_DOMAIN}"),
                    output_field=CharField(),
                ),
                phone="",
                country="",
                postal_code="",
                external_id="",
                lead_sharing=False,
                lead_sharing_at=now,
                lead_sharing_text_version="",
                access_token_hash=None,
                erased_at=now,
            )
            Attendee.topics.through.objects.filter(attendee_id__in=chunk).delete()
            counts.badges_revoked += Badge.objects.filter(
                attendee_id__in=chunk, state=Badge.State.ACTIVE
            ).update(state=Badge.State.REVOKED, revoked_at=now)
            counts.notes_deleted += LeadNote.objects.filter(lead__attendee_id__in=chunk).delete()[0]
            LeadNoteRevision.objects.filter(lead__attendee_id__in=chunk).delete()
            counts.leads_stripped += Lead.objects.filter(attendee_id__in=chunk).update(
                rating="", tags=[], answers={}, updated_at=now
            )
            if source != ConsentEvent.Source.ERASURE:
                # Requests still waiting are settled by the purge itself.
                counts.requests_closed += ErasureRequest.objects.filter(
                    attendee_id__in=chunk, state=ErasureRequest.State.PENDING
                ).update(
                    state=ErasureRequest.State.COMPLETED,
                    decided_at=now,
                    note="retention period ended",
                )
    return counts
