"""Erasure on request (GDPR Art. 17): the visitor asks on their badge page, an organizer
decides in the admin — Art. 17 has exceptions, so a person decides, not the code.

``erasure_request`` → ``erasure_confirm`` (the person is anonymized with
``badges.privacy.anonymize.attendees_anonymize`` and told so at their old address) or
``erasure_reject`` (with the reason, which the person is told by mail).
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from badges.models import Attendee, ConsentEvent, ErasureRequest, PrivacyAuditEntry
from badges.privacy.anonymize import ERASED_EMAIL_DOMAIN, attendees_anonymize
from badges.privacy.audit import privacy_audit_record
from badges.privacy.exceptions import (
    AttendeeErased,
    ErasureAlreadyRequested,
    ErasureNotPending,
    ErasureReasonMissing,
)
from fair.mail import absolute_url, mail_send_on_commit

logger = logging.getLogger("fairlead.privacy")


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
    privacy_audit_record(
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
    *, request: ErasureRequest, actor: User, now: datetime.datetime | None = None
) -> ErasureRequest:
    """An organizer confirms the request: the person is anonymized everywhere, told so at
    their old address, and the privacy log records it."""
    now = now or timezone.now()
    locked = _locked_pending(request)
    attendee = locked.attendee
    address, language, fair = attendee.email, attendee.language, attendee.fair
    counts = attendees_anonymize(
        attendees=Attendee.objects.filter(pk=attendee.pk),
        source=ConsentEvent.Source.ERASURE,
        now=now,
    )
    locked.state = ErasureRequest.State.COMPLETED
    locked.decided_at = now
    locked.decided_by = actor
    locked.save(update_fields=["state", "decided_at", "decided_by"])
    privacy_audit_record(
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
    actor: User,
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
    privacy_audit_record(
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
