"""Retention: personal data of a fair is kept for ``FAIRLEAD_RETENTION_DAYS`` days (default
180) after its last day, then erased by ``manage.py purge_expired`` (run daily from cron).

Per expired fair, in one transaction:

* visitors who never confirmed their address are deleted (they have no badge and no lead);
* every other attendee is anonymized with ``badges.privacy.anonymize.attendees_anonymize``
  (names, contact data, topics, badge link gone, badges revoked, consent withdrawn, admin
  log entries renamed); each lead keeps its exhibitor, scan times and scan count, its rating,
  tags, answers and notes are deleted; lead statistics (per exhibitor, day, hour, device)
  stay right;
* the exhibitors' staff lists are anonymized (names and addresses; the role stays), and so
  are the exhibitors' contact people (name, email, phone, position, invoice email); the
  company, its address and tax data stay (business records, not personal data);
* one privacy-log entry with the figures, and a log line.

Already purged people are skipped, so a second run changes nothing and logs nothing per fair.
A dry run does all of it and rolls back, so its figures are exactly what a real run would do.
The same command deletes rate-limit counters older than a day and whatever the registered
data holders purge as stale (``leads``: pairing codes that expired more than a day ago).
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from badges.import_store import import_leftovers_expire
from badges.models import Attendee, ConsentEvent, PrivacyAuditEntry
from badges.privacy.anonymize import (
    ERASED_NAME,
    AnonymizeCounts,
    admin_log_scrub,
    attendees_anonymize,
    erased_email,
)
from badges.privacy.audit import privacy_audit_record
from badges.privacy.registry import attendee_data_holders
from exhibitors.models import Exhibitor, StaffMember
from fair.models import Fair
from fair.ratelimit import rate_limit_counters_purge

logger = logging.getLogger("fairlead.retention")

DEFAULT_RETENTION_DAYS = 180
HOUSEKEEPING_AGE = datetime.timedelta(days=1)


def retention_days() -> int:
    return int(getattr(settings, "FAIRLEAD_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def fairs_expired(*, days: int, today: datetime.date | None = None) -> QuerySet[Fair]:
    """Fairs whose last day is more than ``days`` days before ``today``, oldest first."""
    today = today or timezone.localdate()
    return Fair.objects.filter(ends_on__lt=today - datetime.timedelta(days=days)).order_by(
        "ends_on", "pk"
    )


@dataclass
class FairPurge:
    fair_id: int
    fair_name: str
    unconfirmed_deleted: int = 0
    staff_anonymized: int = 0
    exhibitor_contacts_anonymized: int = 0
    counts: AnonymizeCounts = field(default_factory=AnonymizeCounts)

    @property
    def changed(self) -> bool:
        return any(self.as_dict().values())

    def as_dict(self) -> dict[str, int]:
        return {
            "unconfirmed_deleted": self.unconfirmed_deleted,
            "staff_anonymized": self.staff_anonymized,
            "exhibitor_contacts_anonymized": self.exhibitor_contacts_anonymized,
            **self.counts.as_dict(),
        }


@dataclass
class RetentionReport:
    days: int
    dry_run: bool
    fairs: list[FairPurge] = field(default_factory=list)
    rate_limit_counters_deleted: int = 0
    import_leftovers_deleted: int = 0  # abandoned import wizards' files and chunk results
    # What the registered data holders purged as stale, by their count names.
    stale_deleted: dict[str, int] = field(default_factory=dict)


def fair_purge(*, fair: Fair, now: datetime.datetime | None = None) -> FairPurge:
    """Erase the personal data of one fair (see the module docstring); idempotent."""
    now = now or timezone.now()
    result = FairPurge(fair_id=fair.pk, fair_name=fair.name)
    with transaction.atomic():
        unconfirmed = Attendee.objects.filter(
            fair=fair,
            category=Attendee.Category.VISITOR,
            confirmed_at__isnull=True,
            erased_at__isnull=True,
            badges__isnull=True,
        )
        result.unconfirmed_deleted = (
            Attendee.objects.filter(pk__in=list(unconfirmed.values_list("pk", flat=True)))
            .delete()[1]
            .get("badges.Attendee", 0)
        )
        result.counts = attendees_anonymize(
            attendees=Attendee.objects.filter(fair=fair),
            source=ConsentEvent.Source.RETENTION,
            now=now,
        )
        result.staff_anonymized = _staff_anonymize(fair)
        result.exhibitor_contacts_anonymized = _exhibitor_contacts_anonymize(fair)
        if result.changed:
            privacy_audit_record(
                action=PrivacyAuditEntry.Action.RETENTION_PURGED,
                fair_id=fair.pk,
                actor_label="purge_expired",
                details={"retention_days": retention_days(), **result.as_dict()},
            )
    return result


def _staff_anonymize(fair: Fair) -> int:
    """Blank the names and addresses on the fair's exhibitors' staff lists (not yet done)."""
    staff = StaffMember.objects.filter(exhibitor__fair=fair).exclude(last_name=ERASED_NAME)
    ids = list(staff.values_list("pk", flat=True))
    admin_log_scrub(model=StaffMember, ids=ids)
    return StaffMember.objects.filter(pk__in=ids).update(
        first_name="", last_name=ERASED_NAME, email=erased_email()
    )


def _exhibitor_contacts_anonymize(fair: Fair) -> int:
    """Blank the exhibitors' contact people; the company and its records stay."""
    return (
        Exhibitor.objects.filter(fair=fair)
        .exclude(contact_name=ERASED_NAME)
        .update(
            contact_name=ERASED_NAME,
            contact_email=erased_email(),
            contact_phone="",
            contact_position="",
            invoice_email="",
        )
    )


def retention_purge(
    *, days: int | None = None, dry_run: bool = False, now: datetime.datetime | None = None
) -> RetentionReport:
    """Purge every expired fair, the stale rate-limit counters and what the data holders
    purge as stale.

    With ``dry_run`` everything runs inside one transaction that is rolled back: the report
    says what would happen and nothing is stored.
    """
    now = now or timezone.now()
    days = retention_days() if days is None else days
    if days < 0:
        raise ValueError("the retention period cannot be negative")
    report = RetentionReport(days=days, dry_run=dry_run)
    with transaction.atomic():
        for fair in fairs_expired(days=days, today=timezone.localdate(now)):
            purge = fair_purge(fair=fair, now=now)
            report.fairs.append(purge)
            if purge.changed:
                logger.info(
                    "%sretention purge of fair %s (%s): %s",
                    "[dry run] " if dry_run else "",
                    fair.pk,
                    fair.name,
                    purge.as_dict(),
                )
        report.rate_limit_counters_deleted = rate_limit_counters_purge(older_than=HOUSEKEEPING_AGE)
        report.import_leftovers_deleted = import_leftovers_expire(now=now)
        for holder in attendee_data_holders():
            for key, value in holder.purge_stale(now=now).items():
                report.stale_deleted[key] = report.stale_deleted.get(key, 0) + value
        if dry_run:
            transaction.set_rollback(True)
    return report
