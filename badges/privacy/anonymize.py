"""The one routine that erases people: used by a confirmed erasure request and by the
retention purge.

What "erased" means: names, email, phone, company, job title, country, postal code and ticket
number are blanked or replaced, interest topics cleared, badges revoked, the badge and
confirmation links made invalid, consent withdrawn (recorded in the consent history), and the
admin's "Recent actions" entries about the person renamed and emptied. Every registered data
holder erases what it keeps (``leads``: each exhibitor's lead stays with its first and last
scan time and scan count, and the scans with their device and time, so lead statistics stay
right; the rating, tags, answers and notes on that lead are deleted, because they are
personal data about the person). The person's forum agenda is deleted; their relevance votes
stay in the results, tied only to the anonymized record.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from badges.consent import LEAD_SHARING_TEXT_VERSION
from badges.forum.models import AgendaEntry
from badges.models import Attendee, Badge, ConsentEvent, ErasureRequest
from badges.privacy.registry import attendee_data_holders

# What an erased person is called from then on (language-neutral: it is stored).
ERASED_NAME = "—"
ERASED_EMAIL_DOMAIN = "erased.invalid"
_CHUNK = 500


@dataclass
class AnonymizeCounts:
    attendees: int = 0
    consents_withdrawn: int = 0
    badges_revoked: int = 0
    requests_closed: int = 0
    admin_log_entries: int = 0
    # What the registered data holders erased, by their count names.
    held: dict[str, int] = field(default_factory=dict)

    def add(self, other: "AnonymizeCounts") -> None:
        for name in ("attendees", "consents_withdrawn", "badges_revoked", "requests_closed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.admin_log_entries += other.admin_log_entries
        self._held_add(other.held)

    def _held_add(self, counts: dict[str, int]) -> None:
        for key, value in counts.items():
            self.held[key] = self.held.get(key, 0) + value

    def as_dict(self) -> dict[str, int]:
        own = {name: value for name, value in self.__dict__.items() if name != "held"}
        return {**own, **self.held}


def erased_email(pk_field: str = "id") -> Concat:
    """``erased-<pk>@erased.invalid``, as an SQL expression (unique per row)."""
    return Concat(
        Value("erased-"),
        Cast(F(pk_field), output_field=CharField()),
        Value(f"@{ERASED_EMAIL_DOMAIN}"),
        output_field=CharField(),
    )


def admin_log_scrub(*, model: type[models.Model], ids: Sequence[int]) -> int:
    """Rename the admin's "Recent actions" entries about these objects (they name the person
    and may list changed values) to ERASED_NAME and drop their change messages."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return LogEntry.objects.filter(
        content_type=content_type, object_id__in=[str(pk) for pk in ids]
    ).update(object_repr=ERASED_NAME, change_message="")


def attendees_anonymize(
    *, attendees: "models.QuerySet[Attendee]", source: str, now: datetime.datetime | None = None
) -> AnonymizeCounts:
    """Erase the people in the ``attendees`` queryset who are not erased yet (idempotent), in
    chunks of set-based updates. Call it inside the caller's transaction."""
    now = now or timezone.now()
    counts = AnonymizeCounts()
    ids = list(attendees.filter(erased_at__isnull=True).order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            _chunk_anonymize(chunk, source=source, now=now, counts=counts)
    return counts


def _chunk_anonymize(
    chunk: list[int], *, source: str, now: datetime.datetime, counts: AnonymizeCounts
) -> None:
    sharing = list(
        Attendee.objects.filter(pk__in=chunk, lead_sharing=True).values_list("pk", flat=True)
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
        email=erased_email(),
        phone="",
        country="",
        postal_code="",
        external_id="",
        lead_sharing=False,
        lead_sharing_at=now,
        lead_sharing_text_version="",
        access_token_hash=None,
        confirmation_token_hash=None,
        erased_at=now,
    )
    Attendee.topics.through.objects.filter(attendee_id__in=chunk).delete()
    AgendaEntry.objects.filter(attendee_id__in=chunk).delete()
    counts.badges_revoked += Badge.objects.filter(
        attendee_id__in=chunk, state=Badge.State.ACTIVE
    ).update(state=Badge.State.REVOKED, revoked_at=now)
    counts.admin_log_entries += admin_log_scrub(model=Attendee, ids=chunk)
    for holder in attendee_data_holders():
        counts._held_add(holder.anonymize(attendee_ids=chunk, now=now))
    if source != ConsentEvent.Source.ERASURE:
        # Requests still waiting are settled by the purge itself.
        counts.requests_closed += ErasureRequest.objects.filter(
            attendee_id__in=chunk, state=ErasureRequest.State.PENDING
        ).update(
            state=ErasureRequest.State.COMPLETED,
            decided_at=now,
            note="retention period ended",
        )
